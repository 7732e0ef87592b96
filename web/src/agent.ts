/**
 * The agent desktop: sign in (built-in users, POST /auth/token), log in to the ACD as the
 * roster has it, see and change the state (ready; not ready with a reason; end wrap-up), the
 * softphone (agent-phone.ts), the call's emergency transfers and consultations
 * (agent-third-party.ts) and transfers to a queue or a colleague (agent-transfer.ts). The state is
 * pushed over a WebSocket (agent-live.ts), so changes the ACD makes (ringing, on a call,
 * wrap-up, paused after a missed offer) show as they happen, without a click.
 */
import { AgentPhone } from './agent-phone.js';
import { followAgent } from './agent-live.js';
import { ThirdPartyControl } from './agent-third-party.js';
import { TransferControl } from './agent-transfer.js';
import { WrapUpPanel } from './agent-wrap-up.js';
import { ApiError, apiFor, forgetSession, savedSession, signIn, type Api, type Session } from './lib/api.js';
import { byId, clock, show } from './lib/format.js';
import { applyTexts, hasText, installLanguageToggle, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { TEXTS } from './lib/texts.js';

interface AgentView {
  id: string;
  displayName: string;
  state: { kind: string; since: number; reason?: string; callId?: string; queue?: string; until?: number };
}

/** The reasons the agent may pause with: the centre's (GET /acd/not-ready-reasons), once the desk is open. */
let reasons: Array<{ code: string; label: string }> = [];
/** The desk's own reason when it logs the agent in: not ready until the first "ready" click. */
const LOGGED_IN_REASON = 'logged-in';
/** For diagnostics and the page tests: the softphone (its peer connection's state and getStats()). */
let phoneForTests: AgentPhone | undefined;
(window as unknown as { hotlinePhone: () => unknown }).hotlinePhone = () => phoneForTests?.phone;

useDictionary(TEXTS);
installLanguageToggle();

let agent: AgentView | undefined;
let audioUnlocked = false;
/** The call's transfer to a queue or an agent (agent-transfer.ts), once the desk is open. */
let transfer: TransferControl | undefined;
/** The call's emergency transfers and consultations (agent-third-party.ts), once the desk is open. */
let thirdParty: ThirdPartyControl | undefined;
/** The wrap-up's disposition and its end (agent-wrap-up.ts), once the desk is open. */
let wrapUp: WrapUpPanel | undefined;

function showError(message: string | undefined): void {
  const banner = byId('error-banner');
  banner.textContent = message ?? '';
  show(banner, Boolean(message));
}

function render(): void {
  if (!agent) return;
  const state = byId('agent-state');
  const kind = agent.state.kind;
  transfer?.state(kind);
  thirdParty?.state(kind);
  state.className = `state ${kind}`;
  state.dataset.state = kind;
  state.textContent = kind === 'not-ready' && agent.state.reason ? `${t('state.not-ready')} · ${reasonText(agent.state.reason)}` : t(`state.${kind}`);
  byId('who').textContent = agent.displayName;
  wrapUp?.render(agent.state);
  (byId('ready') as HTMLButtonElement).disabled = kind === 'ready' || kind === 'ringing' || kind === 'on-call';
  (byId('pause') as HTMLButtonElement).disabled = kind === 'ringing' || kind === 'on-call' || reasons.length === 0;
}

/** A reason in the page's language when the page knows it, else as the centre labels it. */
function reasonText(code: string): string {
  const key = `reason.${code}`;
  return hasText(key) ? t(key) : (reasons.find((r) => r.code === code)?.label ?? code);
}

function renderReasons(): void {
  const select = byId<HTMLSelectElement>('pause-reason');
  const chosen = select.value || reasons[0]?.code || '';
  select.replaceChildren(...reasons.map((r) => new Option(reasonText(r.code), r.code)));
  select.value = chosen;
}

async function act(run: () => Promise<{ state: AgentView['state'] } | unknown>): Promise<void> {
  try {
    showError(undefined);
    const change = (await run()) as { state?: AgentView['state'] };
    if (agent && change?.state) agent = { ...agent, state: change.state };
    render();
  } catch (e) {
    showError(e instanceof ApiError ? `${e.errorId}: ${e.message}` : String(e));
  }
}

async function openDesk(session: Session): Promise<void> {
  const api = apiFor(session);
  const base = `/acd/agents/${encodeURIComponent(session.name)}`;
  // Logged in already (a reload, another tab): keep that session's state.
  await api.post(`${base}/login`, { reason: LOGGED_IN_REASON }).catch((e) => {
    if (!(e instanceof ApiError && e.errorId === 'acd:already-logged-in')) throw e;
  });
  agent = await api.get<AgentView>(base);
  reasons = (await api.get<{ reasons: typeof reasons }>('/acd/not-ready-reasons').catch(() => ({ reasons: [] }))).reasons;
  show(byId('login'), false);
  show(byId('desk'), true);
  show(byId('sign-out'), true);
  renderReasons();
  render();

  const phone = new AgentPhone(api, session.name, (message) => showError(message));
  phoneForTests = phone;
  transfer = new TransferControl(api, base, byId('transfer'));
  wireButtons(api, base, phone);
  onLanguageChange(() => {
    renderReasons();
    render();
    phone.renderBanner();
  });
  // Pushed over a WebSocket; polled only while the socket is down (agent-live.ts).
  followAgent({ api, base, token: session.token, onView: (view) => shown(view, phone), onState: (state) => agent && shown({ ...agent, state }, phone) });
  setInterval(() => {
    if (agent) byId('state-clock').textContent = clock((Date.now() - agent.state.since) / 1000);
  }, 250);
  await phone.start().catch((e) => showError(String(e)));
}

function shown(view: AgentView, phone: AgentPhone): void {
  agent = view;
  const { callId, queue } = agent.state;
  phone.showContext(callId && queue ? { callId, queue } : undefined);
  render();
}

function wireButtons(api: Api, base: string, phone: AgentPhone): void {
  byId('ready').addEventListener('click', () => {
    if (!audioUnlocked) {
      audioUnlocked = true;
      phone.unlockAudio();
    }
    void act(() => api.post(`${base}/ready`));
  });
  byId('pause').addEventListener('click', () => void act(() => api.post(`${base}/pause`, { reason: byId<HTMLSelectElement>('pause-reason').value })));
  wrapUp = new WrapUpPanel(api, base, act);
  thirdParty = new ThirdPartyControl(api, base, byId('third-party'));
  byId('sign-out').addEventListener('click', () => {
    void api.post(`${base}/logout`).finally(() => {
      forgetSession();
      location.reload();
    });
  });
}

byId<HTMLFormElement>('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const username = byId<HTMLInputElement>('username').value.trim();
  const password = byId<HTMLInputElement>('password').value;
  signIn(username, password)
    .then(openDesk)
    .catch((e) => showError(e instanceof ApiError && e.status === 401 ? t('error.signIn') : String(e)));
});

applyTexts();
const saved = savedSession();
if (saved) void openDesk(saved).catch(() => forgetSession());
