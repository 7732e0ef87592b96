/**
 * The soak (issue 14), opt-in: `npm run soak` (it sets SOAK=1; skipped without it), bounded
 * by SOAK_MINUTES (default 3; `SOAK_MINUTES=30 npm run soak` for a long one).
 * A stream of citizens calls the service the whole time — listening to the menu, pressing 0
 * for an agent (twenty agents answer, talk a while, their wrap-up ended at once), pressing 9
 * for 110 — while the test in turn kills the service with SIGKILL and starts a new one on the
 * same Redis and simulator, kills Redis and starts it again with its data (append-only file),
 * and cuts the WebSocket to Asterisk. Then everyone hangs up, and every call must have ended
 * once with a truthful record: at both sinks its events numbered 1…n without a gap, the same
 * at both, call.started first, one call.ended and after it no more than a late receipt (a
 * dialling to 110 the caller hung up during), its outcome what the citizen did (talked
 * to an agent: completed; through to 110: transferred; left the menu: abandoned), none
 * `dropped` (nobody hangs up while no service watches), and no agent is left rung or on a
 * call (given the sweep's time to free a ring nobody hears end; each one left is told with
 * its call's events and the disruptions between its offer and its end). The kill comes once the calls are
 * quiet and the outbox holds nothing unstored: what the outbox's documented SIGKILL window
 * loses is not what this counts.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ReceivedMessage } from '../../sim/ticket-backend/sink-recorder.js';
import { acdKeys } from '../../src/acd/index.js';
import { SINKS, useAcdRestart, type AcdRestart } from '../acd/support/acd-restart.js';
import type { ServiceProcess } from '../calls/support/service-process.js';
import { redisProcess, redisServerAvailable, type RedisProcess } from '../support/redis-process.js';
import { receivedByCall, recordsOf } from './support/call-crowd.js';
import { CitizenStream, type Citizen } from './support/citizen-stream.js';

const SOAK = process.env.SOAK === '1';
const MINUTES = Number(process.env.SOAK_MINUTES ?? 3);
const AGENTS = Array.from({ length: 20 }, (_, i) => `k${String(i + 1).padStart(2, '0')}`);
const seatOf = (agentId: string): string => `soak${agentId.slice(1)}`;
/** A call placed every this many ms (the pace of arrivals, not a wait for anything). */
const PACE_MS = 250;
/** The stream runs this long between two disruptions, and Redis stays away this long. */
const CALM_MS = 12_000;
const REDIS_AWAY_MS = 3000;
/** A caller talks to the agent this long, then hangs up. */
const TALK_MS = 1500;
const SETTLE_MS = 60_000;
/** Longer than the sweep's ring limit (the longest ring timeout, 30 s, and 30 s of slack) and a sweep: an agent held past it is stuck. */
const STUCK_BOUND_MS = 75_000;

const start = useAcdRestart('soak');

/** Hangs up callers who talked long enough or reached 110, and ends agents' wrap-ups; frozen while the test disrupts. */
class Leavers {
  frozen = false;
  /** While the test restarts Redis: only 110 callers leave (what is read of Redis waits for its return). */
  redisAway = false;
  hangups = 0;
  private busy = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly t: AcdRestart, private readonly stream: CitizenStream) {
    this.timer = setInterval(() => void this.tick(), 200);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves once no tick is running: nothing is hung up after this until unfrozen. */
  async freeze(): Promise<void> {
    this.frozen = true;
    await this.idle();
  }

  /** Resolves once no tick is running (none of its Redis commands in flight). */
  async idle(): Promise<void> {
    await vi.waitFor(() => expect(this.busy).toBe(false), { timeout: SETTLE_MS, interval: 20 });
  }

  private async tick(): Promise<void> {
    if (this.frozen || this.busy) return;
    this.busy = true;
    try {
      const live = this.stream.citizens.filter((c) => c.pressedIn && !c.hungUp);
      const records = this.redisAway ? new Map() : await recordsOf(this.t, live.filter((c) => c.kind === 'queue').map((c) => c.channelId));
      for (const c of live) {
        if (this.frozen) return;
        const answeredAt = records.get(c.channelId)?.queue?.answeredAt;
        if (c.kind === 'queue' && answeredAt && Date.now() - Date.parse(answeredAt) > TALK_MS) this.leave(c);
        if (c.kind === 'emergency') {
          const bridge = this.t.sim.bridges().find((b) => (b.channels as string[]).includes(c.channelId) && String(b.id).startsWith('emg-'));
          const centre = (bridge?.channels as string[] | undefined)?.find((id) => id !== c.channelId);
          if (centre) this.leave(c, c.n % 2 === 0 ? undefined : centre);
        }
      }
      for (const agentId of AGENTS) if (!this.frozen && !this.redisAway && (await this.t.stateOf(agentId))?.kind === 'wrap-up') await this.t.endWrapUp(agentId);
    } catch {
      // Redis away (the test restarts it): the next tick tries again.
    } finally {
      this.busy = false;
    }
  }

  /** The caller hangs up, or the other side (`other`) does. */
  private leave(c: Citizen, other?: string): void {
    this.hangups += 1;
    if (!other) return this.stream.hangUp(c);
    c.hungUp = true;
    this.t.sim.hangupFromCaller(other);
  }
}

const metricsUrl = (s: ServiceProcess): string => `${String(s.line(/hotline service started/)?.url)}/metrics`;

async function metric(s: ServiceProcess, name: string): Promise<number> {
  const line = (await (await fetch(metricsUrl(s))).text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ').at(-1) ?? Number.NaN);
}

/** The types of each channel's events at each sink, by the channel of its call.started. */
function typesByChannel(t: AcdRestart): Array<Map<string, string[]>> {
  return receivedByCall(t).map((byCall) => {
    const out = new Map<string, string[]>();
    for (const events of byCall.values()) {
      const started = events.find((m) => m.type === 'call.started');
      if (started) out.set(String((started.body.data as { channelId: string }).channelId), events.map((m) => m.type));
    }
    return out;
  });
}

/**
 * Waits until the calls are quiet and all they published is stored: each caller's last step
 * is at both sinks (a hang-up's call.ended, a queueing's call.queued, a transfer's
 * call.emergency), no agent is being rung or ready while callers wait, and the outbox holds
 * nothing unstored.
 */
async function quiet(t: AcdRestart, stream: CitizenStream, s: ServiceProcess, round: number, findings: { stuck: Set<string>; notes: string[] }): Promise<void> {
  const waitingSet = acdKeys(t.keyPrefix).waiting('general', 'general');
  const behind = (): Citizen[] => {
    const sinks = typesByChannel(t);
    return stream.citizens.filter((c) => sinks.some((byChannel) => {
      const types = byChannel.get(c.channelId) ?? [];
      if (c.hungUp || types.includes('call.ended')) return !types.includes('call.ended');
      if (c.kind === 'queue' && c.pressedIn) return !types.includes('call.queued');
      if (c.kind === 'emergency' && c.pressedIn) return !types.includes('call.emergency');
      return types.length === 0;
    }));
  };
  // A caller whose step never reaches the sinks is a finding of the soak, reported at the end; the kill goes on.
  await vi.waitFor(() => expect(behind()).toEqual([]), { timeout: SETTLE_MS, interval: 200 }).catch(() => {
    for (const c of behind()) findings.notes.push(`before the kill of round ${round}: caller ${c.n} (${c.kind}, pressed in ${c.pressedIn ?? 'no key'}, hung up ${c.hungUp}) has no trace of its last step at the sinks`);
  });
  await vi.waitFor(async () => {
    const states = await Promise.all(AGENTS.map((a) => t.stateOf(a)));
    // An agent rung for a call whose offer leg is gone is stuck, not ringing: noted for the report, not waited for.
    const rung = AGENTS.filter((_, i) => states[i]?.kind === 'ringing');
    const offerAlive = (agentId: string): boolean => {
      const st = states[AGENTS.indexOf(agentId)] as { callId: string };
      return t.sim.channels().some((ch) => String(ch.id).startsWith(`offer-${st.callId}-`));
    };
    for (const agentId of rung.filter((a) => !offerAlive(a))) findings.stuck.add(agentId);
    expect(rung.filter(offerAlive), `agents being rung before the kill of round ${round}`).toEqual([]);
    if (states.some((st) => st?.kind === 'ready')) expect(await t.redis.zcard(waitingSet)).toBe(0);
    expect(await metric(s, 'crm_bridge_outbox_buffered')).toBe(0);
  }, { timeout: SETTLE_MS, interval: 200 });
}

/** Outcomes a call may truthfully end with, by what its citizen did and what its events say. */
function truthfulOutcomes(c: Citizen, events: readonly ReceivedMessage[]): string[] {
  const types = events.map((m) => m.type);
  if (c.kind === 'emergency' && c.pressedIn) {
    const answered = events.some((m) => m.type === 'call.emergency' && (m.body.data as { outcome: string }).outcome === 'answered');
    // Not answered: the caller hung up during the dial, or was queued for an agent after a failed one.
    return answered ? ['transferred'] : ['abandoned', 'completed'];
  }
  if (c.kind === 'queue' && c.pressedIn) return types.includes('call.agent-answered') ? ['completed'] : ['abandoned', 'transferred'];
  return ['abandoned'];
}

/**
 * Receipts that may come after call.ended: a transfer's dialling finishes after a caller who
 * hung up during it (call.emergency), as the archive's reference does after a recorded call
 * (call.recorded).
 */
const LATE_RECEIPTS = new Set(['call.emergency', 'call.recorded']);

/** What happened to the call of an agent left rung or on it: its events, its outcome, the disruptions between its offer and its end, what the services logged of it. */
function stuckAgentStory(st: { kind: string; callId: string; since?: number }, events: readonly ReceivedMessage[], disruptions: ReadonlyArray<{ at: number; what: string }>, serviceLines: readonly string[]): string {
  const offered = events.find((m) => m.type === 'call.offered')?.receivedAt;
  const ended = events.find((m) => m.type === 'call.ended');
  const between = disruptions.filter((d) => d.at >= (offered ?? st.since ?? 0) && d.at <= (ended?.receivedAt ?? Date.now())).map((d) => d.what);
  const logged = serviceLines.filter((l) => l.includes(st.callId)).map((l) => JSON.parse(l) as { msg: string; err?: { message?: string } }).map((l) => (l.err?.message ? `${l.msg} (${l.err.message})` : l.msg));
  return `agent left ${st.kind} for call ${st.callId} (ended ${ended ? (ended.body.data as { outcome: string }).outcome : 'not'}): events ${events.map((m) => m.type).join(' ')}; disruptions between its offer and its end: ${between.join(', ') || 'none'}; logged: ${logged.join(' | ')}`;
}

describe.skipIf(!SOAK || !redisServerAvailable())('the soak (SOAK=1; SOAK_MINUTES, default 3)', () => {
  it('runs hundreds of calls through service kills, Redis restarts and WebSocket drops: each ends once, truthfully, every event at both sinks once', async () => {
    const redis: RedisProcess = await redisProcess({ durable: true });
    const t = await start(
      (acd) => {
        // Wrap-ups are ended by the test's agents, so that nothing moves while the calls are made quiet.
        acd.queues.general.wrapUpSeconds = 3600;
        acd.virtualHold.offerAfterSeconds = 3600;
      },
      {
        seats: AGENTS.map(seatOf),
        redisUrl: redis.url,
        editConfig(raw) {
          raw.calls = { ...raw.calls, endedRecordTtlSeconds: 86_400 };
        },
      },
    );
    const figures = { services: 1, redisRestarts: 0, socketDrops: 0 };
    const findings = { stuck: new Set<string>(), notes: [] as string[] };
    /** When each disruption happened, to name the one that came between a stuck agent's call and its end. */
    const disruptions: Array<{ at: number; what: string }> = [];
    /** Every service's log lines, to show what each said of a stuck agent's call. */
    const serviceLines: string[] = [];
    const keepLines = (p: ServiceProcess): void => void p.child.stdout?.on('data', (c: Buffer) => serviceLines.push(...c.toString().split('\n').filter((l) => l.startsWith('{'))));
    let s: ServiceProcess | undefined;
    let stream: CitizenStream | undefined;
    let leavers: Leavers | undefined;
    try {
      t.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
      for (const agentId of AGENTS) await t.agent(agentId, seatOf(agentId), { kind: 'answer', afterMs: 100 });
      s = await t.service();
      keepLines(s);
      stream = new CitizenStream(t);
      leavers = new Leavers(t, stream);
      stream.start(PACE_MS);
      const began = Date.now();
      const until = began + MINUTES * 60_000;

      for (let round = 0; Date.now() + CALM_MS < until; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, CALM_MS));
        const disruption = (['service', 'redis', 'websocket'] as const)[round % 3];
        if (disruption === 'redis') {
          stream.phase = 'redis-down';
          leavers.redisAway = true;
          await leavers.idle();
          disruptions.push({ at: Date.now(), what: 'redis-kill' });
          await redis.kill();
          await new Promise((resolve) => setTimeout(resolve, REDIS_AWAY_MS));
          await redis.start();
          disruptions.push({ at: Date.now(), what: 'redis-back' });
          figures.redisRestarts += 1;
          const back = s;
          await vi.waitFor(async () => expect((await fetch(metricsUrl(back).replace('/metrics', '/readyz'))).status).toBe(200), { timeout: SETTLE_MS, interval: 200 });
          await vi.waitFor(async () => expect(await t.redis.ping()).toBe('PONG'), { timeout: SETTLE_MS, interval: 200 });
          leavers.redisAway = false;
          stream.phase = 'redis-up';
          continue;
        }
        // Nobody hangs up while no service watches: a call ending then would be `dropped`, as it should.
        stream.stop();
        await leavers.freeze();
        if (disruption === 'service') {
          await quiet(t, stream, s, round, findings);
          disruptions.push({ at: Date.now(), what: 'service-kill' });
          await s.kill();
          s = await t.service();
          keepLines(s);
          figures.services += 1;
        } else {
          const reconciled = s.count(/reconciled with Asterisk/);
          disruptions.push({ at: Date.now(), what: 'websocket-drop' });
          t.sim.dropWebSockets();
          await s.logged(/reconciled with Asterisk/, reconciled + 1, SETTLE_MS);
          figures.socketDrops += 1;
        }
        leavers.frozen = false;
        stream.start(PACE_MS);
      }

      // Everyone still on the line hangs up.
      stream.stop();
      await leavers.freeze();
      leavers.stop();
      for (const c of stream.citizens) stream.hangUp(c);
      const citizens = stream.citizens;
      const unended = (): Citizen[] => {
        const byChannel = typesByChannel(t);
        return citizens.filter((c) => byChannel.some((m) => !(m.get(c.channelId) ?? []).includes('call.ended')));
      };
      // A call that never ends is reported with the others below, not left to time the test out.
      await vi.waitFor(() => expect(unended()).toEqual([]), { timeout: SETTLE_MS, interval: 500 }).catch(() => undefined);

      // Each call: the same events at both sinks, numbered 1…n, call.started first, call.ended last and once, truthful.
      const [first, second] = receivedByCall(t) as [Map<string, ReceivedMessage[]>, Map<string, ReceivedMessage[]>];
      const calls = [...first].filter(([callId]) => !callId.startsWith('agent:'));
      const outcomes: Record<string, number> = {};
      const problems: string[] = [...findings.notes];
      let lateReceipts = 0;
      const show = (events: ReceivedMessage[]) => JSON.stringify(events.map((m) => [m.sequence, m.type, m.type === 'call.ended' ? m.body.data : undefined]));
      for (const [callId, events] of calls) {
        const ended = events.filter((m) => m.type === 'call.ended');
        const data = ended.at(-1)?.body.data as { channelId: string; outcome: string; endedBy: string; durationMs: number } | undefined;
        const citizen = citizens.find((c) => c.channelId === data?.channelId);
        const wrong = [
          JSON.stringify(second.get(callId)?.map((m) => m.eventId)) !== JSON.stringify(events.map((m) => m.eventId)) && 'the sinks differ',
          events.some((m, i) => m.sequence !== i + 1) && 'numbered with a gap or a repeat',
          events[0]?.type !== 'call.started' && 'not started first',
          events.slice(events.findIndex((m) => m.type === 'call.ended') + 1).some((m) => !LATE_RECEIPTS.has(m.type)) && 'more than a receipt after call.ended',
          ended.length !== 1 && `${ended.length} call.ended`,
          !citizen && 'no citizen of the stream',
          citizen && data && !truthfulOutcomes(citizen, events).includes(data.outcome) && `${data.outcome} for a ${citizen.kind} caller who pressed in ${citizen.pressedIn}`,
        ].filter(Boolean);
        if (wrong.length) problems.push(`${callId}: ${wrong.join(', ')}: ${show(events)}`);
        if (data) outcomes[data.outcome] = (outcomes[data.outcome] ?? 0) + 1;
        if (events.at(-1)?.type !== 'call.ended') lateReceipts += 1;
      }
      for (const c of unended()) problems.push(`the call of citizen ${c.n} (${c.kind}, pressed in ${c.pressedIn}) has no call.ended at both sinks`);
      if (calls.length !== citizens.length) problems.push(`${citizens.length} citizens called, ${calls.length} calls at the sinks`);
      // No agent stays rung or on a call once all hung up, whatever came between: given the sweep's time to free a ring nobody hears end.
      const heldAgents = async (): Promise<Array<{ kind: string; callId: string }>> => (await Promise.all(AGENTS.map((a) => t.stateOf(a)))).filter((st) => st?.kind === 'on-call' || st?.kind === 'ringing') as Array<{ kind: string; callId: string }>;
      await vi.waitFor(async () => expect(await heldAgents()).toEqual([]), { timeout: STUCK_BOUND_MS, interval: 500 }).catch(() => undefined);
      const held = await heldAgents();
      const onCall = `${held.length} (${held.map((st) => `${st.kind}${first.get(st.callId)?.some((m) => m.type === 'call.ended') ? ' for an ended call' : ''}`).join(', ')})`;
      for (const st of held) {
        const story = stuckAgentStory(st, first.get(st.callId) ?? [], disruptions, serviceLines);
        console.info(story);
        problems.push(story);
      }
      const repeats = SINKS.map((sink) => t.backend.recorder(sink).duplicates).join('/');
      console.info(`soak: ${MINUTES} min, ${citizens.length} calls (${Object.entries(outcomes).map(([o, n]) => `${n} ${o}`).join(', ')}), ${figures.services - 1} service kills, ${figures.redisRestarts} Redis restarts, ${figures.socketDrops} WebSocket drops, ${leavers.hangups} hang-ups by callers or the other side; repeats at the sinks (taken once) ${repeats}; agents left rung or on a call once all hung up: ${onCall} (seen stuck ringing before a kill: ${findings.stuck.size}); receipts after call.ended: ${lateReceipts}; calls not right: ${problems.length}`);
      expect(problems.slice(0, 10), `${problems.length} calls not right; the first ten`).toEqual([]);
    } finally {
      stream?.stop();
      leavers?.stop();
      await s?.kill();
      await redis.kill();
    }
  }, (MINUTES + 5) * 60_000);
});
