/**
 * A small declarative dialplan: the contexts the recorded traces used, so their setup
 * (`Local/12345@incoming` as the citizen, helper extensions as the far ends) replays
 * verbatim. Each step announces itself with ChannelDialplan, as Asterisk does for
 * subscribed channels, then runs; timers scale with the simulator's speed.
 *
 * `;` in application arguments starts a comment in extensions.conf, which is why no step
 * here carries one.
 */
import { announceCallerId, answerChannel, enterStasis, hangupChannel, setDialplan, takePendingCaller } from './model/channels.js';
import { scheduleDigits } from './model/dtmf.js';
import type { DialplanLocation, SimChannel } from './model/types.js';
import type { World } from './model/world.js';

export interface Step { app: string; data: string }

const s = (app: string, data = ''): Step => ({ app, data });

/** context -> extension -> steps (priority 1 first). */
export const DIALPLAN: Readonly<Record<string, Readonly<Record<string, readonly Step[]>>>> = {
  incoming: {
    // The hotline's entry: log the caller, hand the call to the app.
    '12345': [s('NoOp', 'Hotline call from "${CALLERID(name)}" <${CALLERID(num)}> on ${CHANNEL}'), s('Stasis', 'hotline')],
    '600': [s('Answer'), s('Wait', '60')],
  },
  'ari-helper': {
    // A caller who says nothing and waits.
    'caller-wait': [s('NoOp', 'caller waits'), s('Wait', '60')],
    // A caller who presses 1 then 2, 1.5 s after being answered.
    'caller-dtmf': [s('NoOp', 'caller sends DTMF'), s('Wait', '1.5'), s('SendDTMF', '12'), s('Wait', '60')],
    // A caller who hangs up 2.5 s after being answered.
    'caller-hangup': [s('NoOp', 'caller hangs up'), s('Wait', '2.5'), s('Hangup')],
    // A caller who talks (plays audio towards the app), so recordings have sound.
    'caller-talk': [s('NoOp', 'caller talks'), s('Playback', 'tt-monkeys'), s('Wait', '60')],
    // An agent who answers and hangs up after 4 s.
    'agent-sim': [s('Answer'), s('Wait', '4'), s('Hangup')],
    // An agent who answers and echoes what it hears.
    'agent-echo': [s('Answer'), s('Echo')],
    // Where continueInDialplan sends a call: a prompt, then back into the app.
    'after-stasis': [s('NoOp', 'back in the dialplan'), s('Playback', 'tt-weasels'), s('Stasis', 'hotline,returned'), s('NoOp', 'leaving'), s('Hangup')],
  },
};

export function extensionExists(context: string, exten: string): boolean {
  return DIALPLAN[context]?.[exten] !== undefined;
}

function expand(data: string, ch: SimChannel): string {
  return data
    .replace('${CALLERID(name)}', ch.caller.name)
    .replace('${CALLERID(num)}', ch.caller.number)
    .replace('${CHANNEL}', ch.name);
}

/** Runs `ch` from `loc` until the extension ends, the channel hangs up or enters Stasis. */
export function runDialplan(world: World, ch: SimChannel, loc: Pick<DialplanLocation, 'context' | 'exten' | 'priority'>): void {
  const steps = DIALPLAN[loc.context]?.[loc.exten];
  const step = steps?.[loc.priority - 1];
  if (ch.hangup || ch.hangingUp) return;
  if (!step) {
    ch.runningDialplan = false;
    hangupChannel(world, ch, { cause: 16, soft: true });
    return;
  }
  ch.runningDialplan = true;
  const data = expand(step.data, ch);
  const next = () => runDialplan(world, ch, { ...loc, priority: loc.priority + 1 });
  setDialplan(ch, { context: loc.context, exten: loc.exten, priority: loc.priority });
  if (step.app === 'Stasis') {
    const [app = '', ...args] = data.split(',');
    ch.resumeDialplan = (target) => {
      ch.resumeDialplan = undefined;
      if (target && (target.context || target.exten || target.priority)) {
        runDialplan(world, ch, {
          context: target.context ?? ch.dialplan.context,
          exten: target.exten ?? ch.dialplan.exten,
          priority: target.priority ?? 1,
        });
      } else {
        next();
      }
    };
    if (!enterStasis(world, ch, app, args, true)) {
      ch.resumeDialplan = undefined;
      next();
    }
    return;
  }
  setDialplan(ch, { app_name: step.app, app_data: data });
  const newCaller = takePendingCaller(ch);
  world.emitChannel(ch, 'ChannelDialplan', { dialplan_app: step.app, dialplan_app_data: data });
  if (newCaller) announceCallerId(world, ch);
  runStep(world, ch, step.app, data, next);
}

function runStep(world: World, ch: SimChannel, app: string, data: string, next: () => void): void {
  const wait = (ms: number) => {
    ch.cancelActivity = world.clock.after(ms, () => {
      ch.cancelActivity = undefined;
      next();
    });
  };
  switch (app) {
    case 'NoOp':
      return next();
    case 'Answer': {
      answerChannel(world, ch);
      // Answer() returns when the first audio frame arrives, or after 500 ms of silence.
      let done = false;
      const go = () => {
        if (done) return;
        done = true;
        ch.onMedia = undefined;
        cancel();
        next();
      };
      const cancel = world.clock.after(500, go);
      ch.onMedia = go;
      ch.cancelActivity = cancel;
      return;
    }
    case 'Wait':
      return wait(Number(data) * 1000);
    case 'Playback':
      ch.producesAudio = true;
      return wait(world.soundMs(`sound:${data}`));
    case 'SendDTMF': {
      const peer = ch.partner;
      if (peer) scheduleDigits(world, peer, data, 100, 250, 100);
      return wait(100 + data.length * 350);
    }
    case 'Hangup':
      ch.runningDialplan = false;
      return hangupChannel(world, ch, { cause: 16, soft: true });
    default:
      // Echo, MusicOnHold and the like run until the channel hangs up.
      return;
  }
}
