/**
 * GET /webcall/settings — public (no sign-in: a citizen opens the page): where the web-call
 * page connects and what it calls (the config's `webCall`), or `{ enabled: false }` when web
 * calling is not configured or switched off, which the page says plainly. It hands out the
 * web callers' endpoint password, which is public by design (src/webcall/config-schema.ts).
 * Counted against the operator routes' per-address budget (429 beyond it), as /auth/token.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { enforceOperatorRateLimit } from '../operator-rate-limit.js';
import { webCallSettings, type WebCallConfig } from '../../webcall/index.js';

const SettingsView = z.union([
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    wsServer: z.string(),
    target: z.string(),
    uri: z.string(),
    authorizationUsername: z.string(),
    password: z.string(),
    iceServers: z.array(z.looseObject({ urls: z.union([z.string(), z.array(z.string())]) })),
  }),
]);

export function webCallSettingsRoutes(config: WebCallConfig | undefined): FastifyPluginAsync {
  const settings = webCallSettings(config);
  return async (app) => {
    app.addHook('onRequest', enforceOperatorRateLimit);
    app.withTypeProvider<ZodTypeProvider>().get(
      '/webcall/settings',
      { schema: { summary: "The citizens' web-call page's settings (public)", response: { 200: SettingsView } }, config: { errors: ['tooManyRequests'] } },
      async (_request, reply) => {
        // A config change shows at the next page load.
        reply.header('cache-control', 'no-store');
        return settings;
      },
    );
  };
}
