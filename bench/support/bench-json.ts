/** Writes a benchmark's figures to var/bench/<name>.json, with when and where they were taken. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export function writeBenchJson(name: string, figures: object): void {
  mkdirSync('var/bench', { recursive: true });
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
  writeFileSync(`var/bench/${name}.json`, JSON.stringify({ bench: name, at: new Date().toISOString(), machine, ...figures }, null, 2) + '\n');
}
