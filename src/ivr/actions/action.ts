/**
 * What a terminal or side-effecting menu step is: one file per action under `actions/`,
 * like jambonz's tasks. An action declares the schema of its node in the config, the
 * outcomes it can report (each needs an edge in the node's `on`), what it refers to (for
 * the start-up checks), and how it runs on a call. A new action is a new file plus one line
 * in `actions/index.ts`; the engine and the runner do not change.
 */
import type { Logger } from 'pino';
import type { CallContext, FlowResult } from '../../calls/index.js';
import type { IvrPorts } from '../ports/handoff.js';
import type { TicketStatusLookup } from '../ports/ticket-status.js';
import type { TicketStatusConfig } from '../ticket-status-config.js';

export interface ActionRefs {
  prompts?: string[];
  queues?: string[];
  routes?: string[];
}

export interface ActionDeps {
  ports: IvrPorts;
  ticketStatus: TicketStatusLookup;
  ticketStatusConfig: TicketStatusConfig;
  /** Skill of each configured queue, for queue nodes that name no skill. */
  queueSkills: Record<string, string>;
  /** What the caller hears when a hand-off fails: the general one, and the emergency one. */
  prompts: { fault: string; emergencyFailed: string };
  /** The emergency key and its route: live while a queued caller waits, too. */
  emergency: { key: string; route: string };
  log: Logger;
}

/** What the engine knows at the moment it runs the action. */
export interface ActionRun {
  nodeId: string;
  /** How many times this node has run in this call, this run included. */
  visit: number;
  /** Values collected by `collect` nodes, by their `into` name. */
  vars: Readonly<Record<string, string>>;
  /** Set when a priority caller reaches a queue node: overrides the node's priority. */
  priority?: number;
  /** Why a queue is reached: the menu, direct-to-human mode or a priority caller. */
  reason: 'menu' | 'direct-to-human' | 'priority-caller' | 'emergency-key';
}

export type ActionResult =
  /** The call is done with the menu: the flow ends with this result. */
  | { end: FlowResult; outcome: string }
  /** The menu goes on along the node's edge for this outcome. */
  | { outcome: string };

export interface IvrAction<N extends { kind: string }> {
  readonly kind: N['kind'];
  /** Outcomes that continue the menu: each needs an edge in the node's `on`. */
  readonly outcomes: readonly string[];
  references(node: N): ActionRefs;
  /**
   * What a hand-off is about to do ('queue:general'): recorded before it runs, because the
   * call may leave the app (and its record close) before the action returns.
   */
  intent?(node: N): string;
  run(call: CallContext, node: N, run: ActionRun, deps: ActionDeps): Promise<ActionResult>;
}
