/**
 * The public face of the ARI layer: the port other folders code against, its events and
 * errors, and the factory that connects it to Asterisk (or the simulator) over ari-client.
 */
export type {
  AriPort, BridgeOptions, ConnectionState, DialplanTarget, HangupReason, MediaTarget, OriginateOptions,
  PlayOptions, RecordOptions, SnoopOptions,
} from './port.js';
export {
  AriEventSchema, channelIdOf, handledEventTypes, parseAriEvent,
  type AriEvent, type AriEventOf, type AriEventType, type ParsedEvent,
} from './events.js';
export * from './resources.js';
export { AriError, isAriError, isGone, type AriErrorCode } from './errors.js';
export { AriClientAdapter, createAriPort, type AriAdapterOptions } from './ari-client-adapter.js';
export { appHolder, type AppHolder } from './app-holder.js';
