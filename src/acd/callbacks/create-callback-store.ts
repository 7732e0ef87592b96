/**
 * Builds the callback store from the hotline config: the `acd.callbacks` section, the
 * calendar (working days, holidays, make-up days; Monday–Friday when the config has none)
 * and the Redis connection the ACD shares across instances.
 */
import type { Redis } from 'ioredis';
import { CalendarConfigSchema, WorkingDayCalendar, type CalendarConfig } from '../../calendar/index.js';
import { CallbackStore } from './callback-store.js';
import { CallbacksConfigSchema, type CallbacksConfig, type CallbacksConfigInput } from './config-schema.js';
import { callbackKeys } from './keys.js';
import type { CallbackMetrics } from './metrics.js';
import { resolveCallingHours } from '../../calendar/index.js';

export interface CallbackStoreFactoryOptions {
  redis: Redis;
  keyPrefix: string;
  /** `acd.callbacks`, parsed or raw (defaults filled here). */
  config: CallbacksConfig | CallbacksConfigInput | undefined;
  calendar: CalendarConfig | undefined;
  metrics?: CallbackMetrics;
}

export function createCallbackStore(options: CallbackStoreFactoryOptions): CallbackStore {
  const config = CallbacksConfigSchema.parse(options.config ?? {});
  const calendarConfig = options.calendar ?? CalendarConfigSchema.parse({});
  const callingHours = resolveCallingHours(config.callingHours, calendarConfig);
  // The config check reports this with its path at start-up; reaching here without it is a wiring fault.
  if (!callingHours) throw new Error(`acd.callbacks.callingHours names a schedule the calendar does not have`);
  return new CallbackStore({
    redis: options.redis,
    keys: callbackKeys(options.keyPrefix),
    config,
    calendar: new WorkingDayCalendar(calendarConfig),
    callingHours,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
}
