/**
 * The wrap-up panel of the agent desktop: while the agent wraps a call up, the call's
 * disposition (the centre's codes from GET /acd/dispositions, in the page's language), a
 * short note, "save" (POST …/wrap-up/disposition: the wrap-up runs on, and saving again
 * replaces it) and "end wrap-up" (POST …/wrap-up/end, with the chosen disposition when there
 * is one). The ticket backend gets the last one saved, once, when the wrap-up ends.
 */
import type { Api } from './lib/api.js';
import { byId, clock, show } from './lib/format.js';
import { currentLang, onLanguageChange, t, useDictionary } from './lib/i18n.js';
import { WRAP_UP_TEXTS } from './lib/texts-wrap-up.js';

interface Disposition {
  code: string;
  zh: string;
  en: string;
}

type Act = (run: () => Promise<unknown>) => Promise<void>;

useDictionary(WRAP_UP_TEXTS);

export class WrapUpPanel {
  private dispositions: Disposition[] = [];
  /** The call of the wrap-up shown: a new one starts with an empty choice. */
  private callId: string | undefined;
  private until: number | undefined;
  private readonly select = document.createElement('select');
  private readonly note = document.createElement('input');
  private readonly saved = document.createElement('span');
  private readonly left = document.createElement('span');

  constructor(
    private readonly api: Api,
    private readonly base: string,
    private readonly act: Act,
  ) {
    this.build();
    void api
      .get<{ dispositions: Disposition[]; noteMaxLength: number }>('/acd/dispositions')
      .then((list) => {
        this.dispositions = list.dispositions;
        this.note.maxLength = list.noteMaxLength;
        this.renderOptions();
      })
      .catch(() => undefined);
    onLanguageChange(() => this.renderTexts());
    setInterval(() => this.renderLeft(), 250);
  }

  /** Shown during wrap-up only; a new wrap-up clears the last call's choice. */
  render(state: { kind: string; callId?: string; until?: number }): void {
    const wrapping = state.kind === 'wrap-up';
    show(byId('wrap-up-panel'), wrapping);
    show(byId('wrap-up-end'), wrapping);
    if (wrapping && state.callId !== this.callId) {
      this.callId = state.callId;
      this.select.value = '';
      this.note.value = '';
      this.saved.textContent = '';
      delete this.saved.dataset.code;
    }
    this.until = wrapping ? state.until : undefined;
    this.renderLeft();
  }

  private choice(): { code: string; note?: string } | undefined {
    const code = this.select.value;
    if (!code) return undefined;
    const note = this.note.value.trim();
    return note ? { code, note } : { code };
  }

  private build(): void {
    const panel = byId('wrap-up-panel');
    const label = document.createElement('label');
    label.htmlFor = this.select.id = 'disposition';
    label.dataset.i18n = 'wrapUp.disposition';
    this.note.id = 'disposition-note';
    this.note.dataset.i18nPlaceholder = 'wrapUp.note';
    this.note.maxLength = 200;
    this.note.style.minWidth = '260px';
    const save = document.createElement('button');
    save.type = 'button';
    save.id = 'disposition-save';
    save.dataset.i18n = 'wrapUp.save';
    this.saved.id = 'disposition-saved';
    this.saved.className = 'muted';
    this.saved.dataset.testid = 'disposition-saved';
    this.left.className = 'muted';
    this.left.id = 'wrap-up-left';
    panel.replaceChildren(label, this.select, this.note, save, this.saved, this.left);
    save.addEventListener('click', () => {
      const choice = this.choice();
      if (!choice) return;
      void this.act(async () => {
        await this.api.post(`${this.base}/wrap-up/disposition`, choice);
        this.saved.dataset.code = choice.code;
        this.renderTexts();
      });
    });
    byId('wrap-up-end').addEventListener('click', () => void this.act(() => this.api.post(`${this.base}/wrap-up/end`, this.choice())));
    this.renderTexts();
  }

  private labelOf(code: string): string {
    const d = this.dispositions.find((x) => x.code === code);
    return d ? d[currentLang()] : code;
  }

  private renderOptions(): void {
    const chosen = this.select.value;
    this.select.replaceChildren(new Option(t('wrapUp.choose'), ''), ...this.dispositions.map((d) => new Option(d[currentLang()], d.code)));
    this.select.value = chosen;
  }

  private renderTexts(): void {
    this.renderOptions();
    const code = this.saved.dataset.code;
    this.saved.textContent = code ? t('wrapUp.saved', { label: this.labelOf(code) }) : '';
    for (const el of byId('wrap-up-panel').querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
    this.note.placeholder = t('wrapUp.note');
  }

  private renderLeft(): void {
    this.left.textContent = this.until ? t('wrapUp.left', { time: clock((this.until - Date.now()) / 1000) }) : '';
  }
}
