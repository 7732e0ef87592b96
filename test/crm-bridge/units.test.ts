import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/crm-bridge/circuit-breaker.js';
import { CrmBridgeConfigSchema } from '../../src/crm-bridge/config-schema.js';
import { backoffDelay } from '../../src/crm-bridge/http-sink.js';
import { readCrmSecrets } from '../../src/crm-bridge/index.js';
import { signedHeaders, verifySignature } from '../../src/crm-bridge/signing.js';
import { streamIdAtMost } from '../../src/crm-bridge/stream-ids.js';
import { UnreadEvents } from '../../src/crm-bridge/unread-events.js';
import { checkSignature } from '../../sim/ticket-backend/signature.js';

describe('signing', () => {
  const body = '{"eventId":"e1"}';
  it('signs "<timestamp>.<body>" so that an independent receiver accepts it', () => {
    const headers = signedHeaders('s3cret', 'e1', body);
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(checkSignature('s3cret', lower, body)).toBeNull();
    expect(verifySignature('s3cret', lower, body)).toMatchObject({ ok: true });
    expect(verifySignature('s3cret', lower, body.replace('e1', 'e2'))).toMatchObject({ ok: false, reason: 'signature does not match' });
    expect(verifySignature('other', lower, body)).toMatchObject({ ok: false });
  });
  it('refuses timestamps outside the window either way', () => {
    const now = Date.now();
    const old = Object.fromEntries(Object.entries(signedHeaders('k', 'e', body, now - 301_000)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifySignature('k', old, body, { now })).toMatchObject({ ok: false });
    const recent = Object.fromEntries(Object.entries(signedHeaders('k', 'e', body, now - 299_000)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifySignature('k', recent, body, { now })).toMatchObject({ ok: true });
    expect(verifySignature('k', {}, body)).toMatchObject({ ok: false });
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, lets one trial through after openMs, and closes on success', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => now });
    const fail = () => breaker.run('x', () => Promise.reject(new Error('boom')));
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toThrow('boom');
    expect(breaker.state).toBe('open');
    await expect(breaker.run('x', async () => 1)).rejects.toMatchObject({ code: 'crm-bridge:circuit-open' });
    now = 1000;
    expect(breaker.state).toBe('half-open');
    await expect(fail()).rejects.toThrow('boom');
    expect(breaker.state).toBe('open');
    now = 2000;
    expect(await breaker.run('x', async () => 42)).toBe(42);
    expect(breaker.state).toBe('closed');
  });
  it('lets only one trial through while half-open', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 10, now: () => now });
    await expect(breaker.run('x', () => Promise.reject(new Error('boom')))).rejects.toThrow();
    now = 10;
    let release!: () => void;
    const trial = breaker.run('x', () => new Promise<void>((r) => (release = r)));
    await expect(breaker.run('x', async () => 1)).rejects.toMatchObject({ code: 'crm-bridge:circuit-open' });
    release();
    await trial;
    expect(breaker.state).toBe('closed');
  });
});

describe('backoff', () => {
  it('doubles per attempt within [ceiling/2, ceiling] and stops at the maximum', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(30, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('config section', () => {
  const sink = { name: 'city-tickets', url: 'http://127.0.0.1:8090/e', secretEnv: 'CRM_CITY_SECRET' };
  it('fills defaults and names the field of every fault', () => {
    const ok = CrmBridgeConfigSchema.parse({ sinks: [sink] });
    expect(ok.sinks[0]!.retry).toEqual({ attempts: 12, backoffMs: 1000, maxBackoffMs: 300_000 });
    const bad = CrmBridgeConfigSchema.safeParse({ sinks: [sink, { ...sink, name: 'province', url: 'ftp://x', secretEnv: 'lower' }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['sinks.1.secretEnv', 'sinks.1.url']);
    const twice = CrmBridgeConfigSchema.safeParse({ sinks: [sink, sink] });
    expect(twice.error!.issues.map((i) => i.message)).toEqual(['sink "city-tickets" is listed twice']);
  });
  it('reads every named secret from the environment and names the missing ones', () => {
    const config = CrmBridgeConfigSchema.parse({ sinks: [sink], inbound: { secretEnv: 'CRM_INBOUND_SECRET' } });
    expect(readCrmSecrets(config, { CRM_CITY_SECRET: 'a', CRM_INBOUND_SECRET: 'b' })).toEqual({ CRM_CITY_SECRET: 'a', CRM_INBOUND_SECRET: 'b' });
    expect(() => readCrmSecrets(config, { CRM_CITY_SECRET: 'a' })).toThrow('env.CRM_INBOUND_SECRET');
  });
});

describe('stream ids', () => {
  it('orders by both parts as numbers', () => {
    expect(streamIdAtMost('999-0', '1000-0')).toBe(true);
    expect(streamIdAtMost('1000-2', '1000-10')).toBe(true);
    expect(streamIdAtMost('1000-10', '1000-10')).toBe(true);
    expect(streamIdAtMost('1000-11', '1000-10')).toBe(false);
    expect(streamIdAtMost('1001-0', '1000-99')).toBe(false);
  });
});

describe('unread events kept by the writer', () => {
  const event = (id: string) => ({ id, callId: 'c', at: '2025-01-01T00:00:00.000Z', type: 'call.answered', data: {} });
  it('lets an event go once every sink it went to has read it, by event id or by stream position', () => {
    const unread = new UnreadEvents();
    unread.add(event('e1'), new Map([['city', '100-0'], ['province', '100-1']]));
    unread.add(event('e2'), new Map([['city', '200-0'], ['province', '200-1']]));
    unread.add(event('e3'), new Map([['city', '300-0']]));
    unread.read('city', 'e1');
    expect(unread.size).toBe(3);
    unread.readUpTo('province', '150-0');
    expect(unread.size).toBe(2);
    unread.readUpTo('city', '250-0');
    expect(unread.takeAll().map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(unread.size).toBe(0);
  });
  it('lets the oldest go first when memory is short', () => {
    const unread = new UnreadEvents();
    unread.add(event('e1'), new Map([['city', '1-0']]));
    unread.add(event('e2'), new Map([['city', '2-0']]));
    expect(unread.dropOldest()).toBe(true);
    expect(unread.takeAll().map((e) => e.id)).toEqual(['e2']);
    expect(unread.dropOldest()).toBe(false);
  });
});
