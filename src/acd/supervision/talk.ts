/**
 * The talk record of a call an agent is on (`<prefix>acd:talk:<callId>`, written by the
 * offering engine when caller and agent are bridged, deleted when the call ends): where a
 * supervisor finds the agent's channel and the call's bridge.
 */
import type { Redis } from 'ioredis';
import type { AcdKeys } from '../keys.js';

export interface CallTalk {
  callerChannel: string;
  agentChannel: string;
  /** The call's mixing bridge, `call-<callId>`. */
  bridge: string;
  /** The Stasis app owning the call's channels. */
  app: string;
}

export async function readTalk(redis: Redis, keys: AcdKeys, callId: string): Promise<CallTalk | null> {
  const [callerChannel, agentChannel, bridge, app] = await redis.hmget(keys.talk(callId), 'callerChannel', 'agentChannel', 'bridge', 'app');
  if (!agentChannel || !bridge) return null;
  return { callerChannel: callerChannel ?? '', agentChannel, bridge, app: app ?? '' };
}

/** Which of these calls still talk, in one round trip. */
export async function stillTalking(redis: Redis, keys: AcdKeys, callIds: readonly string[]): Promise<Set<string>> {
  if (callIds.length === 0) return new Set();
  const pipeline = redis.pipeline();
  for (const callId of callIds) pipeline.exists(keys.talk(callId));
  const replies = (await pipeline.exec()) ?? [];
  // A failed read counts as talking: only a call known to be over ends its supervisions.
  return new Set(callIds.filter((_, at) => replies[at]?.[0] || replies[at]?.[1] === 1));
}
