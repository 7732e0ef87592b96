/**
 * The ACD's changes as they happen, on this instance and on every other one sharing Redis:
 * agents' state changes (for each agent's own live feed, src/http/routes/acd-agent-live.ts)
 * and "the figures moved" (for the wallboards' push, AcdStats.notify). A change made here is
 * told to this instance's listeners at once, then published on one Redis pub/sub channel;
 * each instance hears the others' messages there and skips its own.
 *
 * Pub/sub is fire and forget: a message sent while an instance's subscriber reconnects is
 * lost to it. That is what `onResync` is for: after its subscriber is back, an instance
 * tells its listeners to read the state afresh (the wallboards' 2 s tick catches up anyway).
 * A receiver orders an agent's changes by `version` and reads the agent again on a gap.
 *
 * Under load every call records figures several times; the other instances only read their
 * figures again (coalesced there too), so "the figures moved" is published at once and then
 * at most once more per `figuresEveryMs` however often it is called meanwhile. Each
 * instance also hears its own messages on the channel: they are known by their first bytes
 * and skipped before any parsing.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createRedis, keyspace } from '../../redis/connection.js';
import { FailureStreak } from '../../shared/failure-streak.js';
import type { AgentStateChanged } from '../agent-events.js';

export interface LiveChangesOptions {
  redisUrl: string;
  /** The service's key prefix: the channel is `<prefix>acd:changes`. */
  keyPrefix: string;
  /** The connection messages are published on (the ACD's command connection). */
  publisher: Redis;
  log: Logger;
  /** "The figures moved" goes out at most once more per this window after the first (default 100 ms). */
  figuresEveryMs?: number;
}

export interface LiveChanges {
  /** An agent's change made on this instance: told here at once, then to the other instances. */
  agentChanged(event: AgentStateChanged): void;
  /** Figures recorded on this instance (a call queued, answered, abandoned, ended): the other instances read theirs again. */
  figuresChanged(): void;
  /** Every agent change, made here or on another instance; returns the unsubscribe. */
  onAgentChange(listener: (event: AgentStateChanged) => void): () => void;
  /** Every change another instance reported (agents and figures); returns the unsubscribe. */
  onRemoteChange(listener: () => void): () => void;
  /** The subscriber is back after a drop: messages may have been missed, read afresh. */
  onResync(listener: () => void): () => void;
  start(): void;
  stop(): void;
}

/** An agent change as it travels: the state is the store's, checked only for its shape's frame. */
const Message = z.object({
  from: z.string(),
  agent: z
    .looseObject({ agentId: z.string(), from: z.string(), to: z.string(), version: z.number().int(), state: z.looseObject({ kind: z.string(), since: z.number() }) })
    .optional(),
});

export function liveChangesChannel(keyPrefix: string): string {
  return keyspace(`${keyPrefix}acd:`)('changes');
}

export function createLiveChanges(options: LiveChangesOptions): LiveChanges {
  const log = options.log.child({ part: 'acd-changes' });
  const channel = liveChangesChannel(options.keyPrefix);
  const instance = randomUUID();
  // How this instance's own messages begin (JSON.stringify keeps `from` first): skipped unparsed.
  const ownPrefix = `{"from":${JSON.stringify(instance)}`;
  const figuresEveryMs = options.figuresEveryMs ?? 100;
  /** Set while a window after a figures message runs; `pending` when another is due at its end. */
  let figuresWindow: NodeJS.Timeout | null = null;
  let figuresPending = false;
  const agentListeners = new Set<(event: AgentStateChanged) => void>();
  const remoteListeners = new Set<() => void>();
  const resyncListeners = new Set<() => void>();
  const publishFailures = new FailureStreak(30_000);
  let subscriber: Redis | null = null;

  function tell<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (err) {
        log.warn({ err }, 'a live change listener failed');
      }
    }
  }

  function publish(message: z.infer<typeof Message>): void {
    options.publisher.publish(channel, JSON.stringify(message)).then(
      () => publishFailures.succeeded(),
      (err: unknown) => {
        if (publishFailures.failed(err)) log.warn({ err, failingInARow: publishFailures.streak }, 'a live change was not published to the other instances');
      },
    );
  }

  /** One "figures moved" now, unless a window runs: then one at its end, for every call meanwhile. */
  function figuresChanged(): void {
    if (figuresWindow) {
      figuresPending = true;
      return;
    }
    publish({ from: instance });
    figuresWindow = setTimeout(() => {
      figuresWindow = null;
      if (!figuresPending) return;
      figuresPending = false;
      figuresChanged();
    }, figuresEveryMs);
    figuresWindow.unref();
  }

  function received(raw: string): void {
    if (raw.startsWith(ownPrefix)) return;
    let parsed: z.infer<typeof Message>;
    try {
      parsed = Message.parse(JSON.parse(raw));
    } catch (err) {
      log.warn({ err }, 'an unreadable live change was ignored');
      return;
    }
    if (parsed.from === instance) return;
    if (parsed.agent) tell(agentListeners, parsed.agent as unknown as AgentStateChanged);
    tell(remoteListeners, undefined);
  }

  const add = <T>(set: Set<T>, listener: T): (() => void) => {
    set.add(listener);
    return () => set.delete(listener);
  };

  return {
    agentChanged(event) {
      tell(agentListeners, event);
      publish({ from: instance, agent: event as unknown as z.infer<typeof Message>['agent'] });
    },
    figuresChanged,
    onAgentChange: (listener) => add(agentListeners, listener),
    onRemoteChange: (listener) => add(remoteListeners, listener),
    onResync: (listener) => add(resyncListeners, listener),
    start() {
      if (subscriber) return;
      // A subscribed connection takes no other command: its own. ioredis subscribes again after a reconnect.
      const sub = createRedis({ url: options.redisUrl, keyPrefix: options.keyPrefix, log, name: 'acd-changes' }, { commandTimeout: undefined });
      subscriber = sub;
      let subscribedOnce = false;
      sub.on('message', (from: string, raw: string) => {
        if (from === channel) received(raw);
      });
      sub.on('ready', () => {
        if (subscribedOnce) tell(resyncListeners, undefined);
      });
      sub.subscribe(channel).then(
        () => {
          subscribedOnce = true;
        },
        (err: unknown) => log.warn({ err }, 'not subscribed to the other instances\' changes yet; ioredis retries on reconnect'),
      );
    },
    stop() {
      if (figuresWindow) clearTimeout(figuresWindow);
      figuresWindow = null;
      figuresPending = false;
      subscriber?.disconnect();
      subscriber = null;
      agentListeners.clear();
      remoteListeners.clear();
      resyncListeners.clear();
    },
  };
}
