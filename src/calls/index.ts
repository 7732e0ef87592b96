/**
 * Calls: the public face. One CallSession per call (lifecycle, record, domain events), the
 * registry that dispatches ARI events to sessions and re-adopts calls after a restart, the
 * contract a flow (the IVR, later the ACD) implements, and the domain event bus.
 * The calls depend on no feature: features depend on them.
 */
export type { AdoptedCall, CallContext, CallFlow, CallFlowFactory, FlowResult, PlayEnd, PlayOptions } from './ports/call-flow.js';
export type { AgentStateName, CallOutcome, SurveyRating, SurveyResultData, DomainEvent, DomainEventOf, DomainEventPayloads, DomainEventType } from './domain-events.js';
export type { CallPathStep, CallPhases, CallQueueNote, CallRecord, CallTransferNote, EmergencyReceipt } from './call-record.js';
export { DomainEventBus } from './event-bus.js';
export { CallRegistry, type CallRegistryDeps, type RoleHandler, type ChannelWatcher } from './call-registry.js';
export { LiveCallStore, type LiveCallStoreOptions } from './live-call-store.js';
export { PromptCatalog } from './prompt-catalog.js';
export { welcomeFlow } from './welcome-flow.js';
export { registerCallMetrics } from './metrics.js';
export { callKeys, type CallKeys } from './keys.js';
export { ChannelLostError, isChannelLost, UnknownPromptError } from './errors.js';
export { causeText, unansweredOutcome } from './hangup-causes.js';
export { TrunkEndpoint, dialString, dialableNumber } from './dial-string.js';
export {
  CallsSchema,
  HotlineSectionSchema,
  PromptsSchema,
  callsConfigFaults,
  type CallsConfig,
  type CallsConfigView,
  type HotlineSection,
  type PromptsConfig,
} from './config-schema.js';
export { unseenEndEventId } from './unseen-ends.js';
