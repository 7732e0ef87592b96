/**
 * The agent desktop's call panel: the softphone's registration banner, the incoming call's
 * screen pop (shown while it rings, before answer), answer / hang up / hold / mute / DTMF,
 * and the call timer. The ACD rings the agent's endpoint; this page only answers what rings.
 */
import type { Api } from './lib/api.js';
import { ApiError } from './lib/api.js';
import { byId, clock, show } from './lib/format.js';
import { t } from './lib/i18n.js';
import { Softphone, type PhoneEvent } from './lib/softphone.js';
import { ScreenPop } from './screen-pop.js';

interface Credentials {
  uri: string;
  authorizationUsername: string;
  password: string;
  wsServer: string;
  iceServers: RTCIceServer[];
}

export interface CallContext {
  callId: string;
  queue: string;
}

export class AgentPhone {
  phone: Softphone | undefined;
  private registered = false;
  private configured = true;
  private answeredAt: number | undefined;
  private held = false;
  private muted = false;
  private readonly pop: ScreenPop;

  constructor(
    private readonly api: Api,
    private readonly agentId: string,
    private readonly onError: (message: string) => void,
  ) {
    this.pop = new ScreenPop(api, agentId);
    byId('answer').addEventListener('click', () => void this.phone?.answer().catch((e) => this.onError(String(e))));
    byId('hangup').addEventListener('click', () => void this.phone?.hangup().catch((e) => this.onError(String(e))));
    byId('hold').addEventListener('click', () => void this.toggleHold());
    byId('mute').addEventListener('click', () => this.toggleMute());
    const keys = byId('dtmf-keys');
    for (const key of '123456789*0#') {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = key;
      b.dataset.dtmf = key;
      b.addEventListener('click', () => void this.phone?.dtmf(key));
      keys.append(b);
    }
    setInterval(() => this.tick(), 250);
  }

  /** Fetches this agent's registration and registers; a desk without softphones says so in the banner. */
  async start(): Promise<void> {
    let credentials: Credentials;
    try {
      credentials = await this.api.get<Credentials>(`/acd/agents/${encodeURIComponent(this.agentId)}/sip-credentials`);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 409 || e.status === 503)) {
        this.configured = false;
        this.renderBanner();
        return;
      }
      throw e;
    }
    this.phone = new Softphone({ ...credentials, register: true, remoteAudio: byId<HTMLAudioElement>('remote-audio') }, (event) => this.handle(event));
    this.renderBanner();
    await this.phone.start(true).catch(() => this.renderBanner());
  }

  /** Browsers play audio only after a gesture on the page: the first "ready" click is one. */
  unlockAudio(): void {
    const audio = byId<HTMLAudioElement>('remote-audio');
    void audio.play().catch(() => undefined);
  }

  /** What the ACD says about the offered call (from the agent's ringing / on-call state). */
  showContext(context: CallContext | undefined): void {
    this.pop.show(context);
  }

  private handle(event: PhoneEvent): void {
    switch (event.type) {
      case 'registered':
        this.registered = true;
        break;
      case 'unregistered':
      case 'disconnected':
        this.registered = false;
        break;
      case 'incoming':
        // The number the call carries (Asterisk sets the citizen's as the caller id); its display name is the seat's own.
        this.pop.ringing(event.from);
        this.setButtons('ringing');
        break;
      case 'answered':
        this.answeredAt = Date.now();
        this.setButtons('talking');
        break;
      case 'held':
        this.held = event.held;
        break;
      case 'ended':
        this.answeredAt = undefined;
        this.held = false;
        this.muted = false;
        this.setButtons('idle');
        break;
    }
    this.renderBanner();
  }

  private setButtons(mode: 'idle' | 'ringing' | 'talking'): void {
    (byId('answer') as HTMLButtonElement).disabled = mode !== 'ringing';
    (byId('hangup') as HTMLButtonElement).disabled = mode === 'idle';
    (byId('hold') as HTMLButtonElement).disabled = mode !== 'talking';
    (byId('mute') as HTMLButtonElement).disabled = mode !== 'talking';
    byId('call-status').textContent = mode === 'ringing' ? t('agent.ringing') : mode === 'talking' ? t('agent.talking') : '';
  }

  private async toggleHold(): Promise<void> {
    await this.phone?.setHold(!this.held).catch((e) => this.onError(String(e)));
  }

  private toggleMute(): void {
    this.muted = !this.muted;
    this.phone?.setMute(this.muted);
  }

  private tick(): void {
    byId('call-timer').textContent = clock(this.answeredAt ? (Date.now() - this.answeredAt) / 1000 : 0);
    // aria-pressed: what a screen reader says of a toggle, and what the page tests read.
    const hold = byId('hold');
    hold.textContent = t(this.held ? 'agent.unhold' : 'agent.hold');
    hold.setAttribute('aria-pressed', String(this.held));
    const mute = byId('mute');
    mute.textContent = t(this.muted ? 'agent.unmute' : 'agent.mute');
    mute.setAttribute('aria-pressed', String(this.muted));
    if (this.answeredAt !== undefined) byId('call-status').textContent = t(this.held ? 'agent.held' : 'agent.talking');
  }

  renderBanner(): void {
    const banner = byId('phone-banner');
    banner.className = `banner ${this.registered ? 'info' : 'warn'}`;
    banner.dataset.registered = String(this.registered);
    banner.textContent = t(!this.configured ? 'phone.unconfigured' : this.registered ? 'phone.registered' : 'phone.unregistered');
    show(banner, true);
  }
}
