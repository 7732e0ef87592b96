/**
 * The Docker image's command starts and serves calls. No Docker engine is needed: the run
 * stage of the Dockerfile is read, a folder is laid out with exactly what it copies (the
 * compiled dist/ from `npm run build`, the config, package.json), and its CMD is run there
 * with plain node against the ARI simulator. Packages the compiled code imports must be
 * production dependencies: the image installs no others.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { freePort } from '../../bench/support/private-redis.js';
import { TEST_LOG_DIR } from '../support/test-logger.js';

type Simulator = Awaited<ReturnType<typeof startAriSimulator>>;

/** The last stage's COPY sources (`COPY --from=build /app/dist ./dist` counts as dist) and its CMD. */
function runStage(dockerfile: string): { copies: string[]; cmd: string[] } {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages[stages.length - 1]!;
  const copies: string[] = [];
  for (const line of last.split('\n')) {
    const m = /^COPY\s+(?:--from=\S+\s+)?(.+)\s+(\S+)\s*$/.exec(line.trim());
    if (!m) continue;
    for (const source of m[1]!.split(/\s+/)) copies.push(source.replace(/^\/app\//, '').replace(/^\.\//, ''));
  }
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(last);
  if (!cmd) throw new Error('the run stage has no CMD in exec form');
  return { copies, cmd: JSON.parse(cmd[1]!) as string[] };
}

/** Bare package names imported by the compiled JavaScript under `dir`. */
function importedPackages(dir: string): Set<string> {
  const found = new Set<string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const p of importedPackages(path)) found.add(p);
    } else if (name.endsWith('.js')) {
      for (const m of readFileSync(path, 'utf8').matchAll(/(?:from\s+|import\(\s*)'([^'.][^']*)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) continue;
        found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
  }
  return found;
}

let image: string;
let sim: Simulator;
let service: ChildProcess | undefined;
const output: string[] = [];

beforeAll(async () => {
  const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  image = mkdtempSync(join(tmpdir(), 'hotline-image-'));
  const { copies } = runStage(readFileSync('Dockerfile', 'utf8'));
  for (const source of copies) cpSync(source, join(image, source), { recursive: true });
  // `npm ci --omit=dev` in the image; here the checkout's packages, held to the same rule below.
  symlinkSync(join(process.cwd(), 'node_modules'), join(image, 'node_modules'), 'dir');
  sim = await startAriSimulator({ port: 0, username: 'hotline', password: 'image-test-secret', speed: 20 });
}, 120_000);

afterAll(async () => {
  service?.kill('SIGKILL');
  // The service's own log lines join the run's, for the scan after the run (no whole numbers).
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  writeFileSync(join(TEST_LOG_DIR, `image-entry-${process.pid}.jsonl`), output.join('').split('\n').filter((l) => l.startsWith('{')).join('\n') + '\n');
  await sim?.close();
  if (image) rmSync(image, { recursive: true, force: true });
});

it('copies only what exists and imports only production dependencies', () => {
  const { copies, cmd } = runStage(readFileSync('Dockerfile', 'utf8'));
  expect(copies).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'dist', 'config']));
  expect(cmd).toEqual(['node', 'dist/app/main.js']);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
  const missing = [...importedPackages(join(image, 'dist'))].filter((p) => !(p in pkg.dependencies));
  expect(missing).toEqual([]);
  expect(readdirSync(join(image, 'dist', 'crm-bridge', 'scripts')).filter((f) => f.endsWith('.lua')).length).toBeGreaterThan(0);
});

it("runs the image's command: it connects, answers a call, and stops cleanly on SIGTERM", async () => {
  const { cmd } = runStage(readFileSync('Dockerfile', 'utf8'));
  const port = await freePort();
  service = spawn(process.execPath, cmd.slice(1), {
    cwd: image,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ARI_URL: sim.url,
      ARI_PASSWORD: 'image-test-secret',
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `image-test:${port}:`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      SOUNDS_DIR: join(image, 'no-sounds-here'),
      SHUTDOWN_GRACE_SECONDS: '1',
      CRM_CITY_SECRET: 'image-test-city-secret',
      CRM_PROVINCE_SECRET: 'image-test-province-secret',
      CRM_INBOUND_SECRET: 'image-test-inbound-secret',
      // The example's recording section: its number lookup key.
      RECORDING_NUMBER_KEY: 'image-test-recording-number-key-0123456789',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running = service;
  running.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  running.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  await vi.waitFor(
    async () => {
      expect(running.exitCode, output.join('')).toBeNull();
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status, await res.text()).toBe(200);
    },
    { timeout: 20_000, interval: 100 },
  );
  const call = sim.placeCall({ from: '13912345678', dialled: '12345' });
  await vi.waitFor(
    () => expect(sim.events().some((e) => e.event.type === 'ChannelStateChange' && (e.event.channel as { id: string; state: string }).id === call.id && (e.event.channel as { state: string }).state === 'Up')).toBe(true),
    { timeout: 10_000, interval: 20 },
  );

  const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
  running.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output.join('')).toContain('hotline service started');
}, 60_000);
