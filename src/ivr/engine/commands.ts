/**
 * The menu engine's language: events in, commands out. The runner turns commands into
 * calls on the CallContext and feeds back what happened as events; tests do the same with
 * plain arrays.
 */
import type { ActionNode } from '../config-schema.js';

export type CallerClass = 'normal' | 'priority' | 'restricted';
export type QueueRoute = 'menu' | 'direct-to-human' | 'priority-caller' | 'emergency-key';

export interface StartInput {
  /** The line tag of the number dialled. */
  line: string;
  caller: CallerClass;
  /** Digits the caller pressed before the menu started (while look-ups ran). */
  pendingDigits?: string[];
}

export type EngineEvent =
  | { type: 'digit'; digit: string }
  /** A play command ended; `interrupted` needs no digit here: digits arrive as `digit` events. */
  | { type: 'prompt-ended'; playId: number; reason: 'finished' | 'interrupted' | 'failed' | 'timeout' | 'hangup' }
  | { type: 'timeout'; timerId: number }
  /** A run-action command ended. `final`: the flow ends with it (the runner holds the result). */
  | { type: 'action-ended'; outcome: string; final: boolean }
  | { type: 'hangup' };

export interface StepRecord {
  node: string;
  input: string | null;
  outcome: string;
}

export type Command =
  /** Play one prompt with barge-in on (every digit stops it; the engine decides what the digit means). */
  | { type: 'play'; playId: number; prompt: string }
  | { type: 'start-timer'; timerId: number; ms: number }
  | { type: 'cancel-timer'; timerId: number }
  | { type: 'record'; step: StepRecord; next: string | null }
  | {
      type: 'run-action';
      nodeId: string;
      node: ActionNode;
      visit: number;
      vars: Record<string, string>;
      reason: QueueRoute;
      priority?: number;
    }
  /** The engine cannot go on (a fault the start-up checks should have caught). */
  | { type: 'fail'; reason: string };
