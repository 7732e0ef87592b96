/** The agent desktop's screen pop: config, the pure assembly of what an actor sees, and the caller look-ups. */
export { ScreenPopConfigSchema, type ScreenPopConfig } from './config-schema.js';
export { agentPhoneCallerId, assembleScreenPop, seesWholeNumber, type CallerFacts, type LookupOutcome, type PoppedCall, type ScreenPopView } from './screen-pop.js';
export { lookUpCaller, type FactsOutcome } from './caller-facts.js';
export type { CallerLookups, CallerOpenTicket } from '../ports/caller-lookups.js';
export type { CallRecordReader } from '../ports/call-records.js';
