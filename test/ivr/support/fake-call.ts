/**
 * An in-memory CallContext: what a CallSession offers a flow, with the caller's side under
 * the test's control (digits, prompt ends, hang-up, timers) and everything the flow did
 * written down. Plays behave like the session's: barge-in stops a prompt on any digit.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import type { AriPort } from '../../../src/ari/port.js';
import type { AdoptedCall, CallContext, PlayEnd, PlayOptions } from '../../../src/calls/ports/call-flow.js';
import type { CallPathStep } from '../../../src/calls/call-record.js';
import type { DomainEventPayloads, DomainEventType } from '../../../src/calls/domain-events.js';
import { createTestLogger } from '../../support/test-logger.js';

interface PendingPlay {
  media: string[];
  options: PlayOptions;
  resolve: (end: PlayEnd) => void;
}

interface FakeTimer {
  ms: number;
  fn: () => void;
  active: boolean;
}

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeCall implements CallContext {
  readonly callId = randomUUID();
  readonly channelId = 'chan-1';
  readonly dialled: string;
  readonly line: string;
  readonly language = 'zh';
  readonly adopted: false | AdoptedCall;
  readonly caller: { number: string; name: string };
  readonly log = createTestLogger();
  private readonly abort = new AbortController();
  readonly signal = this.abort.signal;

  readonly played: string[][] = [];
  readonly steps: (Omit<CallPathStep, 'at'> & { next: string | null })[] = [];
  readonly published: { type: string; data: unknown }[] = [];
  readonly ariCalls: { method: string; args: unknown[] }[] = [];
  readonly timers: FakeTimer[] = [];
  current: PendingPlay | null = null;
  private readonly dtmf = new Set<(digit: string) => void>();
  readonly ari: AriPort;

  constructor(options: { line?: string; dialled?: string; number?: string; adopted?: AdoptedCall } = {}) {
    this.adopted = options.adopted ?? false;
    this.line = options.line ?? 'main';
    this.dialled = options.dialled ?? '12345';
    this.caller = { number: options.number ?? '13912345678', name: '' };
    const record = (method: string) => async (...args: unknown[]) => void this.ariCalls.push({ method, args });
    this.ari = new Proxy({} as AriPort, { get: (_t, method: string) => record(method) });
  }

  promptMedia(promptId: string): string[] {
    return [`prompt:${promptId}`];
  }

  play(media: string[], options: PlayOptions = {}): Promise<PlayEnd> {
    if (this.signal.aborted) return Promise.resolve({ reason: 'hangup' });
    this.played.push(media);
    return new Promise((resolve) => {
      const pending: PendingPlay = { media, options, resolve };
      this.current = pending;
      pending.resolve = (end) => {
        if (this.current === pending) this.current = null;
        resolve(end);
      };
    });
  }

  onDtmf(listener: (digit: string) => void): () => void {
    this.dtmf.add(listener);
    return () => this.dtmf.delete(listener);
  }

  onEvent(): () => void {
    return () => {};
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: FakeTimer = { ms, fn, active: true };
    this.timers.push(timer);
    return () => void (timer.active = false);
  }

  recordStep(step: Omit<CallPathStep, 'at'>, next: string | null = null): void {
    this.steps.push({ ...step, next });
  }

  readonly receipts: unknown[] = [];
  noteEmergency(receipt: unknown): void {
    this.receipts.push(receipt);
  }

  /** Every position the flow kept, in order; the last is what a restarted service would find. */
  readonly positions: unknown[] = [];
  keepPosition(position: unknown): void {
    this.positions.push(position);
  }

  settled: string | undefined;
  settleOutcome(outcome: string): void {
    this.settled = outcome;
  }

  readonly queueNotes: unknown[] = [];
  noteQueue(note: unknown): void {
    this.queueNotes.push(note);
  }

  publish<T extends DomainEventType>(type: T, data: DomainEventPayloads[T]): void {
    this.published.push({ type, data });
  }

  // ——— the caller's side ———

  /** The prompt ids playing now (from `prompt:<id>` media). */
  get nowPlaying(): string | undefined {
    return this.current?.media[0]?.replace(/^prompt:/, '');
  }

  /** Presses keys as a phone does: listeners first, and the session's barge-in stops the prompt. */
  async press(digits: string): Promise<void> {
    for (const digit of digits) {
      for (const listener of [...this.dtmf]) listener(digit);
      const playing = this.current;
      if (playing && (playing.options.bargeIn ?? true)) playing.resolve({ reason: 'interrupted', digit });
      await this.settle();
    }
  }

  async finishPlay(reason: 'finished' | 'failed' = 'finished'): Promise<void> {
    const playing = this.current;
    if (!playing) throw new Error('nothing is playing');
    playing.resolve(reason === 'failed' ? { reason: 'failed', detail: 'no such file' } : { reason: 'finished' });
    await this.settle();
  }

  /** Lets prompts play to their end until `promptId` plays; with none, until the flow stops playing. */
  async playUntil(promptId?: string): Promise<void> {
    await this.settle();
    for (let i = 0; i < 100; i += 1) {
      if (promptId !== undefined && this.nowPlaying === promptId) return;
      if (!this.current) {
        if (promptId === undefined) return;
        throw new Error(`"${promptId}" never played; played: ${this.played.map((m) => m.join('+')).join(', ')}`);
      }
      await this.finishPlay();
    }
    throw new Error('prompts never end');
  }

  /** Fires the timers that are running (time passes). */
  async fireTimers(): Promise<void> {
    const active = this.timers.filter((t) => t.active);
    if (active.length === 0) throw new Error('no timer is running');
    for (const t of active) {
      t.active = false;
      t.fn();
    }
    await this.settle();
  }

  async hangup(): Promise<void> {
    this.abort.abort();
    this.current?.resolve({ reason: 'hangup' });
    await this.settle();
  }

  /**
   * Waits (in real time: the caller look-ups go to Redis) until the flow plays its first
   * prompt or ends; fails when it has done neither within `limitMs`.
   */
  async started(flow: Promise<unknown>, limitMs = 3000): Promise<void> {
    let done = false;
    void flow.then(
      () => (done = true),
      () => (done = true),
    );
    await vi.waitFor(() => {
      if (!this.current && !done) throw new Error(`the flow neither played a prompt nor ended within ${limitMs} ms`);
    }, { timeout: limitMs, interval: 2 });
    await this.settle();
  }

  async settle(): Promise<void> {
    for (let i = 0; i < 10; i += 1) await tick();
  }

  /** The prompt ids played so far (first media of each play). */
  get prompts(): string[] {
    return this.played.map((m) => m[0]!.replace(/^prompt:/, ''));
  }
}
