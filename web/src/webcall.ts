/**
 * The citizen's web call: 12345 from the browser over WebRTC, into the same IVR as a phone
 * call (Asterisk's `[webcall]` context reaches nothing else), with an on-screen keypad
 * sending DTMF (RFC 4733 through the peer connection), the recording notice and the advice
 * to call 110/119/120/122 directly in an emergency.
 *
 * Where to call comes from the service (GET /webcall/settings, the config's `webCall`):
 * Asterisk's WSS, the target, the web callers' endpoint and its password (pjsip.conf
 * [webcall]: public by nature, the endpoint's context is what protects), ICE servers (none
 * by default). Without those settings the page says web calling is not available.
 *
 * A lab may override them with `?ws=`, `?to=`, `?user=`, `?password=`, `?ice=`, but only on
 * a page served from this machine (localhost): a link to the centre's real page must not be
 * able to send a citizen's call and voice to another server.
 */
import { byId, clock } from './lib/format.js';
import { applyTexts, installLanguageToggle, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { Softphone, type PhoneEvent } from './lib/softphone.js';
import { TEXTS } from './lib/texts.js';
import { WEBCALL_TEXTS } from './lib/texts-webcall.js';
import { request } from './lib/api.js';

useDictionary(TEXTS);
useDictionary(WEBCALL_TEXTS);
installLanguageToggle();

interface CallSettings {
  wsServer: string;
  target: string;
  uri: string;
  authorizationUsername: string;
  password?: string;
  iceServers: RTCIceServer[];
}
type Served = { enabled: false } | ({ enabled: true } & CallSettings);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The service's settings, with a lab's URL overrides on a page served from this machine only. */
function settingsFrom(served: Served): CallSettings | undefined {
  const params = new URLSearchParams(location.search);
  if (!LOOPBACK.has(location.hostname) || !params.has('ws')) return served.enabled ? served : undefined;
  const host = location.hostname;
  const user = params.get('user') ?? 'webcall';
  return {
    wsServer: params.get('ws')!,
    target: params.get('to') ?? `sip:12345@${host}`,
    uri: `sip:${user}@${host}`,
    authorizationUsername: user,
    password: params.get('password') ?? undefined,
    iceServers: params.getAll('ice').map((urls) => ({ urls })),
  };
}

type Status = 'loading' | 'unavailable' | 'idle' | 'connecting' | 'talking' | 'ended' | 'failed';
let status: Status = 'loading';
let settings: CallSettings | undefined;
let answeredAt: number | undefined;
let sent = '';
let phone: Softphone | undefined;

function setStatus(next: Status): void {
  status = next;
  const el = byId('call-status');
  el.dataset.status = next;
  el.textContent = t(`web.${next}`);
  (byId('call') as HTMLButtonElement).disabled = next === 'loading' || next === 'unavailable' || next === 'connecting' || next === 'talking';
  (byId('hangup') as HTMLButtonElement).disabled = !(next === 'connecting' || next === 'talking');
}

function handle(event: PhoneEvent): void {
  if (event.type === 'answered') {
    answeredAt = Date.now();
    setStatus('talking');
  } else if (event.type === 'ended') {
    answeredAt = undefined;
    setStatus(status === 'connecting' ? 'failed' : 'ended');
  }
}

async function call(): Promise<void> {
  if (!settings) return;
  const { wsServer, target, uri, authorizationUsername, password, iceServers } = settings;
  setStatus('connecting');
  sent = '';
  byId('keys-sent').textContent = '';
  // The click is the gesture that lets the far end's audio play.
  void byId<HTMLAudioElement>('remote-audio').play().catch(() => undefined);
  try {
    phone ??= new Softphone(
      { wsServer, uri, authorizationUsername, password, iceServers, register: false, remoteAudio: byId<HTMLAudioElement>('remote-audio') },
      handle,
    );
    if (!phone.manager.isConnected()) await phone.start(false);
    await phone.call(target);
  } catch {
    setStatus('failed');
  }
}

for (const key of '123456789*0#') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = key;
  b.dataset.dtmf = key;
  b.addEventListener('click', () => {
    if (status !== 'talking' || !phone) return;
    void phone.dtmf(key).then(() => {
      sent += key;
      byId('keys-sent').textContent = sent;
    });
  });
  byId('keypad').append(b);
}
byId('call').addEventListener('click', () => void call());
byId('hangup').addEventListener('click', () => void phone?.hangup());
setInterval(() => {
  byId('call-timer').textContent = clock(answeredAt ? (Date.now() - answeredAt) / 1000 : 0);
}, 250);
onLanguageChange(() => setStatus(status));
applyTexts();
setStatus('loading');
request<Served>('GET', '/webcall/settings')
  .then((served) => {
    settings = settingsFrom(served);
    setStatus(settings ? 'idle' : 'unavailable');
  })
  .catch(() => {
    settings = settingsFrom({ enabled: false });
    setStatus(settings ? 'idle' : 'unavailable');
  });
/** For diagnostics and the page tests: the call's peer connection. */
(window as unknown as { hotlinePhone: () => Softphone | undefined }).hotlinePhone = () => phone;
