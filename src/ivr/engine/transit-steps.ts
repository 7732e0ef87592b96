/** Nodes that wait for nothing: goto, and hours (open/closed by the calendar). */
import type { GotoNode, HoursNode } from '../config-schema.js';
import type { Step } from './step.js';

export const gotoStep: Step<GotoNode> = {
  enter(node, ctx, carried) {
    ctx.jump(node.to, carried);
  },
  digit() {},
};

export const hoursStep: Step<HoursNode> = {
  enter(node, ctx, carried) {
    const open = ctx.isOpen(node.schedule);
    ctx.go(open ? node.open : node.closed, null, open ? 'open' : 'closed', carried);
  },
  digit() {},
};
