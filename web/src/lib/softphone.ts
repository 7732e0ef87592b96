/**
 * A browser softphone on SIP.js's SessionManager (SIP over WebSocket, WebRTC media), for the
 * agent desktop (registers, is rung) and the citizen web call (calls out, anonymous).
 *
 * Closed networks: SIP.js would otherwise add Google's public STUN server and wait up to 5 s
 * for ICE gathering before every offer and answer. The ICE servers come from the centre's
 * config (none by default: Asterisk on a reachable address needs none) and gathering stops
 * after ICE_GATHERING_TIMEOUT_MS, host candidates being all a LAN call needs.
 *
 * A dropped WebSocket is reconnected with SessionManager's own retries, and registration
 * renewed after each reconnect (registrationRetry), so a network blip ends with the phone
 * registered again without the agent doing anything.
 */
import type { Session } from 'sip.js';
import { SessionManager, type SessionManagerDelegate } from 'sip.js/lib/platform/web/index.js';

export const ICE_GATHERING_TIMEOUT_MS = 500;

export interface SoftphoneSettings {
  wsServer: string;
  /** sip:1001@pbx.example.gov.cn; absent for an anonymous caller. */
  uri?: string;
  authorizationUsername?: string;
  password?: string;
  iceServers: RTCIceServer[];
  /** Where the far end's audio plays. */
  remoteAudio: HTMLAudioElement;
  /** Register (agents) or only place calls (the citizen page). */
  register: boolean;
}

export type PhoneEvent =
  | { type: 'registered' }
  | { type: 'unregistered' }
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'incoming'; session: Session; from: string; display: string }
  | { type: 'answered'; session: Session }
  | { type: 'ended'; session: Session }
  | { type: 'held'; session: Session; held: boolean };

export class Softphone {
  readonly manager: SessionManager;
  private current: Session | undefined;

  constructor(
    settings: SoftphoneSettings,
    private readonly emit: (event: PhoneEvent) => void,
  ) {
    const delegate: SessionManagerDelegate = {
      onServerConnect: () => emit({ type: 'connected' }),
      onServerDisconnect: () => emit({ type: 'disconnected' }),
      onRegistered: () => emit({ type: 'registered' }),
      onUnregistered: () => emit({ type: 'unregistered' }),
      onCallReceived: (session) => {
        this.current = session;
        const identity = session.remoteIdentity;
        emit({ type: 'incoming', session, from: identity.uri.user ?? '', display: identity.displayName ?? '' });
      },
      onCallAnswered: (session) => emit({ type: 'answered', session }),
      onCallHangup: (session) => {
        if (this.current === session) this.current = undefined;
        emit({ type: 'ended', session });
      },
      onCallHold: (session, held) => emit({ type: 'held', session, held }),
    };
    this.manager = new SessionManager(settings.wsServer, {
      aor: settings.uri,
      delegate,
      media: { constraints: { audio: true, video: false }, remote: { audio: settings.remoteAudio } },
      reconnectionAttempts: Number.MAX_SAFE_INTEGER,
      reconnectionDelay: 2,
      registrationRetry: settings.register,
      registrationRetryInterval: 5,
      iceStopWaitingOnServerReflexive: true,
      // Keys as RFC 4733 events in the media (dtmf_mode = rfc4733 on Asterisk's WebRTC endpoints), not SIP INFO.
      sendDTMFUsingSessionDescriptionHandler: true,
      userAgentOptions: {
        authorizationUsername: settings.authorizationUsername,
        authorizationPassword: settings.password,
        logBuiltinEnabled: false,
        sessionDescriptionHandlerFactoryOptions: {
          peerConnectionConfiguration: { iceServers: settings.iceServers },
          iceGatheringTimeout: ICE_GATHERING_TIMEOUT_MS,
        },
      },
    });
  }

  async start(register: boolean): Promise<void> {
    await this.manager.connect();
    if (register) await this.manager.register();
  }

  session(): Session | undefined {
    return this.current;
  }

  async call(target: string): Promise<void> {
    this.current = await this.manager.call(target);
  }

  async answer(): Promise<void> {
    if (this.current) await this.manager.answer(this.current);
  }

  async hangup(): Promise<void> {
    if (this.current) await this.manager.hangup(this.current);
  }

  async setHold(held: boolean): Promise<void> {
    if (!this.current) return;
    await (held ? this.manager.hold(this.current) : this.manager.unhold(this.current));
  }

  setMute(muted: boolean): void {
    if (!this.current) return;
    if (muted) this.manager.mute(this.current);
    else this.manager.unmute(this.current);
  }

  async dtmf(tone: string): Promise<void> {
    if (this.current) await this.manager.sendDTMF(this.current, tone);
  }

  /** The call's RTCPeerConnection (tests and diagnostics read its state and getStats()). */
  peerConnection(): RTCPeerConnection | undefined {
    const handler = this.current?.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined;
    return handler?.peerConnection;
  }

  async stop(): Promise<void> {
    await this.manager.disconnect();
  }
}
