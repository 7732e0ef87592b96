/** Without API_TOKENS the operator APIs would refuse everyone: the demo makes one admin token per run. */
import { randomBytes } from 'node:crypto';
import type { ApiToken } from '../src/config/api-tokens.js';

export function demoOperatorToken(): ApiToken {
  return { name: 'demo', role: 'admin', token: randomBytes(18).toString('base64url') };
}
