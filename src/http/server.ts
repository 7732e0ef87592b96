/**
 * The HTTP face of the service (fastify): health, readiness, metrics, and the route
 * plugins of each feature. Bodies, params and queries are parsed with zod; a bad request
 * gets 400 with every reason, a store that does not answer 503, in one shape for the whole
 * API (see errors.ts). Operator routes share one per-address rate limit and one audit trail;
 * the OpenAPI document of them all is at GET /openapi.json (openapi.ts).
 */
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { addAuditTrail } from './audit.js';
import { HTTP_ERRORS, HttpProblem, type ProblemBody } from './errors.js';
import type { JwtSignIn } from './jwt-sign-in.js';
import { installOpenApi } from './openapi.js';
import { DEFAULT_OPERATOR_RATE_LIMIT, installOperatorRateLimit, type OperatorRateLimit } from './operator-rate-limit.js';
import { isStoreUnavailable } from './store-errors.js';

export interface HttpServerOptions {
  log: Logger;
  /** Feature route plugins, registered in order. */
  plugins: FastifyPluginAsync[];
  /** Largest request body accepted. */
  bodyLimit?: number;
  /** Per-address budget of the operator routes; DEFAULT_OPERATOR_RATE_LIMIT when absent. */
  operatorRateLimit?: OperatorRateLimit;
  /** Proxy addresses whose X-Forwarded-For is believed (fastify's trustProxy); none by default. */
  trustProxy?: string[];
  /** People's JWTs (identity provider, built-in users): installed before the routes that check them. */
  signIn?: JwtSignIn;
}

export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log.child({ part: 'http' }) as FastifyBaseLogger,
    // Per-request lines would drown the call logs; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    ...(options.trustProxy?.length ? { trustProxy: options.trustProxy } : {}),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
      }));
      const body: ProblemBody = {
        error_id: HTTP_ERRORS.badRequest.errorId,
        message: `invalid ${error.validationContext ?? 'request'}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
        details,
      };
      return reply.status(400).send(body);
    }
    if (error instanceof HttpProblem) {
      const body: ProblemBody = { error_id: error.spec.errorId, message: error.message };
      if (error.details !== undefined) body.details = error.details;
      if (error.spec.status >= 500) request.log.warn({ errorId: error.spec.errorId, why: error.message }, 'request not served');
      return reply.status(error.spec.status).send(body);
    }
    if (isStoreUnavailable(error)) {
      request.log.warn({ errorId: HTTP_ERRORS.storeUnavailable.errorId, why: (error as Error).message }, 'request not served');
      const { errorId, message, status } = HTTP_ERRORS.storeUnavailable;
      return reply.status(status).send({ error_id: errorId, message } satisfies ProblemBody);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // fastify's own refusals: unparseable JSON, body too large, wrong content type …
      return reply.status(status).send({ error_id: HTTP_ERRORS.badRequest.errorId, message: (error as Error).message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error_id: HTTP_ERRORS.internal.errorId, message: HTTP_ERRORS.internal.message });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error_id: HTTP_ERRORS.notFound.errorId, message: `no route ${request.method} ${request.url}` });
  });

  await installOperatorRateLimit(app, options.operatorRateLimit ?? DEFAULT_OPERATOR_RATE_LIMIT);
  await installOpenApi(app);
  await options.signIn?.install(app);
  addAuditTrail(app);
  // Once per server, before the routes: a registration per route plugin would route every upgrade twice.
  await app.register(websocket);
  for (const plugin of options.plugins) await app.register(plugin);
  return app;
}
