/** The public face of the app lease: hot standby on one Stasis app name per slot. */
export { AppLease, type ClaimAnswer } from './app-lease.js';
export { AppSlot, type AppSlotDeps } from './app-slot.js';
export { slotStep, stepWithoutRedis, type AppAnswer, type SlotRole, type SlotStep } from './slot-decision.js';
export { appLeaseKeys, type AppLeaseKeys } from './keys.js';
export { createAppSlotMetric } from './metrics.js';
