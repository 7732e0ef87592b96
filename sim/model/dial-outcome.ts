/**
 * What happens to a dialled SIP channel: answered, busy (486), congestion, or no answer
 * until the timeout (cause 19, tech_cause 480). `originate` reports the final Dial status
 * (BUSY, CONGESTION, ANSWER); `create` + `dial` failures emit no final Dial (s5).
 */
import { answerChannel, hangupChannel } from './channels.js';
import type { EndpointBehaviour } from './endpoints.js';
import type { HangupCause, SimChannel } from './types.js';
import { snapshotChannel, type World } from './world.js';

export type DialMode = 'originate' | 'dial';

export const CAUSES = {
  busy: { cause: 17, cause_txt: 'User busy', tech_cause: 486 },
  congestion: { cause: 34, cause_txt: 'Circuit/channel congestion', tech_cause: 503 },
  noAnswer: { cause: 19, cause_txt: 'User alerting, no answer', tech_cause: 480 },
} satisfies Record<string, HangupCause>;

export interface RingingControls { answer(): void; reject(kind: 'busy' | 'congestion'): void }

const ringing = new WeakMap<SimChannel, RingingControls>();

export function ringingControls(ch: SimChannel): RingingControls | undefined {
  return ringing.get(ch);
}

export function emitDial(world: World, peer: SimChannel, dialstatus: string): void {
  world.hub.emit(world.recipients(peer), 'Dial', {
    dialstatus,
    forward: '',
    dialstring: peer.dialstring ?? '',
    peer: snapshotChannel(peer),
  });
}

/**
 * Plays `behaviour` out on `ch`. `onAnswer` runs after the answer events (the channel then
 * enters the app or the dialplan). `timeoutMs` is the originate/dial timeout.
 */
export function runOutcome(
  world: World, ch: SimChannel, behaviour: EndpointBehaviour, mode: DialMode, timeoutMs: number, onAnswer: () => void,
): void {
  let settled = false;
  const cancels: Array<() => void> = [];
  const settle = () => {
    settled = true;
    ringing.delete(ch);
    for (const c of cancels) c();
  };
  const answer = () => {
    if (settled || ch.hangingUp) return;
    settle();
    ch.onAnswered = () => {
      emitDial(world, ch, 'ANSWER');
      onAnswer();
    };
    answerChannel(world, ch);
  };
  const reject = (kind: 'busy' | 'congestion') => {
    if (settled || ch.hangingUp) return;
    settle();
    const cause = kind === 'busy' ? CAUSES.busy : CAUSES.congestion;
    world.emitChannel(ch, 'ChannelHangupRequest', {}, { cause: cause.cause, tech_cause: cause.tech_cause });
    if (mode === 'originate') emitDial(world, ch, kind === 'busy' ? 'BUSY' : 'CONGESTION');
    hangupChannel(world, ch, null, cause);
  };
  const timeout = () => {
    if (settled || ch.hangingUp) return;
    settle();
    if (mode === 'originate') hangupChannel(world, ch, null, CAUSES.noAnswer);
    else hangupChannel(world, ch, { cause: 32, soft: true }, CAUSES.noAnswer);
  };
  ch.cancelActivity = settle;
  cancels.push(world.clock.after(timeoutMs, timeout));
  switch (behaviour.kind) {
    case 'answer':
      cancels.push(world.clock.after(behaviour.afterMs, answer));
      break;
    case 'busy':
      cancels.push(world.clock.after(behaviour.afterMs, () => reject('busy')));
      break;
    case 'congestion':
      cancels.push(world.clock.after(behaviour.afterMs, () => reject('congestion')));
      break;
    case 'ring':
    case 'no-answer':
      cancels.push(world.clock.after(50, () => {
        if (settled || ch.hangingUp) return;
        ch.state = 'Ringing';
        world.emitChannel(ch, 'ChannelStateChange');
        emitDial(world, ch, 'RINGING');
      }));
      break;
    case 'unreachable':
      break;
  }
  ringing.set(ch, { answer, reject });
}
