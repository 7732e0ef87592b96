/**
 * The ACD: agents, skill queues and routing in Redis. Public face for the wiring and the HTTP routes.
 */
export { AcdConfigSchema, type AcdConfig, type AcdConfigInput, type QueueConfig, type WideningStep, type Overflow } from './config-schema.js';
export { checkAcdConfig, acdConfigFaults, type AcdFault } from './config-check.js';
export { applyAgentCommand, AGENT_STATE_KINDS, type AgentState, type AgentStateKind, type AgentCommand, type Refusal, type Transition } from './agent-state.js';
export { AgentKind, NO_ANSWER_REASON } from './ids.js';
export { ACD_ERRORS, AcdError, type AcdErrorCode } from './errors.js';
