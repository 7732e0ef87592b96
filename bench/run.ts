/**
 * Runs every benchmark in bench/ (each `*.ts` file but this one) in its own process, one
 * after the other so they do not compete for the CPU, and prints one table of their
 * figures. A benchmark reports a figure by printing a line
 *   @@bench {"bench": "...", "metric": "...", "value": 123, "unit": "events/s"}
 * Benchmarks measure and report medians and ratios; none asserts, so none fails the run
 * for being slow — only for crashing. Every figure also goes to var/bench/run.json (and
 * each benchmark may write its own details next to it).
 *
 *   npm run bench            (or: npx tsx bench/run.ts [name-filter])
 *   BENCH_QUICK=1 npm run bench    small sizes and one run each, for development
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== basename(fileURLToPath(import.meta.url)) && !f.endsWith('.d.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const Figure = z.object({ bench: z.string(), metric: z.string(), value: z.number(), unit: z.string() });
type Figure = z.infer<typeof Figure>;

function runOne(file: string): Promise<{ figures: Figure[]; code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const figures: Figure[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('@@bench ')) {
          process.stdout.write(`  ${line}\n`);
          continue;
        }
        try {
          const figure = Figure.safeParse(JSON.parse(line.slice('@@bench '.length)));
          if (figure.success) figures.push(figure.data);
        } catch {
          process.stdout.write(`  (unreadable figure) ${line}\n`);
        }
      }
    });
    child.on('close', (code) => resolve({ figures, code, seconds: (performance.now() - started) / 1000 }));
  });
}

const rows: Array<Record<string, string>> = [];
const all: Array<Figure & { seconds: number }> = [];
let failed = 0;
for (const file of files) {
  console.log(`▶ ${file}`);
  const { figures, code, seconds } = await runOne(file);
  if (code !== 0) failed++;
  if (figures.length === 0) rows.push({ bench: file.replace(/\.ts$/, ''), metric: code === 0 ? '(no figures reported)' : `(exited with ${code})`, value: '', took: `${seconds.toFixed(1)} s` });
  for (const f of figures) {
    all.push({ ...f, seconds });
    const digits = Math.abs(f.value) >= 100 ? 0 : 2;
    rows.push({ bench: f.bench, metric: f.metric, value: `${f.value.toFixed(digits)} ${f.unit}`, took: `${seconds.toFixed(1)} s` });
  }
}
console.log('\nBenchmarks (medians; machine-dependent, compare ratios across machines)');
console.table(rows);
mkdirSync('var/bench', { recursive: true });
const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
writeFileSync('var/bench/run.json', JSON.stringify({ at: new Date().toISOString(), quick: process.env.BENCH_QUICK === '1', filter: filter ?? null, machine, figures: all }, null, 2) + '\n');
console.log('figures written to var/bench/run.json');
process.exitCode = failed > 0 ? 1 : 0;
