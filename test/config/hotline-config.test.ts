import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadHotlineConfig, parseHotlineConfig } from '../../src/app/load-config.js';

const minimal = `
hotline:
  name: test
  defaultLine: main
  numbers:
    - { number: "12345", line: main }
prompts:
  defaultLanguage: zh
  sounds:
    welcome: { zh: hotline/zh/welcome }
`;

function faultsOf(source: string, text: string): string[] {
  try {
    parseHotlineConfig(source, text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(source);
    return (err as ConfigError).faults.map((f) => `${f.path}: ${f.reason}`);
  }
  throw new Error('expected a ConfigError');
}

describe('hotline config', () => {
  it('loads the example shipped in the repository', async () => {
    const config = await loadHotlineConfig('config/hotline.example.yaml');
    expect(config.hotline.numbers.map((n) => n.number)).toContain('12345');
  });

  it('accepts a minimal file and fills defaults', () => {
    const config = parseHotlineConfig('x.yaml', minimal);
    expect(config.calls.welcomePrompt).toBe('welcome');
    expect(config.calls.maxPromptSeconds).toBe(120);
  });

  it('names the path of a bad field', () => {
    const faults = faultsOf('bad.yaml', minimal.replace('"12345"', '"12-345"'));
    expect(faults).toEqual([expect.stringMatching(/^hotline\.numbers\.0\.number: digits only/)]);
  });

  it('names cross-reference faults: unknown default line, unknown prompt, duplicate number', () => {
    const text = minimal
      .replace('defaultLine: main', 'defaultLine: night')
      .replace('- { number: "12345", line: main }', '- { number: "12345", line: main }\n    - { number: "12345", line: other }')
      .concat('calls:\n  welcomePrompt: greeting\n');
    const faults = faultsOf('bad.yaml', text);
    expect(faults).toContain('hotline.defaultLine: "night" is not the line of any number in hotline.numbers');
    expect(faults).toContain('hotline.numbers.1.number: 12345 is listed twice');
    expect(faults).toContain('calls.welcomePrompt: unknown prompt "greeting" (not in prompts.sounds)');
  });

  it('refuses a sound name that climbs out of the sounds directory', () => {
    const faults = faultsOf('bad.yaml', minimal.replace('hotline/zh/welcome', '../../etc/passwd'));
    expect(faults[0]).toMatch(/^prompts\.sounds\.welcome\.zh: /);
  });

  it('reports YAML syntax errors with the line', () => {
    expect(faultsOf('broken.yaml', 'hotline:\n  name: [unclosed\n')[0]).toMatch(/^line \d+: not valid YAML/);
  });

  it('reports a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    await expect(loadHotlineConfig(join(dir, 'nope.yaml'))).rejects.toThrow(/cannot read: ENOENT/);
    const json = join(dir, 'c.json');
    await writeFile(json, '{"hotline": 1}');
    await expect(loadHotlineConfig(json)).rejects.toThrow(ConfigError);
  });
});
