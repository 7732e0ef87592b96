/**
 * The agent desktop's transfer control: while on a call, the agent hands the caller on
 * (blind) to a queue or to a named colleague (POST /acd/agents/:id/transfer); the agent's
 * part of the call ends there (wrap-up), and the caller hears the hold music until the
 * queue's next agent or the colleague answers. The queues to pick from are GET /acd/queues;
 * the colleagues those ready now (GET /acd/transfer-targets: ids and names only), refreshed
 * when a call starts and when the field is entered; an id may be typed too. A refusal (the
 * colleague not ready, a third party in the call) says why, and the call stays as it was.
 */
import { ApiError, type Api } from './lib/api.js';
import { applyTexts, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { TRANSFER_TEXTS } from './lib/texts-transfer.js';
import { el } from './lib/dom.js';

useDictionary(TRANSFER_TEXTS);

interface TransferResult {
  outcome: 'queued' | 'ringing';
  queue: string;
  agentId: string | null;
}

/** What the status line says, kept as a key and its values so a language change re-renders it. */
interface Status {
  outcome: 'queued' | 'ringing' | 'refused';
  key: string;
  vars: Record<string, string>;
}

/** A refusal's code as the agent reads it. */
const REFUSALS: Record<string, string> = {
  'acd:transfer-target-not-ready': 'transfer.notReady',
  'acd:no-such-agent': 'transfer.noSuchAgent',
  'acd:agent-not-on-call': 'transfer.notOnCall',
  'acd:transfer-busy': 'transfer.busy',
};


export class TransferControl {
  private onCall = false;
  private status: Status | null = null;
  private queues: string[] = [];
  private readonly queueSelect = el('select', { id: 'transfer-queue', 'aria-label': 'queue' });
  private readonly agentInput = el('input', { id: 'transfer-agent', list: 'transfer-agents', 'data-i18n-placeholder': 'transfer.agentPlaceholder', autocomplete: 'off' });
  private readonly agentList = el('datalist', { id: 'transfer-agents' });
  private readonly toQueue = el('button', { id: 'transfer-to-queue', type: 'button', 'data-i18n': 'transfer.toQueue' });
  private readonly toAgent = el('button', { id: 'transfer-to-agent', type: 'button', 'data-i18n': 'transfer.toAgent' });
  private readonly line = el('p', { id: 'transfer-status', class: 'muted', 'data-testid': 'transfer-status', role: 'status' });

  /** Builds the control in `root` (the page's #transfer). */
  constructor(
    private readonly api: Api,
    private readonly base: string,
    root: HTMLElement,
  ) {
    const title = el('h2', { 'data-i18n': 'transfer.title', style: 'margin-top:12px' });
    const byQueue = el('div', { class: 'row' });
    byQueue.append(this.queueSelect, this.toQueue);
    const byAgent = el('div', { class: 'row', style: 'margin-top:6px' });
    byAgent.append(this.agentInput, this.agentList, this.toAgent);
    root.replaceChildren(title, byQueue, byAgent, this.line);
    applyTexts(root);
    this.toQueue.addEventListener('click', () => void this.transfer({ queue: this.queueSelect.value }));
    this.toAgent.addEventListener('click', () => {
      const agent = this.agentInput.value.trim();
      if (!agent) return this.say({ outcome: 'refused', key: 'transfer.noAgentGiven', vars: {} });
      void this.transfer({ agent });
    });
    this.agentInput.addEventListener('focus', () => void this.loadTargets());
    onLanguageChange(() => this.render());
    void this.loadQueues();
    this.render();
  }

  /** The agent's state: the control works while on a call; a new call clears the last outcome. */
  state(kind: string): void {
    const onCall = kind === 'on-call';
    if (onCall && !this.onCall) {
      this.status = null;
      void this.loadTargets();
    }
    this.onCall = onCall;
    this.render();
  }

  private async transfer(body: { queue: string } | { agent: string }): Promise<void> {
    const agent = 'agent' in body ? body.agent : '';
    try {
      const result = await this.api.post<TransferResult>(`${this.base}/transfer`, body);
      this.say(
        result.outcome === 'ringing'
          ? { outcome: 'ringing', key: 'transfer.ringing', vars: { agent: result.agentId ?? agent, queue: result.queue } }
          : { outcome: 'queued', key: 'transfer.queued', vars: { queue: result.queue } },
      );
    } catch (e) {
      const key = e instanceof ApiError ? REFUSALS[e.errorId] : undefined;
      const reason = e instanceof ApiError ? `${e.errorId}: ${e.message}` : String(e);
      this.say({ outcome: 'refused', key: key ?? 'transfer.failed', vars: { agent, reason } });
    }
  }

  private async loadQueues(): Promise<void> {
    try {
      const { queues } = await this.api.get<{ queues: Array<{ name: string }> }>('/acd/queues');
      this.queues = queues.map((q) => q.name);
      this.render();
    } catch {
      // No queues shown: the agent can still transfer to a colleague.
    }
  }

  private async loadTargets(): Promise<void> {
    try {
      const { agents } = await this.api.get<{ agents: Array<{ id: string; displayName: string }> }>('/acd/transfer-targets');
      this.agentList.replaceChildren(...agents.map((a) => new Option(a.displayName, a.id)));
      this.agentInput.title = agents.length ? agents.map((a) => `${a.id} ${a.displayName}`).join('\n') : t('transfer.noneReady');
    } catch {
      // A typed id still works.
    }
  }

  private say(status: Status): void {
    this.status = status;
    this.render();
  }

  private render(): void {
    const chosen = this.queueSelect.value;
    this.queueSelect.replaceChildren(...this.queues.map((q) => new Option(q, q)));
    if (chosen) this.queueSelect.value = chosen;
    this.toQueue.disabled = !this.onCall || this.queues.length === 0;
    this.toAgent.disabled = !this.onCall;
    this.line.textContent = this.status ? t(this.status.key, this.status.vars) : '';
    if (this.status) this.line.dataset.outcome = this.status.outcome;
    else delete this.line.dataset.outcome;
  }
}
