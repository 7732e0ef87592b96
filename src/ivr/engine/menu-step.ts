/**
 * menu: prompts (a digit stops them), then wait for a key. An unknown key plays the
 * "invalid" prompt, no key the "no input" prompt, and the menu again; after `retries`
 * the caller goes to `onFail`.
 */
import type { MenuNode } from '../config-schema.js';
import { retryOrFail } from './input-retry.js';
import type { Step, StepContext } from './step.js';

function prompt(node: MenuNode, ctx: StepContext, before?: string): void {
  const prompts = before ? [before, ...node.prompts] : node.prompts;
  ctx.play(prompts, 'barge-in', () => ctx.wait(node.timeoutMs ?? ctx.timing.inputTimeoutMs, () => retry(node, ctx, null)));
}

function retry(node: MenuNode, ctx: StepContext, invalidDigit: string | null): void {
  retryOrFail(node, ctx, invalidDigit, (before) => prompt(node, ctx, before));
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
