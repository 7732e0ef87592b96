/**
 * The cross-node offer hand-off (deploy/README.md, "What crosses nodes"). Queues, agents and
 * picks are in Redis, shared by the instances of every Asterisk node, but an agent leg can
 * only be originated on the node holding the caller, into that node's app. A pick whose
 * caller is held by an app of another node (NodeApps) is therefore sent to that app's
 * instance on its own pub/sub channel, `<prefix>acd:handoff:<app>`; that instance places the
 * offer exactly as its own pick (placeOffer: same offer channel id, ring timeout, failure
 * handling), and hears the leg from then on. The pair stays reserved in Redis meanwhile, so
 * no other pick takes the call or the agent.
 *
 * Who settles it: one claim key per offer (`<prefix>acd:handoff-claim:<offerChannel>`, SET
 * NX). The holder's instance claims it `taken` before it originates; the instance that picked
 * claims it `released` once `timeoutMs` has passed. Whichever claim is first decides, so an
 * offer is either placed by the holder or released by the picker, never both: a holder that
 * is dead, not connected to its Asterisk, or whose message was lost (pub/sub is fire and
 * forget) leaves it to the picker, which gives the call back to the head of its queue and the
 * agent back to ready (offerNotPlaced), as an offer Asterisk could not place.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { z } from 'zod';
import { createRedis, keyspace } from '../../redis/connection.js';
import type { PickedCall } from '../router.js';
import type { NodeApps } from './node-apps.js';
import type { OfferToPlace } from './offerer.js';

/** How long the picking instance waits for the holder's claim before it releases the pair. */
export const HAND_OFF_TIMEOUT_MS = 2000;
/** A claim outlives any late message for its offer (one offer channel id is used once). */
const CLAIM_TTL_MS = 60_000;
const METRIC = 'hotline_acd_offer_handoffs_total';

/** How a hand-off ended, seen by the instance that picked: placed by the holder, released here, or not known (Redis away). */
export type HandOffOutcome = 'taken' | 'released' | 'unsure';

/** A pick as it travels: untrusted input on the receiving side. */
const HandedOffer = z.object({
  callId: z.string().min(1),
  agentId: z.string().min(1),
  queue: z.string().min(1),
  skill: z.string(),
  priority: z.number(),
  enqueuedAt: z.number(),
  agentLevel: z.number(),
  endpoint: z.string().min(1),
  app: z.string().min(1),
  caller: z.string(),
  kind: z.enum(['inbound', 'callback']),
  offerChannel: z.string().min(1),
});

export function handOffChannel(keyPrefix: string, app: string): string {
  return keyspace(`${keyPrefix}acd:`)('handoff', app);
}

export function handOffClaimKey(keyPrefix: string, offerChannel: string): string {
  return keyspace(`${keyPrefix}acd:`)('handoff-claim', offerChannel);
}

export interface OfferHandOffOptions {
  redisUrl: string;
  keyPrefix: string;
  /** Publishes hand-offs and sets claims (the ACD's command connection). */
  redis: Redis;
  /** This instance's app: the channel it takes hand-offs on. */
  app: string;
  nodeApps: NodeApps;
  /** Whether this instance can originate now (connected to its Asterisk): a hand-off is taken only then. */
  canPlace: () => boolean;
  log: Logger;
  metrics: Registry;
  timeoutMs?: number;
}

export class OfferHandOff {
  private subscriber: Redis | null = null;
  private place: ((offer: OfferToPlace) => Promise<void>) | null = null;
  /** Hand-offs sent from here and not settled yet: their wait, ended early at stop. */
  private readonly pending = new Set<() => void>();
  private readonly counter: Counter<'result'>;
  private readonly log: Logger;
  private readonly timeoutMs: number;

  constructor(private readonly options: OfferHandOffOptions) {
    this.log = options.log.child({ part: 'acd-handoff' });
    this.timeoutMs = options.timeoutMs ?? HAND_OFF_TIMEOUT_MS;
    this.counter = new Counter({
      name: METRIC,
      help: 'Offers of calls held on another node: taken, released (nobody took it in time: call requeued, agent ready) or unsure (Redis away) as seen by the picking instance; placed or late (already released) on the holding instance',
      labelNames: ['result'] as const,
      registers: [options.metrics],
    });
  }

  /** Whether the app holding a picked caller is on this node: its offer is then placed here. */
  isHere(app: string): Promise<boolean> {
    return this.options.nodeApps.isHere(app);
  }

  /** Hands a pick to the instance of its app and waits for the outcome (at most the timeout and one Redis round trip). */
  async send(picked: PickedCall): Promise<HandOffOutcome> {
    const { event: _published, ...offer } = picked;
    const where = { callId: offer.callId, agentId: offer.agentId, app: offer.app, offerChannel: offer.offerChannel };
    let receivers: number | undefined;
    try {
      receivers = await this.options.redis.publish(handOffChannel(this.options.keyPrefix, offer.app), JSON.stringify(offer));
    } catch (err) {
      // Not sent: nobody can claim it, the wait below ends in a release.
      this.log.warn({ err, ...where }, 'a hand-off was not published');
    }
    this.log.info({ ...where, receivers }, 'offer of a call held on another node handed to its instance');
    await this.wait();
    let claimed: string | null;
    try {
      claimed = await this.options.redis.set(handOffClaimKey(this.options.keyPrefix, offer.offerChannel), 'released', 'PX', CLAIM_TTL_MS, 'NX');
    } catch (err) {
      this.counter.inc({ result: 'unsure' });
      this.log.warn({ err, ...where }, 'hand-off not settled: Redis did not answer; the pair stays reserved');
      return 'unsure';
    }
    if (claimed !== 'OK') {
      this.counter.inc({ result: 'taken' });
      return 'taken';
    }
    this.counter.inc({ result: 'released' });
    this.log.warn({ ...where, timeoutMs: this.timeoutMs }, 'no instance took the hand-off in time: the call goes back to the head of its queue, the agent is ready again');
    return 'released';
  }

  /** Takes hand-offs for this instance's app; `place` originates them as this instance's own picks. */
  start(place: (offer: OfferToPlace) => Promise<void>): void {
    this.place = place;
    if (this.subscriber) return;
    const channel = handOffChannel(this.options.keyPrefix, this.options.app);
    // A subscribed connection takes no other command: its own. ioredis subscribes again after a reconnect.
    const sub = createRedis({ url: this.options.redisUrl, keyPrefix: this.options.keyPrefix, log: this.log, name: 'acd-handoff' }, { commandTimeout: undefined });
    this.subscriber = sub;
    sub.on('message', (from: string, raw: string) => {
      if (from === channel) void this.received(raw);
    });
    sub.subscribe(channel).catch((err: unknown) => this.log.warn({ err }, 'not subscribed to hand-offs yet; ioredis retries on reconnect'));
  }

  /** Stops taking hand-offs; those sent from here are settled at once (released unless taken already). */
  stop(): void {
    this.place = null;
    this.subscriber?.disconnect();
    this.subscriber = null;
    for (const settle of [...this.pending]) settle();
  }

  /** Takes the counter out of the registry (the service stops for good). */
  unregister(): void {
    this.options.metrics.removeSingleMetric(METRIC);
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.pending.delete(settle);
        resolve();
      };
      const timer = setTimeout(settle, this.timeoutMs);
      timer.unref();
      this.pending.add(settle);
    });
  }

  private async received(raw: string): Promise<void> {
    let offer: OfferToPlace;
    try {
      offer = HandedOffer.parse(JSON.parse(raw));
    } catch (err) {
      this.log.warn({ err }, 'an unreadable hand-off was ignored');
      return;
    }
    const where = { callId: offer.callId, agentId: offer.agentId, offerChannel: offer.offerChannel };
    const place = this.place;
    // Not connected to this node's Asterisk: left to the picker's release rather than failed here.
    if (!place || !this.options.canPlace()) {
      this.log.warn(where, 'hand-off not taken: not connected to Asterisk');
      return;
    }
    let claimed: string | null;
    try {
      claimed = await this.options.redis.set(handOffClaimKey(this.options.keyPrefix, offer.offerChannel), 'taken', 'PX', CLAIM_TTL_MS, 'NX');
    } catch (err) {
      this.log.warn({ err, ...where }, 'hand-off not taken: Redis did not answer the claim');
      return;
    }
    if (claimed !== 'OK') {
      this.counter.inc({ result: 'late' });
      this.log.warn(where, 'hand-off came after the picking instance released it: not placed');
      return;
    }
    this.counter.inc({ result: 'placed' });
    this.log.info(where, 'offer handed over from another node placed here');
    await place(offer);
  }
}
