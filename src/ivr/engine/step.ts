/**
 * What a node kind's step sees of the engine, and what it must do. One step per file, so a
 * node kind reads on its own; the engine core does prompts, timers, the emergency key and
 * the record.
 */
import type { IvrConfig, IvrNode } from '../config-schema.js';

/**
 * How a digit during a prompt is taken:
 *  - `barge-in`: stops the prompts and goes to the step as input;
 *  - `mandatory`: restarts the prompt (up to `timing.maxReplays`): notices the caller must hear;
 *  - `info`: skips to the next prompt, the digit is dropped.
 */
export type PlayMode = 'barge-in' | 'mandatory' | 'info';

export interface StepContext {
  readonly nodeId: string;
  readonly timing: IvrConfig['timing'];
  /** The node's own scratch state, fresh each time the node is entered. */
  readonly scratch: Record<string, number | string>;
  readonly vars: Record<string, string>;
  readonly now: Date;
  isOpen(schedule: string): boolean;
  play(prompts: string[], mode: PlayMode, then: () => void): void;
  wait(ms: number, onTimeout: () => void): void;
  cancelWait(): void;
  /** Records the step and goes on; `carry` hands a digit to the next node as its first input. */
  go(to: string, input: string | null, outcome: string, carry?: string): void;
  /** Goes on without a record (goto). */
  jump(to: string, carry?: string): void;
  /** Records a step that stays on this node (a retry). */
  note(input: string | null, outcome: string): void;
  runAction(): void;
}

export interface Step<N extends IvrNode> {
  /** `carried`: a digit pressed during the previous node's prompt (barge-in). */
  enter(node: N, ctx: StepContext, carried?: string): void;
  /** A digit that is not the emergency key, while no mandatory/info prompt plays. */
  digit(node: N, digit: string, ctx: StepContext): void;
}
