/**
 * One per-address request budget for all operator routes (@fastify/rate-limit, its in-memory
 * store): a client over `max` requests in `timeWindowMs` gets 429 `too-many-requests` with
 * Retry-After, before its token is even looked at. It protects the API and bounds what a
 * flood of bad tokens can cost. The budget is per service instance; behind a reverse proxy
 * set fastify's trustProxy, or every operator shares the proxy's address.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_ERRORS, HttpProblem } from './errors.js';

export interface OperatorRateLimit {
  max: number;
  timeWindowMs: number;
}

/** Generous for people at a desk (a supervisor page polling every few seconds), tight for a script. */
export const DEFAULT_OPERATOR_RATE_LIMIT: OperatorRateLimit = { max: 300, timeWindowMs: 60_000 };

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts an operator request against its address's budget (see operator-rate-limit.ts). */
    operatorRateLimit: Limiter;
  }
}

export async function installOperatorRateLimit(app: FastifyInstance, settings: OperatorRateLimit): Promise<void> {
  // global: false — only what calls the limiter is counted (health probes and the webhook are not).
  await app.register(rateLimit, { global: false });
  app.decorate('operatorRateLimit', app.createRateLimit({ max: settings.max, timeWindow: settings.timeWindowMs }));
}

/** Throws 429 when this request's address is over its budget. */
export async function enforceOperatorRateLimit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const verdict = await request.server.operatorRateLimit(request);
  if (verdict.isAllowed || !verdict.isExceeded) return;
  reply.header('retry-after', verdict.ttlInSeconds);
  throw new HttpProblem(HTTP_ERRORS.tooManyRequests, `more than ${verdict.max} requests in ${verdict.timeWindow / 1000} s from this address; retry in ${verdict.ttlInSeconds} s`);
}
