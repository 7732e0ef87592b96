/**
 * The IVR: the 12345 menu as configuration. Public face for the wiring and the HTTP routes.
 */
export { createIvrFlowFactory, createIvrServices, buildEngineProgram } from './flow-factory.js';
export type { IvrConfigView, IvrFlowFactoryDeps, IvrServices, IvrServicesDeps } from './flow-factory.js';
export { createDialplanHandoff, type DialplanHandoffOptions } from './dialplan-handoff.js';
export { IvrConfigSchema, type IvrConfig, type IvrNode } from './config-schema.js';
export { checkIvrConfig, ivrConfigFaults, type IvrFault } from './config-check.js';
export { findMissingSounds, reportMissingSounds, type MissingSound } from './prompt-files.js';
export { MenuEngine, type EngineProgram } from './engine/menu-engine.js';
export type { Command, EngineEvent, StartInput, CallerClass } from './engine/commands.js';
export type { IvrPorts, QueuePort, QueueRequest, EmergencyPort, CallbackRequestPort, NumberTransferPort } from './ports/handoff.js';
export { AFTER_FAILED_EMERGENCY_PRIORITY } from './ports/handoff.js';
export type { TicketStatus, TicketState, TicketStatusLookup } from './ports/ticket-status.js';
export { PriorityCallerStore, type PriorityCallerEntry } from './callers/priority-callers.js';
export { CallerRestrictionStore, type Restriction, type RestrictionLogEntry } from './callers/caller-restrictions.js';
export { normaliseNumber, isCallerNumber, CallerNumberSchema } from './callers/phone-number.js';
export { ivrKeys, type IvrKeys, type Keyspace } from './keys.js';
export { IvrMenuMissingError } from './errors.js';
export { createIvrMetrics, type IvrMetrics } from './metrics.js';
