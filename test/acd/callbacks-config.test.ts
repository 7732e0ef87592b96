import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CallbacksConfigSchema,
  VirtualHoldSchema,
  callbacksConfigFaults,
  dialString,
  dialableNumber,
  virtualHoldFor,
  view,
  type CallbacksConfigInput,
} from '../../src/acd/callbacks/index.js';

const hold = { offerPrompt: 'callback-offer', takenPrompt: 'callback-taken' };
const confirmNumber = { prompt: 'callback-confirm-number', enterPrompt: 'callback-enter-number' };
const hotline = (callbacks: CallbacksConfigInput, virtualHold?: unknown) => ({
  acd: {
    queues: { general: {}, leaders: {} },
    callbacks: CallbacksConfigSchema.parse(callbacks),
    virtualHold: virtualHold === undefined ? undefined : VirtualHoldSchema.parse(virtualHold),
  },
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
    expect(dialString(c, '13812345678')).toBe('PJSIP/13812345678@carrier');
  });

  it('refuses a trunk without {number}, a bad key, a missing prompt and hours that are not ranges', () => {
    const paths = (input: unknown) => CallbacksConfigSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ trunkEndpoint: 'PJSIP/carrier' })).toEqual(['trunkEndpoint']);
    expect(paths({ trunkEndpoint: 'PJSIP/{number}@{number}' })).toEqual(['trunkEndpoint']);
    expect(paths({ callingHours: { workingDays: ['20:00-09:00'] } })).toEqual(['callingHours.workingDays.0']);
    expect(paths({ maxConcurrent: 0 })).toEqual(['maxConcurrent']);
    const holdPaths = (input: unknown) => VirtualHoldSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(holdPaths({ ...hold, key: '12' })).toEqual(['key']);
    expect(holdPaths({ offerPrompt: 'callback-offer' })).toEqual(['takenPrompt']);
  });

  it('offers virtual hold only when configured, per queue over the global values', () => {
    const h = VirtualHoldSchema.parse({ ...hold, offerAfterSeconds: 90, queues: { leaders: { enabled: false }, general: { offerAfterSeconds: 30 } } });
    expect(virtualHoldFor(h, 'leaders')).toBeNull();
    expect(virtualHoldFor(h, 'general')).toEqual({ offerAfterSeconds: 30, key: '1' });
    expect(virtualHoldFor(h, 'other')).toEqual({ offerAfterSeconds: 90, key: '1' });
    expect(virtualHoldFor(undefined, 'general')).toBeNull();
  });

  it('finds no fault in a config that fits, and names the path of each that does not', () => {
    expect(callbacksConfigFaults(hotline({ callingHours: { schedule: 'day-shift' }, queue: 'general' }, { ...hold, confirmNumber }))).toEqual([]);
    expect(callbacksConfigFaults({})).toEqual([]);
    const faults = callbacksConfigFaults(
      hotline(
        { callingHours: { schedule: 'no-such' }, queue: 'tax' },
        { ...hold, key: '9', confirmNumber: { prompt: 'nothing-here', enterPrompt: 'callback-enter-number', confirmKey: '2', otherNumberKey: '2' }, queues: { nowhere: {} } },
      ),
    );
    expect(faults.map((f) => f.path.join('.'))).toEqual([
      'acd.callbacks.callingHours.schedule',
      'acd.callbacks.queue',
      'acd.virtualHold.queues.nowhere',
      'acd.virtualHold.confirmNumber.otherNumberKey',
      'acd.virtualHold.key',
      'acd.virtualHold.confirmNumber.prompt',
    ]);
    expect(callbacksConfigFaults(hotline({ callingHours: { schedule: 'never' } }))[0]?.message).toMatch(/never opens/);
    const noCalendar = { ...hotline({ callingHours: { schedule: 'day-shift' } }), calendar: undefined };
    expect(callbacksConfigFaults(noCalendar)[0]?.message).toMatch(/no calendar section/);
    const hashKey = callbacksConfigFaults(hotline({}, { ...hold, confirmNumber: { ...confirmNumber, otherNumberKey: '#' } }));
    expect(hashKey).toEqual([{ path: ['acd', 'virtualHold', 'confirmNumber', 'otherNumberKey'], message: expect.stringMatching(/ends the number/) }]);
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

/** The sections as the example hotline config is to write them, under `acd:`. */
const EXAMPLE = `
# Calling back (国办函〔2025〕66号: call back missed calls). Missed calls — hung up while
# queued, or called when closed — get one callback per number per calling day, inside the
# calling hours. Either way an agent is reserved first, then the citizen is called from
# 12345 over the carrier trunk.
callbacks:
  missedCalls: { enabled: true, priority: 0 }
  # A schedule of calendar.openingHours ({ schedule: day-shift }), or explicit ranges.
  callingHours: { workingDays: ["09:00-12:00", "14:00-20:00"], restDays: [] }
  maxConcurrent: 5
  maxAttempts: 3
  retryAfterMinutes: 30
  trunkEndpoint: "PJSIP/{number}@carrier"
  callerId: "12345"
  ringTimeoutSeconds: 30
# Virtual hold: a caller who has waited a minute may press 1, confirm the number (or key
# another) and hang up; called back when their turn comes, keeping their place.
virtualHold:
  offerAfterSeconds: 60
  key: "1"
  offerPrompt: callback-offer
  takenPrompt: callback-taken
  confirmNumber: { prompt: callback-confirm-number, enterPrompt: callback-enter-number, confirmKey: "1", otherNumberKey: "2" }
  queues:
    leaders: { enabled: false }
`;

describe('the example sections', () => {
  it('parse and fit a hotline with the queues and prompts they name', () => {
    const doc = parse(EXAMPLE) as { callbacks: CallbacksConfigInput; virtualHold: unknown };
    const config = hotline(doc.callbacks, doc.virtualHold);
    expect(config.acd.callbacks).toMatchObject({ maxConcurrent: 5, trunkEndpoint: 'PJSIP/{number}@carrier' });
    expect(config.acd.virtualHold).toMatchObject({ offerPrompt: 'callback-offer', queues: { leaders: { enabled: false } } });
    expect(callbacksConfigFaults(config)).toEqual([]);
  });
});
