/**
 * Missed-call and virtual-hold callbacks: when to call back, once per number per calling day,
 * and the durable jobs every instance shares. The dialer (reserve an agent, then call the
 * citizen from the hotline's number) is the ACD engine's; it claims, renews and finishes jobs here.
 */
export {
  CallbacksConfigSchema,
  CallingHoursSchema,
  VirtualHoldSchema,
  TrunkEndpoint,
  virtualHoldFor,
  dialString,
  type CallbacksConfig,
  type CallbacksConfigInput,
  type CallingHours,
  type VirtualHoldConfig,
} from './config-schema.js';
export { callbacksConfigFaults, type CallbacksFault, type HotlineForCallbacksCheck } from './config-check.js';
export { nextCallingInstant, insideCallingHours, resolveCallingHours, instantOf, msUntilEndOf } from '../../calendar/index.js';
export {
  afterAttempt,
  dialableNumber,
  view,
  type AttemptOutcome,
  type AttemptRecord,
  type CallbackJob,
  type CallbackJobView,
  type CallbackKind,
  type FinalOutcome,
  type JobState,
  type MissedReason,
  type RetryPolicy,
  type AfterAttempt,
} from './callback-job.js';
export { CallbackStore, type SatisfactionCallbackRequest, type MissedCall, type VirtualHoldRequest, type ScheduleResult, type FinishResult, type ClaimResult, type CallbackStoreOptions } from './callback-store.js';
export { callbackKeys, type CallbackKeys } from './keys.js';
export { createCallbackStore, type CallbackStoreFactoryOptions } from './create-callback-store.js';
export { createCallbackMetrics, type CallbackMetrics } from './metrics.js';
