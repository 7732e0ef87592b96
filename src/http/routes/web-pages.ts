/**
 * The browser pages (agent desktop, wallboard, citizen web call), built by web/build.mjs into
 * one directory and served as files under /app/: /app/agent.html, /app/wallboard.html,
 * /app/webcall.html. They hold no secret: every figure and credential comes from the API
 * after sign-in. Only /app/ is the pages': every other path stays the API's.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { resolve } from 'node:path';

export const WEB_PREFIX = '/app/';

export function webPagesRoutes(root: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root: resolve(root),
      prefix: WEB_PREFIX,
      index: false,
      // Pages change with each build: the browser asks again (ETag) rather than keeping a stale softphone.
      maxAge: 0,
    });
  };
}
