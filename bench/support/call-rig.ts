/**
 * The call benchmarks' rig: this process holds the ARI simulator and the load generator (the
 * callers); the ticket backend the service's outbox delivers to and Redis are children of
 * it; the application under test runs in a process of its own (app-process.ts). With
 * `taskset` on the PATH the application gets core 0 and everything else core 1, so what is
 * measured is the application's own core.
 *
 * A caller dials 12345, hears the announcements and the menu, presses 0 once the menu is
 * playing, waits in the general queue (music, position and wait announcements), talks to an
 * agent whose softphone answers, and hangs up after its holding time.
 */
import { spawnSync, fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAriSimulator, type AriSimulator } from '../../sim/index.js';
import type { ProbeWindow } from './ari-probe.js';
import { agentSeat, CRM_SECRETS, SIM_SPEED } from './bench-config.js';
import { FLOOR_AFTER_KEY } from './floor-script.js';
import { processSinkSide, type SinkSide } from './backend-process.js';

export type AppKind = 'service' | 'ari-client' | 'raw';
const here = dirname(fileURLToPath(import.meta.url));
const USER = 'bench';
const PASSWORD = 'bench-secret';

const canPin = spawnSync('taskset', ['-V']).status === 0;
/** Pins a process (all its threads) to one core; no-op without taskset. */
export function pin(pid: number, core: number): void {
  if (canPin) spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}
export const pinning = canPin ? 'application on core 0; simulator, callers, Redis and ticket backend on core 1' : 'not pinned (no taskset)';

export interface AppProcess {
  window(): Promise<ProbeWindow>;
  /** Heap and RSS after a full garbage collection. */
  memory(): Promise<{ heapUsed: number; rss: number }>;
  stop(): Promise<void>;
}

function startApp(kind: AppKind, env: Record<string, string>): Promise<AppProcess> {
  // BENCH_CPU_PROF=<dir>: the application writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child: ChildProcess = fork(join(here, 'app-process.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...profile],
    env: { ...process.env, BENCH_APP: kind, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  pin(child.pid!, 0);
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  const ask = <T>(op: string): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (r: unknown) => void);
      child.send({ id, op });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} app exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: boolean; id?: number; result?: unknown }) => {
      if (message.ready) {
        child.removeAllListeners('exit');
        let stopping = false;
        // The application dying mid-run (a crash, its Redis killed) ends the benchmark: its
        // questions would never be answered and a ramp would wait for calls forever.
        child.once('exit', (code, signal) => {
          if (stopping) return;
          console.error(`${kind} app exited during the run (code ${code}, signal ${signal}); the benchmark stops`);
          process.exit(1);
        });
        resolve({
          window: () => ask<ProbeWindow>('window'),
          memory: () => ask('gc'),
          async stop() {
            stopping = true;
            const exited = new Promise((r) => child.once('exit', r));
            await ask('stop');
            await exited;
          },
        });
        return;
      }
      const done = waiting.get(message.id!);
      waiting.delete(message.id!);
      done?.(message.result);
    });
  });
}

export interface RigOptions {
  app: AppKind;
  redisUrl: string;
  agents: number;
  /** `ivr`: callers hang up once the transfer prompt ends, the floor apps' whole call (default `whole`). */
  callerPath?: CallerPath;
}

/**
 * How far a caller goes: `whole` (menu, queue, agent, then the holding time) or `ivr`
 * (menu, key, the transfer prompt, then hang up: what the floor apps do with a call, so that
 * the service's cost for the same call can be set beside theirs).
 */
export type CallerPath = 'whole' | 'ivr';

export interface Rig {
  sim: AriSimulator;
  app: AppProcess;
  callers: CallDriver;
  close(): Promise<void>;
}

export async function startRig(o: RigOptions): Promise<Rig> {
  const seats = Array.from({ length: o.agents }, (_, i) => agentSeat(i));
  const sim = await startAriSimulator({
    port: 0,
    username: USER,
    password: PASSWORD,
    speed: SIM_SPEED,
    endpoints: Object.fromEntries(seats.map((s) => [s, { context: 'agents', allow: ['alaw', 'ulaw'] }])),
  });
  for (const seat of seats) sim.registerEndpoint(seat, { phone: { kind: 'answer', afterMs: 1000 } });
  let backend: SinkSide | undefined;
  // BENCH_CRM=0: the service without its ticket bridge (to tell the bridge's share apart).
  // In a process of its own: its request handling must not stall the simulator's loop.
  if (o.app === 'service' && process.env.BENCH_CRM !== '0') backend = await processSinkSide({ ...CRM_SECRETS, CRM_LOOKUP_SECRET: CRM_SECRETS.CRM_CITY_SECRET });
  const app = await startApp(o.app, {
    ARI_URL: sim.url,
    ARI_USERNAME: USER,
    ARI_PASSWORD: PASSWORD,
    REDIS_URL: o.redisUrl,
    BENCH_AGENTS: String(o.agents),
    ...(backend ? { SINK_BASE_URL: backend.url } : {}),
  });
  const callers = new CallDriver(sim, o.callerPath ?? 'whole');
  return {
    sim,
    app,
    callers,
    async close() {
      callers.stop();
      await app.stop();
      await backend?.close();
      await sim.close();
    },
  };
}

/** Places calls and plays each caller's part, reading the simulator's event log as it grows. */
export class CallDriver {
  private read = 0;
  private readonly live = new Map<string, { placedAt: number; hangup: NodeJS.Timeout | undefined; onEnd?: () => void }>();
  private placedTotal = 0;
  private endedTotal = 0;
  /** Callers who heard the menu, and who reached a bridge (an agent, for the service). */
  readonly reached = { menu: 0, bridge: 0 };
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly sim: AriSimulator,
    private readonly path: CallerPath = 'whole',
  ) {
    this.poll = setInterval(() => this.follow(), 5);
  }

  get placed(): number {
    return this.placedTotal;
  }

  get ended(): number {
    return this.endedTotal;
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** One caller, hanging up `holdMs` after dialling (the whole call: menu, queue and talk). */
  place(holdMs: number): Promise<void> {
    const n = this.placedTotal++;
    const channel = this.sim.placeCall({ from: `139${String(10_000_000 + n).padStart(8, '0')}`, dialled: '12345' });
    return new Promise((resolve) => {
      const hangup = setTimeout(() => this.hangUp(channel.id), holdMs);
      this.live.set(channel.id, { placedAt: performance.now(), hangup, onEnd: resolve });
    });
  }

  stop(): void {
    clearInterval(this.poll);
    for (const call of this.live.values()) clearTimeout(call.hangup);
  }

  private follow(): void {
    const events = this.sim.events();
    for (; this.read < events.length; this.read++) {
      const { event } = events[this.read]!;
      if (event.type === 'PlaybackStarted') {
        const playback = event.playback as { media_uri: string; target_uri: string };
        const id = playback.target_uri.slice('channel:'.length);
        if (playback.media_uri.endsWith('hotline/zh/main-menu') && this.live.has(id)) {
          this.reached.menu++;
          setTimeout(() => this.press(id), 30);
        }
      } else if (event.type === 'PlaybackFinished' && this.path === 'ivr') {
        const playback = event.playback as { media_uri: string; target_uri: string };
        const id = playback.target_uri.slice('channel:'.length);
        if (playback.media_uri.endsWith(FLOOR_AFTER_KEY) && this.live.has(id)) this.hangUp(id);
      } else if (event.type === 'ChannelEnteredBridge') {
        if (this.live.has((event.channel as { id: string }).id)) this.reached.bridge++;
      } else if (event.type === 'StasisEnd') {
        const id = (event.channel as { id: string }).id;
        const call = this.live.get(id);
        if (call) {
          clearTimeout(call.hangup);
          this.live.delete(id);
          this.endedTotal++;
          call.onEnd?.();
        }
      }
    }
    if (this.read > 20_000) {
      this.sim.clearEvents();
      this.read = 0;
    }
  }

  private hangUp(channelId: string): void {
    try {
      this.sim.hangupFromCaller(channelId);
    } catch {
      // The application hung up first (the floor apps do).
    }
  }

  private press(channelId: string): void {
    try {
      this.sim.pressDigits(channelId, '0');
    } catch {
      // Hung up meanwhile.
    }
  }
}

/** Starts `count` calls at `perSecond`, on a schedule that does not drift; resolves when all have ended. */
export async function callsAtRate(driver: CallDriver, count: number, perSecond: number, holdMs: number): Promise<void> {
  const started = performance.now();
  const calls: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    calls.push(driver.place(holdMs));
  }
  await Promise.all(calls);
}
