/**
 * The single path of REST calls, on a stand-in shaped like ari-client over swagger-client:
 * the status code comes back from swagger's error callback, a call that never settles times
 * out, and close settles whatever is pending.
 */
import type { AriClient } from 'ari-client';
import { describe, expect, it } from 'vitest';
import { isAriError } from '../../src/ari/errors.js';
import { instrumentStatusCapture, RestCaller } from '../../src/ari/rest-call.js';

type Responder = (ok: (r: unknown) => void, fail: (r: unknown) => void) => void;

/** A client whose `channels.get` goes through `_swagger` exactly as ari-client's callSwagger does. */
function fakeClient(respond: Responder) {
  const swaggerChannels: Record<string, unknown> = {
    operations: { get: {} },
    get: (_args: unknown, ok: (r: unknown) => void, fail: (r: unknown) => void) => setImmediate(() => respond(ok, fail)),
  };
  const client = { _swagger: { apis: { channels: swaggerChannels } } } as unknown as AriClient;
  const get = (args: unknown) =>
    new Promise((resolve, reject) => {
      const op = client._swagger.apis.channels?.get as (a: unknown, ok: (r: unknown) => void, fail: (r: unknown) => void) => void;
      op(args, (response) => resolve((response as { data: Buffer }).data.toString()), (err) => {
        // ari-client: `err = new Error(err.data.toString('utf-8'))`: the status is dropped here.
        reject(new Error((err as { data: Buffer }).data.toString('utf-8')));
      });
    });
  return { client, get };
}

const caller = (timeoutMs = 1000) => new RestCaller({ timeoutMs, scrub: (t) => t });

describe('RestCaller', () => {
  it('recovers the status ari-client drops', async () => {
    const { client, get } = fakeClient((_ok, fail) => fail({ status: 404, data: Buffer.from('{"message":"Something else entirely"}') }));
    instrumentStatusCapture(client);
    const error = await caller().call('channels.get', () => get({ channelId: 'x' }), (r) => r).catch((e: unknown) => e);
    expect(isAriError(error, 'ari:not-found')).toBe(true);
    expect((error as { status?: number }).status).toBe(404);
  });

  it('keeps each concurrent call with its own status', async () => {
    let n = 0;
    const { client, get } = fakeClient((_ok, fail) => {
      n += 1;
      fail(n === 1 ? { status: 409, data: Buffer.from('{}') } : { status: 500, data: Buffer.from('{}') });
    });
    instrumentStatusCapture(client);
    instrumentStatusCapture(client); // idempotent: a second pass must not wrap twice
    const rest = caller();
    const [a, b] = await Promise.all([
      rest.call('a', () => get({}), (r) => r).catch((e: unknown) => e),
      rest.call('b', () => get({}), (r) => r).catch((e: unknown) => e),
    ]);
    expect(isAriError(a, 'ari:conflict')).toBe(true);
    expect(isAriError(b, 'ari:server-error')).toBe(true);
  });

  it('parses what succeeds and reports a bad shape as unknown', async () => {
    const { client, get } = fakeClient((ok) => ok({ status: 200, data: Buffer.from('fine') }));
    instrumentStatusCapture(client);
    await expect(caller().call('op', () => get({}), (r) => `${String(r)}!`)).resolves.toBe('fine!');
    const error = await caller().call('op', () => get({}), () => { throw new Error('bad shape'); }).catch((e: unknown) => e);
    expect(isAriError(error, 'ari:unknown')).toBe(true);
  });

  it('fails a call at once when ari-client throws on a success body', async () => {
    const { client } = fakeClient((ok) => ok({ status: 200, data: Buffer.from('<html>proxy error</html>') }));
    instrumentStatusCapture(client);
    const get = () =>
      new Promise((resolve) => {
        const op = client._swagger.apis.channels?.get as (a: unknown, ok: (r: unknown) => void, fail: (r: unknown) => void) => void;
        // ari-client's processResponse: JSON.parse of the body, uncaught.
        op({}, (response) => resolve(JSON.parse((response as { data: Buffer }).data.toString())), () => {});
      });
    const error = await caller(60_000).call('channels.get', get, (r) => r).catch((e: unknown) => e);
    expect(isAriError(error, 'ari:unknown')).toBe(true);
  });

  it('times out a call that never settles (Asterisk down)', async () => {
    const error = await caller(20).call('channels.get', () => new Promise(() => {}), (r) => r).catch((e: unknown) => e);
    expect(isAriError(error, 'ari:timeout')).toBe(true);
  });

  it('maps a synchronous throw', async () => {
    const error = await caller().call('op', () => { throw 'channelId is a required path param.'; }, (r) => r).catch((e: unknown) => e);
    expect(isAriError(error, 'ari:bad-request')).toBe(true);
  });

  it('settles pending calls when aborted', async () => {
    const rest = caller(60_000);
    const pending = rest.call('op', () => new Promise(() => {}), (r) => r).catch((e: unknown) => e);
    rest.abortAll('closed');
    expect(isAriError(await pending, 'ari:unavailable')).toBe(true);
  });
});
