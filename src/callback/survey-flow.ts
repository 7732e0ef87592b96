/**
 * The survey call, once the citizen answered: a call of the registry with this flow, so it
 * has its call record, its domain events and the emergency linkage like any call.
 *
 *   intro + ticket number + question ──key 1–5──► "您的评价是" + the rating + thanks ──► hang up (rated)
 *        │ no key / another key: told so, asked once more ──again nothing valid──► hang up (no-rating)
 *        │ the emergency key ──► the emergency linkage (transferred)
 *        │ the agent key ──► an agent's queue (transferred)
 *        └ hangs up at any point ──► hung-up (an outcome, not a rating)
 *
 * Keys count from the answer on: a citizen who knows the drill may answer at once.
 * The outcome is reported as soon as it is known (a hang-up during the thanks loses nothing).
 */
import type { CallContext, CallFlow, FlowResult, SurveyRating } from '../calls/index.js';
import type { SurveyPrompts } from './config-schema.js';
import type { SurveyHandoff } from './ports/survey-handoff.js';
import { ratingOfKey } from './survey-rating.js';

export type SurveyCallResult =
  | { outcome: 'rated'; rating: SurveyRating }
  | { outcome: 'no-rating' | 'hung-up' }
  | { outcome: 'transferred'; to: 'emergency' | 'agent' };

export interface SurveyFlowDeps {
  ticketNumber: string;
  prompts: SurveyPrompts;
  inputTimeoutMs: number;
  handoff: SurveyHandoff;
  /** Told once, as soon as the outcome is known. */
  report(result: SurveyCallResult): void;
  /** Keys pressed between the answer and the flow's start (the call being set up); taken once. */
  earlyKeys?(): string[];
}

const ASKS = 2;

export class SurveyFlow implements CallFlow {
  private reported = false;
  private readonly keys = new KeyQueue();

  constructor(private readonly deps: SurveyFlowDeps) {}

  async run(call: CallContext): Promise<FlowResult> {
    const { prompts, handoff } = this.deps;
    // Every key from the answer on: one pressed before the first prompt starts is not lost.
    call.onDtmf((digit) => this.keys.push(digit));
    for (const digit of this.deps.earlyKeys?.() ?? []) this.keys.push(digit);
    // Asterisk reads the ticket's digits (say.c): letters and separators are not spoken.
    const digits = this.deps.ticketNumber.replace(/[^0-9]/g, '');
    let media = [...call.promptMedia(prompts.intro), ...(digits ? [`digits:${digits}`] : []), ...call.promptMedia(prompts.question)];
    for (let asked = 1; ; asked += 1) {
      const key = await this.ask(call, media);
      if (key === 'hangup') return this.gone();
      if (key !== null && key === handoff.emergency?.key) {
        call.recordStep({ node: 'survey', input: key, outcome: 'emergency' });
        this.report({ outcome: 'transferred', to: 'emergency' });
        return handoff.emergency.transfer(call);
      }
      if (key !== null && key === handoff.agent?.key) {
        call.recordStep({ node: 'survey', input: key, outcome: 'agent' });
        this.report({ outcome: 'transferred', to: 'agent' });
        if (prompts.toAgent && (await call.play(call.promptMedia(prompts.toAgent), { bargeIn: false })).reason === 'hangup') return this.gone();
        return handoff.agent.connect(call);
      }
      const rating = key === null ? null : ratingOfKey(key);
      if (rating !== null) {
        call.recordStep({ node: 'survey', input: key, outcome: `rated:${rating}` });
        this.report({ outcome: 'rated', rating });
        const confirm = [...call.promptMedia(prompts.youRated), ...call.promptMedia(prompts.ratings[String(rating) as keyof SurveyPrompts['ratings']]), ...call.promptMedia(prompts.thanks)];
        const end = await call.play(confirm, { bargeIn: false });
        return end.reason === 'hangup' ? { then: 'caller-gone' } : { then: 'hangup', outcome: 'completed' };
      }
      call.recordStep({ node: 'survey', input: key, outcome: key === null ? 'no-input' : 'invalid' });
      if (asked >= ASKS) {
        this.report({ outcome: 'no-rating' });
        const end = await call.play(call.promptMedia(prompts.thanks), { bargeIn: false });
        return end.reason === 'hangup' ? { then: 'caller-gone' } : { then: 'hangup', outcome: 'completed' };
      }
      media = [...call.promptMedia(key === null ? prompts.noInput : prompts.invalid), ...call.promptMedia(prompts.question)];
    }
  }

  /** The hang-up, when nothing else was reported first. */
  private gone(): FlowResult {
    this.report({ outcome: 'hung-up' });
    return { then: 'caller-gone' };
  }

  private report(result: SurveyCallResult): void {
    if (this.reported) return;
    this.reported = true;
    this.deps.report(result);
  }

  /** Plays the question (unless a key is waiting) and takes one key: the key, null for none in time, or the hang-up. */
  private async ask(call: CallContext, media: string[]): Promise<string | null | 'hangup'> {
    const early = this.keys.take();
    if (early !== undefined) return early;
    const end = await call.play(media, { bargeIn: true });
    // A key that stopped the prompt is queued too: taken from there.
    if (end.reason === 'interrupted') return this.keys.take() ?? end.digit;
    if (end.reason === 'hangup' || call.signal.aborted) return 'hangup';
    return new Promise((resolve) => {
      const finish = (value: string | null | 'hangup'): void => {
        this.keys.stopWaiting();
        cancel();
        call.signal.removeEventListener('abort', aborted);
        resolve(value);
      };
      const aborted = (): void => finish('hangup');
      const cancel = call.setTimer(this.deps.inputTimeoutMs, () => finish(null));
      call.signal.addEventListener('abort', aborted);
      this.keys.next(finish);
    });
  }
}

/** Keys in the order pressed, kept until asked for, or handed at once to whoever waits. */
class KeyQueue {
  private readonly queued: string[] = [];
  private waiter: ((digit: string) => void) | null = null;

  push(digit: string): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter(digit);
    else this.queued.push(digit);
  }

  take(): string | undefined {
    return this.queued.shift();
  }

  next(handler: (digit: string) => void): void {
    const ready = this.take();
    if (ready !== undefined) handler(ready);
    else this.waiter = handler;
  }

  stopWaiting(): void {
    this.waiter = null;
  }
}
