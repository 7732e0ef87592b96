/**
 * What browsers need from the shipped Asterisk config: TLS on the HTTP server for WSS (as
 * documented placeholders, the key outside the config directory), room in its session limit, a web callers' context that
 * reaches 12345 and nothing else, no public STUN server in rtp.conf by default, and the lab
 * certificate script making a pair that belongs together and names the host.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConf, type ConfSection } from '../../sim/model/pjsip-config.js';
import { DIRECT_REST_SOCKETS } from '../../src/ari/direct-rest.js';

const read = (file: string) => readFileSync(`asterisk-config/${file}`, 'utf8');
/** Lines that take effect: not comments, not blank. */
const active = (text: string) => text.split('\n').map((l) => l.replace(/;.*$/, '').trim()).filter(Boolean);
/** An option's value as Asterisk reads it: the section's own line over the template's. */
const option = (section: ConfSection | undefined, key: string) => section?.options.filter(([k]) => k === key).at(-1)?.[1];
/** The lines of one `[context]` of extensions.conf. */
function context(text: string, name: string): string[] {
  const lines = active(text);
  const start = lines.indexOf(`[${name}]`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('['));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('WebRTC in asterisk-config', () => {
  it('http.conf documents the TLS listener for wss://<host>:8089/ws, with the key outside the config directory', () => {
    const http = read('http.conf');
    for (const line of ['tlsenable = yes', 'tlsbindaddr = 0.0.0.0:8089', 'tlscertfile = /etc/asterisk-keys/asterisk.crt', 'tlsprivatekey = /etc/asterisk-keys/asterisk.key']) {
      expect(http).toContain(`;${line}`);
    }
    // The plain listener stays for ARI on the private network.
    expect(active(http)).toContain('bindport = 8088');
  });

  it("http.conf's session limit holds two service instances' sockets and a 300-seat centre's browsers", () => {
    // Asterisk refuses HTTP connections past `sessionlimit` (100 when unset): the agents'
    // WebSockets and the calls' requests would fail under load.
    const limit = Number(active(read('http.conf')).find((l) => l.startsWith('sessionlimit'))?.split('=')[1]);
    // Each instance: its direct sockets, ari-client's own and the event socket.
    expect(limit).toBeGreaterThanOrEqual(2 * (DIRECT_REST_SOCKETS + 2) + 300);
  });

  it('the web callers reach 12345 through the hotline entry and are refused anything else', () => {
    expect(context(read('extensions.conf'), 'from-web')).toEqual([
      'exten => 12345,1,Goto(hotline-entry,${EXTEN},1)',
      'exten => _X.,1,Hangup(21)',
      'exten => i,1,Hangup(21)',
    ]);
    const sections = parseConf(read('pjsip.conf')).filter((s) => s.name === 'webcall');
    const endpoint = sections.find((s) => option(s, 'type') === 'endpoint');
    expect(option(endpoint, 'context')).toBe('from-web');
    expect(option(endpoint, 'webrtc')).toBe('yes');
    expect(option(sections.find((s) => option(s, 'type') === 'aor'), 'max_contacts')).toBe('0');
  });

  it('rtp.conf asks no STUN server by default', () => {
    const rtp = read('rtp.conf');
    expect(active(rtp).filter((l) => /^(stunaddr|turnaddr)\s*=/.test(l))).toEqual([]);
    expect(active(rtp)).toContain('icesupport = yes');
  });

  it('make-lab-cert.sh writes a certificate naming the host and the key that belongs to it, the key private', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-cert-'));
    try {
      execFileSync('scripts/make-lab-cert.sh', ['pbx.lab.example', dir], { stdio: 'pipe' });
      const cert = join(dir, 'asterisk.crt');
      const key = join(dir, 'asterisk.key');
      const san = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' });
      expect(san).toContain('DNS:pbx.lab.example');
      const certKey = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-pubkey'], { encoding: 'utf8' });
      const ownKey = execFileSync('openssl', ['pkey', '-in', key, '-pubout'], { encoding: 'utf8' });
      expect(certKey).toBe(ownKey);
      expect(statSync(key).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
