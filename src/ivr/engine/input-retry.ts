/**
 * What menus and digit collection do with no input or a wrong one: note it, then ask again
 * after the matching prompt ("no input" / "invalid"), until `retries` are used up and the
 * caller goes on to `onFail` (typically an agent: nobody is dropped for not pressing keys).
 */
import type { StepContext } from './step.js';

export interface RetryingNode {
  retries: number;
  onFail: string;
  noInputPrompt: string;
  invalidPrompt: string;
}

/** `badInput` null means the caller pressed nothing in time. */
export function retryOrFail(node: RetryingNode, ctx: StepContext, badInput: string | null, askAgain: (before: string) => void): void {
  const outcome = badInput === null ? 'timeout' : 'invalid';
  const used = Number(ctx.scratch.retries ?? 0);
  if (used >= node.retries) {
    ctx.go(node.onFail, badInput, `${outcome}:retries-exhausted`);
    return;
  }
  ctx.scratch.retries = used + 1;
  ctx.note(badInput, outcome);
  askAgain(badInput === null ? node.noInputPrompt : node.invalidPrompt);
}
