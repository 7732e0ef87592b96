/**
 * Supervisors listening to, whispering to and barging into agents' live calls over ARI
 * snoop channels. Public face for the wiring and the HTTP routes.
 */
export { Supervision, type SupervisionDeps, type SupervisionChannels, type SupervisionActor, type StartSupervision, type SupervisionEndReason } from './supervision.js';
export { SUPERVISION_ERRORS, SupervisionError, type SupervisionErrorCode } from './errors.js';
export { SUPERVISION_MODES, SUPERVISION_CHANNEL_PREFIX, snoopFor, snoopChannelId, supervisionIds, parseSupervisionChannel, type SupervisionMode } from './plan.js';
export { type SupervisionRecord, type SupervisionPhase } from './supervision-store.js';
