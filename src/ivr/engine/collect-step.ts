/**
 * collect: prompts (a digit stops them), then digits until the terminator, `maxDigits`, or
 * a pause of `interDigitTimeoutMs` after at least `minDigits`. Kept under `into` for later
 * nodes. The emergency key is not live here: its digit may be part of the number.
 */
import type { CollectNode } from '../config-schema.js';
import { retryOrFail } from './input-retry.js';
import type { Step, StepContext } from './step.js';

function prompt(node: CollectNode, ctx: StepContext, before?: string): void {
  ctx.scratch.digits = '';
  const prompts = before ? [before, ...node.prompts] : node.prompts;
  ctx.play(prompts, 'barge-in', () => ctx.wait(node.timeoutMs ?? ctx.timing.inputTimeoutMs, () => retry(node, ctx, null)));
}

function retry(node: CollectNode, ctx: StepContext, invalidInput: string | null): void {
  retryOrFail(node, ctx, invalidInput, (before) => prompt(node, ctx, before));
}

function finish(node: CollectNode, ctx: StepContext): void {
  const digits = String(ctx.scratch.digits ?? '');
  if (digits.length === 0) return retry(node, ctx, null);
  if (digits.length < node.minDigits) return retry(node, ctx, digits);
  ctx.vars[node.into] = digits;
  ctx.go(node.next, digits, 'collected');
}

export const collectStep: Step<CollectNode> = {
  enter(node, ctx, carried) {
    ctx.scratch.digits = '';
    if (carried !== undefined) this.digit(node, carried, ctx);
    else prompt(node, ctx);
  },
  digit(node, digit, ctx) {
    ctx.cancelWait();
    if (digit === node.terminator) return finish(node, ctx);
    if (!/^[0-9]$/.test(digit)) return retry(node, ctx, `${String(ctx.scratch.digits ?? '')}${digit}`);
    const digits = `${String(ctx.scratch.digits ?? '')}${digit}`;
    ctx.scratch.digits = digits;
    if (digits.length >= node.maxDigits) return finish(node, ctx);
    ctx.wait(node.interDigitTimeoutMs ?? ctx.timing.interDigitTimeoutMs, () => finish(node, ctx));
  },
};
