/**
 * The agent desktop's third parties: the caller put through to an emergency route
 * (110/119/120/122, utilities), three-way or blind (POST …/emergency-transfer), and a
 * consultation with a route (POST …/consultation, the caller waiting with music or on the
 * line), which the caller then joins (POST …/consultation/join) or which ends with the unit
 * let go (DELETE …/consultation). The routes are the centre's (GET /acd/emergency-routes),
 * so the buttons follow the config. Each outcome is said on the control's status line: who
 * answered, or that nobody did and the call goes on as it was.
 */
import { ApiError, type Api } from './lib/api.js';
import { el } from './lib/dom.js';
import { applyTexts, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { THIRD_PARTY_TEXTS } from './lib/texts-third-party.js';

useDictionary(THIRD_PARTY_TEXTS);

interface Route {
  route: string;
  label: string;
}

interface DialResult {
  outcome: 'answered' | 'failed';
  attempts: Array<{ target: string; outcome: string }>;
}

interface Status {
  key: string;
  vars: Record<string, string>;
}

/** A refusal's code as the agent reads it; others are shown with their code. */
const REFUSALS: Record<string, string> = {
  'acd:transfer-busy': 'third.busy',
  'acd:agent-not-on-call': 'third.notOnCall',
  'acd:no-consultation': 'third.noConsultation',
};

export class ThirdPartyControl {
  private routes: Route[] = [];
  private onCall = false;
  private busy = false;
  /** The consultation in progress, as this page started it (null: none). */
  private consulting: { label: string; callerWaits: boolean } | null = null;
  private status: Status | null = null;
  private readonly mode = el('select', { id: 'emergency-mode', 'aria-label': 'mode' });
  private readonly emergencyButtons = el('div', { class: 'row' });
  private readonly consultRoute = el('select', { id: 'consult-route', 'aria-label': 'route' });
  private readonly callerWaits = el('input', { id: 'consult-hold', type: 'checkbox' });
  private readonly consultButton = el('button', { id: 'consult', type: 'button', 'data-i18n': 'third.consult' });
  private readonly joinButton = el('button', { id: 'consult-join', type: 'button', 'data-i18n': 'third.join' });
  private readonly endButton = el('button', { id: 'consult-end', type: 'button', 'data-i18n': 'third.end' });
  private readonly line = el('p', { id: 'third-party-status', class: 'muted', role: 'status', 'data-testid': 'third-party-status' });

  /** Builds the control in `root` (the page's #third-party). */
  constructor(
    private readonly api: Api,
    private readonly base: string,
    root: HTMLElement,
  ) {
    this.mode.append(el('option', { value: 'three-way', 'data-i18n': 'third.threeWay' }), el('option', { value: 'blind', 'data-i18n': 'third.blind' }));
    this.callerWaits.checked = true;
    const waits = el('label', { class: 'check' });
    waits.append(this.callerWaits, el('span', { 'data-i18n': 'third.callerOnHold' }));
    const consultRow = el('div', { class: 'row' });
    consultRow.append(this.consultRoute, waits, this.consultButton, this.joinButton, this.endButton);
    root.replaceChildren(
      el('h2', { 'data-i18n': 'third.emergency', style: 'margin-top:12px' }),
      this.emergencyButtons,
      el('h2', { 'data-i18n': 'third.consultation', style: 'margin-top:12px' }),
      consultRow,
      this.line,
    );
    applyTexts(root);
    this.consultButton.addEventListener('click', () => void this.consult());
    this.joinButton.addEventListener('click', () => void this.join());
    this.endButton.addEventListener('click', () => void this.end());
    onLanguageChange(() => this.render());
    void this.loadRoutes();
    this.render();
  }

  /** The agent's state: the controls work while on a call; a call's end forgets its consultation. */
  state(kind: string): void {
    const onCall = kind === 'on-call';
    if (onCall && !this.onCall) this.status = null;
    if (!onCall) this.consulting = null;
    this.onCall = onCall;
    this.render();
  }

  private async loadRoutes(): Promise<void> {
    try {
      this.routes = (await this.api.get<{ routes: Route[] }>('/acd/emergency-routes')).routes;
    } catch {
      this.routes = [];
    }
    this.consultRoute.replaceChildren(...this.routes.map((r) => new Option(r.label, r.route)));
    this.emergencyButtons.replaceChildren(this.mode, ...this.routes.map((r) => this.routeButton(r)));
    if (this.routes.length === 0) this.emergencyButtons.append(el('span', { class: 'muted', 'data-i18n': 'third.noRoutes' }));
    applyTexts(this.emergencyButtons);
    this.render();
  }

  private routeButton(route: Route): HTMLButtonElement {
    const button = el('button', { type: 'button', class: 'danger', 'data-route': route.route }, route.label);
    button.addEventListener('click', () => void this.transfer(route));
    return button;
  }

  private async transfer(route: Route): Promise<void> {
    const mode = this.mode.value as 'three-way' | 'blind';
    await this.run({ key: 'third.dialling', vars: { label: route.label } }, async () => {
      const result = await this.api.post<DialResult>(`${this.base}/emergency-transfer`, { route: route.route, mode });
      return result.outcome === 'answered' ? { key: `third.transferred.${mode}`, vars: { label: route.label } } : this.notAnswered(route.label, result);
    });
  }

  private async consult(): Promise<void> {
    const route = this.routes.find((r) => r.route === this.consultRoute.value);
    if (!route) return;
    const callerWaits = this.callerWaits.checked;
    await this.run({ key: 'third.dialling', vars: { label: route.label } }, async () => {
      const result = await this.api.post<DialResult>(`${this.base}/consultation`, { route: route.route, callerOnHold: callerWaits });
      if (result.outcome !== 'answered') return this.notAnswered(route.label, result);
      this.consulting = { label: route.label, callerWaits };
      return { key: callerWaits ? 'third.consulting.held' : 'third.consulting.open', vars: { label: route.label } };
    });
  }

  private async join(): Promise<void> {
    const label = this.consulting?.label ?? '';
    await this.run(null, async () => {
      await this.api.post(`${this.base}/consultation/join`);
      this.consulting = { label, callerWaits: false };
      return { key: 'third.joined', vars: { label } };
    });
  }

  private async end(): Promise<void> {
    await this.run(null, async () => {
      await this.api.del(`${this.base}/consultation`);
      this.consulting = null;
      return { key: 'third.ended', vars: {} };
    });
  }

  private notAnswered(label: string, result: DialResult): Status {
    return { key: 'third.notAnswered', vars: { label, attempts: result.attempts.map((a) => a.outcome).join(', ') || '-' } };
  }

  /** Runs one request with the controls held, and says its outcome or its refusal. */
  private async run(pending: Status | null, work: () => Promise<Status>): Promise<void> {
    this.busy = true;
    if (pending) this.status = pending;
    this.render();
    try {
      this.status = await work();
    } catch (e) {
      const code = e instanceof ApiError ? e.errorId : '';
      // The unit hung up by itself: nothing left to join or end.
      if (code === 'acd:no-consultation') this.consulting = null;
      const key = REFUSALS[code];
      this.status = key ? { key, vars: {} } : { key: 'third.failed', vars: { reason: e instanceof ApiError ? `${e.errorId}: ${e.message}` : String(e) } };
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private render(): void {
    const idle = this.onCall && !this.busy;
    for (const button of this.emergencyButtons.querySelectorAll('button')) button.disabled = !idle;
    this.consultButton.disabled = !idle || this.consulting !== null || this.routes.length === 0;
    this.consultRoute.disabled = this.callerWaits.disabled = this.consultButton.disabled;
    this.joinButton.disabled = !idle || !this.consulting?.callerWaits;
    this.endButton.disabled = !idle || this.consulting === null;
    this.line.textContent = this.status ? t(this.status.key, this.status.vars) : '';
  }
}
