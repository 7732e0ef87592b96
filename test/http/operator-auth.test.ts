/** The operator APIs of the whole service: tokens from API_TOKENS, the scheme in any case. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { ApiTokensSchema } from '../../src/config/api-tokens.js';
import { startHarness, type Harness } from '../support/service-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKENS = ApiTokensSchema.parse('desk:supervisor:supervisor-token-0001');

describe('operator APIs', () => {
  it('refuse without a known token (401), allow the role with the scheme in any case', async () => {
    const { crmBridge: _crm, ...config } = await loadHotlineConfig('config/hotline.example.yaml');
    h = await startHarness({ config, apiTokens: TOKENS });
    const url = `${h.service.url}/priority-callers/13812345678`;
    const put = (authorization?: string) => fetch(url, { method: 'PUT', headers: authorization ? { authorization } : {} });

    const anonymous = await put();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error_id: 'unauthorized' });
    expect((await put('Bearer not-a-real-token-at-all')).status).toBe(401);

    expect((await put('bearer supervisor-token-0001')).status).toBe(200);
    const list = await fetch(`${h.service.url}/priority-callers`, { headers: { authorization: 'Bearer supervisor-token-0001' } });
    expect(JSON.stringify(await list.json())).toContain('13812345678');
  });

  it('refuse a malformed API_TOKENS entry, naming it, and roles that reach no route', () => {
    const result = ApiTokensSchema.safeParse('desk:supervisor:short');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([0]);
    expect(ApiTokensSchema.safeParse('desk:janitor:long-enough-token-123').success).toBe(false);
    // `agent` and `backend` have no route until the ACD's agent API: a token for them would open nothing.
    expect(ApiTokensSchema.safeParse('softphone:agent:long-enough-token-123').success).toBe(false);
    expect(ApiTokensSchema.safeParse('tickets:backend:long-enough-token-123').success).toBe(false);
    expect(ApiTokensSchema.parse('root:admin:long-enough-token-123')).toEqual([{ name: 'root', role: 'admin', token: 'long-enough-token-123' }]);
  });
});
