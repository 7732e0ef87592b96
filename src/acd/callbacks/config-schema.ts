/**
 * Two parts of the ACD config. `acd.callbacks`: calling back missed calls (hung up while
 * queued, or called when closed: 国办函〔2025〕66号 asks hotlines to call them back) and how
 * every callback is placed. `acd.virtualHold`: when a waiting caller is offered to hang up and
 * be called back keeping their place; it sits beside the queues the offer is made in.
 *
 * Missed-call callbacks nobody asked for: placed only inside the calling hours (working days
 * of the shared calendar by default), at most once per number per calling day. Virtual-hold
 * callbacks were asked for a minute ago: due at once, whatever the hour.
 *
 * Virtual hold is set globally with per-queue overrides (`virtualHold.queues`), since one
 * offer delay rarely suits the leaders' queue and the general queue alike. Names used across
 * sections (queues, schedules, prompts, the emergency key) are checked by `config-check.ts`.
 */
import { z } from 'zod';
import { CallingHoursSchema } from '../../calendar/index.js';
import { TrunkEndpoint, dialString } from '../../calls/dial-string.js';

export { CallingHoursSchema, TrunkEndpoint, dialString };
import { QueueName } from '../ids.js';

const kebab = /^[a-z0-9][a-z0-9-]*$/;
const PromptId = z.string().regex(kebab, 'prompt ids are kebab-case');
const Key = z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #');



const VirtualHoldQueueSchema = z.object({
  enabled: z.boolean().optional(),
  offerAfterSeconds: z.number().int().min(1).max(3600).optional(),
});

/**
 * Present = virtual hold offered (in every queue unless a queue's override turns it off);
 * absent = never offered. Prompts have no defaults: a shipped default naming sounds the
 * centre never recorded would refuse the start.
 */
export const VirtualHoldSchema = z.object({
  /** A caller queued this long hears the offer, repeated with each announcement after. */
  offerAfterSeconds: z.number().int().min(1).max(3600).default(60),
  /** The key that accepts the offer; never the IVR's emergency key. */
  key: Key.default('1'),
  /** "您已等待较长时间，如需保留排队位置并由我们回拨，请按1" */
  offerPrompt: PromptId,
  /** "登记成功，轮到您时我们将用12345回拨，请挂机" */
  takenPrompt: PromptId,
  /**
   * Confirming the number: "回拨号码为" <the number> "确认请按1，输入其他号码请按2", then
   * "请输入回拨号码，以井号键结束". Absent: the calling number is taken as it is, and a
   * caller whose number is withheld is not offered virtual hold.
   */
  confirmNumber: z
    .object({
      prompt: PromptId,
      enterPrompt: PromptId,
      confirmKey: Key.default('1'),
      otherNumberKey: Key.default('2'),
    })
    .optional(),
  /** Per-queue changes to the above (a queue not listed takes the global values). */
  queues: z.record(QueueName, VirtualHoldQueueSchema).default({}),
});

export const CallbacksConfigSchema = z.object({
  missedCalls: z
    .object({
      /** Schedule a callback for each missed call (at most once per number per calling day). */
      enabled: z.boolean().default(true),
      /** Priority of the agent reservation, 0 (lowest) … 10: live callers of a higher one go first. */
      priority: z.number().int().min(0).max(10).default(0),
    })
    .prefault({}),
  /** The default avoids the lunch break (午休) customary in government offices. */
  callingHours: CallingHoursSchema.default({ workingDays: ['09:00-12:00', '14:00-20:00'], restDays: [] }),
  /** Callback jobs in flight at once across every instance (agent reserved or citizen ringing). */
  maxConcurrent: z.number().int().min(1).max(500).default(5),
  /** Attempts per job, the first included; after the last the job is given up. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** After no answer, busy or a failure: the next attempt no sooner (then inside the calling hours). */
  retryAfterMinutes: z.number().int().min(1).max(24 * 60).default(30),
  /** A claimed job not renewed nor finished within this long goes back to be claimed again (its instance died). */
  leaseSeconds: z.number().int().min(10).max(3600).default(120),
  trunkEndpoint: TrunkEndpoint.default('PJSIP/{number}@carrier'),
  /** Shown to the citizen: the hotline's own number (Wuding §3(4): callbacks show 12345). */
  callerId: z.string().regex(/^[0-9]{3,20}$/, 'digits only, 3 to 20').default('12345'),
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(30),
  /** The queue agents are reserved from; the missed call's own queue when absent. */
  queue: QueueName.optional(),
});

export type CallbacksConfig = z.infer<typeof CallbacksConfigSchema>;
export type CallbacksConfigInput = z.input<typeof CallbacksConfigSchema>;
export type CallingHours = z.infer<typeof CallingHoursSchema>;
export type VirtualHoldConfig = z.infer<typeof VirtualHoldSchema>;

/** The virtual-hold settings that apply to one queue: null when it offers none. */
export function virtualHoldFor(hold: VirtualHoldConfig | undefined, queue: string): { offerAfterSeconds: number; key: string } | null {
  const own = hold?.queues[queue] ?? {};
  if (!hold || own.enabled === false) return null;
  return { offerAfterSeconds: own.offerAfterSeconds ?? hold.offerAfterSeconds, key: hold.key };
}
