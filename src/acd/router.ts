/**
 * Routing: asks the pick script (scripts/acd-pick.lua) for the next call of a queue and
 * its agent, in one round trip, and turns the answer into what the caller acts on: whom to
 * ring for which call, and the agent's `agent.state-changed` to publish.
 */
import type { Redis } from 'ioredis';
import { agentStateChanged, type AgentStateChanged } from './agent-events.js';
import type { AgentState } from './agent-state.js';
import type { AcdConfig } from './config-schema.js';
import { AcdError } from './errors.js';
import type { AcdKeys } from './keys.js';
import type { CallKind } from './call-queue.js';
import type { AcdMetrics } from './metrics.js';
import { runAcdScript } from './redis-scripts.js';
import { routingRules } from './routing-rules.js';

export interface PickedCall {
  callId: string;
  agentId: string;
  queue: string;
  skill: string;
  priority: number;
  enqueuedAt: number;
  /** The level of the skill the agent was picked for. */
  agentLevel: number;
  /** The agent's softphone, e.g. `PJSIP/1001`. */
  endpoint: string;
  /** The Stasis app holding the caller (the agent leg is originated into it); '' when not told. */
  app: string;
  caller: string;
  kind: CallKind;
  /** The id the agent leg's channel gets: the call keeps it, so whoever takes the call out can hang the phone up. */
  offerChannel: string;
  event: AgentStateChanged;
}

export class Router {
  private readonly rules: Map<string, string>;
  /** The skills calls may ask for: the script looks at each one's waiting set. */
  private readonly skills: string;

  constructor(
    private readonly redis: Redis,
    private readonly keys: AcdKeys,
    private readonly config: Pick<AcdConfig, 'queues' | 'skills'>,
    private readonly metrics?: Pick<AcdMetrics, 'picked'>,
  ) {
    this.skills = JSON.stringify(config.skills);
    this.rules = new Map(Object.entries(config.queues).map(([name, queue]) => [name, JSON.stringify(routingRules(queue))]));
  }

  /** The next call of the queue and the agent now ringing for it; null when no waiting call has an agent now. */
  async pick(queue: string, now: number): Promise<PickedCall | null> {
    const rules = this.rules.get(queue);
    const kind = this.config.queues[queue]?.kind;
    if (!rules || !kind) throw new AcdError('unknownQueue', `unknown queue "${queue}" (not in acd.queues)`);
    const { agentPrefix, readyPrefix, callPrefix, waitingPrefix } = this.keys.scriptPrefixes();
    const started = performance.now();
    const found = (await runAcdScript(
      this.redis,
      'acd-pick',
      [this.keys.stateCounts()],
      [agentPrefix, readyPrefix, callPrefix, waitingPrefix, now, queue, kind, rules, this.skills],
    )) as [string, string, string, string, number, string, string, string, number, string, string, string, string, string] | null;
    this.metrics?.picked(queue, found ? 'picked' : 'none', (performance.now() - started) / 1000);
    if (!found) return null;
    const [callId, agentId, previous, state, version, skill, priority, enqueuedAt, agentLevel, endpoint, app, caller, callKind, offerChannel] = found;
    return {
      callId,
      agentId,
      queue,
      skill,
      priority: Number(priority),
      enqueuedAt: Number(enqueuedAt),
      agentLevel,
      endpoint,
      app,
      caller,
      kind: callKind === 'callback' ? 'callback' : 'inbound',
      offerChannel,
      event: agentStateChanged(agentId, JSON.parse(previous) as AgentState, JSON.parse(state) as AgentState, version),
    };
  }
}
