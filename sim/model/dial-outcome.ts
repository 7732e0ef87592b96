/**
 * What happens to a dialled SIP channel: answered, rejected with a final SIP status (486
 * busy, 603 decline, 480 unavailable, 503), or no answer until the timeout (cause 19,
 * tech_cause 480, and no final Dial at all, s12). `originate` reports the final Dial status
 * of a rejection or an answer; `create` + `dial` failures emit no final Dial (s5).
 */
import { answerChannel, hangupChannel } from './channels.js';
import { scheduleDigits } from './dtmf.js';
import type { EndpointBehaviour } from './endpoints.js';
import type { HangupCause, RingingControls, SimChannel, SipRejection } from './types.js';
import { snapshotChannel, type World } from './world.js';

export type DialMode = 'originate' | 'dial';

export const CAUSES = {
  busy: { cause: 17, cause_txt: 'User busy', tech_cause: 486 },
  congestion: { cause: 34, cause_txt: 'Circuit/channel congestion', tech_cause: 503 },
  noAnswer: { cause: 19, cause_txt: 'User alerting, no answer', tech_cause: 480 },
  declined: { cause: 21, cause_txt: 'Call Rejected', tech_cause: 603 },
} satisfies Record<string, HangupCause>;

/** The cause and final Dial status Asterisk derives from each SIP rejection (s5, s12). */
const REJECTIONS: Record<SipRejection, { cause: HangupCause; dialstatus: string }> = {
  486: { cause: CAUSES.busy, dialstatus: 'BUSY' },
  480: { cause: CAUSES.noAnswer, dialstatus: 'NOANSWER' },
  603: { cause: CAUSES.declined, dialstatus: 'NOANSWER' },
  503: { cause: CAUSES.congestion, dialstatus: 'CONGESTION' },
};

export type RejectKind = 'busy' | 'congestion' | SipRejection;

export type { RingingControls };

const ringing = new WeakMap<SimChannel, RingingControls>();

export function ringingControls(ch: SimChannel): RingingControls | undefined {
  return ringing.get(ch);
}

export function emitDial(world: World, peer: SimChannel, dialstatus: string): void {
  world.emitAbout(peer, 'Dial', {
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
      const keys = behaviour.kind === 'answer' ? behaviour.keysAfterAnswer : undefined;
      if (keys) scheduleDigits(world, ch, keys.digits, 280, 500, keys.afterMs);
    };
    answerChannel(world, ch);
  };
  const reject = (kind: RejectKind) => {
    if (settled || ch.hangingUp) return;
    settle();
    const { cause, dialstatus } = REJECTIONS[kind === 'busy' ? 486 : kind === 'congestion' ? 503 : kind];
    world.emitChannel(ch, 'ChannelHangupRequest', {}, { cause: cause.cause, tech_cause: cause.tech_cause });
    if (mode === 'originate') emitDial(world, ch, dialstatus);
    hangupChannel(world, ch, null, cause);
  };
  const ring = () => {
    if (settled || ch.hangingUp || ch.state === 'Ringing') return;
    ch.state = 'Ringing';
    world.emitChannel(ch, 'ChannelStateChange');
    emitDial(world, ch, 'RINGING');
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
      if (behaviour.ringingAfterMs !== undefined) cancels.push(world.clock.after(behaviour.ringingAfterMs, ring));
      cancels.push(world.clock.after(behaviour.afterMs, answer));
      break;
    case 'reject': {
      const { status } = behaviour;
      if (behaviour.ringingAfterMs !== undefined) cancels.push(world.clock.after(behaviour.ringingAfterMs, ring));
      cancels.push(world.clock.after(behaviour.afterMs, () => reject(status)));
      break;
    }
    case 'busy':
      cancels.push(world.clock.after(behaviour.afterMs, () => reject('busy')));
      break;
    case 'congestion':
      cancels.push(world.clock.after(behaviour.afterMs, () => reject('congestion')));
      break;
    case 'ring':
    case 'no-answer':
      cancels.push(world.clock.after(50, ring));
      break;
    case 'unreachable':
    case 'softphone':
      break;
  }
  ringing.set(ch, { answer, reject, ring });
}
