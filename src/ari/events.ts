/**
 * ARI events, parsed with zod where they enter the service.
 *
 * Only the event types the service acts on are modelled; any other type (a newer Asterisk,
 * a module we do not use) parses to `{ type: 'Unhandled' }` and is ignored, never thrown on.
 * The shapes follow what Asterisk 22 sends (see test/fixtures/traces/).
 */
import { z } from 'zod';
import { BridgeSchema, ChannelSchema, LiveRecordingSchema, PlaybackSchema } from './resources.js';

const base = {
  timestamp: z.string(),
  application: z.string(),
  asterisk_id: z.string().optional(),
};

const StasisStart = z.object({
  ...base,
  type: z.literal('StasisStart'),
  args: z.array(z.string()),
  channel: ChannelSchema,
  replace_channel: ChannelSchema.optional(),
});
const StasisEnd = z.object({ ...base, type: z.literal('StasisEnd'), channel: ChannelSchema });
const ChannelStateChange = z.object({ ...base, type: z.literal('ChannelStateChange'), channel: ChannelSchema });
const ChannelDtmfReceived = z.object({
  ...base,
  type: z.literal('ChannelDtmfReceived'),
  // Asterisk sends 0-9, A-D, * and #; anything else is refused here rather than trusted.
  digit: z.string().regex(/^[0-9A-D*#]$/),
  duration_ms: z.number(),
  channel: ChannelSchema,
});
const ChannelHangupRequest = z.object({
  ...base,
  type: z.literal('ChannelHangupRequest'),
  // A hangup from SIP (a BYE) carries no cause.
  cause: z.number().optional(),
  soft: z.boolean().optional(),
  channel: ChannelSchema,
});
const ChannelDestroyed = z.object({
  ...base,
  type: z.literal('ChannelDestroyed'),
  cause: z.number(),
  cause_txt: z.string(),
  tech_cause: z.number().optional(),
  channel: ChannelSchema,
});
// A SIP party's re-INVITE holds (sendonly/inactive) or unholds the call; `musicclass` is its endpoint's moh_suggest.
const ChannelHold = z.object({ ...base, type: z.literal('ChannelHold'), musicclass: z.string().optional(), channel: ChannelSchema });
const ChannelUnhold = z.object({ ...base, type: z.literal('ChannelUnhold'), channel: ChannelSchema });
const ChannelVarset = z.object({
  ...base,
  type: z.literal('ChannelVarset'),
  variable: z.string(),
  value: z.string(),
  channel: ChannelSchema.optional(),
});
const ChannelEnteredBridge = z.object({
  ...base,
  type: z.literal('ChannelEnteredBridge'),
  bridge: BridgeSchema,
  channel: ChannelSchema,
});
const ChannelLeftBridge = z.object({
  ...base,
  type: z.literal('ChannelLeftBridge'),
  bridge: BridgeSchema,
  channel: ChannelSchema,
});
const BridgeDestroyed = z.object({ ...base, type: z.literal('BridgeDestroyed'), bridge: BridgeSchema });
const PlaybackStarted = z.object({ ...base, type: z.literal('PlaybackStarted'), playback: PlaybackSchema });
const PlaybackContinuing = z.object({ ...base, type: z.literal('PlaybackContinuing'), playback: PlaybackSchema });
const PlaybackFinished = z.object({ ...base, type: z.literal('PlaybackFinished'), playback: PlaybackSchema });
const RecordingStarted = z.object({ ...base, type: z.literal('RecordingStarted'), recording: LiveRecordingSchema });
const RecordingFinished = z.object({ ...base, type: z.literal('RecordingFinished'), recording: LiveRecordingSchema });
const RecordingFailed = z.object({ ...base, type: z.literal('RecordingFailed'), recording: LiveRecordingSchema });
const Dial = z.object({
  ...base,
  type: z.literal('Dial'),
  peer: ChannelSchema,
  caller: ChannelSchema.optional(),
  forwarded: ChannelSchema.optional(),
  dialstatus: z.string(),
  dialstring: z.string().optional(),
  forward: z.string().optional(),
});

export const AriEventSchema = z.discriminatedUnion('type', [
  StasisStart, StasisEnd, ChannelStateChange, ChannelDtmfReceived, ChannelHangupRequest,
  ChannelDestroyed, ChannelVarset, ChannelEnteredBridge, ChannelLeftBridge, BridgeDestroyed,
  PlaybackStarted, PlaybackContinuing, PlaybackFinished, RecordingStarted, RecordingFinished,
  RecordingFailed, Dial, ChannelHold, ChannelUnhold,
]);

export type AriEvent = z.infer<typeof AriEventSchema>;
export type AriEventType = AriEvent['type'];
export type AriEventOf<T extends AriEventType> = Extract<AriEvent, { type: T }>;

export const handledEventTypes: ReadonlySet<string> = new Set(AriEventSchema.options.map((o) => o.shape.type.value));

export type ParsedEvent =
  | { ok: true; event: AriEvent }
  | { ok: false; reason: 'unhandled-type'; type: string }
  | { ok: false; reason: 'invalid'; type: string; issues: string };

/** Parses one frame from /ari/events. Never throws. */
export function parseAriEvent(raw: unknown): ParsedEvent {
  const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string'
    ? (raw as { type: string }).type
    : '<none>';
  if (!handledEventTypes.has(type)) return { ok: false, reason: 'unhandled-type', type };
  const result = AriEventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`).join('; ');
  return { ok: false, reason: 'invalid', type, issues };
}

/** The channel id an event concerns, if any: the key the call registry dispatches on. */
export function channelIdOf(event: AriEvent): string | undefined {
  switch (event.type) {
    case 'Dial':
      return event.peer.id;
    case 'BridgeDestroyed':
    case 'PlaybackStarted':
    case 'PlaybackContinuing':
    case 'PlaybackFinished':
    case 'RecordingStarted':
    case 'RecordingFinished':
    case 'RecordingFailed':
      return undefined;
    default:
      return event.channel?.id;
  }
}
