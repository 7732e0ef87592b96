/**
 * Two guards on swagger-client 2.0.26, the library ari-client loads the api-docs with.
 *
 * 1. Keeps a failed api-docs load from ending the process.
 *
 * ari-client loads Asterisk's api-docs with swagger-client 2.0.26 at connect. When a
 * document answers with an error status (401 for a wrong password, 404 or 503 while
 * Asterisk is still loading res_ari), swagger-client calls `SwaggerApi.prototype.fail`,
 * which reports to ari-client (whose connect promise rejects) and then *throws* the message
 * string, from inside an HTTP response handler: an uncaught exception.
 *
 * The guard replaces `fail` with one that reports and returns. The rejection still reaches
 * ari-client, hence the adapter, which logs it and tries again later. Any later success of
 * the half-loaded api is ignored, since ari-client's promise has already settled.
 *
 * 2. Keeps its chatter out of stdout and memory. swagger-client defines an implicit global
 *    `log` that console.logs an array ("This API is using a deprecated version of
 *    Swagger!") on every connect, a non-JSON line in the service's JSON log stream, and
 *    pushes every message into `log.history`, which is never emptied. It is replaced by one
 *    that hands the text to the adapter's logger at debug level and keeps nothing.
 *
 * swagger-client is reached through ari-client's own resolution, so the instance patched is
 * the one ari-client uses; it is not a dependency of the service in its own right.
 */
import { createRequire } from 'node:module';

interface SwaggerApiPrototype {
  fail(this: { failure(message: unknown): void }, message: unknown): void;
  /** Marks the prototype as already guarded (the guard runs before every connect). */
  hotlineFailGuard?: true;
}

type DebugSink = (text: string) => void;

let debugSink: DebugSink = () => {};

/** Installs both guards (idempotent); swagger-client's messages go to `debug`. */
export function guardSwagger(debug: DebugSink): void {
  debugSink = debug;
  const require = createRequire(import.meta.url);
  const fromAriClient = createRequire(require.resolve('ari-client'));
  const swagger = fromAriClient('swagger-client') as { SwaggerApi?: { prototype: SwaggerApiPrototype } };
  // Loading swagger-client (above) is what defines the global; replace it after.
  const globals = globalThis as { log?: unknown };
  if (typeof globals.log === 'function' && !(globals.log as { hotlineQuiet?: true }).hotlineQuiet) {
    globals.log = Object.assign((...args: unknown[]) => debugSink(args.map(String).join(' ')), { hotlineQuiet: true as const });
  }
  const proto = swagger.SwaggerApi?.prototype;
  if (!proto || proto.hotlineFailGuard) return;
  proto.fail = function fail(message: unknown): void {
    this.failure(message);
  };
  proto.hotlineFailGuard = true;
}
