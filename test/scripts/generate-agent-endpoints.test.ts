/**
 * The seat generator: its output, read with the parser the configuration tests and the
 * simulator use, after pjsip.conf's templates (where pjsip.conf includes it), gives every
 * seat an endpoint, an aor and an auth with the sample agents' settings and the password
 * the API derives; bad seat lists are refused line by line; it refuses to run without a
 * secret; the shipped example is what it generates from the shipped seat list.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main, parseSeats, renderAgentEndpoints, sectionNames } from '../../scripts/generate-agent-endpoints.js';
import { EXAMPLE_SIP_SECRET, sipPassword } from '../../src/acd/sip-credentials.js';
import { parseConf, pjsipEndpoints, type ConfSection } from '../../sim/model/pjsip-config.js';

const PJSIP = readFileSync('asterisk-config/pjsip.conf', 'utf8');
const SECRET = 'a-test-agent-sip-secret-of-32-chars-or-more';
const run = promisify(execFile);

const typeOf = (s: ConfSection) => s.options.filter(([k]) => k === 'type').at(-1)?.[1];
/** A section's options as the last value of each key, without those naming the seat itself. */
function settings(s: ConfSection, name: string): Record<string, string> {
  const own = new Set(['auth', 'aors', 'callerid', 'username', 'password']);
  return Object.fromEntries(s.options.filter(([k, v]) => !own.has(k) && v !== name));
}

/** The shipped pjsip.conf with the generated file where its #include would put it (the end). */
function withSeats(generated: string): ConfSection[] {
  return parseConf(`${PJSIP}\n${generated}`);
}

describe('generate-agent-endpoints', () => {
  const csv = 'endpoint,display name\n\n# front desk\n3001,坐席3001\n3002, 王小明 \n';

  it('gives every seat an endpoint, an aor and an auth with the derived password, as the sample agents have', () => {
    const parsed = parseSeats(csv);
    expect(parsed).toEqual({ ok: true, seats: [{ endpoint: '3001', displayName: '坐席3001' }, { endpoint: '3002', displayName: '王小明' }] });
    if (!parsed.ok) return;
    const sections = withSeats(renderAgentEndpoints(parsed.seats, SECRET));
    const sample: Record<string, ConfSection> = Object.fromEntries(sections.filter((s) => s.name === '1001').map((s) => [typeOf(s), s]));
    for (const seat of parsed.seats) {
      const mine: Record<string, ConfSection> = Object.fromEntries(sections.filter((s) => s.name === seat.endpoint).map((s) => [typeOf(s), s]));
      expect(Object.keys(mine).sort()).toEqual(['aor', 'auth', 'endpoint']);
      const value = (type: string, key: string) => mine[type]!.options.filter(([k]) => k === key).at(-1)?.[1];
      expect(value('endpoint', 'auth')).toBe(seat.endpoint);
      expect(value('endpoint', 'aors')).toBe(seat.endpoint);
      expect(value('auth', 'username')).toBe(seat.endpoint);
      expect(value('auth', 'password')).toBe(sipPassword(seat.endpoint, SECRET));
      // Everything else exactly as the sample agent 1001 of pjsip.conf.
      for (const type of ['endpoint', 'auth', 'aor']) expect(settings(mine[type]!, seat.endpoint)).toEqual(settings(sample[type]!, '1001'));
    }
    const endpoints = pjsipEndpoints(`${PJSIP}\n${renderAgentEndpoints(parsed.seats, SECRET)}`);
    const seat3002 = endpoints.find((e) => e.name === '3002')!;
    expect(seat3002).toMatchObject({ context: 'agents', transport: 'transport-wss', webrtc: true, language: 'zh', callerId: { name: '王小明', number: '3002' }, staticContact: false });
    expect(seat3002.allow).toEqual(endpoints.find((e) => e.name === '1001')!.allow);
    expect(sipPassword('3001', SECRET)).not.toBe(sipPassword('3002', SECRET));
    expect(sipPassword('3001', SECRET)).not.toBe(sipPassword('3001', `${SECRET}-rotated`));
  });

  it('reports every bad line with its number, and refuses duplicates and names pjsip.conf uses', () => {
    const bad = ['3001,坐席3001', 'no comma here', 'bad name!,x', '3002,', '3003,a "quoted" name', '3004,坐席;3004', '3001,again', 'carrier,the trunk', '1001,sample'].join('\n');
    const parsed = parseSeats(bad, sectionNames(PJSIP));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.replace(/:.*/, ''))).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9']);
    expect(parsed.errors[5]).toContain('on line 1 already');
    expect(parsed.errors[6]).toContain('a section of pjsip.conf');
    expect(parseSeats('# nothing\n')).toEqual({ ok: false, errors: ['the seat list has no seats'] });
  });

  it('refuses to run without AGENT_SIP_SECRET, or with the public example secret, and writes nothing then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seats-'));
    const file = join(dir, 'seats.csv');
    writeFileSync(file, csv);
    const cli = (env: Record<string, string>, ...args: string[]) =>
      run('node_modules/.bin/tsx', ['scripts/generate-agent-endpoints.ts', ...args, file], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const without = await cli({});
    expect(without.code).toBe(2);
    expect(without.stdout).toBe('');
    expect(without.stderr).toContain('AGENT_SIP_SECRET must be set');
    const example = await cli({ AGENT_SIP_SECRET: EXAMPLE_SIP_SECRET });
    expect(example.code).toBe(2);
    expect(example.stderr).toContain('public example secret');
    const ok = await cli({ AGENT_SIP_SECRET: SECRET });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(renderAgentEndpoints([{ endpoint: '3001', displayName: '坐席3001' }, { endpoint: '3002', displayName: '王小明' }], SECRET));
  });

  it('reports a seat list or pjsip.conf it cannot read with exit code 2, as it reports bad lines', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'seats-')), 'missing.csv');
    const run = (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = main(args, { AGENT_SIP_SECRET: SECRET }, (t) => out.push(t), (t) => err.push(t));
      return { code, out: out.join(''), err: err.join('') };
    };
    for (const result of [run(missing), run('--not-in', missing, 'asterisk-config/seats.example.csv')]) {
      expect(result.code).toBe(2);
      expect(result.out).toBe('');
      expect(result.err).toContain(`${missing}: cannot be read (ENOENT)`);
    }
  });

  it('ships an example generated from the example seat list, none of its seats a section of pjsip.conf', () => {
    const parsed = parseSeats(readFileSync('asterisk-config/seats.example.csv', 'utf8'), sectionNames(PJSIP));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(readFileSync('asterisk-config/pjsip_agents.conf', 'utf8')).toBe(renderAgentEndpoints(parsed.seats, EXAMPLE_SIP_SECRET, { allowExample: true }));
  });
});
