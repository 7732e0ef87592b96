/**
 * The thin side of the IVR: runs the pure menu engine on one call. It turns the engine's
 * commands into CallContext calls (play, timers, the call record, actions through their
 * ports) and feeds back what happened. Digits reach the engine only through `onDtmf`,
 * subscribed before anything else so the emergency key pressed at once is never lost.
 */
import type { CallContext, CallFlow, FlowResult } from '../calls/index.js';
import type { ActionDeps } from './actions/action.js';
import { ACTIONS } from './actions/index.js';
import type { Classification } from './callers/classify-caller.js';
import type { Command, EngineEvent } from './engine/commands.js';
import { MenuEngine, type EngineProgram } from './engine/menu-engine.js';
import { resumable } from './engine/menu-position.js';
import { handOffAt, isEmergencyKey, resumeHandOff } from './handoff-resume.js';
import { Inbox } from './inbox.js';

/**
 * Keeps the engine's position with the call when it changed (before the step's commands
 * run, so it rides with the step's own event to Redis); returns what is kept now.
 */
function keepPosition(call: CallContext, engine: MenuEngine, kept: string): string {
  const position = engine.position();
  if (!position) return kept;
  const json = JSON.stringify(position);
  if (json !== kept) call.keepPosition(position);
  return json;
}

export interface IvrFlowDeps {
  program: EngineProgram;
  actions: ActionDeps;
  /** Restricted / priority / ordinary; must settle quickly and never reject (fails open). */
  classify(call: CallContext): Promise<Classification>;
  clock: () => Date;
}

export class IvrFlow implements CallFlow {
  constructor(private readonly deps: IvrFlowDeps) {}

  async run(call: CallContext): Promise<FlowResult> {
    const inbox = new Inbox<EngineEvent>();
    const early: string[] = [];
    let engineStarted = false;
    const offDtmf = call.onDtmf((digit) => (engineStarted ? inbox.push({ type: 'digit', digit }) : early.push(digit)));
    const onAbort = (): void => inbox.push({ type: 'hangup' });
    call.signal.addEventListener('abort', onAbort, { once: true });
    const timers = new Map<number, () => void>();
    try {
      if (call.signal.aborted) return { then: 'caller-gone' };
      // Handed on before the restart (queue, emergency): that feature carries on, not the menu.
      const handOff = call.adopted ? handOffAt(call.adopted.position, this.deps.program.ivr, this.deps.actions.queueSkills, call.adopted.queue) : undefined;
      if (handOff) {
        const end = await resumeHandOff(call, handOff, this.deps.actions);
        if (end) return end;
        if (call.signal.aborted) return { then: 'caller-gone' };
        call.log.warn({ node: handOff.position.node }, 'nothing held the handed-on call; its node runs again');
      }
      // A call taken over after a restart goes on where it was, with its caller class as then.
      // Nothing held it: the node runs again; the emergency key's transfer, as the key pressed at the line's entry.
      const entry = handOff && isEmergencyKey(handOff) ? this.deps.program.ivr.lines[call.line]?.entry ?? this.deps.program.ivr.lines[this.deps.program.defaultLine]?.entry : undefined;
      if (entry) early.push(this.deps.program.ivr.emergency.key);
      const at = handOff ? { ...handOff.position, node: entry ?? handOff.position.node, stage: 'node' as const } : call.adopted ? resumable(call.adopted.position, this.deps.program.ivr) : undefined;
      if (call.adopted) call.log.info({ node: at?.node ?? null }, at ? 'menu resumes at its node' : 'menu starts over: no position to resume from');
      const who = at ? undefined : await this.deps.classify(call);
      if (who && (who.caller !== 'normal' || who.degraded.length > 0)) {
        const outcome = who.caller === 'restricted' ? `restricted:${who.restriction?.source ?? 'rule'}` : who.caller;
        call.recordStep({ node: 'caller-check', input: null, outcome: who.degraded.length > 0 ? `${outcome}:degraded` : outcome });
      }
      if (call.signal.aborted) return { then: 'caller-gone' };

      const engine = new MenuEngine(this.deps.program);
      engineStarted = true;
      let commands = at
        ? engine.resume(at, { line: call.line, pendingDigits: early }, this.deps.clock())
        : engine.start({ line: call.line, caller: who!.caller, pendingDigits: early }, this.deps.clock());
      let kept = '';
      let result: FlowResult | undefined;
      for (;;) {
        kept = keepPosition(call, engine, kept);
        for (const command of commands) {
          const end = await this.execute(call, command, inbox, timers, (r) => (result = r));
          if (end) return end;
        }
        if (engine.finished) return result ?? { then: 'caller-gone' };
        commands = engine.handle(await inbox.next(), this.deps.clock());
      }
    } finally {
      offDtmf();
      call.signal.removeEventListener('abort', onAbort);
      for (const cancel of timers.values()) cancel();
    }
  }

  /** Runs one command; returns a result only when the flow must end right here. */
  private async execute(
    call: CallContext,
    command: Command,
    inbox: Inbox<EngineEvent>,
    timers: Map<number, () => void>,
    setResult: (result: FlowResult) => void,
  ): Promise<FlowResult | undefined> {
    switch (command.type) {
      case 'play': {
        let media: string[];
        try {
          media = call.promptMedia(command.prompt);
        } catch (err) {
          // The start-up checks make this unlikely; a missing prompt is skipped, never a stall.
          call.log.error({ err, prompt: command.prompt }, 'no media for prompt');
          queueMicrotask(() => inbox.push({ type: 'prompt-ended', playId: command.playId, reason: 'failed' }));
          return undefined;
        }
        void call.play(media, { bargeIn: true }).then((end) => {
          if (end.reason === 'failed') call.log.warn({ prompt: command.prompt, detail: end.detail }, 'prompt could not be played');
          inbox.push({ type: 'prompt-ended', playId: command.playId, reason: end.reason });
        });
        return undefined;
      }
      case 'start-timer':
        timers.set(command.timerId, call.setTimer(command.ms, () => inbox.push({ type: 'timeout', timerId: command.timerId })));
        return undefined;
      case 'cancel-timer':
        timers.get(command.timerId)?.();
        timers.delete(command.timerId);
        return undefined;
      case 'record':
        call.recordStep(command.step, command.next);
        return undefined;
      case 'run-action':
        void this.runAction(call, command).then((done) => {
          if ('end' in done) setResult(done.end);
          inbox.push({ type: 'action-ended', outcome: done.outcome, final: 'end' in done });
        });
        return undefined;
      case 'fail':
        call.log.error({ reason: command.reason }, 'menu cannot go on');
        return this.fault(call);
    }
  }

  private async runAction(call: CallContext, command: Extract<Command, { type: 'run-action' }>) {
    const action = ACTIONS[command.node.kind];
    try {
      if (!action) throw new Error(`no action "${command.node.kind}"`);
      const run = {
        nodeId: command.nodeId,
        visit: command.visit,
        vars: command.vars,
        reason: command.reason,
        ...(command.priority === undefined ? {} : { priority: command.priority }),
      };
      const intent = action.intent?.(command.node as never);
      if (intent !== undefined) call.recordStep({ node: command.nodeId, input: null, outcome: intent }, null);
      const done = await action.run(call, command.node as never, run, this.deps.actions);
      // A hand-off that failed (the caller heard why) is recorded as such; a continuing outcome is recorded by the engine.
      if ('end' in done && done.outcome !== intent && !call.signal.aborted) {
        call.recordStep({ node: command.nodeId, input: null, outcome: done.outcome }, null);
      }
      return done;
    } catch (err) {
      call.log.error({ err, node: command.nodeId }, 'menu action failed');
      call.recordStep({ node: command.nodeId, input: null, outcome: `${command.node.kind}:error` }, null);
      return { end: await this.fault(call), outcome: `${command.node.kind}:error` };
    }
  }

  private async fault(call: CallContext): Promise<FlowResult> {
    const end = await call.play(call.promptMedia(this.deps.actions.prompts.fault), { bargeIn: false });
    return end.reason === 'hangup' ? { then: 'caller-gone' } : { then: 'hangup', outcome: 'failed' };
  }
}
