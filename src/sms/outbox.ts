/**
 * The SMS outbox in Redis: a text is stored once by its idempotency key before anyone is told
 * it was accepted, claimed by one sender under a lease, and its result recorded. A text
 * claimed by an instance that died comes due again when the lease lapses; a text whose
 * result is recorded never goes out again.
 *
 * The whole number is kept on the text's own record (the gateway needs it) and removed once
 * the text is done; indexes hold the keyed digest only.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { SmsPurpose } from './config-schema.js';
import type { SmsKeys } from './keys.js';

const ENQUEUE = readFileSync(new URL('./scripts/sms-enqueue.lua', import.meta.url), 'utf8');
const CLAIM = readFileSync(new URL('./scripts/sms-claim.lua', import.meta.url), 'utf8');

/** How long a finished text's record is kept (status API, receipts arriving late, idempotency). */
const DONE_TTL_SECONDS = 30 * 24 * 3600;
/** Gateway ids are matched to texts for this long (receipts come within days at most). */
const GATEWAY_ID_TTL_SECONDS = 7 * 24 * 3600;

export type SmsState = 'queued' | 'sending' | 'submitted' | 'delivered' | 'failed' | 'rejected' | 'suppressed';

export interface SmsRecord {
  key: string;
  ticketNumber: string;
  purpose: SmsPurpose;
  state: SmsState;
  /** Why it failed, was rejected or suppressed: the gateway's code, `opted-out`, `daily-cap`. */
  code: string;
  detail: string;
  attempts: number;
  messageIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface StoredSms extends SmsRecord {
  to: string;
  text: string;
  params: Record<string, string>;
  digest: string;
}

export interface NewSms {
  key: string;
  to: string;
  text: string;
  ticketNumber: string;
  purpose: SmsPurpose;
  params: Record<string, string>;
  digest: string;
}

export interface EnqueueResult {
  /** False when the key was seen before: nothing changed. */
  created: boolean;
  state: SmsState;
  code: string;
}

export class SmsOutbox {
  constructor(
    private readonly redis: Redis,
    private readonly keys: SmsKeys,
  ) {
    redis.defineCommand('smsEnqueue', { lua: ENQUEUE, numberOfKeys: 5 });
    redis.defineCommand('smsClaim', { lua: CLAIM, numberOfKeys: 1 });
  }

  async enqueue(sms: NewSms, now: number, day: string, dailyCap: number): Promise<EnqueueResult> {
    const k = this.keys;
    const fields = ['to', sms.to, 'text', sms.text, 'ticketNumber', sms.ticketNumber, 'purpose', sms.purpose, 'params', JSON.stringify(sms.params), 'digest', sms.digest];
    const [how, state, code] = (await this.script('smsEnqueue', [
      k.message(sms.key), k.due(), k.ticket(sms.ticketNumber), k.dailyCount(sms.digest, day), k.optOut(),
      sms.key, now, sms.digest, dailyCap, 2 * 24 * 3600, ...fields,
    ])) as [string, SmsState, string];
    if (state === 'suppressed') await this.redis.expire(k.message(sms.key), DONE_TTL_SECONDS);
    return { created: how !== 'duplicate', state, code };
  }

  /** Claims up to `limit` due texts for `leaseMs`; each claim counts as an attempt. */
  async claim(now: number, leaseMs: number, limit: number): Promise<StoredSms[]> {
    const ids = (await this.script('smsClaim', [this.keys.due(), now, leaseMs, limit, this.keys.message('')])) as string[];
    if (ids.length === 0) return [];
    const rows = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.message(id))));
    return rows.filter((r) => r.key).map(toStored);
  }

  async get(key: string): Promise<StoredSms | null> {
    const row = await this.redis.hgetall(this.keys.message(key));
    return row.key ? toStored(row) : null;
  }

  async ofTicket(ticketNumber: string): Promise<SmsRecord[]> {
    const ids = await this.redis.smembers(this.keys.ticket(ticketNumber));
    const rows = await Promise.all(ids.map((id) => this.get(id)));
    return rows.filter((r): r is StoredSms => r !== null).map(publicRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The gateway took it: due no more, its ids kept for the receipts. */
  async submitted(sms: StoredSms, messageIds: string[], now: number): Promise<void> {
    const tx = this.redis.multi().zrem(this.keys.due(), sms.key);
    tx.hset(this.keys.message(sms.key), 'state', 'submitted', 'messageIds', messageIds.join(','), 'code', '', 'detail', '', 'updatedAt', now);
    tx.hdel(this.keys.message(sms.key), 'to');
    for (const id of messageIds) tx.set(this.keys.gatewayId(id), sms.key, 'EX', GATEWAY_ID_TTL_SECONDS);
    tx.expire(this.keys.message(sms.key), DONE_TTL_SECONDS);
    await tx.exec();
  }

  /** Tried again at `at`. */
  async retryAt(sms: StoredSms, at: number, code: string, detail: string, now: number): Promise<void> {
    await this.redis.multi().zadd(this.keys.due(), at, sms.key).hset(this.keys.message(sms.key), 'state', 'queued', 'code', code, 'detail', detail, 'updatedAt', now).exec();
  }

  /** Given up: permanent failure (`rejected`) or attempts used up (`failed`). */
  async finished(sms: StoredSms, state: 'failed' | 'rejected', code: string, detail: string, now: number): Promise<void> {
    const tx = this.redis.multi().zrem(this.keys.due(), sms.key);
    tx.hset(this.keys.message(sms.key), 'state', state, 'code', code, 'detail', detail, 'updatedAt', now).hdel(this.keys.message(sms.key), 'to');
    await tx.expire(this.keys.message(sms.key), DONE_TTL_SECONDS).exec();
  }

  /** Records one part's receipt; answers the text and every part's receipt so far, or null for an id not ours. */
  async receipt(messageId: string, status: string, now: number): Promise<{ sms: StoredSms; receipts: Record<string, string> } | null> {
    const key = await this.redis.get(this.keys.gatewayId(messageId));
    if (!key) return null;
    await this.redis.multi().hset(this.keys.receipts(key), messageId, status).expire(this.keys.receipts(key), DONE_TTL_SECONDS).exec();
    const [sms, receipts] = await Promise.all([this.get(key), this.redis.hgetall(this.keys.receipts(key))]);
    if (!sms) return null;
    return { sms, receipts };
  }

  async setState(key: string, state: SmsState, code: string, now: number): Promise<void> {
    await this.redis.hset(this.keys.message(key), 'state', state, 'code', code, 'updatedAt', now);
  }

  /** Texts waiting to be sent (queued or claimed): the queue depth. */
  depth(): Promise<number> {
    return this.redis.zcard(this.keys.due());
  }

  private script(name: 'smsEnqueue' | 'smsClaim', args: Array<string | number>): Promise<unknown> {
    return (this.redis as unknown as Record<string, (...a: Array<string | number>) => Promise<unknown>>)[name]!(...args);
  }
}

function toStored(row: Record<string, string>): StoredSms {
  return {
    key: row.key!,
    ticketNumber: row.ticketNumber ?? '',
    purpose: (row.purpose ?? 'notice') as SmsPurpose,
    state: (row.state ?? 'queued') as SmsState,
    code: row.code ?? '',
    detail: row.detail ?? '',
    attempts: Number(row.attempts ?? 0),
    messageIds: row.messageIds ? row.messageIds.split(',') : [],
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    to: row.to ?? '',
    text: row.text ?? '',
    params: row.params ? (JSON.parse(row.params) as Record<string, string>) : {},
    digest: row.digest ?? '',
  };
}

function iso(ms: string | undefined): string {
  return new Date(Number(ms ?? 0)).toISOString();
}

export function publicRecord(sms: StoredSms): SmsRecord {
  const { to: _to, text: _text, params: _params, digest: _digest, ...rest } = sms;
  return rest;
}
