/**
 * menu: prompts (a digit stops them), then wait for a key. An unknown key plays the
 * "invalid" prompt, no key the "no input" prompt, and the menu again; after `retries`
 * the caller goes to `onFail`.
 */
import type { MenuNode } from '../config-schema.js';
import type { Step, StepContext } from './step.js';

function prompt(node: MenuNode, ctx: StepContext, before?: string): void {
  const prompts = before ? [before, ...node.prompts] : node.prompts;
  ctx.play(prompts, 'barge-in', () => ctx.wait(node.timeoutMs ?? ctx.timing.inputTimeoutMs, () => retry(node, ctx, null)));
}

function retry(node: MenuNode, ctx: StepContext, invalidDigit: string | null): void {
  const outcome = invalidDigit === null ? 'timeout' : 'invalid';
  const used = Number(ctx.scratch.retries ?? 0);
  if (used >= node.retries) {
    ctx.go(node.onFail, invalidDigit, `${outcome}:retries-exhausted`);
    return;
  }
  ctx.scratch.retries = used + 1;
  ctx.note(invalidDigit, outcome);
  prompt(node, ctx, invalidDigit === null ? node.noInputPrompt : node.invalidPrompt);
}

export const menuStep: Step<MenuNode> = {
  enter(node, ctx, carried) {
    if (carried !== undefined) this.digit(node, carried, ctx);
    else prompt(node, ctx);
  },
  digit(node, digit, ctx) {
    ctx.cancelWait();
    const target = node.options[digit];
    if (target) ctx.go(target, digit, `option-${digit}`);
    else retry(node, ctx, digit);
  },
};
