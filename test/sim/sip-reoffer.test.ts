/**
 * A hold re-offer as the simulator reads it (sim/sip/reoffer.ts): the direction asked for,
 * the answering direction, whether the transport is the call's own, and the answer built
 * from the call's last description. And who gets music while an agent holds
 * (src/acd/engine/agent-hold.ts): the agent's one other party in the call's bridge.
 */
import { describe, expect, it } from 'vitest';
import { answerDirection, directionOf, reanswer, sameTransport } from '../../sim/sip/reoffer.js';
import { partyToHold } from '../../src/acd/engine/agent-hold.js';

const sdp = (o: { dir?: string; ufrag?: string; addr?: string; setup?: string } = {}) =>
  [
    'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0 8 101', `c=IN IP4 ${o.addr ?? '127.0.0.1'}`,
    `a=ice-ufrag:${o.ufrag ?? 'abcd'}`, 'a=ice-pwd:0123456789abcdef0123456789', 'a=fingerprint:sha-256 AA:BB:CC',
    `a=setup:${o.setup ?? 'actpass'}`, 'a=mid:0', ...(o.dir ? [`a=${o.dir}`] : []), 'a=rtpmap:0 PCMU/8000',
  ].join('\r\n') + '\r\n';

describe('a hold re-offer', () => {
  it('reads the direction: sendonly and inactive hold, a null address is inactive, none is sendrecv', () => {
    expect(directionOf(sdp({ dir: 'sendonly' }))).toBe('sendonly');
    expect(directionOf(sdp({ dir: 'inactive' }))).toBe('inactive');
    expect(directionOf(sdp({ dir: 'sendrecv', addr: '0.0.0.0' }))).toBe('inactive');
    expect(directionOf(sdp())).toBe('sendrecv');
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendrecv')).toBe('sendrecv');
  });

  it('keeps the transport only with the same ICE credentials and fingerprint (an ICE restart does not)', () => {
    expect(sameTransport(sdp(), sdp({ dir: 'sendonly' }))).toBe(true);
    expect(sameTransport(sdp(), sdp({ dir: 'sendonly', ufrag: 'wxyz' }))).toBe(false);
  });

  it('answers from the last description: one direction line in the audio section, the DTLS role kept, the version raised', () => {
    const answer = reanswer(sdp({ dir: 'sendrecv', setup: 'actpass' }), 'recvonly', 'passive', 3);
    expect(answer.match(/^a=(sendrecv|sendonly|recvonly|inactive)$/gm)).toEqual(['a=recvonly']);
    expect(answer).toMatch(/^a=setup:passive$/m);
    expect(answer).toMatch(/^o=- 4611731400430051336 3 IN IP4/m);
    expect(answer).toMatch(/^a=ice-ufrag:abcd$/m);
    // A description with no direction line gets one.
    expect(reanswer(sdp(), 'inactive', 'active', 4).match(/^a=inactive$/gm)).toHaveLength(1);
  });
});

describe('who hears music while an agent holds', () => {
  it('the agent’s one other party in the bridge; nobody with two or more others, or with the agent not in it', () => {
    expect(partyToHold(['caller', 'offer-c-1'], 'offer-c-1')).toBe('caller');
    expect(partyToHold(['caller', 'offer-c-1', 'emg-c-a1'], 'offer-c-1')).toBeNull();
    expect(partyToHold(['caller'], 'offer-c-1')).toBeNull();
    expect(partyToHold(['offer-c-1'], 'offer-c-1')).toBeNull();
  });
});
