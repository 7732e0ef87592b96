/**
 * A re-INVITE's offer on an established call, as res_pjsip reads it for hold: the only change
 * the simulator accepts is the media direction. `sendonly` or `inactive` (or a null address)
 * puts the call on hold, `sendrecv` again takes it off (RFC 3264 §8.4, RFC 6337 §5.3). The
 * transport must stay the one in use: the same ICE credentials and DTLS fingerprint, as a
 * browser's hold re-offer keeps them. An ICE restart or a new certificate is not modelled and
 * is refused (488) rather than answered with a transport the media peer does not have.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m;

/** The audio section's direction (the session level's when the section says none; sendrecv by default). */
export function directionOf(sdp: string): Direction {
  const at = sdp.search(/^m=audio /m);
  const media = at >= 0 ? sdp.slice(at) : '';
  const session = at >= 0 ? sdp.slice(0, at) : sdp;
  const found = DIRECTION.exec(media) ?? DIRECTION.exec(session);
  const connection = /^c=IN IP[46] (\S+)/m.exec(media) ?? /^c=IN IP[46] (\S+)/m.exec(session);
  // RFC 2543 hold: a null connection address.
  if (connection && (connection[1] === '0.0.0.0' || connection[1] === '::')) return 'inactive';
  return (found?.[1] as Direction | undefined) ?? 'sendrecv';
}

/** What the answer says to an offered direction (RFC 3264 §6.1), the simulator willing to send and receive. */
export function answerDirection(offered: Direction): Direction {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    default:
      return offered;
  }
}

const transportOf = (sdp: string) => ({
  ufrag: /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1],
  pwd: /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1],
  fingerprint: /^a=fingerprint:(.+?)\s*$/m.exec(sdp)?.[1]?.toLowerCase(),
});

/** The re-offer keeps the transport the call runs on (no ICE restart, same certificate). */
export function sameTransport(established: string, reoffer: string): boolean {
  const a = transportOf(established);
  const b = transportOf(reoffer);
  return a.ufrag !== undefined && a.ufrag === b.ufrag && a.pwd === b.pwd && a.fingerprint === b.fingerprint;
}

/**
 * The answer to a re-offer: our last description of the call with the new direction, the
 * DTLS role the call already has (`a=setup` is never `actpass` in an answer), and the
 * origin's version raised by one (RFC 3264 §8: a changed description gets a new version).
 */
export function reanswer(lastLocal: string, direction: Direction, dtlsRole: 'active' | 'passive', version: number): string {
  const lines = lastLocal.split(/\r?\n/).filter((l) => l !== '');
  const out: string[] = [];
  let inAudio = false;
  let directionSet = false;
  const closeAudio = () => {
    if (inAudio && !directionSet) out.push(`a=${direction}`);
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      closeAudio();
      inAudio = line.startsWith('m=audio ');
      directionSet = false;
      out.push(line);
    } else if (DIRECTION.test(line)) {
      // The session level's direction goes: the audio section's says it.
      if (inAudio && !directionSet) out.push(`a=${direction}`);
      directionSet ||= inAudio;
    } else if (line.startsWith('a=setup:')) {
      out.push(`a=setup:${dtlsRole}`);
    } else if (line.startsWith('o=')) {
      const parts = line.split(' ');
      if (parts.length >= 6) parts[2] = String(version);
      out.push(parts.join(' '));
    } else {
      out.push(line);
    }
  }
  closeAudio();
  return `${out.join('\r\n')}\r\n`;
}
