/**
 * Phone numbers in the operator routes' paths: only a citizen's mobile or fixed line gets
 * in; junk, injections and service numbers get 400 with the reason and nothing is stored.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { callerNumberParams } from '../../src/http/routes/caller-number.js';
import { checkCitizenNumber } from '../../src/ivr/callers/phone-number.js';
import { useTestRedis } from '../support/test-redis.js';
import { asSupervisor, startOperatorApp, type OperatorApp } from './support/operator-app.js';

const redis = useTestRedis();

describe('a citizen number from an operator', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['013812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['057187654321', '057187654321'],
    ['01087654321', '01087654321'],
    ['02187654321', '02187654321'],
    ['07558765432', '07558765432'],
    ['+8657187654321', '057187654321'],
    ['+861087654321', '01087654321'],
    ['+86057187654321', '057187654321'],
  ])('%s is accepted as %s', (raw, normalised) => {
    expect(checkCitizenNumber(raw)).toEqual({ ok: true, number: normalised });
  });

  it.each([
    ["13800138000' OR 1=1--", 'digits only'],
    ['1+1=2;12345', 'digits only'],
    ['138 0013 8000', 'digits only'],
    ['138-0013-8000', 'digits only'],
    ['12345', 'service number'],
    ['110', 'service number'],
    ['120', 'service number'],
    ['00000', 'service number'],
    ['0000000000', 'every digit the same'],
    ['88888888888', 'every digit the same'],
    ['+4915112345678', 'only Chinese numbers'],
    ['12812345678', 'shape of a Chinese mobile'],
    ['1381234567', 'shape of a Chinese mobile'],
    ['87654321', 'shape of a Chinese mobile'],
    ['4008123456', 'shape of a Chinese mobile'],
    ['1'.repeat(21), 'too long'],
    ['', 'digits only'],
  ])('%j is refused: %s', (raw, reason) => {
    const checked = checkCitizenNumber(raw);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.reason).toContain(reason);
  });

  it("refuses the hotline's own numbers (hotline.numbers), however long and however written", () => {
    const params = callerNumberParams(['12345', '057112345678']);
    const refused = params.safeParse({ number: '+8657112345678' });
    expect(refused.error?.issues.map((i) => i.message)).toEqual(["one of the hotline's own numbers (hotline.numbers), not a citizen's"]);
    expect(params.parse({ number: '057187654321' })).toEqual({ number: '057187654321' });
  });
});

describe('numbers in the operator routes', () => {
  let api: OperatorApp;
  beforeEach(async () => {
    api = await startOperatorApp(redis);
    return () => api.app.close();
  });

  const storedKeys = () => redis.keys(`${api.keyPrefix}*`);

  // The issue's hostile forms as they arrive on the wire (spaces percent-encoded, the rest raw).
  it.each([
    ["13800138000'%20OR%201=1--", 'digits only'],
    ['1+1=2;12345', 'digits only'],
    ['12345', 'service number'],
    ['00000', 'service number'],
    ['%2B86%20138%200013%208000', 'digits only'],
  ])('PUT %s: 400 with the reason, nothing stored', async (path, reason) => {
    for (const url of [`/priority-callers/${path}`, `/caller-restrictions/${path}`]) {
      const res = await api.app.inject({ method: 'PUT', url, headers: asSupervisor, payload: { reason: 'abusive language', minutes: 10 } });
      expect(res.statusCode, url).toBe(400);
      const body = res.json() as { error_id: string; message: string; details: Array<{ path: string; message: string }> };
      expect(body.error_id).toBe('invalid-request');
      expect(body.details).toEqual([{ path: 'params.number', message: expect.stringContaining(reason) }]);
    }
    expect(await storedKeys()).toEqual([]);
  });

  it('refuses the same forms sent raw over a real connection', async () => {
    const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    for (const raw of ["13800138000' OR 1=1--", '1+1=2;12345']) {
      const res = await fetch(`${base}/priority-callers/${raw}`, { method: 'PUT', headers: asSupervisor });
      expect(res.status, raw).toBe(400);
      expect(((await res.json()) as { details: Array<{ message: string }> }).details[0]?.message).toContain('digits only');
    }
    expect(await storedKeys()).toEqual([]);
  });

  it('stores a good number once, normalised, however it was written', async () => {
    for (const written of ['13912345678', '%2B8613912345678', '008613912345678', '013912345678']) {
      const res = await api.app.inject({ method: 'PUT', url: `/priority-callers/${written}`, headers: asSupervisor });
      expect(res.json(), written).toEqual({ number: '13912345678', source: 'api' });
    }
    const fixed = await api.app.inject({ method: 'PUT', url: '/priority-callers/057187654321', headers: asSupervisor });
    expect(fixed.statusCode).toBe(200);
    const list = (await api.app.inject({ method: 'GET', url: '/priority-callers', headers: asSupervisor })).json() as { callers: Array<{ number: string; source: string }> };
    expect(list.callers.filter((c) => c.source === 'api').map((c) => c.number)).toEqual(['057187654321', '13912345678']);
  });
});
