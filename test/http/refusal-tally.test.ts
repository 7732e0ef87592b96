/** Refusal lines: the first at once, then one per window with the counts, silent when quiet. */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefusalTally } from '../../src/http/refusal-tally.js';

describe('refusal tally', () => {
  let lines: Array<Record<string, unknown> & { msg: string }>;
  let tally: RefusalTally;
  beforeEach(() => {
    vi.useFakeTimers();
    lines = [];
    const log = pino({ base: undefined, timestamp: false }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    tally = new RefusalTally(log, 'refused', 60_000);
  });
  afterEach(() => vi.useRealTimers());

  it('logs the first refusal at once and the rest as one line per minute while the flood lasts', () => {
    tally.count('GET /a', 'unauthenticated', { why: 'no token' });
    expect(lines).toEqual([{ level: 40, route: 'GET /a', outcome: 'unauthenticated', why: 'no token', msg: 'refused' }]);
    for (let i = 0; i < 1000; i++) tally.count('GET /a', i < 10 ? 'unauthenticated' : 'rate-limited');
    expect(lines).toHaveLength(1);

    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({ level: 40, route: 'GET /a', refused: { unauthenticated: 10, 'rate-limited': 990 }, total: 1000, windowSeconds: 60, msg: 'refused: 1000 more in 60 s' });

    // Still under fire: the next minute is counted too, not logged line by line.
    for (let i = 0; i < 500; i++) tally.count('GET /a', 'rate-limited');
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ refused: { 'rate-limited': 500 }, total: 500 });

    // A quiet minute closes the window: nothing written, and the next refusal is shown at once.
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
    tally.count('GET /a', 'unauthenticated');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({ route: 'GET /a', outcome: 'unauthenticated' });
  });

  it('counts each route on its own and writes what is counted on flush', () => {
    tally.count('GET /a', 'unauthenticated');
    tally.count('PUT /b', 'unauthenticated');
    tally.count('PUT /b', 'unauthenticated');
    tally.flush();
    expect(lines.map((l) => [l.route, l.total ?? 'first'])).toEqual([
      ['GET /a', 'first'],
      ['PUT /b', 'first'],
      ['PUT /b', 1],
    ]);
    vi.advanceTimersByTime(120_000);
    expect(lines).toHaveLength(3);
  });
});
