/**
 * The ACD: agents, skill queues and routing in Redis. Public face for the wiring and the HTTP routes.
 */
export { AcdConfigSchema, type AcdConfig, type AcdConfigInput, type QueueConfig, type WideningStep, type Overflow } from './config-schema.js';
export { checkAcdConfig, acdConfigFaults, type AcdFault } from './config-check.js';
export { applyAgentCommand, AGENT_STATE_KINDS, type AgentState, type AgentStateKind, type AgentCommand, type Refusal, type Transition } from './agent-state.js';
export { AgentId, AgentKind, NO_ANSWER_REASON, UNREACHABLE_REASON } from './ids.js';
export { ACD_ERRORS, AcdError, type AcdErrorCode } from './errors.js';
export { AgentStore, type AgentRecord, type AgentStoreOptions } from './agent-store.js';
export { AgentProfileSchema, type AgentProfile, type AgentProfileInput } from './agent-profile.js';
export { AGENT_STATE_CHANGED, type AgentStateChanged } from './agent-events.js';
export { CallQueue, type QueuedCall, type Dequeued, type CallKind } from './call-queue.js';
export { Router, type PickedCall } from './router.js';
export { routingRules, waitingOrder, type RoutingRule } from './routing-rules.js';
export { acdKeys, type AcdKeys } from './keys.js';
export { createAcdCore, type AcdCore, type AcdCoreOptions } from './acd-core.js';
export { createAcdMetrics, type AcdMetrics } from './metrics.js';
export { AcdEngine, type AcdEngineDeps, type ServeResult } from './engine/acd-engine.js';
export type { ServeRequest } from './engine/waiting-call-deps.js';
export { talkBridgeId } from './engine/offer-ids.js';
export { OfferHandOff, HAND_OFF_TIMEOUT_MS } from './engine/offer-handoff.js';
export { NodeApps } from './engine/node-apps.js';
export { placeOffer } from './engine/offerer.js';
export type { AcdStatsRecorder } from './ports/stats-recorder.js';
export type { CallbackScheduler, MissedCall, VirtualHoldRequest } from './ports/callback-scheduler.js';
export { AgentDesk } from './agent-desk.js';
export { AgentRosterStore, RosterProfileSchema, type RosterProfile } from './agent-roster.js';
export { sipCredentials, sipPassword, checkSipSecret, SipSettingsSchema, type SipCredentials, type SipSettings } from './sip-credentials.js';
export { redisWaitingCalls, type WaitingCalls } from './ports/waiting-calls.js';
export { createAcdStats, type AcdStats, type LiveSnapshot, type QueueFigures } from './stats/index.js';
export { createCallbackStore, createCallbackMetrics, callbacksConfigFaults, virtualHoldFor, dialString, type CallbackStore, type CallbacksConfig, type CallbackJob } from './callbacks/index.js';
export { Supervision } from './supervision/index.js';
export type { EmergencyDialer, DialledCentre } from './ports/emergency-dialer.js';
export type { EmergencyTransferResult } from './engine/third-party.js';
