/**
 * Liveness, readiness and metrics.
 *   /healthz  the process answers (for a restart decision)
 *   /readyz   ARI connected, Redis answering, not draining (for taking traffic)
 *   /metrics  Prometheus text format
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AriPort } from '../../ari/port.js';
import { redisAnswers } from '../../redis/connection.js';

export interface HealthDeps {
  ari: Pick<AriPort, 'isConnected'>;
  redis: Redis;
  metrics: Registry;
  isDraining(): boolean;
}

export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_request, reply) => {
      const checks = {
        ari: deps.ari.isConnected(),
        redis: await redisAnswers(deps.redis, 1000),
        accepting: !deps.isDraining(),
      };
      const ready = checks.ari && checks.redis && checks.accepting;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
    });

    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', deps.metrics.contentType);
      return deps.metrics.metrics();
    });
  };
}
