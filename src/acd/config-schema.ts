/**
 * The `acd` section of the hotline config: skills, not-ready reasons and queues as data.
 *
 * A queue asks for one skill at a minimum level; while a call waits, its widening steps
 * admit more agents (a lower level, or a second skill), as app_queue's penalty rules and
 * mod_callcenter's tiers do. Names used across queues (skills, overflow targets) are checked
 * by `config-check.ts` once the whole section is known.
 */
import { z } from 'zod';
import { AgentKind, QueueName, ReasonCode, SkillLevel, SkillName } from './ids.js';
import { CallbacksConfigSchema, VirtualHoldSchema } from './callbacks/config-schema.js';
import { SipEndpointName, SipSettingsSchema } from './sip-credentials.js';
import { DispositionsSchema } from './dispositions/config-schema.js';
import { ScreenPopConfigSchema } from './screen-pop/config-schema.js';

const Seconds = (max: number) => z.number().int().min(0).max(max);

/** After `afterSeconds` of waiting, agents with `skill` (the call's own when absent) at `minLevel` or above may take the call too. */
export const WideningStepSchema = z.object({
  afterSeconds: Seconds(3600).refine((s) => s > 0, 'a widening step starts after at least 1 s'),
  skill: SkillName.optional(),
  minLevel: SkillLevel,
});

export const OverflowSchema = z.discriminatedUnion('kind', [
  /** The call moves to another queue, keeping its priority. */
  z.object({ kind: z.literal('queue'), queue: QueueName }),
  /** The caller is offered a callback request and the call ends. */
  z.object({ kind: z.literal('callback') }),
  /** The call continues in the dialplan (e.g. app_queue or a voicemail there). */
  z.object({
    kind: z.literal('dialplan'),
    context: z.string().regex(/^[A-Za-z0-9_-]+$/),
    extension: z.string().regex(/^[A-Za-z0-9_*#+-]+$/).default('s'),
  }),
]);

export const QueueConfigSchema = z.object({
  /** The skill an agent needs; the IVR's queue node may ask for another one per call. */
  skill: SkillName,
  /** The lowest level taken before any widening step. */
  minLevel: SkillLevel.default(1),
  /** `guest`: the leaders' own queue, answered by guest agents only (and they answer no other). */
  kind: AgentKind.default('regular'),
  ringTimeoutSeconds: Seconds(300).refine((s) => s >= 5, 'at least 5 s').default(20),
  /** Wrap-up after each call of this queue; 0 puts the agent straight back to ready. */
  wrapUpSeconds: Seconds(3600).default(30),
  /** A call waiting this long leaves by the overflow. */
  longestWaitSeconds: Seconds(24 * 3600).refine((s) => s > 0, 'at least 1 s').default(600),
  /** Position and estimated wait are announced this often; 0 announces nothing. */
  announceEverySeconds: Seconds(3600).default(60),
  widening: z.array(WideningStepSchema).default([]),
  overflow: OverflowSchema.default({ kind: 'callback' }),
  /** GB/T 33358-2016: answered within this many seconds counts towards the service level. */
  serviceLevelSeconds: Seconds(600).refine((s) => s > 0, 'at least 1 s').default(15),
  /** The share answered within serviceLevelSeconds the queue must hold (the wallboard's target and forecast), in %. */
  serviceLevelTargetPercent: z.number().min(1).max(100).default(80),
  /** Calls ringing out in a row before the agent is paused with reason `no-answer`. */
  missesBeforePause: z.number().int().min(1).max(10).default(1),
});

/** A prompt id of the hotline config's `prompts.sounds`; checked against it at start. */
const PromptRef = z.string().min(1).max(64);
/** Words around a number the caller hears: "您前面还有" <n> "位". */
const AroundNumber = z.object({ before: PromptRef, after: PromptRef.optional() });

export const AnnouncementsSchema = z.object({
  /** The caller's place in the queue (1 = next). */
  position: AroundNumber.optional(),
  /** The expected wait in minutes, from a moving average of recent waits (as app_queue's holdtime). */
  estimatedWait: AroundNumber.optional(),
});

export const AcdConfigSchema = z.object({
  /** Every skill agents may log in with and queues may ask for. */
  skills: z.array(SkillName).min(1),
  /** Reason code → the label the agent desktop shows (`no-answer`, `unreachable` and `logged-in` are the ACD's own). */
  notReadyReasons: z.record(ReasonCode, z.object({ label: z.string().min(1).max(40) })).default({}),
  queues: z.record(QueueName, QueueConfigSchema),
  /** The music-on-hold class callers wait with (musiconhold.conf). */
  musicClass: z.string().regex(/^[A-Za-z0-9_-]+$/).default('default'),
  /** The wallboards' history of the live figures: a sample per minute in Redis, kept this many hours. */
  statsHistory: z.object({ retentionHours: z.number().int().min(1).max(168).default(24) }).prefault({}),
  announcements: AnnouncementsSchema.default({}),
  /** After a wait, the caller may hang up and be called back when their turn comes, keeping their place. */
  virtualHold: VirtualHoldSchema.optional(),
  /** Calling back missed calls and virtual-hold callers: calling hours, the trunk, caps, retries. */
  callbacks: CallbacksConfigSchema.prefault({}),
  /** Where the agents' browser softphones register; their credentials come from the API (GET /acd/agents/:id/sip-credentials). */
  softphones: SipSettingsSchema.optional(),
  /** With several Asterisk nodes behind a SIP proxy that keeps the agents' registrations (deploy/README.md): the PJSIP endpoint pointing at the proxy; seats are then rung as `PJSIP/<seat>@<agentsVia>`. */
  agentsVia: SipEndpointName.optional(),
  /** The codes an agent classifies a call with during its wrap-up (zh, en words); a 12345 centre's usual list by default. */
  dispositions: DispositionsSchema,
  /** The agent desktop's screen pop: who sees callers' whole numbers, the repeat-caller flag, look-up time box. */
  screenPop: ScreenPopConfigSchema.prefault({}),
});

export type AcdConfig = z.infer<typeof AcdConfigSchema>;
export type AcdConfigInput = z.input<typeof AcdConfigSchema>;
export type QueueConfig = z.infer<typeof QueueConfigSchema>;
export type WideningStep = QueueConfig['widening'][number];
export type Overflow = QueueConfig['overflow'];
