/**
 * The ARI port: everything the service asks of Asterisk, and the events it hears back.
 *
 * Domain code depends on this interface only. `ari-client-adapter.ts` implements it over
 * ari-client against a real Asterisk or the simulator in `sim/`; tests may use either.
 * Every method settles within the configured request timeout and rejects with one of the
 * typed errors of `errors.ts`, never with ari-client's raw `Error`.
 */
import type { AriEvent } from './events.js';
import type { Bridge, Channel, LiveRecording, Playback, StoredRecording } from './resources.js';

/** Hangup reasons ARI accepts on DELETE /channels/{id}?reason=… */
export type HangupReason =
  | 'normal' | 'busy' | 'congestion' | 'no_answer' | 'timeout' | 'rejected' | 'unallocated'
  | 'normal_unspecified' | 'number_incomplete' | 'codec_mismatch' | 'interworking'
  | 'failure' | 'answered_elsewhere';

export type MediaTarget = { channelId: string } | { bridgeId: string };

export interface PlayOptions {
  /** Chosen by the caller so a PlaybackFinished can be matched even if it beats the REST answer. */
  playbackId: string;
  lang?: string;
}

export interface RecordOptions {
  name: string;
  format: 'wav' | 'gsm' | 'ulaw' | 'alaw' | 'sln' | 'wav16';
  maxDurationSeconds?: number;
  maxSilenceSeconds?: number;
  ifExists?: 'fail' | 'overwrite' | 'append';
  beep?: boolean;
  terminateOn?: 'none' | 'any' | '*' | '#';
}

export interface SnoopOptions {
  snoopId: string;
  spy: 'none' | 'both' | 'out' | 'in';
  whisper: 'none' | 'both' | 'out' | 'in';
  appArgs?: string;
}

export interface OriginateOptions {
  endpoint: string;
  /** Fixed by the caller: deterministic ids let a restarted service find its channels again. */
  channelId: string;
  callerId?: string;
  /** Seconds Asterisk waits for an answer before it gives up (cause 19). */
  timeoutSeconds?: number;
  appArgs?: string;
  variables?: Record<string, string>;
  /**
   * The Stasis app the channel enters, this port's own when absent. Another service
   * instance's app when that instance holds the caller: the channel's events go to it.
   */
  app?: string;
}

export interface BridgeOptions {
  bridgeId: string;
  type: 'mixing' | 'holding' | 'mixing,dtmf_events' | 'mixing,proxy_media';
  name?: string;
}

export interface DialplanTarget {
  context?: string;
  extension?: string;
  priority?: number;
  label?: string;
}

export type ConnectionState = 'connected' | 'disconnected';

export interface AriPort {
  /** The Stasis application this port receives events for. */
  readonly app: string;

  /** Subscribes to every event of the app, already parsed. Returns the unsubscribe function. */
  onEvent(listener: (event: AriEvent) => void): () => void;
  /** Told each time the event WebSocket opens or is lost. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  isConnected(): boolean;
  /**
   * Since when (epoch ms) another connection holds this app (ApplicationReplaced, trace s17):
   * not connected, and not reconnecting until the app is free. Undefined otherwise.
   */
  takenOverSince?(): number | undefined;

  answer(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: HangupReason): Promise<void>;
  getChannel(channelId: string): Promise<Channel>;
  listChannels(): Promise<Channel[]>;
  /** The names of the Stasis apps a WebSocket holds on this Asterisk now (`GET /applications`): which apps share this node. Optional: a port without it stands for one node. */
  listApplications?(): Promise<string[]>;
  ring(channelId: string): Promise<void>;
  ringStop(channelId: string): Promise<void>;
  sendDtmf(channelId: string, dtmf: string, options?: { between?: number; duration?: number }): Promise<void>;
  setVariable(channelId: string, name: string, value: string): Promise<void>;
  /** Resolves to undefined when the variable is not set. */
  getVariable(channelId: string, name: string): Promise<string | undefined>;
  continueInDialplan(channelId: string, target?: DialplanTarget): Promise<void>;
  startMoh(channelId: string, mohClass?: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;

  play(target: MediaTarget, media: string[], options: PlayOptions): Promise<Playback>;
  stopPlayback(playbackId: string): Promise<void>;
  /** The playback as Asterisk has it now; undefined once it is over (Asterisk forgets it: 404). */
  getPlayback(playbackId: string): Promise<Playback | undefined>;

  record(target: MediaTarget, options: RecordOptions): Promise<LiveRecording>;
  stopRecording(name: string): Promise<void>;
  /** Stops writing until unpaused: the paused stretch is not in the file. 409 (`ari:conflict`) unless recording. */
  pauseRecording(name: string): Promise<void>;
  /** 409 (`ari:conflict`) unless paused. */
  unpauseRecording(name: string): Promise<void>;
  getStoredRecording(name: string): Promise<StoredRecording>;
  /** The stored recording's bytes, as Asterisk serves them. */
  getStoredRecordingFile(name: string): Promise<Buffer>;
  deleteStoredRecording(name: string): Promise<void>;

  snoop(channelId: string, options: SnoopOptions): Promise<Channel>;

  createBridge(options: BridgeOptions): Promise<Bridge>;
  destroyBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  listBridges(): Promise<Bridge[]>;

  /** Creates and dials a channel that enters this app with `appArgs` when it answers. */
  originate(options: OriginateOptions): Promise<Channel>;

  /** Stops the event connection and releases everything; the port is unusable after. */
  close(): Promise<void>;
}
