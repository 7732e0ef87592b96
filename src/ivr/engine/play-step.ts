/** play: prompts, then the next node. A digit skips the rest and is carried on (barge-in). */
import type { PlayNode } from '../config-schema.js';
import type { Step } from './step.js';

export const playStep: Step<PlayNode> = {
  enter(node, ctx) {
    ctx.play(node.prompts, node.mandatory ? 'mandatory' : 'barge-in', () => ctx.go(node.next, null, 'played'));
  },
  digit(node, digit, ctx) {
    ctx.go(node.next, digit, 'skipped', digit);
  },
};
