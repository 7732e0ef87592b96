import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CallbacksConfigSchema, callbacksConfigFaults, dialString, dialableNumber, virtualHoldFor, view, type CallbacksConfigInput } from '../../src/acd/callbacks/index.js';

const hold = { offerPrompt: 'callback-offer', takenPrompt: 'callback-taken' };
const hotline = (callbacks: CallbacksConfigInput) => ({
  acd: { queues: { general: {}, leaders: {} }, callbacks: CallbacksConfigSchema.parse(callbacks) },
  calendar: { openingHours: { 'day-shift': { workingDays: ['07:00-22:00'], restDays: [] }, never: { workingDays: [], restDays: [] } } },
  prompts: { sounds: { 'callback-offer': {}, 'callback-confirm-number': {}, 'callback-enter-number': {}, 'callback-taken': {} } },
  ivr: { emergency: { key: '9' } },
});

describe('the callbacks config', () => {
  it('has defaults: missed calls on, 12345 shown, the carrier trunk, working-day hours outside lunch', () => {
    const c = CallbacksConfigSchema.parse({});
    expect(c).toMatchObject({
      missedCalls: { enabled: true, priority: 0 },
      callingHours: { workingDays: ['09:00-12:00', '14:00-20:00'], restDays: [] },
      maxConcurrent: 5,
      maxAttempts: 3,
      retryAfterMinutes: 30,
      callerId: '12345',
      trunkEndpoint: 'PJSIP/{number}@carrier',
    });
    expect(c.virtualHold).toBeUndefined();
    expect(dialString(c, '13812345678')).toBe('PJSIP/13812345678@carrier');
  });

  it('refuses a trunk without {number}, a bad key and hours that are not ranges', () => {
    const paths = (input: unknown) => CallbacksConfigSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ trunkEndpoint: 'PJSIP/carrier' })).toEqual(['trunkEndpoint']);
    expect(paths({ trunkEndpoint: 'PJSIP/{number}@{number}' })).toEqual(['trunkEndpoint']);
    expect(paths({ virtualHold: { key: '12', offerPrompt: 'callback-offer', takenPrompt: 'callback-taken' } })).toEqual(['virtualHold.key']);
    expect(paths({ virtualHold: { offerPrompt: 'callback-offer' } })).toEqual(['virtualHold.takenPrompt']);
    expect(paths({ callingHours: { workingDays: ['20:00-09:00'] } })).toEqual(['callingHours.workingDays.0']);
    expect(paths({ maxConcurrent: 0 })).toEqual(['maxConcurrent']);
  });

  it('offers virtual hold only when configured, per queue over the global values', () => {
    const c = CallbacksConfigSchema.parse({ virtualHold: { ...hold, offerAfterSeconds: 90, queues: { leaders: { enabled: false }, general: { offerAfterSeconds: 30 } } } });
    expect(virtualHoldFor(c, 'leaders')).toBeNull();
    expect(virtualHoldFor(c, 'general')).toEqual({ offerAfterSeconds: 30, key: '1' });
    expect(virtualHoldFor(c, 'other')).toEqual({ offerAfterSeconds: 90, key: '1' });
    expect(virtualHoldFor(CallbacksConfigSchema.parse({}), 'general')).toBeNull();
  });

  it('finds no fault in a config that fits, and names the path of each that does not', () => {
    const confirmNumber = { prompt: 'callback-confirm-number', enterPrompt: 'callback-enter-number' };
    expect(callbacksConfigFaults(hotline({ callingHours: { schedule: 'day-shift' }, queue: 'general', virtualHold: { ...hold, confirmNumber } }))).toEqual([]);
    expect(callbacksConfigFaults({})).toEqual([]);
    const faults = callbacksConfigFaults(
      hotline({
        callingHours: { schedule: 'no-such' },
        queue: 'tax',
        virtualHold: {
          key: '9',
          offerPrompt: 'nothing-here',
          takenPrompt: 'callback-taken',
          confirmNumber: { prompt: 'callback-confirm-number', enterPrompt: 'callback-enter-number', confirmKey: '2', otherNumberKey: '2' },
          queues: { nowhere: {} },
        },
      }),
    );
    expect(faults.map((f) => f.path.join('.'))).toEqual([
      'acd.callbacks.callingHours.schedule',
      'acd.callbacks.queue',
      'acd.callbacks.virtualHold.queues.nowhere',
      'acd.callbacks.virtualHold.confirmNumber.otherNumberKey',
      'acd.callbacks.virtualHold.key',
      'acd.callbacks.virtualHold.offerPrompt',
    ]);
    expect(callbacksConfigFaults(hotline({ callingHours: { schedule: 'never' } }))[0]?.message).toMatch(/never opens/);
    const noCalendar = { ...hotline({ callingHours: { schedule: 'day-shift' } }), calendar: undefined };
    expect(callbacksConfigFaults(noCalendar)[0]?.message).toMatch(/no calendar section/);
  });
});

describe('numbers', () => {
  it('dials digits only, at least a local fixed line, and masks them in views', () => {
    expect(dialableNumber('138 1234-5678')).toBe('13812345678');
    expect(dialableNumber('+8613812345678')).toBe('+8613812345678');
    expect(dialableNumber('anonymous')).toBeNull();
    expect(dialableNumber('12345')).toBeNull();
    expect(dialableNumber(undefined)).toBeNull();
    const job = { number: '13812345678' } as Parameters<typeof view>[0];
    expect(view(job).number).toBe('138******78');
  });
});

/** The section as the example hotline config is to write it, under `acd:`. */
const EXAMPLE = `
  # Calling back (国办函〔2025〕66号: call back missed calls). Missed calls — hung up while
  # queued, or called when closed — get one callback per number per calling day, inside the
  # calling hours; virtual hold lets a caller who has waited hang up and be called back
  # keeping their place. Either way an agent is reserved first, then the citizen is called
  # from 12345 over the carrier trunk.
  callbacks:
    missedCalls: { enabled: true, priority: 0 }
    # A schedule of calendar.openingHours, or explicit ranges: { workingDays: [...], restDays: [] }.
    callingHours: { workingDays: ["09:00-12:00", "14:00-20:00"], restDays: [] }
    maxConcurrent: 5
    maxAttempts: 3
    retryAfterMinutes: 30
    trunkEndpoint: "PJSIP/{number}@carrier"
    callerId: "12345"
    ringTimeoutSeconds: 30
    virtualHold:
      offerAfterSeconds: 60
      key: "1"
      offerPrompt: callback-offer
      takenPrompt: callback-taken
      confirmNumber: { prompt: callback-confirm-number, enterPrompt: callback-enter-number, confirmKey: "1", otherNumberKey: "2" }
      queues:
        leaders: { enabled: false }
`;

describe('the example section', () => {
  it('parses and fits a hotline with the queues and prompts it names', () => {
    const callbacks = CallbacksConfigSchema.parse((parse(EXAMPLE) as { callbacks: unknown }).callbacks);
    expect(callbacks).toMatchObject({ maxConcurrent: 5, trunkEndpoint: 'PJSIP/{number}@carrier', virtualHold: { offerPrompt: 'callback-offer' } });
    expect(callbacksConfigFaults({ ...hotline({}), acd: { queues: { general: {}, leaders: {} }, callbacks } })).toEqual([]);
  });
});
