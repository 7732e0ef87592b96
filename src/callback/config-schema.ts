/**
 * The `satisfactionCallback` section: after a ticket closes, the centre asks the citizen
 * whether they are satisfied, by an automated call from 12345 (Wuding §3(4)), within the
 * review window (2 working days after the close), inside the calling hours; a dissatisfied
 * citizen gets a human callback from an agent; two dissatisfied results put the ticket under
 * supervision (Shangrao art. 13(5)).
 *
 * Prompts have no defaults: a shipped default naming sounds the centre never recorded would
 * refuse the start. Names used across sections (prompts, ACD queues, the emergency key) are
 * checked by config-check.ts.
 */
import { z } from 'zod';
import { CallingHoursSchema } from '../calendar/index.js';
import { TrunkEndpoint } from '../calls/index.js';

const kebab = /^[a-z0-9][a-z0-9-]*$/;
const PromptId = z.string().regex(kebab, 'prompt ids are kebab-case');
const QueueName = z.string().regex(kebab, 'queue names are kebab-case');
const Key = z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #');


export const SurveyPromptsSchema = z.object({
  /** "您好，这里是12345热线，现对您反映的工单进行回访，工单号" (the ticket number is read after it). */
  intro: PromptId,
  /** "非常满意请按1，满意请按2，基本满意请按3，不满意请按4，非常不满意请按5" (+ the emergency and agent keys). */
  question: PromptId,
  /** "您的评价是" (the rating's own prompt follows). */
  youRated: PromptId,
  /** The five levels read back: 1 非常满意 … 5 非常不满意. */
  ratings: z.object({ '1': PromptId, '2': PromptId, '3': PromptId, '4': PromptId, '5': PromptId }),
  /** "感谢您的评价，再见". */
  thanks: PromptId,
  /** "您的输入有误" before the question is asked again. */
  invalid: PromptId,
  /** "我们没有听到您的按键" before the question is asked again. */
  noInput: PromptId,
  /** "正在为您转接人工座席" before an agent. */
  toAgent: PromptId.optional(),
});

export const SurveySmsSchema = z.object({
  /** The survey text; `{ticketNumber}` is filled in. Replies 1–5 are ratings. */
  template: z
    .string()
    .min(1)
    .max(300)
    .default('【12345】您反映的工单{ticketNumber}已办结，请回复数字评价：1非常满意 2满意 3基本满意 4不满意 5非常不满意'),
  /** A reply later than this after the text is not taken as the rating. */
  replyHours: z.number().int().min(1).max(24 * 14).default(72),
});

export const SatisfactionCallbackConfigSchema = z.object({
  /** Off: ticket.closed events are acknowledged and nobody is called. */
  enabled: z.boolean().default(true),
  /** The review window: the survey is done within this many working days after the close (Wuding §3(4): 2). */
  reviewWorkingDays: z.number().int().min(1).max(15).default(2),
  /** The default avoids the lunch break (午休) and the night; none on rest days unless given. */
  callingHours: CallingHoursSchema.default({ workingDays: ['09:00-12:00', '14:00-20:00'], restDays: [] }),
  /** Calls per survey, the first included (busy, no answer, failure → again, inside the window). */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** After busy, no answer or a failure: the next attempt no sooner (then inside the calling hours). */
  retryAfterMinutes: z.number().int().min(1).max(24 * 60).default(60),
  /**
   * Survey calls at once across every instance: the channels of the trunk the surveys may
   * take. Never exceeded, however many tickets close at once.
   */
  maxConcurrentCalls: z.number().int().min(1).max(1000).default(10),
  /** A claimed survey not renewed nor finished within this long goes back (its instance died). */
  leaseSeconds: z.number().int().min(10).max(3600).default(120),
  trunkEndpoint: TrunkEndpoint.default('PJSIP/{number}@carrier'),
  /** Shown to the citizen (Wuding §3(4): 12345). */
  callerId: z.string().regex(/^[0-9]{3,20}$/, 'digits only, 3 to 20').default('12345'),
  ringTimeoutSeconds: z.number().int().min(5).max(120).default(30),
  /** After the question: this long for a key, then asked once more. */
  inputTimeoutSeconds: z.number().int().min(1).max(60).default(8),
  prompts: SurveyPromptsSchema,
  /** "0 for an agent": the ACD queue the citizen is put through to. Absent: no agent key. */
  agent: z.object({ key: Key.default('0'), queue: QueueName, priority: z.number().int().min(0).max(10).default(5) }).optional(),
  /** A dissatisfied citizen (4, 5) or a supervised ticket: a human callback, an agent of this ACD queue connected first. */
  humanCallback: z
    .object({
      queue: QueueName.default('callback'),
      priority: z.number().int().min(0).max(10).default(3),
    })
    .prefault({}),
  /** Present: after the last failed call, the survey goes out by SMS and a reply 1–5 is the rating. */
  sms: SurveySmsSchema.optional(),
});

export type SatisfactionCallbackConfig = z.infer<typeof SatisfactionCallbackConfigSchema>;
export type SatisfactionCallbackConfigInput = z.input<typeof SatisfactionCallbackConfigSchema>;
export type SurveyPrompts = z.infer<typeof SurveyPromptsSchema>;
