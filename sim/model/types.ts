/**
 * The simulator's internal state: channels, bridges, playbacks and recordings, with the
 * extra bookkeeping Asterisk keeps out of the JSON (which app is subscribed, what the
 * channel is doing now) that decides which events a change produces and who hears them.
 */
import type { Translators } from './codecs.js';
import type { SoundLibrary } from './sound-library.js';

export interface CallerId { name: string; number: string }

export interface DialplanLocation {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export type ChannelState = 'Down' | 'Ring' | 'Ringing' | 'Up' | 'Busy';

export interface HangupCause { cause: number; cause_txt: string; tech_cause?: number }

export interface SimChannel {
  id: string;
  name: string;
  tech: 'Local' | 'PJSIP' | 'Snoop';
  /** The PJSIP endpoint the channel belongs to (`agent1`), for endpoint subscriptions. */
  endpoint?: string;
  state: ChannelState;
  protocolId: string;
  caller: CallerId;
  connected: CallerId;
  dialplan: DialplanLocation;
  /** The location shown once the channel leaves Stasis or is destroyed. */
  restDialplan: DialplanLocation;
  creationtime: string;
  language: string;
  /** Native audio format negotiated for the channel (`alaw`, `opus`, …; `*` for Local). */
  format: string;
  /** Apps subscribed because they originated or created the channel: they see it to the end. */
  subs: Set<string>;
  /** The app whose Stasis the channel is in; its subscription ends with StasisEnd. */
  stasisApp?: string;
  /** Other half of a Local channel pair; `half` says which one this is. */
  partner?: SimChannel;
  half?: 1 | 2;
  bridgeId?: string;
  bridgePeer: string;
  /** A snoop channel's target and directions (`spy` heard from it, `whisper` spoken into it). */
  snoop?: { target: string; spy: 'none' | 'both' | 'out' | 'in'; whisper: 'none' | 'both' | 'out' | 'in'; bridged?: boolean };
  /** Has shared a mixing bridge with another channel (changes a Local pair's hangup order). */
  wasBridged: boolean;
  /** BRIDGEPVTCALLID: the SIP Call-ID of a two-party bridge's PJSIP peer (s11). */
  bridgePvtCallId: string;
  vars: Map<string, string>;
  /** Cancels whatever the channel is doing (a dialplan app, a dial timer). */
  cancelActivity?: () => void;
  /** Called when the channel is answered (a Local ;1 waiting for its ;2, an originate). */
  onAnswered?: () => void;
  /** Set when the dialplan is waiting in Stasis and must resume on continue. */
  resumeDialplan?: (target?: Partial<DialplanLocation>) => void;
  runningDialplan: boolean;
  /**
   * A caller id a Local ;2 takes at its next dialplan step, or when it is destroyed, and
   * then announces with ChannelCallerId (until then its snapshots show the old one, s15).
   */
  pendingCaller?: CallerId;
  /** True for the half that plays audio into its peer (caller-talk). */
  producesAudio: boolean;
  /** Told once when the channel starts hanging up, whoever asked (the SIP side sends CANCEL or BYE). */
  onHangup?: () => void;
  /** Wakes a pending Answer() when audio starts flowing. */
  onMedia?: () => void;
  /** DTMF asked for with sendDTMF while a playback runs: sent when it ends. */
  queuedDtmf: Array<() => void>;
  hangingUp: boolean;
  hangup?: HangupCause;
  /** Endpoint technology string for Dial events (e.g. `agent-sim@ari-helper`). */
  dialstring?: string;
  /** Cause code bookkeeping for soft hangup events already sent. */
  softEndSent: boolean;
}

export interface SimBridge {
  id: string;
  technology: string;
  bridge_type: 'mixing' | 'holding';
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  /** Members in the order Asterisk lists them as BRIDGEPEER: a third or later joiner goes first. */
  peerOrder: string[];
  creationtime: string;
  video_mode: string;
  subs: Set<string>;
  /** Pseudo channels (Recorder/…, Announcer/…) that count as BRIDGEPEER members. */
  recorder?: string;
  announcer?: string;
  /**
   * What holds a holding bridge's one announcer slot (s13): `moh` after bridges.startMoh,
   * or the id of a channel added with role=announcer.
   */
  announcerSlot?: { kind: 'moh' } | { kind: 'channel'; id: string };
  /**
   * Apps that will hear BridgeDestroyed: those subscribed with `bridge:<id>`, and those
   * whose channel hung up while in the bridge (Asterisk never drops that subscription).
   */
  destroyNotice: Set<string>;
}

export type PlaybackState = 'queued' | 'playing' | 'done' | 'failed';

export interface SimPlayback {
  id: string;
  media: string[];
  index: number;
  targetUri: string;
  language: string;
  state: PlaybackState;
  cancelTimer?: () => void;
}

/** One file a playback asked for: what was played, or why nothing was. */
export interface SoundPlayed {
  playbackId: string;
  targetUri: string;
  media: string;
  language: string;
  /** The file read, e.g. `zh/digits/5`. */
  file?: string;
  /** A name with no file in any language tried. */
  missing?: string;
  /** Why Asterisk could not play it (no codec translation path). */
  error?: string;
}

export interface SimLiveRecording {
  name: string;
  format: string;
  targetUri: string;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  startedAt: number;
  /** Time spent paused, which is not written to the file. */
  pausedMs: number;
  /** Clock mark of the current pause; undefined while not paused. */
  pausedSince?: number;
  /** Muted: silence is written instead of the audio (the file's length still grows). */
  muted?: boolean;
  cancelTimer?: () => void;
  terminateOn: string;
  /** A bridge recording writes only while audio flows (two or more channels in the bridge, s15). */
  audioMs: number;
  /** Clock mark since audio has been flowing into a bridge recording; undefined while it does not. */
  flowingSince?: number;
}

/** What a SIP endpoint of pjsip.conf gives its channels. */
export interface PjsipEndpointConfig {
  callerId: CallerId;
  context: string;
  /** The language of the endpoint's channels (`en` when pjsip.conf sets none). */
  language: string;
  /** Allowed codecs in preference order. */
  allow: string[];
  /** An aor with a fixed `contact` (a trunk): dialable without a registration. */
  staticContact?: boolean;
}

export type EndpointBehaviour =
  /** `codecs`: the far end's codec preference (a browser offers opus first); default: take Asterisk's first. */
  | {
      kind: 'answer'; afterMs: number; codecs?: string[]; ringingAfterMs?: number;
      /** The person who answers keys these `afterMs` after the answer (a survey's reply: RFC 4733, 280 ms each, 500 ms apart). */
      keysAfterAnswer?: { digits: string; afterMs: number };
    }
  | { kind: 'busy'; afterMs: number }
  /** A final SIP answer: 486 Busy Here, 480 Temporarily Unavailable, 603 Decline, 503. */
  | { kind: 'reject'; status: SipRejection; afterMs: number; ringingAfterMs?: number }
  | { kind: 'no-answer' }
  | { kind: 'unreachable' }
  | { kind: 'congestion'; afterMs: number }
  | { kind: 'ring' }
  /** A softphone registered over WebSocket (sim/sip) is really called: its SIP answers decide. */
  | { kind: 'softphone' };

export type SipRejection = 480 | 486 | 503 | 603;

/** What a dialled softphone's SIP answers do to its channel (sim/model/dial-outcome.ts). */
export interface RingingControls { ring(): void; answer(): void; reject(kind: 'busy' | 'congestion' | SipRejection): void }

/** Places real calls to softphones registered over WebSocket (sim/sip). */
export interface SoftphoneDialer {
  /** Whether the endpoint has a live WebSocket contact. */
  reaches(endpoint: string): boolean;
  /** Sends the INVITE for `ch`; the answers drive `controls`. */
  dial(ch: SimChannel, controls: RingingControls): void;
  /** RTP counted on a channel's call with a softphone (codec, state, rtpSent, rtpReceived, dtmfReceived). */
  mediaOf(channelId: string): Record<string, unknown> | undefined;
}

export interface EndpointRule { pattern: string | RegExp; behaviour: EndpointBehaviour }

/** The simulator's options with every default filled (sim/options.ts resolves them). */
export interface ResolvedOptions {
  port: number;
  host: string;
  username: string;
  password: string;
  recordingsDir: string;
  speed: number;
  sounds: Record<string, number>;
  soundLibrary: SoundLibrary;
  translators: Translators;
  endpoints: ReadonlyMap<string, PjsipEndpointConfig>;
  log: (line: string) => void;
}
