/**
 * The agent desktop's screen pop: what the service knows of the call ringing (or talking)
 * at this desk, shown before answer. The agent's state names the call (polled by agent.ts);
 * the pop is fetched once per call from GET /acd/agents/:id/screen-pop: the caller's number
 * (whole or masked as the agent's role may see it), the name, the number dialled and its
 * line, the menu path with the keys pressed, the wait in the queue, the repeat-caller flag
 * and the caller's open tickets. Until it arrives, or when it cannot, the pop shows the
 * queue and call id from the state and the number the SIP INVITE carried.
 */
import type { Api } from './lib/api.js';
import { byId, clock, show } from './lib/format.js';
import { currentLang, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { SCREEN_POP_TEXTS } from './lib/texts-screen-pop.js';
import { el } from './lib/dom.js';

useDictionary(SCREEN_POP_TEXTS);

export interface PopContext {
  callId: string;
  queue: string;
}

export interface PopView {
  callId: string;
  queue: string;
  caller: { number: string; masked: boolean; name: string | null };
  dialled: string;
  line: string;
  path: Array<{ node: string; input: string | null; outcome: string }>;
  wait: { enqueuedAt: string | null; waitedMs: number | null };
  repeatCaller: { days: number; contacts: number | null; repeat: boolean | null };
  /** What the desk shows of each open ticket (the route gives createdAt too). */
  tickets: Array<{ ticketNumber: string; state: string; summary?: string; category?: string; handlingUnit?: string; dueDate?: string }> | null;
  lookup: 'ok' | 'partial' | 'unavailable' | 'unconfigured' | 'no-number';
}

/** A fetch that failed (the call's record not stored yet, a network blip) is tried again on the next polls, this often. */
const ATTEMPTS_PER_CALL = 3;


export class ScreenPop {
  private context: PopContext | undefined;
  private view: PopView | undefined;
  private sipFrom = '';
  private attempts = 0;
  private loading = false;

  constructor(
    private readonly api: Api,
    private readonly agentId: string,
  ) {
    onLanguageChange(() => this.render());
  }

  /** The call the agent's state names, every poll; a new call is fetched once. */
  show(context: PopContext | undefined): void {
    if (context?.callId !== this.context?.callId) {
      this.context = context;
      this.view = undefined;
      this.attempts = 0;
      if (!context) this.sipFrom = '';
      this.render();
    }
    if (context && !this.view && !this.loading && this.attempts < ATTEMPTS_PER_CALL) void this.load(context.callId);
  }

  /** The number the softphone's INVITE carried: shown until the pop arrives. */
  ringing(from: string): void {
    this.sipFrom = from;
    this.render();
  }

  private async load(callId: string): Promise<void> {
    this.loading = true;
    this.attempts++;
    try {
      const view = await this.api.get<PopView>(`/acd/agents/${encodeURIComponent(this.agentId)}/screen-pop`);
      // The agent may have moved on to another call while this one was asked for.
      if (view.callId === this.context?.callId) this.view = view;
    } catch {
      // Shown as "not available" once the attempts are spent; the state's context stays.
    } finally {
      this.loading = false;
      if (callId === this.context?.callId) this.render();
    }
  }

  private render(): void {
    const pop = byId('pop');
    const context = this.context;
    show(pop, context !== undefined);
    show(byId('pop-empty'), context === undefined);
    pop.dataset.sipFrom = this.sipFrom;
    pop.dataset.loaded = String(this.view !== undefined);
    if (!context) {
      pop.replaceChildren();
      return;
    }
    const v = this.view;
    const status = v ? this.lookupNote(v) : this.attempts >= ATTEMPTS_PER_CALL && !this.loading ? t('pop.notAvailable') : t('pop.loading');
    const flags = el('div', { class: 'row pop-flags' });
    if (v?.repeatCaller.repeat) flags.append(el('span', { class: 'badge warn', id: 'pop-repeat-badge' }, t('pop.repeat')));
    if (status) flags.append(el('span', { class: 'muted', id: 'pop-status' }, status));

    const list = el('dl', { class: 'pop' });
    const row = (label: string, id: string, value: Node | string) => {
      const dd = el('dd', { id });
      dd.append(value);
      list.append(el('dt', {}, label), dd);
    };
    row(t('pop.caller'), 'pop-caller', v ? v.caller.number : this.sipFrom);
    if (v?.caller.masked) list.lastElementChild!.append(el('span', { class: 'muted' }, ` (${t('pop.masked')})`));
    if (v?.caller.name) row(t('pop.name'), 'pop-name', v.caller.name);
    if (v) row(t('pop.dialled'), 'pop-dialled', `${v.dialled} · ${v.line}`);
    row(t('pop.queue'), 'pop-queue', context.queue);
    if (v) {
      row(t('pop.wait'), 'pop-wait', this.waitText(v));
      row(t('pop.path'), 'pop-path', this.pathNode(v));
      row(t('pop.repeat'), 'pop-repeat', this.repeatText(v));
    }
    row(t('pop.callId'), 'pop-call-id', context.callId);
    const parts: Node[] = [flags, list];
    if (v) parts.push(this.ticketsNode(v));
    pop.replaceChildren(...parts);
  }

  private lookupNote(v: PopView): string {
    return v.lookup === 'ok' ? '' : t(`pop.lookup.${v.lookup}`);
  }

  private waitText(v: PopView): string {
    if (v.wait.waitedMs === null) return '—';
    const at = v.wait.enqueuedAt ? new Date(v.wait.enqueuedAt).toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : null;
    return `${clock(v.wait.waitedMs / 1000)}${at ? t('pop.enqueuedAt', { time: at }) : ''}`;
  }

  /** The menu nodes in order, each with the key pressed there. */
  private pathNode(v: PopView): Node {
    const steps = v.path.filter((s) => s.node !== '');
    if (steps.length === 0) return document.createTextNode(t('pop.noPath'));
    const list = el('ol', { class: 'pop-path' });
    for (const step of steps) {
      const item = el('li', { 'data-node': step.node }, step.node);
      if (step.input !== null) item.append(' ', el('kbd', {}, step.input));
      list.append(item);
    }
    return list;
  }

  private repeatText(v: PopView): string {
    const { repeat, contacts, days } = v.repeatCaller;
    if (repeat === null || contacts === null) return t('pop.unknown');
    return t(repeat ? 'pop.repeatYes' : 'pop.repeatNo', { days, count: contacts });
  }

  private ticketsNode(v: PopView): Node {
    const box = el('div', { id: 'pop-tickets' });
    box.append(el('h3', {}, t('pop.tickets')));
    if (v.tickets === null) {
      box.append(el('p', { class: 'muted' }, t('pop.unknown')));
      return box;
    }
    if (v.tickets.length === 0) {
      box.append(el('p', { class: 'muted' }, t('pop.noTickets')));
      return box;
    }
    const table = el('table', { class: 'pop-tickets' });
    const head = el('tr');
    for (const key of ['number', 'state', 'unit', 'due', 'summary']) head.append(el('th', {}, t(`pop.ticket.${key}`)));
    table.append(head);
    for (const ticket of v.tickets) {
      const tr = el('tr', { 'data-ticket': ticket.ticketNumber });
      tr.append(
        el('td', {}, ticket.ticketNumber),
        el('td', {}, t(`ticket.${ticket.state}`)),
        el('td', {}, ticket.handlingUnit ?? '—'),
        el('td', {}, ticket.dueDate ?? '—'),
        el('td', {}, ticket.summary ?? ticket.category ?? '—'),
      );
      table.append(tr);
    }
    box.append(table);
    return box;
  }
}
