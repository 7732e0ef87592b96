/**
 * SIP messages as they travel over a WebSocket (RFC 7118: one message per frame). The
 * text comes from a browser, so parsing is defensive: a size cap, a header count cap, a
 * start line that must match exactly, and `null` for anything malformed (the caller drops
 * it, as a SIP stack drops garbage on a stream it cannot answer).
 */
import { randomBytes } from 'node:crypto';

export const MAX_MESSAGE_BYTES = 65_536;
const MAX_HEADERS = 120;

export interface SipMessage {
  /** The request's method, or undefined for a response. */
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  /** Lower-case full header names; each header line's value in order. */
  headers: Map<string, string[]>;
  body: string;
}

/** RFC 3261 compact header forms. */
const COMPACT: Record<string, string> = {
  i: 'call-id', f: 'from', t: 'to', v: 'via', m: 'contact', l: 'content-length', c: 'content-type', k: 'supported', s: 'subject',
};

const REQUEST_LINE = /^([A-Z]{3,16}) (sips?:[^\s]{1,512}) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]{0,128})$/;

export function parseSip(text: string): SipMessage | null {
  if (text.length > MAX_MESSAGE_BYTES) return null;
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const lines = head.split('\r\n');
  const start = lines.shift() ?? '';
  const msg: SipMessage = { headers: new Map(), body };
  const req = REQUEST_LINE.exec(start);
  const res = req ? null : STATUS_LINE.exec(start);
  if (req) {
    msg.method = req[1];
    msg.uri = req[2];
  } else if (res) {
    msg.status = Number(res[1]);
    msg.reason = res[2];
  } else return null;
  if (lines.length > MAX_HEADERS) return null;
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      // A folded line continues the previous header's value.
      const values = msg.headers.get(last)!;
      values[values.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const raw = line.slice(0, colon).trim().toLowerCase();
    if (!/^[a-z0-9!%*_+`'~.-]{1,64}$/.test(raw)) return null;
    const name = COMPACT[raw] ?? raw;
    const values = msg.headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    msg.headers.set(name, values);
    last = name;
  }
  for (const needed of ['via', 'from', 'to', 'call-id', 'cseq']) if (!msg.headers.has(needed)) return null;
  if (!/^\d{1,10} [A-Z]{3,16}$/.test(header(msg, 'cseq'))) return null;
  return msg;
}

/** The first value of a header, '' when absent. */
export function header(msg: SipMessage, name: string): string {
  return msg.headers.get(name)?.[0] ?? '';
}

export function cseq(msg: SipMessage): { seq: number; method: string } {
  const [seq = '0', method = ''] = header(msg, 'cseq').split(' ');
  return { seq: Number(seq), method };
}

/** `sip:user@host` inside a name-addr (`"Name" <sip:user@host>;tag=x`) or a bare addr-spec. */
export function addrUri(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  return (angle ? angle[1]! : value.split(';')[0]!).trim();
}

export function uriUser(uri: string): string {
  const m = /^sips?:([^@;>]+)@/.exec(uri);
  return m ? decodeURIComponent(m[1]!) : '';
}

export function displayName(value: string): string {
  const m = /^\s*"((?:[^"\\]|\\.){0,128})"\s*</.exec(value) ?? /^\s*([^<"]{1,128}?)\s*</.exec(value);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : '';
}

/** A header parameter (`;tag=`, `;expires=`) outside the angle brackets. */
export function headerParam(value: string, name: string): string | undefined {
  const outside = value.replace(/<[^>]*>/g, '');
  const m = new RegExp(`;\\s*${name}=([^;,\\s]+)`, 'i').exec(outside);
  return m ? m[1] : undefined;
}

export const newTag = () => randomBytes(6).toString('hex');
export const newBranch = () => `z9hG4bK${randomBytes(8).toString('hex')}`;

function serialise(start: string, headers: Array<[string, string]>, body: string): string {
  const lines = [start, ...headers.map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A response to `req`: its Via, From, To (with `toTag` added when it has none), Call-ID, CSeq. */
export function response(
  req: SipMessage, status: number, reason: string, extra: Array<[string, string]> = [], body = '', toTag?: string,
): string {
  let to = header(req, 'to');
  if (toTag && headerParam(to, 'tag') === undefined) to = `${to};tag=${toTag}`;
  const headers: Array<[string, string]> = [
    ...(req.headers.get('via') ?? []).map((v): [string, string] => ['Via', v]),
    ['From', header(req, 'from')], ['To', to], ['Call-ID', header(req, 'call-id')], ['CSeq', header(req, 'cseq')],
    ['Server', 'Asterisk PBX 22.10.0 (simulated)'], ...extra,
  ];
  return serialise(`SIP/2.0 ${status} ${reason}`, headers, body);
}

export function request(method: string, uri: string, headers: Array<[string, string]>, body = ''): string {
  return serialise(`${method} ${uri} SIP/2.0`, [...headers, ['Max-Forwards', '70'], ['User-Agent', 'Asterisk PBX 22.10.0 (simulated)']], body);
}
