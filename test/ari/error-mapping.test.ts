/**
 * One mapping turns every failed ARI call into a typed AriError. The bodies are the ones
 * Asterisk 22 answered in the recorded traces (fixtures/rest-errors.jsonl). The codes are
 * written out here, not read from the mapping under test: callers act on them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyMessage, codeForStatus, toAriError } from '../../src/ari/error-mapping.js';
import { AriError, type AriErrorCode } from '../../src/ari/errors.js';

interface RecordedError {
  trace: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

/** The code each status Asterisk answered with in the traces must give. */
const CODE_OF_RECORDED_STATUS: Readonly<Record<number, AriErrorCode>> = {
  400: 'ari:bad-request',
  401: 'ari:unauthorized',
  404: 'ari:not-found',
  409: 'ari:conflict',
  422: 'ari:unprocessable',
  500: 'ari:server-error',
};

/** The text Asterisk puts in its error bodies: `{"message": …}` or, for a failed originate, `{"error": …}`. */
function messageOf(body: string): string {
  const parsed = JSON.parse(body) as { message?: string; error?: string };
  return parsed.message ?? parsed.error ?? '';
}

const recorded: RecordedError[] = readFileSync(new URL('./fixtures/rest-errors.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as RecordedError);

describe('toAriError', () => {
  it('has recorded answers to check against', () => {
    expect(new Set(recorded.map((r) => r.status))).toEqual(new Set([400, 401, 404, 409, 422, 500]));
  });

  it.each(recorded.map((r) => [`${r.status} ${r.body}`, r] as const))('maps %s by status', (_label, r) => {
    // What ari-client rejects with: an Error whose message is the raw body.
    const error = toAriError('op', { error: new Error(r.body), status: r.status });
    expect(error).toBeInstanceOf(AriError);
    expect(error.code).toBe(CODE_OF_RECORDED_STATUS[r.status]);
    expect(error.status).toBe(r.status);
    expect(error.message).toBe(`op: ${messageOf(r.body)}`);
  });

  it.each(recorded.map((r) => [`${r.status} ${r.body}`, r] as const))('maps %s from the body alone', (_label, r) => {
    // The fallback when no status was captured must agree with the status.
    expect(toAriError('op', { error: new Error(r.body) }).code).toBe(CODE_OF_RECORDED_STATUS[r.status]);
  });

  it('reads both body shapes Asterisk uses', () => {
    expect(bodyMessage('{"message":"Channel not found"}')).toBe('Channel not found');
    expect(bodyMessage('{"error":"Allocation failed"}')).toBe('Allocation failed');
    expect(bodyMessage('plain text')).toBe('plain text');
  });

  it('maps the statuses ARI documents', () => {
    expect(codeForStatus(400)).toBe('ari:bad-request');
    expect(codeForStatus(401)).toBe('ari:unauthorized');
    expect(codeForStatus(403)).toBe('ari:unauthorized');
    expect(codeForStatus(404)).toBe('ari:not-found');
    expect(codeForStatus(409)).toBe('ari:conflict');
    expect(codeForStatus(422)).toBe('ari:unprocessable');
    expect(codeForStatus(500)).toBe('ari:server-error');
    expect(codeForStatus(501)).toBe('ari:server-error');
    expect(codeForStatus(503)).toBe('ari:unavailable');
    expect(codeForStatus(302)).toBe('ari:unknown');
  });

  it('recognises Asterisk conflict bodies not in the traces', () => {
    expect(toAriError('op', { error: new Error('{"message":"Channel not in Stasis application"}') }).code).toBe('ari:conflict');
    expect(toAriError('op', { error: new Error('{"message":"Recording not in session"}') }).code).toBe('ari:conflict');
    expect(toAriError('op', { error: new Error('{"message":"Provided variable was not found"}') }).code).toBe('ari:not-found');
  });

  it('maps connection failures to unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8088'), { code: 'ECONNREFUSED' });
    expect(toAriError('op', { error: refused }).code).toBe('ari:unavailable');
  });

  it('maps what swagger-client throws before sending (strings, arrays of strings)', () => {
    expect(toAriError('op', { error: 'channelId is a required path param.' }).code).toBe('ari:bad-request');
    expect(toAriError('op', { error: ['SwaggerRequest url is required.'] }).code).toBe('ari:bad-request');
  });

  it('keeps an AriError as it is and calls anything else unknown', () => {
    const timeout = new AriError('ari:timeout', 'late', 'op');
    expect(toAriError('other', { error: timeout })).toBe(timeout);
    expect(toAriError('op', { error: new Error('{"message":"Something new"}') }).code).toBe('ari:unknown');
    expect(toAriError('op', { error: undefined }).code).toBe('ari:unknown');
  });

  it('scrubs the message it keeps', () => {
    const error = toAriError('op', { error: new Error('Invalid URL: ws://h/ari/events?api_key=u:secret') }, (t) => t.replace('secret', '***'));
    expect(error.message).not.toContain('secret');
  });
});
