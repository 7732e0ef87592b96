/** What the engine's parts share: Asterisk, the ACD's config and stores, the clock, the publisher of agent changes. */
import type { Logger } from 'pino';
import type { AriPort } from '../../ari/index.js';
import type { AgentStateChanged } from '../agent-events.js';
import type { AgentStore } from '../agent-store.js';
import type { CallQueue } from '../call-queue.js';
import type { AcdConfig } from '../config-schema.js';

export interface EngineParts {
  ari: AriPort;
  config: AcdConfig;
  agents: AgentStore;
  calls: CallQueue;
  now(): number;
  /** Publishes an agent's change (and routes calls when the agent is ready). */
  changed(event: AgentStateChanged): void;
  log: Logger;
  /** Runs a routing pass now (after a call went back to its queue). */
  route?(): void;
}

/** The talk record other parts (supervision) read: written when caller and agent are connected, removed at the end. */
export interface TalkRecords {
  save(callId: string, fields: Record<string, string>): Promise<unknown>;
  remove(callId: string): Promise<unknown>;
}
