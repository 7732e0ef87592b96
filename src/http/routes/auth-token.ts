/**
 * Sign-in of the built-in users (a centre without an identity provider):
 *   POST /auth/token   { username, password }  →  200 { token, token_type: 'Bearer', expires_in, role }
 * 400 for a bad body, 401 `bad-credentials` for an unknown name or a wrong password (the
 * same answer for both), 429 over the operator routes' per-address budget, which this route
 * shares. One audit line per attempt, success or failure, naming the user and never the
 * password.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { UserDirectory } from '../../auth/index.js';
import { ROLES } from '../../config/api-tokens.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import type { JwtSignIn } from '../jwt-sign-in.js';
import { enforceOperatorRateLimit } from '../operator-rate-limit.js';

export interface AuthTokenRouteOptions {
  users: UserDirectory;
  signIn: JwtSignIn;
}

const TokenRequest = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
  })
  .strict();

const TokenResponse = z.object({
  token: z.string(),
  token_type: z.literal('Bearer'),
  /** Seconds until the token expires. */
  expires_in: z.number().int(),
  role: z.enum(ROLES),
});

export function authTokenRoutes(options: AuthTokenRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', enforceOperatorRateLimit);
    app.withTypeProvider<ZodTypeProvider>().post(
      '/auth/token',
      { schema: { body: TokenRequest, response: { 200: TokenResponse } }, config: { errors: ['badCredentials', 'tooManyRequests'] } },
      async (request) => {
        const { username, password } = request.body;
        const user = await options.users.check(username, password);
        const outcome = user ? 'signed-in' : 'bad-credentials';
        request.log.info({ audit: true, action: 'auth.token', user: username, via: 'user', outcome }, user ? 'sign-in' : 'sign-in refused');
        if (!user) throw new HttpProblem(HTTP_ERRORS.badCredentials);
        const { token, expiresIn } = options.signIn.issueUserToken(app, user);
        return { token, token_type: 'Bearer' as const, expires_in: expiresIn, role: user.role };
      },
    );
  };
}
