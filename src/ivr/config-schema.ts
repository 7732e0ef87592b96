/**
 * The `ivr` section of the hotline config: the menu as data.
 *
 * Each line (the main number, merged hotlines) has its announcements, its menu entry and its
 * agent node. The emergency key is global and live during announcements, menus and the
 * prompts of terminal nodes: it is checked before anything else. Nodes are either engine
 * steps (play, menu, collect, goto, hours) or actions (one file each in `actions/`).
 * Cross-references (prompts, queues, routes, schedules, reachability, loops) are checked
 * by `config-check.ts` once the whole hotline config is known.
 */
import { z } from 'zod';
import { ActionNodeSchemas } from './actions/index.js';
import { Key, NodeId, PromptId, RouteName } from './ids.js';
import { TicketStatusConfigSchema } from './ticket-status-config.js';

const Retries = z.number().int().min(0).max(5).default(2);
const TimeoutMs = z.number().int().min(1000).max(60_000);

export const PlayNodeSchema = z.object({
  kind: z.literal('play'),
  prompts: z.array(PromptId).min(1),
  next: NodeId,
  /** A digit restarts the prompt instead of skipping it (notices the caller must hear). */
  mandatory: z.boolean().default(false),
});

export const MenuNodeSchema = z.object({
  kind: z.literal('menu'),
  prompts: z.array(PromptId).min(1),
  options: z.record(Key, NodeId).refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option'),
  /** Wait for a key after the prompts; defaults to `timing.inputTimeoutMs`. */
  timeoutMs: TimeoutMs.optional(),
  retries: Retries,
  noInputPrompt: PromptId,
  invalidPrompt: PromptId,
  /** Where a caller goes after the last retry: a 12345 menu never just hangs up. */
  onFail: NodeId,
});

export const CollectNodeSchema = z.object({
  kind: z.literal('collect'),
  prompts: z.array(PromptId).min(1),
  /** The name the digits are kept under, for later nodes (e.g. ticket-status). */
  into: z.string().regex(/^[a-z][a-z0-9-]*$/),
  minDigits: z.number().int().min(1).max(32).default(1),
  maxDigits: z.number().int().min(1).max(32).default(20),
  terminator: z.enum(['#', '*']).default('#'),
  timeoutMs: TimeoutMs.optional(),
  interDigitTimeoutMs: TimeoutMs.optional(),
  retries: Retries,
  noInputPrompt: PromptId,
  invalidPrompt: PromptId,
  next: NodeId,
  onFail: NodeId,
});

export const GotoNodeSchema = z.object({ kind: z.literal('goto'), to: NodeId });

export const HoursNodeSchema = z.object({
  kind: z.literal('hours'),
  /** A schedule of `calendar.openingHours`. */
  schedule: z.string(),
  open: NodeId,
  closed: NodeId,
});

export const IvrNodeSchema = z.discriminatedUnion('kind', [
  PlayNodeSchema,
  MenuNodeSchema,
  CollectNodeSchema,
  GotoNodeSchema,
  HoursNodeSchema,
  ...ActionNodeSchemas,
]);

export const LineEntrySchema = z.object({
  /** Played first to every caller of the line, emergency key live; a digit restarts a prompt. */
  announcements: z.array(PromptId).default([]),
  /** Where the menu starts after the announcements. */
  entry: NodeId,
  /** A queue node: direct-to-human mode and priority callers go here after the announcements. */
  agent: NodeId,
});

export const IvrConfigSchema = z
  .object({
    /** GB/T 33358-2016 advises against a menu for phone intake: `direct-to-human` skips it. */
    mode: z.enum(['menu', 'direct-to-human']).default('menu'),
    timing: z
      .object({
        inputTimeoutMs: TimeoutMs.default(6000),
        interDigitTimeoutMs: TimeoutMs.default(4000),
        /** How often one mandatory prompt restarts on stray keys before it is let go. */
        maxReplays: z.number().int().min(0).max(5).default(2),
      })
      .prefault({}),
    emergency: z.object({
      key: Key.default('9'),
      route: RouteName,
      /** "转接失败，请直接拨打110、119、120" — when the transfer fails twice. */
      failedPrompt: PromptId,
    }),
    /** Emergency routes the dialplan / emergency linkage knows. */
    routes: z.array(RouteName).min(1),
    /** Queues the menu may hand to, with the skill asked for when a node names none. */
    /** Per line tag of `hotline.numbers`; a line with none uses `hotline.defaultLine`'s. */
    lines: z.record(z.string(), LineEntrySchema),
    /** "系统繁忙，请稍后再拨" — when a hand-off fails. */
    faultPrompt: PromptId,
    priorityCallers: z
      .object({
        /** Numbers from the config; more are added through the API (a Redis set). */
        numbers: z.array(z.string().regex(/^\+?[0-9]{5,20}$/)).default([]),
        priority: z.number().int().min(0).max(10).default(9),
        lookupTimeoutMs: z.number().int().min(50).max(5000).default(300),
      })
      .prefault({}),
    restriction: z
      .object({
        /** The automatic rule; supervisor flags through the API apply regardless. */
        rule: z
          .object({
            enabled: z.boolean().default(true),
            /** Restricted when more than `maxCalls` calls in `windowMinutes`. */
            maxCalls: z.number().int().min(1).default(10),
            windowMinutes: z.number().int().min(1).max(1440).default(60),
            restrictMinutes: z.number().int().min(1).max(1440).default(30),
          })
          .prefault({}),
        /** Where a restricted caller goes: a notice (emergency key live), then hang up. */
        entry: NodeId,
        lookupTimeoutMs: z.number().int().min(50).max(5000).default(300),
        /** Supervisor flags last at most this long. */
        maxFlagMinutes: z.number().int().min(1).default(7 * 24 * 60),
      }),
    ticketStatus: TicketStatusConfigSchema.prefault({}),
    dialplan: z
      .object({
        /** Context the default hand-off continues in (extensions queue, emergency, transfer, callback). */
        context: z.string().regex(/^[A-Za-z0-9_-]+$/).default('hotline-ivr-handoff'),
      })
      .prefault({}),
    nodes: z.record(NodeId, IvrNodeSchema),
  });

export type IvrConfig = z.infer<typeof IvrConfigSchema>;
export type IvrNode = z.infer<typeof IvrNodeSchema>;
export type PlayNode = z.infer<typeof PlayNodeSchema>;
export type MenuNode = z.infer<typeof MenuNodeSchema>;
export type CollectNode = z.infer<typeof CollectNodeSchema>;
export type GotoNode = z.infer<typeof GotoNodeSchema>;
export type HoursNode = z.infer<typeof HoursNodeSchema>;
export type EngineNode = PlayNode | MenuNode | CollectNode | GotoNode | HoursNode;
export type ActionNode = Exclude<IvrNode, EngineNode>;
export type LineEntry = z.infer<typeof LineEntrySchema>;

export const ENGINE_KINDS: ReadonlySet<string> = new Set(['play', 'menu', 'collect', 'goto', 'hours']);

export function isActionNode(node: IvrNode): node is ActionNode {
  return !ENGINE_KINDS.has(node.kind);
}
