/**
 * The menu engine: pure, events in, commands out. No network, no clock of its own: the
 * runner passes the time with each event, and the calendar comes in as a function.
 *
 *   start ─► announcements ─► entry node ─► … ─► action ─► done
 *     │          (mandatory,       (menu mode)
 *     │           emergency key    ─► agent node (direct-to-human mode, priority callers)
 *     └─► restriction entry (restricted callers)
 *   The emergency key, at any point it is live, leaves for the emergency action at once.
 *
 * Every prompt is played with barge-in at the session (so the emergency key can stop it);
 * the play mode decides what another digit means. Digits arrive only as `digit` events.
 */
import type { ActionNode, IvrConfig, IvrNode, LineEntry } from '../config-schema.js';
import { isActionNode } from '../config-schema.js';
import { actionStep } from './action-step.js';
import { collectStep } from './collect-step.js';
import type { CallerClass, Command, EngineEvent, QueueRoute, StartInput } from './commands.js';
import type { MenuPosition } from './menu-position.js';
import { menuStep } from './menu-step.js';
import { playStep } from './play-step.js';
import type { PlayMode, Step, StepContext } from './step.js';
import { gotoStep, hoursStep } from './transit-steps.js';

export interface EngineProgram {
  ivr: IvrConfig;
  /** The line used when the caller's line has no entry of its own. */
  defaultLine: string;
  isOpen(schedule: string, at: Date): boolean;
}

/** Node id used on the record for the synthetic steps. */
export const ANNOUNCEMENTS = 'announcements';
export const EMERGENCY_KEY_NODE = 'emergency-key';
/** Transitions without caller input before the engine calls it a loop (config checks should prevent it). */
const MAX_TRANSITS = 64;

type Stage = 'idle' | 'announcements' | 'node' | 'action' | 'done';

const STEPS: Record<string, Step<never>> = {
  play: playStep as Step<never>,
  menu: menuStep as Step<never>,
  collect: collectStep as Step<never>,
  goto: gotoStep as Step<never>,
  hours: hoursStep as Step<never>,
};

export class MenuEngine {
  private out: Command[] = [];
  private stage: Stage = 'idle';
  private now = new Date(0);
  private route: QueueRoute = 'menu';
  private caller: CallerClass = 'normal';
  private line!: LineEntry;
  private nodeId = '';
  private node: IvrNode | undefined;
  private scratch: Record<string, number | string> = {};
  private readonly vars: Record<string, string> = {};
  private readonly visits = new Map<string, number>();
  private nextId = 1;
  private playing: { playId: number; prompt: string; replays: number } | null = null;
  private queue: string[] = [];
  private mode: PlayMode = 'barge-in';
  private afterPrompts: (() => void) | null = null;
  private timer: { timerId: number; fire: () => void } | null = null;
  private transits = 0;

  constructor(private readonly program: EngineProgram) {}

  get finished(): boolean {
    return this.stage === 'done';
  }

  get currentNode(): string {
    return this.nodeId;
  }

  /**
   * Where the caller is, for a restarted service to resume from (see menu-position.ts);
   * undefined during the announcements and once the menu is done.
   */
  position(): MenuPosition | undefined {
    // The emergency key's transfer is a node of no config: kept too, so a restart does not replay the menu into it.
    const known = this.program.ivr.nodes[this.nodeId] !== undefined || (this.nodeId === EMERGENCY_KEY_NODE && this.stage === 'action');
    if ((this.stage !== 'node' && this.stage !== 'action') || !known) return undefined;
    return { node: this.nodeId, stage: this.stage, caller: this.caller, route: this.route, vars: { ...this.vars }, visits: Object.fromEntries(this.visits) };
  }

  start(input: StartInput, now: Date): Command[] {
    this.now = now;
    const lines = this.program.ivr.lines;
    const line = lines[input.line] ?? lines[this.program.defaultLine];
    if (!line) return this.flush(() => this.fail(`no IVR entry for line "${input.line}"`));
    this.line = line;
    this.caller = input.caller;
    return this.flush(() => {
      // Checked before anything else: a key pressed while the caller was being looked up.
      if (input.pendingDigits?.includes(this.program.ivr.emergency.key)) {
        this.emergency('start', this.program.ivr.emergency.key);
        return;
      }
      if (input.caller === 'restricted') {
        this.stage = 'node';
        this.enter(this.program.ivr.restriction.entry);
        return;
      }
      this.stage = 'announcements';
      this.nodeId = ANNOUNCEMENTS;
      this.play(line.announcements, 'mandatory', () => {
        if (input.caller === 'priority') this.toAgent('priority-caller');
        else if (this.program.ivr.mode === 'direct-to-human') this.toAgent('direct-to-human');
        else this.goFrom(ANNOUNCEMENTS, line.entry, null, 'heard');
      });
    });
  }

  /**
   * Goes on from a position an earlier process kept (a restart): no announcements, the
   * node's prompt again, the values taken before kept. Recorded as `resumed` on the node.
   */
  resume(at: MenuPosition, input: Pick<StartInput, 'line' | 'pendingDigits'>, now: Date): Command[] {
    this.now = now;
    const lines = this.program.ivr.lines;
    const line = lines[input.line] ?? lines[this.program.defaultLine];
    if (!line) return this.flush(() => this.fail(`no IVR entry for line "${input.line}"`));
    this.line = line;
    this.caller = at.caller;
    this.route = at.route;
    Object.assign(this.vars, at.vars);
    for (const [id, count] of Object.entries(at.visits)) this.visits.set(id, count);
    // Entering the node again below counts the visit the stored count already holds.
    const seen = this.visits.get(at.node) ?? 0;
    if (seen > 0) this.visits.set(at.node, seen - 1);
    return this.flush(() => {
      this.stage = 'node';
      this.nodeId = at.node;
      if (input.pendingDigits?.includes(this.program.ivr.emergency.key)) {
        this.emergency(at.node, this.program.ivr.emergency.key);
        return;
      }
      this.record(at.node, null, 'resumed', at.node);
      this.enter(at.node);
    });
  }

  handle(event: EngineEvent, now: Date): Command[] {
    this.now = now;
    return this.flush(() => this.dispatch(event));
  }

  private dispatch(event: EngineEvent): void {
    if (this.stage === 'done' || this.stage === 'idle') return;
    switch (event.type) {
      case 'hangup':
        this.stage = 'done';
        return;
      case 'digit':
        return this.onDigit(event.digit);
      case 'prompt-ended':
        if (!this.playing || this.playing.playId !== event.playId) return; // stopped earlier by a digit
        if (event.reason === 'hangup') {
          this.stage = 'done';
          return;
        }
        this.playing = null;
        return this.playNext();
      case 'timeout':
        if (!this.timer || this.timer.timerId !== event.timerId) return;
        {
          const fire = this.timer.fire;
          this.timer = null;
          fire();
        }
        return;
      case 'action-ended':
        return this.onActionEnded(event.outcome, event.final);
    }
  }

  private emergencyLive(): boolean {
    if (this.stage === 'announcements') return true;
    return this.stage === 'node' && this.node?.kind !== 'collect';
  }

  private onDigit(digit: string): void {
    if (this.stage === 'action') return; // the action owns the call now
    this.transits = 0;
    if (this.emergencyLive() && digit === this.program.ivr.emergency.key) return this.emergency(this.nodeId, digit);
    if (this.playing) {
      // The session stopped the prompt on this digit; what it means depends on the mode.
      if (this.mode === 'mandatory') {
        const { prompt, replays } = this.playing;
        if (replays < this.program.ivr.timing.maxReplays) {
          const playId = this.nextId++;
          this.playing = { playId, prompt, replays: replays + 1 };
          this.out.push({ type: 'play', playId, prompt });
        } else {
          this.playing = null;
          this.playNext();
        }
        return;
      }
      if (this.mode === 'info') {
        this.playing = null;
        return this.playNext();
      }
      this.playing = null;
      this.queue = [];
      this.afterPrompts = null;
    }
    if (this.stage === 'node' && this.node) this.stepOf(this.node).digit(this.node as never, digit, this.context());
  }

  private onActionEnded(outcome: string, final: boolean): void {
    if (this.stage !== 'action') return;
    const node = this.node as ActionNode | undefined;
    if (final) {
      // The runner recorded the hand-off before it ran (see IvrAction.intent).
      this.stage = 'done';
      return;
    }
    const to = node && 'on' in node ? (node.on as Record<string, string>)[outcome] : undefined;
    if (!to) return this.fail(`node "${this.nodeId}" has no edge for outcome "${outcome}"`);
    this.stage = 'node';
    this.goFrom(this.nodeId, to, null, outcome);
  }

  private emergency(from: string, digit: string): void {
    this.stopAll();
    this.record(from, digit, 'emergency-key', EMERGENCY_KEY_NODE);
    const { route } = this.program.ivr.emergency;
    this.nodeId = EMERGENCY_KEY_NODE;
    this.node = { kind: 'emergency', route, prompts: [] };
    this.stage = 'node';
    this.runAction('emergency-key');
  }

  private toAgent(route: QueueRoute): void {
    this.route = route;
    this.goFrom(ANNOUNCEMENTS, this.line.agent, null, route);
  }

  private goFrom(from: string, to: string, input: string | null, outcome: string, carry?: string): void {
    this.record(from, input, outcome, to);
    this.enter(to, carry);
  }

  private enter(id: string, carry?: string): void {
    this.stopAll();
    if (carry !== undefined) this.transits = 0; // a carried digit is input
    if (++this.transits > MAX_TRANSITS) return this.fail(`more than ${MAX_TRANSITS} steps without input, last at "${id}"`);
    const node = this.program.ivr.nodes[id];
    if (!node) return this.fail(`no node "${id}"`);
    this.stage = 'node';
    this.nodeId = id;
    this.node = node;
    this.scratch = {};
    this.visits.set(id, (this.visits.get(id) ?? 0) + 1);
    this.stepOf(node).enter(node as never, this.context(), carry);
  }

  private stepOf(node: IvrNode): Step<never> {
    return isActionNode(node) ? (actionStep as Step<never>) : (STEPS[node.kind] as Step<never>);
  }

  private runAction(reason?: QueueRoute): void {
    const node = this.node;
    if (!node || !isActionNode(node)) return this.fail(`node "${this.nodeId}" is not an action`);
    this.stage = 'action';
    const why = reason ?? (this.nodeId === this.line.agent ? this.route : 'menu');
    const command: Command = {
      type: 'run-action',
      nodeId: this.nodeId,
      node,
      visit: this.visits.get(this.nodeId) ?? 1,
      vars: { ...this.vars },
      reason: why,
    };
    if (why === 'priority-caller' && node.kind === 'queue') command.priority = this.program.ivr.priorityCallers.priority;
    this.out.push(command);
  }

  private context(): StepContext {
    return {
      nodeId: this.nodeId,
      timing: this.program.ivr.timing,
      scratch: this.scratch,
      vars: this.vars,
      now: this.now,
      isOpen: (schedule) => this.program.isOpen(schedule, this.now),
      play: (prompts, mode, then) => this.play(prompts, mode, then),
      wait: (ms, onTimeout) => this.wait(ms, onTimeout),
      cancelWait: () => this.cancelWait(),
      go: (to, input, outcome, carry) => this.goFrom(this.nodeId, to, input, outcome, carry),
      jump: (to, carry) => this.enter(to, carry),
      note: (input, outcome) => this.record(this.nodeId, input, outcome, this.nodeId),
      runAction: () => this.runAction(),
    };
  }

  private play(prompts: string[], mode: PlayMode, then: () => void): void {
    this.queue = [...prompts];
    this.mode = mode;
    this.afterPrompts = then;
    this.playNext();
  }

  private playNext(): void {
    const prompt = this.queue.shift();
    if (prompt !== undefined) {
      const playId = this.nextId++;
      this.playing = { playId, prompt, replays: 0 };
      this.out.push({ type: 'play', playId, prompt });
      return;
    }
    const then = this.afterPrompts;
    this.afterPrompts = null;
    then?.();
  }

  private wait(ms: number, onTimeout: () => void): void {
    this.cancelWait();
    const timerId = this.nextId++;
    this.timer = { timerId, fire: onTimeout };
    this.out.push({ type: 'start-timer', timerId, ms });
  }

  private cancelWait(): void {
    if (!this.timer) return;
    this.out.push({ type: 'cancel-timer', timerId: this.timer.timerId });
    this.timer = null;
  }

  private stopAll(): void {
    this.cancelWait();
    this.playing = null;
    this.queue = [];
    this.afterPrompts = null;
  }

  private record(node: string, input: string | null, outcome: string, next: string | null): void {
    this.out.push({ type: 'record', step: { node, input, outcome }, next });
  }

  private fail(reason: string): void {
    this.stopAll();
    this.stage = 'done';
    this.out.push({ type: 'fail', reason });
  }

  private flush(work: () => void): Command[] {
    work();
    const out = this.out;
    this.out = [];
    return out;
  }
}
