/**
 * The shapes of Asterisk's resources as ARI serialises them (Asterisk 22), parsed with zod
 * at the boundary. Only the fields the service reads are required; the rest pass through.
 */
import { z } from 'zod';

export const CallerIdSchema = z.object({ name: z.string(), number: z.string() });
export type CallerId = z.infer<typeof CallerIdSchema>;

export const ChannelStateSchema = z.enum([
  'Down', 'Rsrved', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up', 'Busy', 'Dialing Offhook', 'Pre-ring', 'Unknown',
]);
export type ChannelState = z.infer<typeof ChannelStateSchema>;

export const ChannelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  state: ChannelStateSchema,
  caller: CallerIdSchema,
  connected: CallerIdSchema,
  dialplan: z.looseObject({
    context: z.string(),
    exten: z.string(),
    priority: z.number(),
    app_name: z.string().optional(),
    app_data: z.string().optional(),
  }),
  creationtime: z.string(),
  language: z.string(),
});
export type Channel = z.infer<typeof ChannelSchema>;

export const BridgeSchema = z.looseObject({
  id: z.string().min(1),
  technology: z.string(),
  bridge_type: z.string(),
  bridge_class: z.string(),
  name: z.string().optional(),
  channels: z.array(z.string()),
});
export type Bridge = z.infer<typeof BridgeSchema>;

export const PlaybackSchema = z.looseObject({
  id: z.string().min(1),
  media_uri: z.string(),
  next_media_uri: z.string().optional(),
  target_uri: z.string(),
  language: z.string().optional(),
  state: z.enum(['queued', 'playing', 'continuing', 'done', 'failed', 'paused']),
});
export type Playback = z.infer<typeof PlaybackSchema>;

export const LiveRecordingSchema = z.looseObject({
  name: z.string().min(1),
  format: z.string(),
  state: z.enum(['queued', 'recording', 'paused', 'done', 'failed', 'canceled']),
  target_uri: z.string(),
  duration: z.number().optional(),
  cause: z.string().optional(),
});
export type LiveRecording = z.infer<typeof LiveRecordingSchema>;

export const StoredRecordingSchema = z.looseObject({ name: z.string().min(1), format: z.string() });
export type StoredRecording = z.infer<typeof StoredRecordingSchema>;
