/**
 * The ticket backend of the benchmarks in a process of its own (crm-bridge-backend.ts): a
 * real backend is another machine, so its request handling shares neither the bridge's nor
 * the simulator's event loop. It inherits this process's core.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { z } from 'zod';

/** A sink side the runs count deliveries at: the reference backend in this process or in its own. */
export interface SinkSide {
  url: string;
  /** Distinct events each sink holds so far. */
  counts(): Promise<Record<string, number>>;
  /** CPU the backend has used so far, in ms (0 inline: it is inside this process's figure). */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

const Ready = z.object({ url: z.string() });
const Counts = z.object({ counts: z.record(z.string(), z.number()), cpuMs: z.number() });

/** Starts it with the sinks' secrets (and the look-up's, `CRM_LOOKUP_SECRET`) in `secrets`. */
export async function processSinkSide(secrets: Record<string, string>): Promise<SinkSide> {
  const child: ChildProcess = fork(new URL('./crm-bridge-backend.ts', import.meta.url), [], {
    // BENCH_BACKEND_NODE_ARGS="--cpu-prof --cpu-prof-dir=var/prof" profiles the backend's side too.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_BACKEND_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...secrets },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(schema: z.ZodType<T>) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        const parsed = schema.safeParse(message);
        if (!parsed.success) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(parsed.data);
      };
      const onExit = (code: number | null) => reject(new Error(`the backend process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = await next(Ready);
  return {
    url,
    async counts() {
      const reply = next(Counts);
      child.send({ count: true });
      return (await reply).counts;
    },
    async cpuMs() {
      const reply = next(Counts);
      child.send({ count: true });
      return (await reply).cpuMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

