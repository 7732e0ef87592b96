/**
 * The password travels in ari-client's socket URL (`api_key=user:pass`); scrubbing removes
 * it, in any form, from any text the adapter keeps or logs.
 */
import { describe, expect, it } from 'vitest';
import { describeError, safeUrl, scrub } from '../../src/ari/redact.js';

const secrets = { password: 'p@ss:w0rd/x' };

describe('scrub', () => {
  it('removes the api_key of a socket URL', () => {
    const text = 'Invalid URL: ws://asterisk:8088/ari/events?app=hotline&api_key=hotline:p%40ss%3Aw0rd%2Fx';
    const out = scrub(text, secrets);
    expect(out).toBe('Invalid URL: ws://asterisk:8088/ari/events?app=hotline&api_key=***');
  });

  it('removes the password raw and URL-encoded wherever it appears', () => {
    expect(scrub('auth p@ss:w0rd/x failed', secrets)).toBe('auth *** failed');
    expect(scrub('auth p%40ss%3Aw0rd%2Fx failed', secrets)).toBe('auth *** failed');
  });

  it('removes user info from URLs', () => {
    expect(scrub('GET http://hotline:other@asterisk:8088/ari', secrets)).toBe('GET http://***@asterisk:8088/ari');
  });

  it('leaves other text alone', () => {
    expect(scrub('{"message":"Channel not found"}', secrets)).toBe('{"message":"Channel not found"}');
  });
});

describe('describeError', () => {
  it('keeps message and code only, scrubbed', () => {
    const error = Object.assign(new Error('connect to api_key=hotline:p@ss:w0rd/x refused'), { code: 'ECONNREFUSED', url: 'secret-holder' });
    expect(describeError(error, secrets)).toEqual({ message: 'connect to api_key=*** refused', code: 'ECONNREFUSED' });
  });

  it('describes non-errors', () => {
    expect(describeError('p@ss:w0rd/x', secrets)).toEqual({ message: '***' });
    expect(describeError({ status: 500 }, secrets)).toEqual({ message: '{"status":500}' });
  });
});

describe('safeUrl', () => {
  it('drops credentials and query', () => {
    expect(safeUrl('http://u:p@asterisk:8088/?api_key=u:p')).toBe('http://asterisk:8088/');
    expect(safeUrl('not a url')).toBe('<invalid url>');
  });
});
