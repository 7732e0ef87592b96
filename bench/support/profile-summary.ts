/**
 * Where a V8 CPU profile (`BENCH_CPU_PROF=<dir>` on the call benchmarks) spends its time:
 * self time by function and by package (node_modules/<name>, the project's own files by
 * folder, Node's internals, GC, the idle loop), as shares of the busy samples; and the
 * longest runs of samples under one top-level entry, roughly one task each.
 *
 *   npx tsx bench/support/profile-summary.ts <file.cpuprofile> [rows=30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/support/profile-summary.ts <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** The package or project folder a script URL belongs to. */
function place(url: string, name: string): string {
  if (name === '(garbage collector)' || name === '(idle)' || name === '(program)') return name;
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const own = /\/(src|bench|sim)\/([^/]+)/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

const selfByFunction = new Map<string, number>();
const selfByPlace = new Map<string, number>();
let busy = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)!;
  // A sample lasts until the next one (as DevTools counts it).
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') continue;
  busy += dt;
  const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|sim)\//, '$1/')}:${lineNumber + 1}`;
  selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + dt);
  const where = place(url, functionName);
  selfByPlace.set(where, (selfByPlace.get(where) ?? 0) + dt);
}

const table = (m: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, us]) => ({ share: `${((100 * us) / busy).toFixed(1)} %`, ms: (us / 1000).toFixed(0), name }));
console.log(`busy ${(busy / 1e6).toFixed(1)} s of samples`);
console.table(table(selfByPlace));
console.table(table(selfByFunction));

// The longest runs of samples under one top-level entry (a socket read, a timer, the
// microtask queue, GC): roughly one task each, and what held the event loop in one go (the
// latency's p99 and the loop's lag come from these), with the own frames most in each.
const parents = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
const rootId = profile.nodes[0]!.id;
const entryOf = (id: number): number => {
  let at = id;
  for (let up = parents.get(at); up !== undefined && up !== rootId; up = parents.get(at)) at = up;
  return at;
};
const ownFrame = (id: number): string => {
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const f = byId.get(at)!.callFrame;
    if (/\/(src|sim)\//.test(f.url) && !f.url.includes('node_modules')) return `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src|sim)\//, '$1/')}`;
  }
  const f = byId.get(id)!.callFrame;
  return `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '')}`;
};
const runs: Array<{ ms: number; entry: string; top: string }> = [];
let runEntry = -1;
let runUs = 0;
const inRun = new Map<string, number>();
const close = (): void => {
  if (runUs > 10_000) {
    const f = byId.get(runEntry)!.callFrame;
    runs.push({ ms: runUs / 1000, entry: f.functionName || f.url, top: [...inRun.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`).join(' | ') });
  }
  runUs = 0;
  inRun.clear();
};
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  const entry = entryOf(id);
  if (entry !== runEntry) {
    close();
    runEntry = entry;
  }
  const dt = profile.timeDeltas[i + 1] ?? 0;
  runUs += dt;
  const name = ownFrame(id);
  inRun.set(name, (inRun.get(name) ?? 0) + dt);
}
close();
const busyRuns = runs.filter((r) => r.entry !== '(idle)');
console.log(`runs under one top-level entry longer than 10 ms: ${busyRuns.length}`);
for (const r of busyRuns.sort((a, b) => b.ms - a.ms).slice(0, 15)) console.log(`${r.ms.toFixed(1)} ms in ${r.entry}: ${r.top}`);
