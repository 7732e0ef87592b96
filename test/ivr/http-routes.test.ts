/** The priority-caller and caller-restriction APIs over a real Redis, behind the token guard. */
import { beforeEach, describe, expect, it } from 'vitest';
import { asSupervisor, startOperatorApp, type OperatorApp } from '../http/support/operator-app.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
let api: OperatorApp;

beforeEach(async () => {
  api = await startOperatorApp(redis);
  return () => api.app.close();
});

const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  api.app.inject({ method, url, headers: asSupervisor, ...(payload ? { payload } : {}) });

describe('priority callers API', () => {
  it('adds, lists and removes a number, normalised', async () => {
    expect((await call('PUT', '/priority-callers/+8613912345678')).json()).toEqual({ number: '13912345678', source: 'api' });
    const list = await call('GET', '/priority-callers');
    expect(list.json().callers).toEqual([
      { number: '13800000001', source: 'config' },
      { number: '13912345678', source: 'api' },
    ]);
    expect(await api.services.priorityCallers.isPriority('13912345678')).toBe(true);
    expect((await call('DELETE', '/priority-callers/13912345678')).statusCode).toBe(204);
    expect((await call('DELETE', '/priority-callers/13912345678')).json()).toMatchObject({ error_id: 'not-found' });
  });

  it('refuses a bad number and removing a number of the config', async () => {
    const bad = await call('PUT', '/priority-callers/12ab');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error_id: 'invalid-request' });
    const fromConfig = await call('DELETE', '/priority-callers/13800000001');
    expect(fromConfig.statusCode).toBe(409);
  });
});

describe('caller restrictions API', () => {
  it('flags a number with a reason and an expiry in the name of the token, shows it, logs it and lifts it', async () => {
    const put = await call('PUT', '/caller-restrictions/13912345678', { reason: 'calls every few minutes with no new matter', minutes: 30 });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ number: '13912345678', source: 'supervisor', by: 'ops-desk' });
    const { since, until } = put.json() as { since: string; until: string };
    expect(Date.parse(until) - Date.parse(since)).toBe(30 * 60_000);

    expect((await call('GET', '/caller-restrictions/13912345678')).json()).toMatchObject({ reason: 'calls every few minutes with no new matter' });
    expect((await call('GET', '/caller-restrictions')).json().restrictions).toHaveLength(1);

    const lift = await call('DELETE', '/caller-restrictions/13912345678?reason=caller%20apologised');
    expect(lift.statusCode).toBe(204);
    expect((await call('GET', '/caller-restrictions/13912345678')).statusCode).toBe(404);
    const entries = (await call('GET', '/caller-restrictions/log')).json().entries as Array<{ action: string; reason: string; by: string }>;
    expect(entries.map((e) => `${e.action} by ${e.by}: ${e.reason}`)).toEqual([
      'lifted by ops-desk: caller apologised',
      'applied by ops-desk: calls every few minutes with no new matter',
    ]);
  });

  it('refuses a flag without a reason, too long, or with unknown fields, naming the fields', async () => {
    const res = await call('PUT', '/caller-restrictions/13912345678', { minutes: 999_999, forever: true });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.reason', 'body.minutes']));
  });

  it('takes who acted only from the token: a `by` in the body or the query is refused, not believed', async () => {
    const put = await call('PUT', '/caller-restrictions/13912345678', { reason: 'abusive language', minutes: 10, by: 'someone-else' });
    expect(put.statusCode).toBe(400);
    expect(JSON.stringify(put.json().details)).toContain('by');
    const lift = await call('DELETE', '/caller-restrictions/13912345678?by=someone-else');
    expect(lift.statusCode).toBe(400);
    expect(await api.services.restrictions.get('13912345678')).toBeNull();
  });

  it('a lift without a reason gets the default one', async () => {
    await call('PUT', '/caller-restrictions/13912345678', { reason: 'abusive language', minutes: 10 });
    expect((await call('DELETE', '/caller-restrictions/13912345678')).statusCode).toBe(204);
    const [latest] = (await call('GET', '/caller-restrictions/log?limit=1')).json().entries as Array<{ reason: string }>;
    expect(latest?.reason).toBe('lifted by a supervisor');
  });
});
