/**
 * The citizen's web call: 12345 from the browser over WebRTC, into the same IVR as a phone
 * call (Asterisk's `[webcall]` context reaches nothing else), with an on-screen keypad
 * sending DTMF (RFC 4733 through the peer connection), the recording notice and the advice
 * to call 110/119/120/122 directly in an emergency.
 *
 * Where to call: `?ws=` (Asterisk's WSS, default wss://<this host>:8089/ws) and `?to=`
 * (default sip:12345@<this host>); ICE servers as `?ice=stun:…` (none by default: a closed
 * network has no public STUN server, and Asterisk on a reachable address needs none); the
 * web callers' endpoint and its password as `?user=` (default webcall) and `?password=`
 * (pjsip.conf [webcall]: public by nature, the endpoint's context is what protects).
 */
import { byId, clock } from './lib/format.js';
import { applyTexts, installLanguageToggle, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { Softphone, type PhoneEvent } from './lib/softphone.js';
import { TEXTS } from './lib/texts.js';

useDictionary(TEXTS);
installLanguageToggle();

const params = new URLSearchParams(location.search);
const host = location.hostname;
const wsServer = params.get('ws') ?? `wss://${host}:8089/ws`;
const target = params.get('to') ?? `sip:12345@${host}`;
const iceServers: RTCIceServer[] = params.getAll('ice').map((urls) => ({ urls }));
const user = params.get('user') ?? 'webcall';
const password = params.get('password') ?? undefined;

type Status = 'idle' | 'connecting' | 'talking' | 'ended' | 'failed';
let status: Status = 'idle';
let answeredAt: number | undefined;
let sent = '';
let phone: Softphone | undefined;

function setStatus(next: Status): void {
  status = next;
  const el = byId('call-status');
  el.dataset.status = next;
  el.textContent = t(`web.${next}`);
  (byId('call') as HTMLButtonElement).disabled = next === 'connecting' || next === 'talking';
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
  setStatus('connecting');
  sent = '';
  byId('keys-sent').textContent = '';
  // The click is the gesture that lets the far end's audio play.
  void byId<HTMLAudioElement>('remote-audio').play().catch(() => undefined);
  try {
    phone ??= new Softphone(
      { wsServer, uri: `sip:${user}@${host}`, authorizationUsername: user, password, iceServers, register: false, remoteAudio: byId<HTMLAudioElement>('remote-audio') },
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
setStatus('idle');
/** For diagnostics and the page tests: the call's peer connection. */
(window as unknown as { hotlinePhone: () => Softphone | undefined }).hotlinePhone = () => phone;
