import { afterEach, describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { ApiTokensSchema } from '../../src/config/api-tokens.js';
import { startHarness, type Harness } from '../support/service-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKENS = ApiTokensSchema.parse('desk:supervisor:supervisor-token-0001,softphone:agent:agent-token-000000001');

describe('operator APIs', () => {
  it('refuse without a token (401), refuse another role (403), allow the role and take its name', async () => {
    const { crmBridge: _crm, ...config } = await loadHotlineConfig('config/hotline.example.yaml');
    h = await startHarness({ config, apiTokens: TOKENS });
    const url = `${h.service.url}/priority-callers/13812345678`;
    const body = JSON.stringify({ note: 'registered elderly caller' });
    const headers = (token?: string): Record<string, string> => ({
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });

    const anonymous = await fetch(url, { method: 'PUT', headers: headers(), body });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error_id: 'unauthorized' });

    const wrongToken = await fetch(url, { method: 'PUT', headers: headers('not-a-real-token-at-all'), body });
    expect(wrongToken.status).toBe(401);

    const agent = await fetch(url, { method: 'PUT', headers: headers('agent-token-000000001'), body });
    expect(agent.status).toBe(403);
    expect(await agent.json()).toMatchObject({ error_id: 'forbidden' });

    const supervisor = await fetch(url, { method: 'PUT', headers: headers('supervisor-token-0001'), body });
    expect(supervisor.status).toBeLessThan(300);
    const list = await fetch(`${h.service.url}/priority-callers`, { headers: headers('supervisor-token-0001') });
    expect(JSON.stringify(await list.json())).toContain('13812345678');
  });

  it('refuse a malformed API_TOKENS entry, naming it', () => {
    const result = ApiTokensSchema.safeParse('desk:supervisor:short');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([0]);
    expect(ApiTokensSchema.safeParse('desk:janitor:long-enough-token-123').success).toBe(false);
  });
});
