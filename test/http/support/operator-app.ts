/**
 * The IVR's operator routes (priority callers, caller restrictions) on a real HTTP server
 * over the run's Redis, behind the real token guard, with every log line kept for reading.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiAuth, type ApiAuthOptions } from '../../../src/http/auth.js';
import { authTokenRoutes } from '../../../src/http/routes/auth-token.js';
import { callerRestrictionRoutes } from '../../../src/http/routes/caller-restrictions.js';
import { priorityCallerRoutes } from '../../../src/http/routes/priority-callers.js';
import { buildHttpServer } from '../../../src/http/server.js';
import type { OperatorRateLimit } from '../../../src/http/operator-rate-limit.js';
import type { UserDirectory } from '../../../src/auth/index.js';
import type { JwtSignIn } from '../../../src/http/jwt-sign-in.js';
import type { Logger } from '../../../src/log/logger.js';
import { createIvrServices, type IvrServices } from '../../../src/ivr/index.js';
import { keyspace } from '../../../src/redis/connection.js';
import { exampleConfig } from '../../ivr/support/example-config.js';
import { createTestLogger } from '../../support/test-logger.js';

export const SUPERVISOR_TOKEN = 'ops-desk-token-00000001';
export const ADMIN_TOKEN = 'root-token-000000000001';
export const asSupervisor = { authorization: `Bearer ${SUPERVISOR_TOKEN}` };

export type LogLine = Record<string, unknown> & { msg: string };

export interface OperatorApp {
  app: FastifyInstance;
  services: IvrServices;
  keyPrefix: string;
  /** Every line logged so far, parsed. */
  lines: LogLine[];
}

export async function startOperatorApp(
  redis: Redis,
  /** `signIn`: people's JWTs too, and POST /auth/token when it has users (made with the app's logger). */
  options: { rateLimit?: OperatorRateLimit; auth?: ApiAuthOptions; signIn?: (log: Logger) => { signIn: JwtSignIn; users: UserDirectory } } = {},
): Promise<OperatorApp> {
  const lines: LogLine[] = [];
  const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }, level: 'debug' });
  const config = exampleConfig();
  const keyPrefix = `test:operator-http:${randomUUID()}:`;
  const services = createIvrServices({ config, redis, keyspace: keyspace(keyPrefix), log });
  const people = options.signIn?.(log);
  const auth = new ApiAuth(
    [
      { name: 'ops-desk', role: 'supervisor', token: SUPERVISOR_TOKEN },
      { name: 'root', role: 'admin', token: ADMIN_TOKEN },
    ],
    log,
    { ...options.auth, signIn: people?.signIn },
  );
  const guard = auth.require('supervisor');
  const hotlineNumbers = config.hotline.numbers.map((n) => n.number);
  const app = await buildHttpServer({
    log,
    operatorRateLimit: options.rateLimit,
    signIn: people?.signIn,
    plugins: [
      ...(people?.signIn.issuesUserTokens ? [authTokenRoutes(people)] : []),
      priorityCallerRoutes({ store: services.priorityCallers, hotlineNumbers, guard }),
      callerRestrictionRoutes({ store: services.restrictions, maxMinutes: services.ivr.restriction.maxFlagMinutes, hotlineNumbers, guard }),
    ],
  });
  app.addHook('onClose', async () => auth.flush());
  return { app, services, keyPrefix, lines };
}
