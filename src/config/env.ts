/**
 * The environment the service runs in. Parsed once at start; a bad value stops the start
 * with the variable's name and the reason.
 */
import { z } from 'zod';
import { ApiTokensSchema } from './api-tokens.js';
import { ConfigError, faultsFromZod } from './config-error.js';
import { RedisUrlSchema } from '../redis/redis-address.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const EnvSchema = z
  .object({
    /** Base URL of Asterisk's HTTP server, e.g. http://asterisk:8088. Required by `npm start`; the demo runs its simulator instead. */
    ARI_URL: z.url({ protocol: /^https?$/ }).optional(),
    ARI_USERNAME: z.string().min(1).default('hotline'),
    ARI_PASSWORD: z.string().min(1).optional(),
    ARI_APP: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('hotline'),
    /** Every ARI request settles within this many ms (ari-client alone never settles while Asterisk is down). */
    ARI_REQUEST_TIMEOUT_MS: positiveInt.default(5000),
    /** Upper bound of the reconnect backoff once ari-client has given up. */
    ARI_RECONNECT_MAX_DELAY_MS: positiveInt.default(30_000),
    /**
     * The lease on ARI_APP in Redis (src/app-lease/): instances started with the same app name
     * take turns, one drives the app and the others stand by to take it over within this long
     * of its death. 0: no lease (the app is taken back from another connection only once free).
     */
    ARI_APP_LEASE_MS: z.coerce.number().int().refine((ms) => ms === 0 || (ms >= 1000 && ms <= 60_000), '0 (off) or 1000 to 60000').default(5000),
    /** One server (redis://, rediss://) or a Sentinel group's master (redis-sentinel://s1:26379,s2:26379/<master>): src/redis/redis-address.ts. */
    REDIS_URL: RedisUrlSchema.default('redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: z.string().min(1).default('hotline:'),
    HTTP_HOST: z.string().min(1).default('0.0.0.0'),
    HTTP_PORT: port.default(8080),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOTLINE_CONFIG: z.string().min(1).default('config/hotline.example.yaml'),
    /** On SIGTERM, live calls get this long to finish before they are handed back to the dialplan. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
    /** Operator API tokens for machines, `name:role:token,…` (roles: admin, supervisor). People sign in instead (auth section). */
    API_TOKENS: ApiTokensSchema.default([]),
    /**
     * Signs the tokens `POST /auth/token` issues to the config's users (HS256). Required when
     * the hotline config lists users; the same on every instance, so a token works on all.
     */
    AUTH_TOKEN_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
    /**
     * Derives every agent softphone's SIP password (acd.softphones; see
     * scripts/generate-agent-endpoints.ts). The same on every instance and in the generated
     * pjsip_agents.conf. Required when the config has acd.softphones.
     */
    AGENT_SIP_SECRET: z.string().optional(),
    /** Per client address: requests all operator routes together may take in the window; more get 429. */
    OPERATOR_RATE_LIMIT_MAX: positiveInt.default(300),
    OPERATOR_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
    /**
     * Behind a reverse proxy: the proxy addresses to trust for X-Forwarded-For (fastify's
     * trustProxy: a comma-separated list of addresses or CIDRs), so the rate limit and the
     * audit lines see the operator's address rather than the proxy's. Unset: none trusted.
     */
    HTTP_TRUST_PROXY: z.string().min(1).optional(),
    /** Where the prompt sound files are, to report missing ones at start (the directory Asterisk serves them from). */
    SOUNDS_DIR: z.string().min(1).default('var/sounds'),
    /** The built browser pages (web/build.mjs), served under /app/; not served when the directory does not exist. */
    WEB_DIR: z.string().min(1).default('web/dist'),
  })
  .superRefine((env, ctx) => {
    if (env.ARI_URL && !env.ARI_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['ARI_PASSWORD'], message: 'required when ARI_URL is set' });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings in the environment mean "not set".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) throw new ConfigError('environment', faultsFromZod('env', result.error));
  return result.data;
}
