import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function start(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('starting the service with bad configuration', () => {
  it('refuses to start without ARI_URL, pointing at the demo, with exit code 2', () => {
    const { status, stderr } = start({});
    expect(status).toBe(2);
    expect(stderr).toContain('env.ARI_URL');
    expect(stderr).toContain('npm run demo');
  });

  it('refuses a bad environment variable, naming it, with exit code 2', () => {
    const { status, stderr } = start({ HTTP_PORT: '99999' });
    expect(status).toBe(2);
    expect(stderr).toContain('env.HTTP_PORT');
  });

  it('refuses a bad hotline config file, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-'));
    const file = join(dir, 'hotline.yaml');
    writeFileSync(file, 'hotline:\n  name: x\n  defaultLine: main\n  numbers: []\nprompts:\n  sounds: {}\n');
    const { status, stderr } = start({ HOTLINE_CONFIG: file, ARI_URL: 'http://127.0.0.1:1', ARI_PASSWORD: 'unused-here' });
    expect(status).toBe(2);
    expect(stderr).toContain(file);
    expect(stderr).toContain('hotline.numbers');
  });
});
