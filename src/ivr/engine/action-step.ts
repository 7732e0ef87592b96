/**
 * Action nodes (queue, emergency, ticket status …): the node's prompts (emergency key live,
 * other keys skip to the next prompt), then the runner runs the action. The engine only
 * knows the action's edges (`on`), never what it does.
 */
import type { ActionNode } from '../config-schema.js';
import type { Step } from './step.js';

export const actionStep: Step<ActionNode> = {
  enter(node, ctx) {
    ctx.play(node.prompts, 'info', () => ctx.runAction());
  },
  digit() {},
};
