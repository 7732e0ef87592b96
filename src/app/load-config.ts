/**
 * Loads the hotline config file (YAML or JSON). Any fault stops the start, named by the
 * file and the path of the field.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, faultsFromZod } from '../config/config-error.js';
import { HotlineConfigSchema, type HotlineConfig } from './config-schema.js';

export function parseHotlineConfig(source: string, text: string): HotlineConfig {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}` : '<file>';
    throw new ConfigError(source, [{ path: where, reason: `not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}` }]);
  }
  const result = HotlineConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, faultsFromZod('', result.error));
  return result.data;
}

export async function loadHotlineConfig(path: string): Promise<HotlineConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [{ path: '<file>', reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  return parseHotlineConfig(path, text);
}

export type { HotlineConfig };
