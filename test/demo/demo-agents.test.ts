/**
 * The demo as a small call centre: its simulated agents log in, a caller who asks for an
 * agent waits in the ACD, an agent answers, talks, hangs up, and is ready again; the log
 * tells it. Beside it, the agents' habits (pure) and the demo's settings for them.
 */
import { describe, expect, it, vi } from 'vitest';
import { freePort } from '../../bench/support/private-redis.js';
import { DEFAULT_HABITS, DEMO_AGENT_ROSTER, nextMove } from '../../demo/demo-agents.js';
import { parseDemoEnv } from '../../demo/demo-env.js';
import { useDemoProcesses } from './support/demo-process.js';

describe('a demo agent’s next move', () => {
  const change = (to: string, extra: { reason?: string; callId?: string } = {}) => ({ to, reason: extra.reason ?? null, callId: extra.callId ?? null });
  const rolls = (...values: number[]) => () => values.shift() ?? 0.99;

  it('on a call: hangs up after a talk drawn from the range', () => {
    expect(nextMove({}, change('on-call', { callId: 'c1' }), DEFAULT_HABITS, rolls(0))).toEqual({ kind: 'hang-up', callId: 'c1', afterMs: 10_000 });
    expect(nextMove({}, change('on-call', { callId: 'c1' }), DEFAULT_HABITS, rolls(0.5))).toEqual({ kind: 'hang-up', callId: 'c1', afterMs: 35_000 });
  });

  it('in wrap-up: lunch only for the agent who takes it, after its first calls; an early end for some, the full wrap-up for the rest', () => {
    const luncher = { takesLunch: true, callsTaken: DEFAULT_HABITS.lunchAfterCalls };
    expect(nextMove(luncher, change('wrap-up'), DEFAULT_HABITS, rolls(0.1))).toMatchObject({ kind: 'lunch' });
    expect(nextMove({ ...luncher, callsTaken: DEFAULT_HABITS.lunchAfterCalls - 1 }, change('wrap-up'), DEFAULT_HABITS, rolls(0.1, 0))).toEqual({ kind: 'end-wrap-up', afterMs: 3_000 });
    expect(nextMove({ takesLunch: false, callsTaken: 99 }, change('wrap-up'), DEFAULT_HABITS, rolls(0.1, 0))).toEqual({ kind: 'end-wrap-up', afterMs: 3_000 });
    expect(nextMove(luncher, change('wrap-up'), DEFAULT_HABITS, rolls(0.9, 0.2, 0))).toEqual({ kind: 'end-wrap-up', afterMs: 3_000 });
    expect(nextMove(luncher, change('wrap-up'), DEFAULT_HABITS, rolls(0.9, 0.9))).toEqual({ kind: 'none' });
  });

  it('not ready: back after lunch, or soon after a pause the ACD set', () => {
    expect(nextMove({}, change('not-ready', { reason: 'lunch' }), DEFAULT_HABITS, rolls(1))).toEqual({ kind: 'set-ready', afterMs: 90_000 });
    expect(nextMove({}, change('not-ready', { reason: 'no-answer' }), DEFAULT_HABITS, rolls())).toEqual({ kind: 'set-ready', afterMs: DEFAULT_HABITS.backFromPauseMs });
    expect(nextMove({}, change('ready'), DEFAULT_HABITS, rolls())).toEqual({ kind: 'none' });
  });

  it('the first three of the roster cover every queue skill of the example config, on the seats of pjsip.conf', () => {
    const firstThree = DEMO_AGENT_ROSTER.slice(0, 3);
    const skills = new Set(firstThree.flatMap((a) => Object.keys(a.profile.skills)));
    expect([...skills].sort()).toEqual(['enterprise', 'general', 'housing-fund', 'market-regulation']);
    expect(firstThree.map((a) => a.profile.endpoint)).toEqual(['PJSIP/1001', 'PJSIP/1002', 'PJSIP/1003']);
    expect(DEMO_AGENT_ROSTER.filter((a) => a.takesLunch)).toHaveLength(1);
  });
});

describe('the demo’s agent settings', () => {
  it('three agents talking 10 to 60 s unless told; 0 agents allowed', () => {
    expect(parseDemoEnv({})).toMatchObject({ agents: 3, agentTalkSeconds: [10, 60] });
    expect(parseDemoEnv({ DEMO_AGENTS: '0', DEMO_AGENT_TALK_SECONDS: '1-2' })).toMatchObject({ agents: 0, agentTalkSeconds: [1, 2] });
  });

  it('refuses more agents than the roster has, and a range upside down or without seconds', () => {
    expect(() => parseDemoEnv({ DEMO_AGENTS: String(DEMO_AGENT_ROSTER.length + 1) })).toThrow(/DEMO_AGENTS/);
    expect(() => parseDemoEnv({ DEMO_AGENT_TALK_SECONDS: '60-10' })).toThrow(/DEMO_AGENT_TALK_SECONDS/);
    expect(() => parseDemoEnv({ DEMO_AGENT_TALK_SECONDS: '0-10' })).toThrow(/DEMO_AGENT_TALK_SECONDS/);
    expect(() => parseDemoEnv({ DEMO_AGENT_TALK_SECONDS: 'ten' })).toThrow(/DEMO_AGENT_TALK_SECONDS/);
  });
});

type Line = Record<string, unknown>;
const startDemo = useDemoProcesses('demo-agents-test');

describe('npm run demo with agents', () => {
  it('a caller asking for an agent waits in the ACD, a demo agent answers, talks and hangs up, and is ready again', async () => {
    const [simPort, backendPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const demo = startDemo({
      SIM_PORT: String(simPort),
      DEMO_TICKET_BACKEND_PORT: String(backendPort),
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      // Only the test's own call; agents talk briefly.
      DEMO_CALLS_PER_MINUTE: '0',
      DEMO_AGENTS: '3',
      DEMO_AGENT_TALK_SECONDS: '1-2',
    });
    const first = (msg: string, also: (l: Line) => boolean = () => true) => demo.lines().find((l) => l.msg === msg && also(l));
    const waitFor = <T>(what: () => T | undefined, timeout: number): Promise<T> =>
      vi.waitFor(
        () => {
          expect(demo.child.exitCode, demo.stderr.join('')).toBeNull();
          const found = what();
          expect(found).toBeDefined();
          return found!;
        },
        { timeout, interval: 100 },
      );

    const start = await waitFor(() => first('demo: the service runs against the built-in ARI simulator (set ARI_PASSWORD to choose its password)'), 30_000);
    const loggedIn = await waitFor(() => first('demo agents logged in'), 10_000);
    expect((loggedIn.agents as Array<{ agentId: string }>).map((a) => a.agentId)).toEqual(DEMO_AGENT_ROSTER.slice(0, 3).map((a) => a.profile.id));

    // A citizen calls 12345 and presses 0 once the main menu plays (a key during the notices only restarts them).
    const sim = `http://127.0.0.1:${simPort}/sim`;
    const headers = { authorization: `Basic ${Buffer.from(start.simulatorLogin as string).toString('base64')}`, 'content-type': 'application/json' };
    const placed = await fetch(`${sim}/calls`, { method: 'POST', headers, body: JSON.stringify({ from: '13912345678', dialled: '12345' }) });
    expect(placed.status).toBe(200);
    const { id: channelId } = (await placed.json()) as { id: string };
    await vi.waitFor(
      async () => {
        const events = (await (await fetch(`${sim}/events`, { headers })).json()) as Array<{ event: { type: string; playback?: { media_uri: string; target_uri: string } } }>;
        expect(events.some((e) => e.event.type === 'PlaybackStarted' && e.event.playback?.media_uri === 'sound:hotline/zh/main-menu' && e.event.playback.target_uri === `channel:${channelId}`)).toBe(true);
      },
      { timeout: 20_000, interval: 200 },
    );
    const pressed = await fetch(`${sim}/channels/${encodeURIComponent(channelId)}/digits`, { method: 'POST', headers, body: JSON.stringify({ digits: '0' }) });
    expect(pressed.status).toBe(204);

    const waits = await waitFor(() => first('caller waits for an agent'), 10_000);
    expect(waits.queue).toBe('general');
    const answered = await waitFor(() => first('agent answered', (l) => l.callId === waits.callId), 20_000);
    expect(loggedIn.agents).toContainEqual(expect.objectContaining({ agentId: answered.agentId }));
    expect(answered.queue).toBe('general');
    expect(answered.waitedSeconds).toEqual(expect.any(Number));

    // The agent hangs up after its talk: the call ends completed, and its summary names queue, agent and wait.
    const out = await waitFor(() => first('call out', (l) => l.callId === waits.callId), 15_000);
    expect(out).toMatchObject({ outcome: 'completed', queue: 'general', agentId: answered.agentId, waitedSeconds: answered.waitedSeconds });
    expect(out.path).toContain('queue:general');
    // Wrap-up ends at the desk or runs out (the example's general queue: 30 s); then the agent is
    // ready again (lunch never comes on an agent's first call).
    const outAt = demo.lines().findIndex((l) => l.msg === 'call out' && l.callId === waits.callId);
    await waitFor(() => demo.lines().slice(outAt).find((l) => l.msg === 'agent ready' && l.agentId === answered.agentId && l.after === 'wrap-up'), 45_000);

    // Numbers stay masked on every line.
    const text = demo.lines().map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain('13912345678');
    expect(out.caller).toBe('139******78');
  }, 120_000);
});
