/**
 * DTMF in both directions. A digit is reported (ChannelDtmfReceived) when it ends, so each
 * one arrives `duration` after it starts, with `between` of silence before the next. Digits
 * sent over ARI on a channel that is playing wait for the playback to end (s2).
 */
import { isPlaying } from './playbacks.js';
import { recordingDtmf } from './recordings.js';
import type { SimChannel } from './types.js';
import type { World } from './world.js';

export const DTMF_DIGITS = /^[0-9A-D*#]+$/;

/** The channel hears one digit (from its SIP caller, or from its Local peer). */
export function receiveDigit(world: World, ch: SimChannel, digit: string, durationMs: number): void {
  if (ch.hangup) return;
  world.emitChannel(ch, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
  recordingDtmf(world, ch.id, digit);
}

/** Plays `digits` into `target` one by one; `startGapMs` precedes the first. */
export function scheduleDigits(
  world: World, target: SimChannel, digits: string, durationMs: number, betweenMs: number, startGapMs: number,
): void {
  let at = startGapMs;
  for (const digit of digits) {
    at += durationMs;
    world.clock.after(at, () => receiveDigit(world, target, digit, durationMs));
    at += betweenMs;
  }
}

/**
 * `POST /channels/{id}/dtmf`: the digits leave `ch`. A Local half's digits reach its peer;
 * a SIP channel's go out on the wire, which nobody in the simulator observes.
 */
export function sendDtmf(world: World, ch: SimChannel, digits: string, betweenMs: number, durationMs: number, beforeMs = 0): void {
  const go = () => {
    const peer = ch.partner;
    if (peer && !peer.hangup) scheduleDigits(world, peer, digits, durationMs, betweenMs, 100 + beforeMs);
  };
  if (isPlaying(world, ch)) ch.queuedDtmf.push(go);
  else go();
}
