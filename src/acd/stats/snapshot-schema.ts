/** The live snapshot's shape as zod, for the HTTP answer and its OpenAPI document (live-stats.ts says what each figure means). */
import { z } from 'zod';

const Count = z.number().int().min(0);
const OneDecimal = z.number().min(0);

export const AgentFiguresSchema = z.object({ ready: Count, notReady: Count, ringing: Count, onCall: Count, wrapUp: Count });

export const QueueFiguresSchema = z.object({
  waiting: Count.describe('calls waiting in the queue now (not those ringing at an agent)'),
  longestWaitSeconds: Count.describe('wait of the call waiting longest now; 0 when none waits'),
  offered: Count.describe('calls queued today (the centre\'s local day)'),
  answered: Count,
  abandoned: Count,
  answeredWithinThreshold: Count.describe('answered within the queue\'s serviceLevelSeconds (GB/T 33358-2016: 15 s)'),
  serviceLevelPercent: OneDecimal.nullable().describe('answeredWithinThreshold / offered × 100; null while nothing was offered'),
  asaSeconds: OneDecimal.nullable().describe('average speed of answer: mean wait of answered calls; null while none'),
  ahtSeconds: OneDecimal.nullable().describe('average handle time: mean talk time (answer to hang-up) of calls ended; null while none ended'),
  abandonRatePercent: OneDecimal.nullable().describe('abandoned / offered × 100; null while nothing was offered'),
  agents: AgentFiguresSchema.describe('logged-in agents by state; per queue: those of its kind with its skill'),
  callbacksPending: Count.nullable().describe('callback requests not yet done (centre only; null per queue)'),
  serviceLevelSeconds: Count.optional().describe("the queue's serviceLevelSeconds (per queue only)"),
  serviceLevelTargetPercent: OneDecimal.optional().describe("the share answered within serviceLevelSeconds the queue must hold, % (per queue only)"),
});

export const LiveSnapshotSchema = z.object({
  at: z.number().int().describe('epoch ms the figures were read at'),
  centre: QueueFiguresSchema,
  queues: z.record(z.string(), QueueFiguresSchema),
  agentList: z
    .array(z.object({ id: z.string(), displayName: z.string(), state: z.looseObject({ kind: z.string(), since: z.number() }) }))
    .optional()
    .describe('the logged-in agents read with the figures, by id'),
});
