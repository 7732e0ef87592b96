/**
 * The start-up prompt check finds files where Asterisk does (language directory, the
 * language without dialect, no language, then en; every format the shipped modules read),
 * reports what is missing in one line, and passes on the layout scripts/generate-prompts.sh
 * writes for the example configuration.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findMissingSounds, reportMissingSounds } from '../../src/ivr/prompt-files.js';
import { languageDirs, soundCandidates } from '../../src/ivr/sound-paths.js';
import { exampleConfig } from './support/example-config.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function soundsDir(files: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sounds-'));
  dirs.push(dir);
  for (const f of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await writeFile(join(dir, f), '');
  }
  return dir;
}

function capture(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

const prompts = (sounds: Record<string, Record<string, string>>) => ({ defaultLanguage: 'zh', sounds });

describe('where Asterisk looks', () => {
  it('tries the language, the language without dialect, no language, then en', () => {
    expect(languageDirs('zh_TW')).toEqual(['zh_TW', 'zh', '', 'en']);
    expect(languageDirs('zh')).toEqual(['zh', '', 'en']);
    expect(languageDirs('en')).toEqual(['en', '']);
    expect(soundCandidates('/s', 'hotline/welcome', 'zh').slice(0, 2)).toEqual(['/s/zh/hotline/welcome.wav', '/s/zh/hotline/welcome.wav16']);
  });

  it('finds a prompt in its language directory, without one, or in en, in any format Asterisk plays', async () => {
    const dir = await soundsDir(['zh/hotline/welcome.gsm', 'hotline/goodbye.alaw', 'en/hello-world.gsm', 'zh/hotline/menu.txt']);
    const missing = await findMissingSounds(
      prompts({
        welcome: { zh: 'hotline/welcome' },
        goodbye: { zh: 'hotline/goodbye' },
        hello: { zh: 'hello-world' },
        menu: { zh: 'hotline/menu' },
        'zh-only': { en: 'hotline/welcome' },
      }),
      dir,
    );
    // A .txt is no sound; a file only in zh/ is not found for an en prompt (Asterisk falls back to en, never to zh).
    expect(missing).toEqual([
      { promptId: 'menu', language: 'zh', sound: 'hotline/menu' },
      { promptId: 'zh-only', language: 'en', sound: 'hotline/welcome' },
    ]);
  });
});

describe('the report at start', () => {
  it('is one warning line with the count and the first few prompt ids', async () => {
    const dir = await soundsDir(['hotline/zh/p1.wav']);
    const sounds = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i + 1}`, { zh: `hotline/zh/p${i + 1}` }]));
    const { log, lines } = capture();

    const missing = await reportMissingSounds(prompts(sounds), dir, log);

    expect(missing).toHaveLength(7);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, missing: 7, of: 8, soundsDir: dir });
    expect(lines[0]!.msg).toBe(
      `7 of 8 prompt sounds have no file under ${dir}: p2 (zh), p3 (zh), p4 (zh), p5 (zh), p6 (zh), …; ` +
        'run scripts/generate-prompts.sh for a demo set, or install the recorded prompts',
    );
  });

  it('says when the sounds directory itself is missing', async () => {
    const { log, lines } = capture();
    await reportMissingSounds(prompts({ a: { zh: 'hotline/zh/a' } }), '/nonexistent/sounds', log);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/^1 of 1 prompt sounds have no file under \/nonexistent\/sounds \(\/nonexistent\/sounds does not exist\): a \(zh\);/);
  });

  it('passes on the layout scripts/generate-prompts.sh writes for the example configuration', async () => {
    const config = exampleConfig();
    // The script: <out>/<the zh sound name>.wav for every prompt that has one, and <out>/zh/digits/*.wav.
    const written = Object.values(config.prompts.sounds).flatMap((byLang) => (byLang.zh ? [`${byLang.zh}.wav`] : []));
    const dir = await soundsDir([...written, 'zh/digits/0.wav']);
    const { log, lines } = capture();

    expect(await reportMissingSounds(config.prompts, dir, log)).toEqual([]);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: `all ${written.length} prompt sounds found`, languages: ['zh'] });
  });
});
