/**
 * Simulated agents for the demo: softphones registered in the simulator and logged in to the
 * ACD, so the demo's callers reach someone. Each agent answers after a short ring, talks a
 * while and hangs up, then wraps up (sometimes ending it early at the desk, as people do);
 * one of them goes to lunch now and then and comes back. They act only through what a real
 * agent has: their phone (the simulator) and the desk (log in, pause, ready, end wrap-up).
 */
import type { Logger } from 'pino';
import type { AgentDesk, AgentProfileInput } from '../src/acd/index.js';
import { talkBridgeId } from '../src/acd/index.js';
import type { DomainEventBus, DomainEventOf } from '../src/calls/index.js';
import { withTimeout } from '../src/shared/with-timeout.js';

export interface DemoAgent {
  profile: AgentProfileInput & { id: string };
  /** The simulator's endpoint name its softphone registers as (`PJSIP/<name>` in the profile). */
  sipName: string;
  /** Ms from the offer until the phone is picked up. */
  ringMs: number;
  /** Goes to lunch now and then, after a call. */
  takesLunch?: boolean;
}

const agent = (
  id: string,
  sipName: string,
  displayName: string,
  skills: Record<string, number>,
  ringMs: number,
  extra: { takesLunch?: boolean; kind?: 'regular' | 'guest' } = {},
): DemoAgent => ({
  profile: { id, displayName, endpoint: `PJSIP/${sipName}`, skills, kind: extra.kind ?? 'regular' },
  sipName,
  ringMs,
  takesLunch: extra.takesLunch ?? false,
});

/**
 * The roster, in the order DEMO_AGENTS takes them: the shipped pjsip.conf's seats first, then
 * the lab's. Between them the first three cover every queue of the example config.
 */
export const DEMO_AGENT_ROSTER: readonly DemoAgent[] = [
  agent('wang.fang', '1001', '王芳', { general: 7, enterprise: 7 }, 2_000),
  agent('li.qiang', '1002', '李强', { general: 5, 'market-regulation': 6 }, 3_000, { takesLunch: true }),
  agent('chen.jing', '1003', '陈静', { general: 4, 'housing-fund': 7 }, 2_500),
  agent('zhao.lei', 'agent1', '赵磊', { general: 6, enterprise: 5, 'market-regulation': 4 }, 1_500),
  agent('sun.li', 'agent2', '孙丽', { general: 3, 'housing-fund': 5, enterprise: 3 }, 3_500),
  // A leader answering on the leaders' day: a guest, only for the leaders' queue.
  agent('leader.zhou', 'agent3', '周局长', { leaders: 9 }, 4_000, { kind: 'guest' }),
];

export const DEMO_AGENT_ROSTER_SIZE = DEMO_AGENT_ROSTER.length;

/** How the agents behave, in ms; the defaults are the demo's. */
export interface DemoHabits {
  talkMs: [number, number];
  /** Share of wrap-ups ended early at the desk, and when. */
  earlyWrapUpShare: number;
  earlyWrapUpMs: [number, number];
  /** Share of an agent's wrap-ups (those with `takesLunch`) that turn into lunch, and its length. */
  lunchShare: number;
  /** Calls an agent answers before lunch may come (never on the first calls of a run). */
  lunchAfterCalls: number;
  lunchMs: [number, number];
  /** Back to ready after a pause the ACD set (missed calls, phone unreachable). */
  backFromPauseMs: number;
}

export const DEFAULT_HABITS: DemoHabits = {
  talkMs: [10_000, 60_000],
  earlyWrapUpShare: 0.5,
  earlyWrapUpMs: [3_000, 12_000],
  lunchShare: 0.15,
  lunchAfterCalls: 3,
  lunchMs: [30_000, 90_000],
  backFromPauseMs: 5_000,
};

const LUNCH = 'lunch';
/** How often agents that could not log in try again. */
const LOGIN_RETRY_MS = 5_000;
const LOGOUT_TIMEOUT_MS = 1_500;

export type AgentMove =
  | { kind: 'hang-up'; callId: string; afterMs: number }
  | { kind: 'end-wrap-up'; afterMs: number }
  | { kind: 'lunch'; afterMs: number }
  | { kind: 'set-ready'; afterMs: number }
  | { kind: 'none' };

/** What a demo agent does next after a change of its state; `roll` gives numbers in [0, 1). Pure. */
export function nextMove(who: { takesLunch?: boolean; callsTaken?: number }, change: { to: string; reason: string | null; callId: string | null }, habits: DemoHabits, roll: () => number): AgentMove {
  const within = ([min, max]: [number, number]): number => Math.round(min + roll() * (max - min));
  switch (change.to) {
    case 'on-call':
      return change.callId ? { kind: 'hang-up', callId: change.callId, afterMs: within(habits.talkMs) } : { kind: 'none' };
    case 'wrap-up':
      if (who.takesLunch && (who.callsTaken ?? 0) >= habits.lunchAfterCalls && roll() < habits.lunchShare) return { kind: 'lunch', afterMs: 1_000 };
      if (roll() < habits.earlyWrapUpShare) return { kind: 'end-wrap-up', afterMs: within(habits.earlyWrapUpMs) };
      return { kind: 'none' };
    case 'not-ready':
      return { kind: 'set-ready', afterMs: change.reason === LUNCH ? within(habits.lunchMs) : habits.backFromPauseMs };
    default:
      return { kind: 'none' };
  }
}

export interface DemoAgentsOptions {
  simulator: {
    registerEndpoint(name: string, o: { phone: { kind: 'answer'; afterMs: number } }): void;
    unregisterEndpoint(name: string): void;
    hangupFromCaller(channelId: string): void;
    channels(): Array<Record<string, unknown>>;
    bridges(): Array<Record<string, unknown>>;
  };
  desk: Pick<AgentDesk, 'login' | 'logout' | 'get' | 'setReady' | 'pause' | 'endWrapUp'>;
  bus: DomainEventBus;
  count: number;
  habits?: Partial<DemoHabits>;
  log: Logger;
  roll?: () => number;
}

/** The agent's phone's leg in the call's talk bridge (its channel is named `PJSIP/<name>-…`). */
export function agentLegOf(simulator: DemoAgentsOptions['simulator'], callId: string, sipName: string): string | undefined {
  const bridge = simulator.bridges().find((b) => b.id === talkBridgeId(callId));
  const inBridge = new Set((bridge?.channels as string[] | undefined) ?? []);
  const leg = simulator.channels().find((c) => inBridge.has(c.id as string) && String(c.name).startsWith(`PJSIP/${sipName}-`));
  return leg?.id as string | undefined;
}

export interface DemoAgents {
  /** Settles once every agent logged in, or when stopped before. */
  loggedIn: Promise<void>;
  stop(): Promise<void>;
}

export function startDemoAgents(options: DemoAgentsOptions): DemoAgents {
  const { simulator, desk, log } = options;
  const habits = { ...DEFAULT_HABITS, ...options.habits };
  const roll = options.roll ?? Math.random;
  const agents = DEMO_AGENT_ROSTER.slice(0, options.count);
  const byId = new Map(agents.map((a) => [a.profile.id, a]));
  const callsTaken = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, what: string, fn: () => Promise<unknown> | unknown): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      Promise.resolve()
        .then(fn)
        // The world moved on meanwhile (the caller hung up first, the wrap-up ran out): as at a real desk.
        .catch((err: unknown) => log.debug({ err, what }, 'demo agent action skipped'));
    }, ms);
    timers.add(t);
  };

  const act = (who: DemoAgent, event: DomainEventOf<'agent.state-changed'>): void => {
    const id = who.profile.id;
    if (event.data.to === 'on-call') callsTaken.set(id, (callsTaken.get(id) ?? 0) + 1);
    const move = nextMove({ takesLunch: who.takesLunch, callsTaken: callsTaken.get(id) }, event.data, habits, roll);
    switch (move.kind) {
      case 'hang-up': {
        // The agent is on-call just before its leg joins the talk bridge: a leg not there yet is looked for again.
        const hangUp = async (tries: number): Promise<void> => {
          const leg = agentLegOf(simulator, move.callId, who.sipName);
          if (leg) return simulator.hangupFromCaller(leg);
          const still = await desk.get(id);
          if (tries > 1 && still?.state.kind === 'on-call' && still.state.callId === move.callId) later(1_000, 'hang up', () => hangUp(tries - 1));
        };
        return later(move.afterMs, 'hang up', () => hangUp(10));
      }
      case 'end-wrap-up':
        return later(move.afterMs, 'end wrap-up', () => desk.endWrapUp(id));
      case 'lunch':
        return later(move.afterMs, 'lunch', () => desk.pause(id, LUNCH));
      case 'set-ready':
        return later(move.afterMs, 'back to ready', () => desk.setReady(id));
      case 'none':
        return;
    }
  };
  const off = options.bus.on('agent.state-changed', (event) => {
    const who = byId.get(event.data.agentId);
    if (who) act(who, event);
  });

  for (const a of agents) simulator.registerEndpoint(a.sipName, { phone: { kind: 'answer', afterMs: a.ringMs } });
  let stopped = false;
  let wake: (() => void) | undefined;
  // In the background: the demo runs without Redis too, and its agents log in once it answers.
  const loggingIn = (async () => {
    let pending = agents;
    const told = new Set<string>();
    while (pending.length > 0 && !stopped) {
      const failed: DemoAgent[] = [];
      for (const a of pending) {
        try {
          await logIn(desk, a);
        } catch (err) {
          failed.push(a);
          // Once per agent, without a stack: the reason is enough (Redis away, an earlier run's call).
          if (!told.has(a.profile.id)) log.warn({ agentId: a.profile.id, reason: err instanceof Error ? err.message : String(err), retryMs: LOGIN_RETRY_MS }, 'a demo agent cannot log in yet');
          told.add(a.profile.id);
        }
      }
      const done = pending.filter((a) => !failed.includes(a));
      if (done.length > 0) {
        log.info({ agents: done.map((a) => ({ agentId: a.profile.id, endpoint: a.profile.endpoint, skills: a.profile.skills })) }, 'demo agents logged in');
      }
      pending = failed;
      if (pending.length > 0 && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          later(LOGIN_RETRY_MS, 'log in again', resolve);
        });
      }
    }
  })();

  return {
    loggedIn: loggingIn,
    async stop() {
      stopped = true;
      wake?.();
      off();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // An agent on a call stays so: its call is still Asterisk's (the service hands it over on
      // shutdown). Bounded: without Redis the demo still stops at once.
      await Promise.all(
        agents.map((a) =>
          withTimeout(desk.logout(a.profile.id), LOGOUT_TIMEOUT_MS, 'log out')
            .catch((err: unknown) => log.debug({ err, agentId: a.profile.id }, 'demo agent left logged in'))
            .finally(() => simulator.unregisterEndpoint(a.sipName)),
        ),
      );
    },
  };
}

/** Logs the agent in, or takes it back from an earlier demo run that left it logged in. */
async function logIn(desk: DemoAgentsOptions['desk'], a: DemoAgent): Promise<void> {
  const before = await desk.get(a.profile.id);
  const state = before?.state.kind ?? 'offline';
  if (state === 'offline') {
    await desk.login(a.profile);
    return;
  }
  if (state === 'ready' || state === 'not-ready' || state === 'wrap-up') {
    // Logged in with an earlier run's profile: log in afresh with today's skills.
    await desk.logout(a.profile.id);
    await desk.login(a.profile);
    return;
  }
  throw new Error(`agent is ${state} from an earlier run`);
}
