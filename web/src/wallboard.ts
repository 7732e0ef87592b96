/**
 * The supervisors' wallboard: the ACD's live figures pushed over the WebSocket
 * `/acd/live?access_token=` (a snapshot at once, every 2 s and as soon as something changed),
 * the agents with their state and time in it (sent with each snapshot; GET /acd/agents once
 * at the start), a chart of the last four hours (the service's per-minute history, then the live
 * points: wallboard-series.ts), the Erlang C forecast of the 15 s level for the centre and per
 * queue with each queue's threshold and target, and listen / whisper / barge on an agent's
 * call (the supervisor's own phone is rung first).
 */
import { ApiError, apiFor, savedSession, signIn, type Api, type Session } from './lib/api.js';
import { byId, clock, figure, show } from './lib/format.js';
import { applyTexts, installLanguageToggle, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { TEXTS } from './lib/texts.js';
import { drawChart } from './wallboard-chart.js';
import { TARGET, forecastFrom, staffedOf, type QueueNow } from './wallboard-forecast.js';
import { renderQueueForecasts } from './wallboard-queues.js';
import { WallboardSeries } from './wallboard-series.js';
import { WALLBOARD_LIVE_TEXTS } from './lib/texts-wallboard-live.js';

interface Figures {
  waiting: number;
  longestWaitSeconds: number;
  offered: number;
  answered: number;
  serviceLevelPercent: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonRatePercent: number | null;
  agents: { ready: number; notReady: number; ringing: number; onCall: number; wrapUp: number };
  callbacksPending: number | null;
}
interface Snapshot {
  at: number;
  centre: Figures;
  queues: Record<string, Figures & QueueNow>;
  /** The logged-in agents, read with the figures. */
  agentList?: AgentView[];
}
interface AgentView {
  id: string;
  displayName: string;
  state: { kind: string; since: number; reason?: string };
}

const SEAT_KEY = 'hotline.supervisorSeat';

useDictionary(TEXTS);
useDictionary(WALLBOARD_LIVE_TEXTS);
installLanguageToggle();

const series = new WallboardSeries();
let latest: Snapshot | undefined;
let agents: AgentView[] = [];

function renderFigures(): void {
  if (!latest) return;
  const c = latest.centre;
  const set = (id: string, text: string) => {
    document.querySelector(`[data-testid="${id}"]`)!.textContent = text;
  };
  set('waiting', String(c.waiting));
  set('longest', clock(c.longestWaitSeconds));
  set('service-level', figure(c.serviceLevelPercent, '%'));
  set('abandon', figure(c.abandonRatePercent, '%'));
  set('asa', figure(c.asaSeconds, 's'));
  set('aht', figure(c.ahtSeconds, 's'));
  set('callbacks', figure(c.callbacksPending));
  set('offered', `${c.offered} / ${c.answered}`);
  byId('tile-sl').classList.toggle('alert', c.serviceLevelPercent !== null && c.serviceLevelPercent < TARGET * 100);
  byId('tile-waiting').classList.toggle('alert', c.waiting > 0 && c.longestWaitSeconds >= 15);
  byId('live-at').textContent = `${t('wall.live')} ${new Date(latest.at).toLocaleTimeString()}`;
  drawChart(byId('chart') as unknown as SVGSVGElement, series.centre);
  const forecast = forecastFrom(series.centre, { ahtSeconds: c.ahtSeconds, staffed: staffedOf(c.agents) }, latest.at);
  const target = `${TARGET * 100}%`;
  byId('forecast').textContent = !forecast
    ? t('wall.noData')
    : `${t('wall.forecastNow', { sl: `${(forecast.serviceLevelNow * 100).toFixed(1)}%` })}; ${
        forecast.breachInMinutes === null ? t('wall.noBreach', { target }) : forecast.breachInMinutes === 0 ? t('wall.breachNow', { target }) : t('wall.breachIn', { minutes: forecast.breachInMinutes, target })
      }`;
  renderQueueForecasts(byId('queue-forecasts'), series.queues, latest.queues, latest.at);
}

function renderAgents(api: Api): void {
  const rows = agents.map((agent) => {
    const tr = document.createElement('tr');
    tr.dataset.agent = agent.id;
    const name = document.createElement('td');
    name.textContent = `${agent.displayName} (${agent.id})`;
    const state = document.createElement('td');
    state.innerHTML = `<span class="state ${agent.state.kind}" data-state="${agent.state.kind}"></span>`;
    state.firstElementChild!.textContent = t(`state.${agent.state.kind}`);
    const time = document.createElement('td');
    time.textContent = clock((Date.now() - agent.state.since) / 1000);
    const actions = document.createElement('td');
    for (const mode of ['listen', 'whisper', 'barge'] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t(`wall.${mode}`);
      b.dataset.mode = mode;
      b.disabled = agent.state.kind !== 'on-call';
      b.addEventListener('click', () => void supervise(api, agent, mode));
      actions.append(b, ' ');
    }
    tr.append(name, state, time, actions);
    return tr;
  });
  byId('agents').replaceChildren(...rows);
}

async function supervise(api: Api, agent: AgentView, mode: string): Promise<void> {
  const status = byId('supervise-status');
  const endpoint = byId<HTMLInputElement>('my-seat').value.trim();
  localStorage.setItem(SEAT_KEY, endpoint);
  try {
    await api.post(`/acd/agents/${encodeURIComponent(agent.id)}/supervise`, { mode, endpoint });
    status.dataset.outcome = 'ringing';
    status.textContent = t('wall.supervising', { mode: t(`wall.${mode}`), agent: agent.displayName });
  } catch (e) {
    status.dataset.outcome = 'refused';
    status.textContent = e instanceof ApiError ? `${e.errorId}: ${e.message}` : String(e);
  }
}

function connectLive(session: Session, onSnapshot: (snapshot: Snapshot) => void): void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/acd/live?access_token=${encodeURIComponent(session.token)}`);
  socket.addEventListener('open', () => show(byId('feed-banner'), false));
  socket.addEventListener('message', (message) => {
    const parsed = JSON.parse(String(message.data)) as { type: string; data?: Snapshot };
    if (parsed.type !== 'snapshot' || !parsed.data) return;
    latest = parsed.data;
    series.keep(parsed.data);
    renderFigures();
    onSnapshot(parsed.data);
  });
  // Reconnect after a drop, a restart or a deploy: the next snapshot comes at once.
  socket.addEventListener('close', () => {
    show(byId('feed-banner'), true);
    setTimeout(() => connectLive(session, onSnapshot), 2000);
  });
}

async function openBoard(session: Session): Promise<void> {
  const api = apiFor(session);
  agents = (await api.get<{ agents: AgentView[] }>('/acd/agents')).agents;
  show(byId('login'), false);
  show(byId('board'), true);
  byId<HTMLInputElement>('my-seat').value = localStorage.getItem(SEAT_KEY) ?? '';
  renderAgents(api);
  // The agents come with each snapshot (the feed pushes one after every change); read here only from a service that does not send them.
  connectLive(session, (snapshot) => {
    if (!snapshot.agentList) return void refreshAgents(api);
    agents = snapshot.agentList;
    renderAgents(api);
  });
  // The last hours before the page opened, under the live points (the chart starts empty without them).
  series.loadHistory(api).then(renderFigures, (e) => console.warn('no history of the figures', e));
  onLanguageChange(() => {
    renderFigures();
    renderAgents(api);
  });
  // Time in state moves on between snapshots.
  setInterval(() => renderAgents(api), 1000);
}

let reading = false;
let readAgain = false;
/** One read at a time; a snapshot arriving meanwhile reads once more after it (that read may predate the change). */
async function refreshAgents(api: Api): Promise<void> {
  if (reading) {
    readAgain = true;
    return;
  }
  reading = true;
  try {
    agents = (await api.get<{ agents: AgentView[] }>('/acd/agents')).agents;
    renderAgents(api);
  } catch {
    // The next snapshot tries again.
  } finally {
    reading = false;
  }
  if (readAgain) {
    readAgain = false;
    void refreshAgents(api);
  }
}

byId<HTMLFormElement>('login').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(byId<HTMLInputElement>('username').value.trim(), byId<HTMLInputElement>('password').value)
    .then(openBoard)
    .catch((e) => {
      const banner = byId('error-banner');
      banner.textContent = e instanceof ApiError && e.status === 401 ? t('error.signIn') : String(e);
      show(banner, true);
    });
});

applyTexts();
const saved = savedSession();
if (saved) void openBoard(saved);
