/**
 * The slice of ari-client 2.2.0 (a CommonJS package without types) that the adapter uses.
 * Only `ari-client-adapter.ts` and its helpers in this folder may import it.
 *
 * Operations are typed loosely on purpose: every result is parsed with zod by the adapter,
 * so nothing here is trusted. The underscore members are ari-client internals the adapter
 * reaches into to guard its known faults (see ws-guard.ts and rest-call.ts).
 */
declare module 'ari-client' {
  import type { EventEmitter } from 'node:events';

  /** One REST operation as ari-client attaches it: `client.channels.answer({ channelId })`. */
  export type AriOperation = (params?: Record<string, unknown>) => PromiseLike<unknown>;
  export type AriResourceApi = Record<string, AriOperation>;

  /** A swagger-client 2.0.26 operation function: `(args, onSuccess, onError) => unknown`. */
  export type SwaggerOperationFn = (
    args: unknown,
    onSuccess: (response: unknown) => void,
    onError: (response: unknown) => void,
  ) => unknown;

  export interface SwaggerResource {
    operations: Record<string, unknown>;
    /** Where the resource's requests go, as the api-docs give it (e.g. `http://asterisk:8088/ari`). */
    basePath?: string;
    /** The `events` resource's event models, by event type. */
    models?: Record<string, unknown>;
    [operation: string]: unknown;
  }

  export interface AriClient extends EventEmitter {
    start(apps: string | string[], subscribeAll?: boolean): PromiseLike<void>;
    stop(): void;
    channels: AriResourceApi;
    bridges: AriResourceApi;
    playbacks: AriResourceApi;
    recordings: AriResourceApi;
    applications: AriResourceApi;
    asterisk: AriResourceApi;
    /** ari-client's registry of per-instance listeners (`channel.on(...)`): never pruned. */
    _instanceListeners: Record<string, unknown[]>;
    _swagger: { apis: Record<string, SwaggerResource> };
    _ws?: unknown;
    _wsClosed?: boolean;
  }

  export function connect(url: string, user: string, pass: string): PromiseLike<AriClient>;

  const ari: { connect: typeof connect };
  export default ari;
}
