/**
 * Supervisors listening to, whispering to and barging into agents' live calls over ARI
 * snoop channels. Public face for the wiring and the HTTP routes.
 */
export { Supervision } from './supervision.js';
export type { SupervisionDeps, SupervisionChannels, SupervisionActor, StartSupervision, SupervisionEndReason } from './supervision-deps.js';
export { SUPERVISION_ERRORS, SupervisionError, type SupervisionErrorCode } from './errors.js';
export { SUPERVISION_MODES, SUPERVISION_CHANNEL_PREFIX, snoopFor, snoopChannelId, supervisionIds, parseSupervisionChannel, type SupervisionMode } from './plan.js';
export { type SupervisionRecord, type SupervisionPhase } from './supervision-store.js';
