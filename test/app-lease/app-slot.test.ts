/**
 * The app lease on the test run's Redis: one slot drives the app, the others stand by and
 * never drive while the lease is held; a holder that stops renewing (killed) or gives the
 * lease back (stopped) is followed by a standby; with Redis away a standby drives only an
 * app Asterisk says is free, and a driving instance keeps the app; a takeover by another
 * connection turns the driving slot into a standby under a new token.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppLease, AppSlot, slotStep, stepWithoutRedis, type AppAnswer } from '../../src/app-lease/index.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const log = pino({ level: 'silent' });
const LEASE_MS = 600;
const SOON = { timeout: 10_000, interval: 20 };
const started: AppSlot[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const slot of started.splice(0)) await slot.stop();
  for (const client of clients.splice(0)) client.disconnect();
});

let tokens = 0;
const token = (): string => `test-host:${process.pid}:${(tokens += 1)}`;

function slotOn(prefix: string, options: { client?: Redis; app?: () => AppAnswer } = {}): { slot: AppSlot; drives: () => number; lease: AppLease } {
  const lease = new AppLease(options.client ?? redis, prefix, 'hotline', token(), LEASE_MS);
  let drives = 0;
  const slot = new AppSlot({
    lease,
    log,
    newToken: token,
    appHolder: async () => options.app?.() ?? 'unknown',
    drive: async () => {
      drives += 1;
    },
  });
  started.push(slot);
  return { slot, drives: () => drives, lease };
}

describe('slotStep', () => {
  it('a driving instance stays whatever the lease says; a standby connects only with the lease, or with Redis away and the app free', () => {
    for (const claim of [{ kind: 'mine' }, { kind: 'other', holder: 'x' }, { kind: 'unknown', error: 'away' }] as const) expect(slotStep('driving', claim)).toBe('stay');
    expect(slotStep('standby', { kind: 'mine' })).toBe('connect');
    expect(slotStep('standby', { kind: 'other', holder: 'x' })).toBe('stay');
    expect(slotStep('standby', { kind: 'unknown', error: 'away' })).toBe('ask-asterisk');
    expect(stepWithoutRedis('free')).toBe('connect');
    expect(stepWithoutRedis('held')).toBe('stay');
    expect(stepWithoutRedis('unknown')).toBe('stay');
  });
});

describe('AppSlot on one Redis', () => {
  it('one drives, the other stands by (counted as such) until the holder gives the lease back', async () => {
    const prefix = `test:app-slot:${randomUUID()}:`;
    const first = slotOn(prefix);
    first.slot.start();
    await vi.waitFor(() => expect(first.slot.role).toBe('driving'), SOON);
    const second = slotOn(prefix);
    second.slot.start();
    await vi.waitFor(() => expect(second.slot.heldBy).toBe(first.lease.token), SOON);
    expect(await first.slot.standbyWaiting()).toBe(true);
    expect(await second.slot.standbyWaiting()).toBe(false);
    // Several lease lengths: the holder renews, the standby never drives.
    await new Promise((r) => setTimeout(r, LEASE_MS * 3));
    expect(second.slot.role).toBe('standby');
    expect(second.drives()).toBe(0);
    expect(first.drives()).toBe(1);

    expect(await first.slot.stop()).toBe(true);
    await vi.waitFor(() => expect(second.slot.role).toBe('driving'), SOON);
    expect(second.drives()).toBe(1);
    expect(await second.slot.standbyWaiting()).toBe(false);
  });

  it('a holder that stops renewing (killed) is followed once its lease lapsed', async () => {
    const prefix = `test:app-slot:${randomUUID()}:`;
    const dead = new AppLease(redis, prefix, 'hotline', token(), LEASE_MS);
    expect(await dead.claim()).toEqual({ kind: 'mine' });
    const standby = slotOn(prefix);
    standby.slot.start();
    await vi.waitFor(() => expect(standby.slot.heldBy).toBe(dead.token), SOON);
    await vi.waitFor(() => expect(standby.slot.role).toBe('driving'), SOON);
    expect(await dead.claim()).toEqual({ kind: 'other', holder: standby.lease.token });
  });

  it('taken over by another connection: stands by under a new token, the old lease lapses, then drives again', async () => {
    const prefix = `test:app-slot:${randomUUID()}:`;
    const one = slotOn(prefix);
    one.slot.start();
    await vi.waitFor(() => expect(one.slot.role).toBe('driving'), SOON);
    const before = one.lease.token;
    one.slot.replaced();
    expect(one.slot.role).toBe('standby');
    expect(one.lease.token).not.toBe(before);
    // Its old token's lease is not renewed: it lapses, and the slot takes the app again.
    await vi.waitFor(() => expect(one.slot.role).toBe('driving'), SOON);
    expect(one.drives()).toBe(2);
    expect(await new AppLease(redis, prefix, 'hotline', 'someone', LEASE_MS).holder()).toBe(one.lease.token);
  });
});

describe('AppSlot with Redis away', () => {
  const away = (): Redis => {
    // A port nobody listens on: every command fails fast, as with the service's own settings.
    const client = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };

  it('a standby drives an app Asterisk says is free (a lone instance answers), and not one it says is held', async () => {
    let app: AppAnswer = 'held';
    const lone = slotOn(`test:app-slot:${randomUUID()}:`, { client: away(), app: () => app });
    lone.slot.start();
    await new Promise((r) => setTimeout(r, LEASE_MS));
    expect(lone.slot.role).toBe('standby');
    app = 'free';
    await vi.waitFor(() => expect(lone.slot.role).toBe('driving'), SOON);
    // Driving, Redis still away: it keeps the app.
    await new Promise((r) => setTimeout(r, LEASE_MS));
    expect(lone.slot.role).toBe('driving');
    expect(lone.drives()).toBe(1);
    expect(await lone.slot.standbyWaiting()).toBe(false);
  });
});

