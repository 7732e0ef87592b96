/** The shipped example hotline config, parsed as the service would, with optional edits. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { HotlineConfigSchema, type HotlineConfig } from '../../../src/app/config-schema.js';

const path = fileURLToPath(new URL('../../../config/hotline.example.yaml', import.meta.url));

/** The example's raw document (a fresh copy each call, so tests may edit it). */
export function exampleRaw(): Record<string, any> {
  return parse(readFileSync(path, 'utf8')) as Record<string, any>;
}

export function exampleConfig(edit?: (raw: Record<string, any>) => void): HotlineConfig {
  const raw = exampleRaw();
  edit?.(raw);
  return HotlineConfigSchema.parse(raw);
}

/** An instant given as Beijing wall-clock time. */
export const beijing = (local: string): Date => new Date(`${local}+08:00`);

/** A working-day morning: every schedule of the example is open. */
export const WORKDAY_MORNING = beijing('2026-11-18T10:00:00');
