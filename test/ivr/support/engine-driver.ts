/**
 * Drives the pure menu engine by hand: no call, no network. Keeps what the engine asked
 * for (prompts, records, actions, timers) for the assertions.
 */
import type { Command, EngineEvent, StartInput } from '../../../src/ivr/engine/commands.js';
import { MenuEngine, type EngineProgram } from '../../../src/ivr/engine/menu-engine.js';

type RunAction = Extract<Command, { type: 'run-action' }>;

export class EngineDriver {
  readonly engine: MenuEngine;
  readonly prompts: string[] = [];
  readonly steps: { node: string; input: string | null; outcome: string; next: string | null }[] = [];
  readonly actions: RunAction[] = [];
  readonly fails: string[] = [];
  playing: { playId: number; prompt: string } | null = null;
  readonly timers = new Map<number, number>();

  constructor(program: EngineProgram, private now: Date) {
    this.engine = new MenuEngine(program);
  }

  start(input: Partial<StartInput> = {}): this {
    return this.apply(this.engine.start({ line: 'main', caller: 'normal', ...input }, this.now));
  }

  send(event: EngineEvent): this {
    return this.apply(this.engine.handle(event, this.now));
  }

  /** Lets the current prompt play to its end. */
  finish(): this {
    if (!this.playing) throw new Error('nothing is playing');
    const { playId } = this.playing;
    this.playing = null;
    return this.send({ type: 'prompt-ended', playId, reason: 'finished' });
  }

  /** Lets prompts play to their end until `prompt` is playing (or, with none given, until none is). */
  finishUntil(prompt?: string): this {
    for (let i = 0; i < 50; i += 1) {
      if (prompt !== undefined && this.playing?.prompt === prompt) return this;
      if (!this.playing) {
        if (prompt === undefined) return this;
        throw new Error(`"${prompt}" never played; prompts so far: ${this.prompts.join(', ')}`);
      }
      this.finish();
    }
    throw new Error('prompts never end');
  }

  press(digits: string): this {
    for (const digit of digits) {
      const stopped = this.playing;
      this.playing = null;
      this.send({ type: 'digit', digit });
      // As the session does: the digit stopped the prompt (barge-in); its end is reported after.
      if (stopped) this.send({ type: 'prompt-ended', playId: stopped.playId, reason: 'interrupted' });
    }
    return this;
  }

  /** Fires the one timer that is running. */
  timeout(): this {
    const ids = [...this.timers.keys()];
    if (ids.length !== 1) throw new Error(`expected one running timer, found ${ids.length}`);
    this.timers.delete(ids[0]!);
    return this.send({ type: 'timeout', timerId: ids[0]! });
  }

  actionEnded(outcome: string, final = false): this {
    return this.send({ type: 'action-ended', outcome, final });
  }

  get lastAction(): RunAction | undefined {
    return this.actions.at(-1);
  }

  private apply(commands: Command[]): this {
    for (const c of commands) {
      switch (c.type) {
        case 'play':
          this.playing = { playId: c.playId, prompt: c.prompt };
          this.prompts.push(c.prompt);
          break;
        case 'start-timer':
          this.timers.set(c.timerId, c.ms);
          break;
        case 'cancel-timer':
          this.timers.delete(c.timerId);
          break;
        case 'record':
          this.steps.push({ ...c.step, next: c.next });
          break;
        case 'run-action':
          this.playing = null;
          this.actions.push(c);
          break;
        case 'fail':
          this.fails.push(c.reason);
          break;
      }
    }
    return this;
  }
}
