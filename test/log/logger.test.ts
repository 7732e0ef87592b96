import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { maskNumber } from '../../src/log/mask.js';

describe('phone numbers in logs', () => {
  it('masks all but the first three and last two digits', () => {
    expect(maskNumber('13812345678')).toBe('138******78');
    expect(maskNumber('12345')).toBe('12345');
    expect(maskNumber(42)).toBe(42);
  });

  it('never writes a full caller number', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ caller: '13812345678', call: { callerNumber: '13987654321' } }, 'call started');
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('13987654321');
    expect(out).toContain('138******78');
  });
});
