/** The call recorder's pure decisions: names, what pause and resume may do, what the hand-over does next. */
import { describe, expect, it } from 'vitest';
import { controlDecision, leftAlive, nextHandoverStep, recordingName, snoopId, withPause, withResume } from '../../src/recording/index.js';

describe('names', () => {
  it('a snoop per call (a retry its own), a flat file name by the day of the answer', () => {
    expect(snoopId('c1')).toBe('rec-c1');
    expect(snoopId('c1', 2)).toBe('rec-c1-2');
    expect(recordingName('c1', '2026-12-02T23:59:59.000Z')).toBe('hotline-2026-12-02-c1');
    expect(recordingName('c1', '2026-12-02T23:59:59.000Z', 2)).toBe('hotline-2026-12-02-c1-2');
  });
});

describe('pause and resume', () => {
  it('go to Asterisk only from the state they change; otherwise the refusal says why', () => {
    expect(controlDecision('recording', 'pause')).toEqual({ ok: true });
    expect(controlDecision('paused', 'resume')).toEqual({ ok: true });
    expect(controlDecision('paused', 'pause')).toEqual({ ok: false, code: 'recording:already-paused' });
    expect(controlDecision('recording', 'resume')).toEqual({ ok: false, code: 'recording:not-paused' });
    for (const state of ['starting', 'failed', 'stopping'] as const) expect(controlDecision(state, 'pause')).toEqual({ ok: false, code: 'recording:not-recording' });
    expect(controlDecision(undefined, 'resume')).toEqual({ ok: false, code: 'recording:unknown-call' });
  });

  it('a resume closes the open pause only; one never resumed keeps resumedAt null', () => {
    const one = withPause([], 't1', 'a1001', 'card');
    const closed = withResume(one, 't2');
    expect(closed).toEqual([{ pausedAt: 't1', resumedAt: 't2', by: 'a1001', reason: 'card' }]);
    const two = withPause(closed, 't3', 'duty-desk', null);
    expect(two[1]).toEqual({ pausedAt: 't3', resumedAt: null, by: 'duty-desk', reason: null });
    expect(withResume(two, 't4').map((p) => p.resumedAt)).toEqual(['t2', 't4']);
  });
});

describe('the hand-over', () => {
  it('waits for the end, ingests a finished recording, then sends the event and deletes Asterisk\'s copy', () => {
    expect(nextHandoverStep({ stage: 'recording' })).toBe('wait-for-end');
    expect(nextHandoverStep({ stage: 'finished' })).toBe('ingest');
    expect(nextHandoverStep({ stage: 'archived' })).toBe('publish-and-delete');
  });
});

describe('the end of a call', () => {
  it('left the caller connected only when the service ended it with no hangup (handed to the dialplan)', () => {
    expect(leftAlive({ endedBy: 'service', hangupCause: null })).toBe(true);
    expect(leftAlive({ endedBy: 'service', hangupCause: 16 })).toBe(false);
    expect(leftAlive({ endedBy: 'caller', hangupCause: 16 })).toBe(false);
    expect(leftAlive({ endedBy: 'asterisk', hangupCause: null })).toBe(false);
  });
});
