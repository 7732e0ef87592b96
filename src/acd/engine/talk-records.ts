/**
 * The live talk records (`talk(callId)`: who talks to whom, in which bridge): written when
 * caller and agent are connected, removed at the end, read by supervision and by a restarted
 * instance taking the call over (call-resume.ts). A removal Redis does not take waits for its
 * return (unstored-changes.ts), so an ended talk does not outlive an outage in Redis.
 */
import type { AcdCore } from '../acd-core.js';
import type { TalkRecords } from './engine-parts.js';
import { talkBridgeId } from './offer-ids.js';
import type { UnstoredChanges } from './unstored-changes.js';

/** A live talk record outlives no call: 12 h, as the live call records. */
const TALK_TTL_SECONDS = 12 * 3600;

/** One talk between a caller's channel and an agent's leg, as the process holding the caller knows it. */
export interface LiveTalk {
  callId: string;
  callerChannel: string;
  agentChannel: string;
  /** The Stasis app of the instance holding the caller. */
  app: string;
  agentId: string;
  queue: string;
  answeredAt: number;
}

/** The record's fields for a talk: the one shape the engine writes at the answer and after Redis lost it. */
export function talkRecordFields(talk: LiveTalk): Record<string, string> {
  const { callerChannel, agentChannel, app, agentId, queue } = talk;
  return { callerChannel, agentChannel, bridge: talkBridgeId(talk.callId), app, agentId, queue, answeredAt: String(talk.answeredAt) };
}

export function redisTalkRecords(core: Pick<AcdCore, 'redis' | 'keys'>, unstored: UnstoredChanges): TalkRecords {
  const { redis, keys } = core;
  return {
    save: (callId, fields) => redis.multi().hset(keys.talk(callId), fields).expire(keys.talk(callId), TALK_TTL_SECONDS).exec(),
    remove: (callId) => unstored.run('talk record removal', callId, () => redis.del(keys.talk(callId))),
  };
}
