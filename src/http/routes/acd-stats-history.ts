/**
 * The live figures' history for the wallboards' chart and forecast:
 *   GET /acd/stats/history?hours=N   (supervisors) the samples of the last N hours, a sample
 *                                    per minute, oldest first, each with the calls that
 *                                    arrived since the one before
 * N is a whole number from 1 to the retention (acd.statsHistory.retentionHours); 4 when absent.
 * Minutes when no instance read the figures (Redis away, the service down) have no sample.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HISTORY_SLOT_MS, withArrivals, type AcdStats } from '../../acd/stats/index.js';
import { AgentFiguresSchema } from '../../acd/stats/snapshot-schema.js';
import type { ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

export interface AcdStatsHistoryRouteOptions {
  stats: Pick<AcdStats, 'history'>;
  auth: Pick<ApiAuth, 'require'>;
  now?: () => number;
}

const Count = z.number().int().min(0);
const Figure = z.number().min(0).nullable();
const FiguresSchema = z.object({
  waiting: Count,
  longestWaitSeconds: Count,
  offered: Count.describe('calls queued today so far'),
  answered: Count,
  abandoned: Count,
  serviceLevelPercent: Figure,
  abandonRatePercent: Figure,
  asaSeconds: Figure,
  ahtSeconds: Figure,
  agents: AgentFiguresSchema,
  arrivals: Count.nullable().describe('calls offered since the previous sample; null for the first'),
});
const HistorySchema = z.object({
  slotSeconds: z.number().int(),
  samples: z.array(
    z.object({
      at: z.number().int().describe('the minute, epoch ms'),
      readAt: z.number().int().describe('when the figures were read, epoch ms'),
      centre: FiguresSchema,
      queues: z.record(z.string(), FiguresSchema),
    }),
  ),
});

export function acdStatsHistoryRoutes(options: AcdStatsHistoryRouteOptions): FastifyPluginAsync {
  const { stats, auth, now = Date.now } = options;
  const maxHours = Math.max(1, Math.floor(stats.history.retentionMs / 3_600_000));
  const Query = z.object({
    hours: z.coerce.number().int(`hours: a whole number of hours`).min(1).max(maxHours, `hours: at most ${maxHours} (the history's retention)`).default(4),
  });
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/acd/stats/history',
      {
        onRequest: auth.require('supervisor'),
        config: { audit: 'acd.stats.history', errors: ['storeUnavailable'] },
        schema: { summary: 'The live figures, a sample per minute, of the last hours', querystring: Query, response: { 200: HistorySchema } },
      },
      async (request) => {
        const to = now();
        try {
          const samples = await stats.history.read(to - request.query.hours * 3_600_000, to);
          return { slotSeconds: HISTORY_SLOT_MS / 1000, samples: withArrivals(samples) };
        } catch (err) {
          request.log.warn({ err }, 'the figures\' history was not read');
          throw new HttpProblem(HTTP_ERRORS.storeUnavailable, 'the history could not be read from Redis; retry later');
        }
      },
    );
  };
}
