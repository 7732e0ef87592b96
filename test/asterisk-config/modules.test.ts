/**
 * The example Asterisk configuration starts clean: modules.conf loads an explicit list,
 * every module in it is one this project knows (a typo would be a module that never
 * loads), every file those modules and the core read is in asterisk-config/, every module
 * a loaded module requires is loaded too, none conflict, and what docker-compose mounts
 * exists or is what scripts/generate-prompts.sh writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConf } from '../../sim/model/pjsip-config.js';
import { CORE_READS, MODULES } from './asterisk-modules.js';

const CONFIG_DIR = 'asterisk-config';
const modulesConf = parseConf(readFileSync(join(CONFIG_DIR, 'modules.conf'), 'utf8'));
const section = modulesConf.find((s) => s.name === 'modules');
const options = section?.options ?? [];
const listed = (...keys: string[]) => options.filter(([k]) => keys.includes(k)).map(([, v]) => v);
const loaded = listed('load', 'require', 'preload', 'preload-require');
const shipped = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.conf'));

describe('modules.conf', () => {
  it('has one [modules] section with autoload = no', () => {
    expect(modulesConf.map((s) => s.name)).toEqual(['modules']);
    expect(listed('autoload')).toEqual(['no']);
  });

  it('lists no module twice, in any of load, require, preload or noload', () => {
    const all = listed('load', 'require', 'preload', 'preload-require', 'noload');
    expect(all.filter((m, i) => all.indexOf(m) !== i)).toEqual([]);
  });

  it('loads only modules whose files and requirements are known', () => {
    expect(loaded.length).toBeGreaterThan(50);
    expect(loaded.filter((m) => !MODULES[m])).toEqual([]);
  });

  it('loads every module a loaded module requires', () => {
    const missing = loaded.flatMap((m) => (MODULES[m]?.requires ?? []).filter((r) => !loaded.includes(r)).map((r) => `${m} needs ${r}`));
    expect(missing).toEqual([]);
  });

  it('loads no two modules that refuse each other', () => {
    const clashes = loaded.flatMap((m) => (MODULES[m]?.conflicts ?? []).filter((c) => loaded.includes(c)).map((c) => `${m} / ${c}`));
    expect(clashes).toEqual([]);
  });

  it('has every file the loaded modules and the core read', () => {
    const needed = new Set([...CORE_READS, ...loaded.flatMap((m) => MODULES[m]?.reads ?? [])]);
    expect([...needed].filter((f) => !shipped.includes(f))).toEqual([]);
  });

  it('ships no file that nothing loaded reads', () => {
    const read = new Set([...CORE_READS, ...loaded.flatMap((m) => MODULES[m]?.reads ?? [])]);
    // A file another read file pulls in with #include is read too.
    const includes = (f: string): string[] => [...readFileSync(join(CONFIG_DIR, f), 'utf8').matchAll(/^#include\s+"?([^"\s]+)"?/gm)].map((m) => m[1]!);
    for (const f of [...read]) if (shipped.includes(f)) for (const i of includes(f)) read.add(i);
    expect(shipped.filter((f) => !read.has(f))).toEqual([]);
  });

  it('loads what the service and the dialplan cannot do without', () => {
    for (const m of ['res_ari.so', 'res_stasis.so', 'app_stasis.so', 'chan_pjsip.so', 'res_pjsip_sdp_rtp.so', 'res_pjsip_transport_websocket.so',
      'res_pjsip_endpoint_identifier_ip.so', 'res_pjsip_registrar.so', 'pbx_config.so', 'app_dial.so', 'app_queue.so', 'app_voicemail.so',
      'app_stack.so', 'app_exec.so', 'func_logic.so', 'func_strings.so', 'func_callerid.so', 'res_musiconhold.so', 'cdr_csv.so',
      'chan_bridge_media.so', 'bridge_simple.so', 'bridge_softmix.so', 'bridge_holding.so', 'res_srtp.so']) {
      expect(loaded, m).toContain(m);
    }
  });

  it('keeps CDRs: cdr.conf enables them and gives cdr_csv a section', () => {
    const cdr = parseConf(readFileSync(join(CONFIG_DIR, 'cdr.conf'), 'utf8'));
    expect(cdr.find((s) => s.name === 'general')?.options).toContainEqual(['enable', 'yes']);
    expect(cdr.map((s) => s.name)).toContain('csv');
  });
});

describe('the dialplan and modules.conf agree', () => {
  const dialplan = readFileSync(join(CONFIG_DIR, 'extensions.conf'), 'utf8');
  const APP_MODULE: Record<string, string> = {
    Stasis: 'app_stasis.so', Dial: 'app_dial.so', Playback: 'app_playback.so', Queue: 'app_queue.so',
    VoiceMail: 'app_voicemail.so', Gosub: 'app_stack.so', Return: 'app_stack.so', ExecIf: 'app_exec.so',
  };
  const FUNCTION_MODULE: Record<string, string> = { IF: 'func_logic.so', REGEX: 'func_strings.so', FIELDQTY: 'func_strings.so', CALLERID: 'func_callerid.so', CUT: 'func_cut.so', RAND: 'func_rand.so' };
  /** Applications built into the PBX core (main/pbx_builtins.c). */
  const BUILTIN = ['Answer', 'Background', 'Hangup', 'Goto', 'GotoIf', 'NoOp', 'Set', 'Wait', 'WaitExten'];

  it('every application the dialplan runs is built in or loaded', () => {
    const apps = [...new Set([...dialplan.matchAll(/^\s*(?:exten\s*=>\s*[^,]+,|same\s*=>)\s*[^,]+,\s*([A-Za-z]+)\(/gm)].map((m) => m[1]!))];
    expect(apps.length).toBeGreaterThan(8);
    expect(apps.filter((a) => !BUILTIN.includes(a) && !loaded.includes(APP_MODULE[a] ?? `app for ${a}`))).toEqual([]);
  });

  it('every function the dialplan calls is loaded', () => {
    const functions = [...new Set([...dialplan.matchAll(/\$\{([A-Z]+)\(/g)].map((m) => m[1]!))];
    expect(functions.sort()).toEqual(['CALLERID', 'CUT', 'FIELDQTY', 'IF', 'RAND', 'REGEX']);
    expect(functions.filter((f) => !loaded.includes(FUNCTION_MODULE[f]!))).toEqual([]);
  });
});

describe('docker-compose mounts', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { volumes?: string[] }> };
  const binds = Object.values(compose.services).flatMap((s) => s.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!);
  const script = readFileSync('scripts/generate-prompts.sh', 'utf8');
  const generatedRoot = /OUT="\$\{2:-([^}]+)\}"/.exec(script)?.[1];
  const example = parse(readFileSync('config/hotline.example.yaml', 'utf8')) as { prompts: { sounds: Record<string, Record<string, string>> } };

  it('mounts asterisk-config/ and the generated sounds', () => {
    expect(binds).toContain('./asterisk-config');
    expect(generatedRoot).toBe('var/sounds');
    expect(binds.filter((b) => b.startsWith(`./${generatedRoot}`)).length).toBeGreaterThan(0);
  });

  it('mounts only what is in the repository or what scripts/generate-prompts.sh writes', () => {
    const fromRepo = binds.filter((b) => !b.startsWith(`./${generatedRoot}`));
    expect(fromRepo.filter((b) => !existsSync(b))).toEqual([]);
    // The script writes each prompt's zh sound under var/sounds/<its sound name> and the digits under zh/.
    const written = new Set(['zh', ...Object.values(example.prompts.sounds).flatMap((byLang) => (byLang.zh ? [byLang.zh.split('/')[0]!] : []))]);
    const generated = binds.filter((b) => b.startsWith(`./${generatedRoot}/`)).map((b) => b.slice(`./${generatedRoot}/`.length));
    expect(generated.filter((g) => !written.has(g.split('/')[0]!))).toEqual([]);
  });

  it('gives Asterisk every directory the example prompts and the zh digits are written to', () => {
    const asteriskBinds = (compose.services.asterisk?.volumes ?? []).map((v) => v.split(':'));
    const mounted = asteriskBinds.filter(([from]) => from!.startsWith(`./${generatedRoot}/`)).map(([from, to]) => [from!.slice(`./${generatedRoot}/`.length), to]);
    const dirs = new Set(['zh', ...Object.values(example.prompts.sounds).flatMap((byLang) => (byLang.zh ? [byLang.zh.split('/')[0]!] : []))]);
    for (const dir of dirs) expect(mounted).toContainEqual([dir, `/var/lib/asterisk/sounds/${dir}`]);
  });

  it('keeps the service’s recording archive (the example’s fs store) on named volumes, not in the container', () => {
    const full = parse(readFileSync('docker-compose.yml', 'utf8')) as { volumes?: Record<string, unknown> };
    const store = (parse(readFileSync('config/hotline.example.yaml', 'utf8')) as { recording: { storage: { root: string; archiveRoot: string } } }).recording.storage;
    const mounts = (compose.services.telephony?.volumes ?? []).map((v) => v.split(':'));
    for (const dir of [store.root, store.archiveRoot]) {
      const mount = mounts.find(([, to]) => to === `/app/${dir}`);
      expect(mount, dir).toBeDefined();
      expect(Object.keys(full.volumes ?? {})).toContain(mount![0]);
    }
  });
});
