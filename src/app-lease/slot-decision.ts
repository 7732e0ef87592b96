/**
 * What an instance does with its app name at each lease tick: a pure function of what the
 * lease and Asterisk answered. The rules, in order of what must never happen:
 *
 *   driving (connected, or connecting)  ──► stays driving, whatever the lease says: Redis
 *       away or the lease found with another never takes the app from live calls; if the
 *       other does connect, Asterisk replaces this connection (ApplicationReplaced) and that
 *       is what ends the driving (the one-socket-per-app rule is the fence).
 *   standby, the lease is mine          ──► connect (the previous holder stopped renewing).
 *   standby, the lease held by another  ──► stay standby (never connect: that would deafen it).
 *   standby, Redis away                 ──► ask Asterisk: the app free (no connection holds
 *       it: the holder is dead, or this is a lone instance starting) → connect; held or
 *       unknown → stay. Answering never waits on Redis.
 */
import type { ClaimAnswer } from './app-lease.js';

export type SlotRole = 'driving' | 'standby';
/** Asterisk's answer to GET /applications/<app>. */
export type AppAnswer = 'held' | 'free' | 'unknown';

export type SlotStep = 'stay' | 'connect' | 'ask-asterisk';

export function slotStep(role: SlotRole, claim: ClaimAnswer): SlotStep {
  if (role === 'driving') return 'stay';
  if (claim.kind === 'mine') return 'connect';
  if (claim.kind === 'other') return 'stay';
  return 'ask-asterisk';
}

/** A standby with Redis away: connect only to a free app. */
export function stepWithoutRedis(app: AppAnswer): 'stay' | 'connect' {
  return app === 'free' ? 'connect' : 'stay';
}
