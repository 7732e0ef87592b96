/** What a supervision is asked for, by whom, and what the Supervision needs to run it. */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AriEvent, AriEventOf, AriPort } from '../../ari/index.js';
import type { AgentStore } from '../agent-store.js';
import type { SupervisionMode } from './plan.js';

/** The registry's hooks for channels the service makes itself (CallRegistry has both). */
export interface SupervisionChannels {
  registerRole(role: string, handler: (event: AriEventOf<'StasisStart'>, args: string[]) => void): void;
  watchChannels(prefix: string, listener: (event: AriEvent, channelId: string) => void): () => void;
}

export interface SupervisionActor {
  name: string;
  role: string;
}

export interface StartSupervision {
  mode: SupervisionMode;
  agentId: string;
  /** Rung first, e.g. `PJSIP/1101`. */
  supervisorEndpoint: string;
  actor: SupervisionActor;
}

export type SupervisionEndReason = 'stopped' | 'supervisor-hung-up' | 'not-answered' | 'call-ended' | 'failed' | 'shutdown';

export interface SupervisionDeps {
  ari: AriPort;
  agents: Pick<AgentStore, 'get'>;
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  /** The SIP proxy's PJSIP endpoint seats are rung through in a multi-node layout (acd.agentsVia); unset: the seat itself. */
  agentsVia?: string;
  /** How long the supervisor's phone rings before Asterisk gives up. */
  ringTimeoutSeconds?: number;
  /** How often the talk records of supervised calls are checked and the Redis records renewed. */
  checkEveryMs?: number;
  /** How long a snoop may take to enter the app before the supervision is given up. */
  snoopStartTimeoutMs?: number;
  newId?: () => string;
  now?: () => number;
}
