import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { maskNumber, maskPhoneNumbers } from '../../src/log/mask.js';
import { mergeRepeatedParts } from '../../src/log/merge-parts.js';
import { holdsWholeMobile, repeatedKey } from '../support/log-scan.js';

function capture(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
}

describe('phone numbers in logs', () => {
  it('masks all but the first three and last two digits', () => {
    expect(maskNumber('13812345678')).toBe('138******78');
    expect(maskNumber('12345')).toBe('12345');
    expect(maskNumber(42)).toBe(42);
  });

  it('finds numbers by content in any text, and leaves ids and times alone', () => {
    expect(maskPhoneNumbers('caller 13812345678 rang')).toBe('caller 138******78 rang');
    expect(maskPhoneNumbers('from +8613812345678')).toBe('from 861********78');
    expect(maskPhoneNumbers('fixed 010-12345678 and 0755 87654321')).toBe('fixed 010******78 and 075*******21');
    expect(maskPhoneNumbers("PUT /priority-callers/13800138000' OR 1=1--")).toBe("PUT /priority-callers/138******00' OR 1=1--");
    expect(maskPhoneNumbers('local 87654321')).toBe('local 876***21');
    // Asterisk channel ids, Redis stream ids, UUIDs, ISO times and service numbers stay as they are.
    for (const kept of ['1733112233.45', '1733112233123-0', '3f2a9c1e-1234-4bcd-8e1f-123456789abc', '56917181-deda-461b-bfbb-6f98b53095c1', '2026-12-02T03:24:37.123Z', 'dial 12345', 'ticket SR20250301-0042']) {
      expect(maskPhoneNumbers(kept)).toBe(kept);
    }
  });

  it('never writes a full number: by field, in the message, in errors, in nested objects and arrays', () => {
    const { log, lines } = capture();
    log.info({ caller: '13812345678', call: { callerNumber: '13987654321' } }, 'call started');
    log.warn('restriction lifted for 13512345678 by the supervisor');
    log.error({ err: new Error('sink answered 422: invalid mobile 13612345678') }, 'delivery failed');
    log.info({ reason: 'called 30 times, last from 13712345678', audit: { touched: [{ n: 15912345678 }] } }, 'flagged');
    const out = lines.join('\n');
    for (const whole of ['13812345678', '13987654321', '13512345678', '13612345678', '13712345678', '15912345678']) expect(out).not.toContain(whole);
    expect(out).toContain('138******78');
    expect(out).toContain('restriction lifted for 135******78');
    // Each line is still valid JSON (a number written bare became a string).
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[3]!).audit.touched[0].n).toBe('159******78');
  });
});

describe('parts of the service in logs', () => {
  it('writes one "part" key, the nested parts as a path', () => {
    const { log, lines } = capture();
    log.child({ part: 'ivr' }).child({ part: 'caller-restrictions' }).info('checked');
    expect(repeatedKey(lines[0]!)).toBeUndefined();
    expect(JSON.parse(lines[0]!).part).toBe('ivr/caller-restrictions');
    expect(mergeRepeatedParts('{"part":"a","x":1,"part":"b","part":"c"}')).toBe('{"part":"a/b/c","x":1}');
  });

  it('the scan catches a key written twice, and not the same key in different objects', () => {
    expect(repeatedKey('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}')).toBeUndefined();
    expect(repeatedKey('{"a":1,"b":2,"a":3}')).toBe('a');
    expect(repeatedKey('{"x":{"k":"{\\"k\\":1}","k":2}}')).toBe('k');
  });
});

describe('the scan of the test run\'s logs', () => {
  it('finds a whole mobile number, but not the digits inside a UUID', () => {
    expect(holdsWholeMobile('{"caller":"13812345678"}')).toBe(true);
    expect(holdsWholeMobile('{"msg":"tel:13812345678;x"}')).toBe(true);
    expect(holdsWholeMobile('{"caller":"138******78"}')).toBe(false);
    expect(holdsWholeMobile('{"callId":"6db303a1-1dc4-4206-9062-d17267684095"}')).toBe(false);
  });
});
