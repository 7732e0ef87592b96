import { describe, expect, it } from 'vitest';
import { CallerNumberSchema, isCallerNumber, normaliseNumber } from '../../src/ivr/index.js';

describe('caller numbers', () => {
  it.each([
    ['13912345678', '13912345678'],
    ['+86 139-1234-5678', '13912345678'],
    ['008613912345678', '13912345678'],
    ['8613912345678', '13912345678'],
    ['013912345678', '13912345678'],
    ['057187654321', '057187654321'],
    ['12345', '12345'],
  ])('%s → %s', (raw, normalised) => {
    expect(normaliseNumber(raw)).toBe(normalised);
  });

  it('refuses what cannot be a number', () => {
    expect(isCallerNumber('12ab')).toBe(false);
    expect(isCallerNumber('')).toBe(false);
    expect(CallerNumberSchema.safeParse('1'.repeat(40)).success).toBe(false);
    expect(CallerNumberSchema.parse('+8613912345678')).toBe('13912345678');
  });
});
