/**
 * Every frame a real Asterisk 22 sent in the recorded traces (fixtures/events.jsonl) parses
 * either to a typed event or to "unhandled": none is invalid, and nothing makes the parser throw.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handledEventTypes, parseAriEvent } from '../../src/ari/events.js';

const frames: unknown[] = readFileSync(new URL('./fixtures/events.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as unknown);

describe('parseAriEvent on recorded frames', () => {
  it('accepts every handled frame and sets the others aside', () => {
    const outcomes = frames.map((frame) => parseAriEvent(frame));
    const invalid = outcomes.filter((o) => !o.ok && o.reason === 'invalid');
    expect(invalid).toEqual([]);
    const typed = outcomes.filter((o) => o.ok).map((o) => (o.ok ? o.event.type : ''));
    expect(new Set(typed)).toEqual(
      new Set(['StasisStart', 'StasisEnd', 'ChannelStateChange', 'ChannelDtmfReceived', 'ChannelHangupRequest', 'ChannelDestroyed',
        'ChannelVarset', 'ChannelEnteredBridge', 'ChannelLeftBridge', 'BridgeDestroyed', 'PlaybackStarted', 'PlaybackFinished',
        'RecordingStarted', 'RecordingFinished', 'Dial']),
    );
    const unhandled = new Set(outcomes.flatMap((o) => (!o.ok && o.reason === 'unhandled-type' ? [o.type] : [])));
    expect(unhandled).toEqual(new Set(['ChannelDialplan', 'ChannelCallerId', 'ChannelConnectedLine']));
  });

  it('reads a SIP hangup, which carries no cause', () => {
    const hangups = frames.filter((f) => (f as { type: string }).type === 'ChannelHangupRequest').map((f) => parseAriEvent(f));
    expect(hangups.every((h) => h.ok)).toBe(true);
  });
});

describe('parseAriEvent on bad input', () => {
  it.each([
    ['null', null],
    ['a string', 'StasisStart'],
    ['no type', { channel: {} }],
    ['a number type', { type: 7 }],
    ['an unknown type', { type: 'ApplicationMoveFailed', application: 'hotline' }],
  ])('sets aside %s', (_label, raw) => {
    const result = parseAriEvent(raw);
    expect(result).toMatchObject({ ok: false, reason: 'unhandled-type' });
  });

  it('reports a handled type with a bad shape as invalid, naming the field', () => {
    const result = parseAriEvent({ type: 'ChannelDtmfReceived', timestamp: 't', application: 'hotline', digit: 'x', duration_ms: 100, channel: {} });
    expect(result.ok).toBe(false);
    if (!result.ok && result.reason === 'invalid') expect(result.issues).toContain('digit');
    else expect.unreachable('expected an invalid result');
  });

  it('knows the types it handles', () => {
    expect(handledEventTypes.has('StasisStart')).toBe(true);
    expect(handledEventTypes.has('ChannelDialplan')).toBe(false);
  });
});
