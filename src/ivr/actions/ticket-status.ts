/**
 * Self-service ticket status: looks up the number a `collect` node took, reads the status
 * back (prompts with Asterisk's `digits:` and `number:` sounds between them), and reports
 * `found`, `retry` (not found, the caller may type it again), `not-found` (out of retries)
 * or `unavailable` (the backend failed or was too slow: the caller hears an apology).
 */
import { z } from 'zod';
import type { CallContext } from '../../calls/index.js';
import { NodeId, PromptId } from '../ids.js';
import type { TicketStatus } from '../ports/ticket-status.js';
import type { TicketStatusConfig } from '../ticket-status-config.js';
import type { ActionDeps, ActionResult, IvrAction } from './action.js';

export const TicketStatusNodeSchema = z.object({
  kind: z.literal('ticket-status'),
  /** The `into` name of the collect node that took the ticket number. */
  ticket: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** How many times an unknown number may be typed again. */
  retries: z.number().int().min(0).max(3).default(1),
  prompts: z.array(PromptId).default([]),
  on: z.object({ found: NodeId, retry: NodeId, 'not-found': NodeId, unavailable: NodeId }),
});
export type TicketStatusNode = z.infer<typeof TicketStatusNodeSchema>;

type Lookup = { kind: 'found'; status: TicketStatus } | { kind: 'none' } | { kind: 'failed'; detail: string };

async function lookUp(call: CallContext, ticketNumber: string, deps: ActionDeps): Promise<Lookup> {
  const controller = new AbortController();
  const onCallEnd = (): void => controller.abort(new Error('call ended'));
  call.signal.addEventListener('abort', onCallEnd, { once: true });
  let cancelTimer = (): void => {};
  // Resolves when the time is up even if the backend ignores the signal.
  const timedOut = new Promise<Lookup>((resolve) => {
    cancelTimer = call.setTimer(deps.ticketStatusConfig.timeoutMs, () => {
      controller.abort(new Error('ticket backend timed out'));
      resolve({ kind: 'failed', detail: `no answer within ${deps.ticketStatusConfig.timeoutMs} ms` });
    });
  });
  const answered = deps.ticketStatus.statusOf(ticketNumber, controller.signal).then(
    (status): Lookup => (status ? { kind: 'found', status } : { kind: 'none' }),
    (err: unknown): Lookup => ({ kind: 'failed', detail: (err as Error)?.message ?? String(err) }),
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    cancelTimer();
    call.signal.removeEventListener('abort', onCallEnd);
  }
}

/** The media that read a status back. */
export function readbackMedia(call: Pick<CallContext, 'promptMedia'>, status: TicketStatus, config: TicketStatusConfig): string[] {
  const p = config.prompts;
  const media = [...call.promptMedia(p.intro), `digits:${status.ticketNumber}`, ...call.promptMedia(p.states[status.state])];
  const due = status.dueDate?.match(/^\d{4}-(\d{2})-(\d{2})$/);
  if (due && status.state !== 'closed') {
    media.push(
      ...call.promptMedia(p.dueDate),
      `number:${Number(due[1])}`,
      ...call.promptMedia(p.month),
      `number:${Number(due[2])}`,
      ...call.promptMedia(p.day),
    );
  }
  return media;
}

export const ticketStatusAction: IvrAction<TicketStatusNode> = {
  kind: 'ticket-status',
  outcomes: ['found', 'retry', 'not-found', 'unavailable'],
  references: (node) => ({ prompts: node.prompts }),
  async run(call, node, run, deps): Promise<ActionResult> {
    const ticketNumber = run.vars[node.ticket] ?? '';
    const result: Lookup = /^[0-9]{1,32}$/.test(ticketNumber) ? await lookUp(call, ticketNumber, deps) : { kind: 'none' };
    if (call.signal.aborted) return { end: { then: 'caller-gone' }, outcome: 'caller-gone' };

    let media: string[];
    let outcome: string;
    if (result.kind === 'found') {
      media = readbackMedia(call, { ...result.status, ticketNumber }, deps.ticketStatusConfig);
      outcome = 'found';
    } else if (result.kind === 'none') {
      media = call.promptMedia(deps.ticketStatusConfig.prompts.notFound);
      outcome = run.visit <= node.retries ? 'retry' : 'not-found';
    } else {
      call.log.warn({ detail: result.detail }, 'ticket status look-up failed');
      media = call.promptMedia(deps.ticketStatusConfig.prompts.unavailable);
      outcome = 'unavailable';
    }
    const end = await call.play(media, { bargeIn: false });
    if (end.reason === 'hangup') return { end: { then: 'caller-gone' }, outcome };
    return { outcome };
  },
};
