/**
 * The OpenAPI 3.1 document of the HTTP API, served at `GET /openapi.json` (@fastify/swagger,
 * from the routes' zod schemas). Registered before the routes, so it sees every one.
 *
 * Each operator route (one with an audit action, behind ApiAuth's guard) is documented with
 * the bearer security scheme and the answers every guarded route can give (401, 403, 429,
 * 503, and 400 when it takes input), plus those its `config.errors` names (404, 409 …).
 * Every error answer has the one shape of errors.ts: `{ error_id, message, details? }`.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { HTTP_ERRORS, type ErrorSpec } from './errors.js';

export type HttpErrorName = keyof typeof HTTP_ERRORS;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Errors a route answers beyond those of its guard and its input (for the OpenAPI document). */
    errors?: HttpErrorName[];
  }
}

export const OPENAPI_PATH = '/openapi.json';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['error_id', 'message'],
  properties: {
    error_id: { type: 'string', description: 'what went wrong, for programs (e.g. unauthorized, token-expired, not-found)' },
    message: { type: 'string', description: 'what went wrong, for people' },
    details: { description: 'the reasons of a 400: one entry per invalid field' },
  },
};

/** The answers any request behind the operator guard can get. */
const GUARD_ERRORS: HttpErrorName[] = ['unauthorized', 'forbidden', 'tooManyRequests', 'storeUnavailable'];

type Transformed = ReturnType<typeof jsonSchemaTransform>;
type RouteDoc = { config?: { audit?: string; errors?: HttpErrorName[] } };

function describeErrors(specs: ErrorSpec[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const spec of specs) byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), spec]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: list.map((s) => `\`${s.errorId}\`: ${s.message}`).join('; '), ...PROBLEM_SCHEMA },
    ]),
  );
}

function withErrors(transformed: Transformed, route: RouteDoc): Transformed {
  const schema = { ...(transformed.schema ?? {}) } as Record<string, unknown>;
  const guarded = Boolean(route.config?.audit);
  const takesInput = ['body', 'params', 'querystring'].some((part) => schema[part] !== undefined);
  const names = new Set<HttpErrorName>([...(guarded ? GUARD_ERRORS : []), ...(takesInput ? (['badRequest'] as const) : []), ...(route.config?.errors ?? [])]);
  if (names.size === 0) return transformed;
  schema.response = { ...describeErrors([...names].map((n) => HTTP_ERRORS[n])), ...(schema.response as object | undefined) };
  if (guarded) schema.security = [{ bearer: [] }];
  return { ...transformed, schema: schema as Transformed['schema'] };
}

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '12345 hotline telephony: operator API',
        version: '1',
        description:
          'Operator routes take `Authorization: Bearer <token>`: a static API token (machines), a JWT of the ' +
          "centre's identity provider, or a token from `POST /auth/token` (built-in users). Errors share one shape, " +
          '`{ error_id, message, details? }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: (document) => {
      if (document.url === OPENAPI_PATH) return { schema: { ...document.schema, hide: true }, url: document.url };
      return withErrors(jsonSchemaTransform(document), document.route as RouteDoc);
    },
  });
  app.get(OPENAPI_PATH, async () => app.swagger());
}
