/**
 * Real SIP processes for the deployment tests: Kamailio (Debian's package) started with
 * deploy/kamailio/kamailio.cfg on free local ports and a runtime directory of the test's own,
 * SIPp processes standing in for the Asterisk nodes (UAS) and for the carrier (UAC).
 * Everything a lab starts is stopped by close(); the SIPp nodes log every message they get, so
 * a test counts the calls each one received.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KAMAILIO_CFG = join(import.meta.dirname, '../../deploy/kamailio/kamailio.cfg');
export const SCENARIOS = join(import.meta.dirname, 'sipp');

/** The binaries the tests need and do not find on the PATH. */
export function missingBinaries(): string[] {
  return ['kamailio', 'sipp'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
}

/** A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both). */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await tcpFree(port)) && (await udpFree(port))) return port;
  }
  throw new Error('no free port for SIP');
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes, then fails with `what`. */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SippNode {
  readonly port: number;
  readonly uri: string;
  /** INVITEs this node has received so far. */
  invites(): number;
  stop(): Promise<void>;
}

export interface KamailioLab {
  readonly dir: string;
  readonly sipPort: number;
  readonly wsPort: number;
  /** Kamailio's log (stderr) so far, for failure messages. */
  log(): string;
  /** The dispatcher's state flags of a node (`AP` active and probed, `IP` inactive...). */
  nodeFlags(uri: string): string | undefined;
  /** Starts a SIPp UAS on `port` with a scenario of test/deploy/sipp. */
  node(port: number, scenario: 'node-uas.xml' | 'node-uas-no-probes.xml'): SippNode;
  /** Places `count` calls to 12345 from the carrier's side; resolves with SIPp's exit code and output. */
  call(count: number): Promise<{ code: number | null; output: string }>;
  close(): Promise<void>;
}

/** Starts Kamailio with the config's settings set by -A defines; resolves once its RPC answers. */
export async function startKamailio(nodePorts: number[], defines: Record<string, string | number> = {}): Promise<KamailioLab> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-kamailio-'));
  const children = new Set<ChildProcess>();
  const [sipPort, wsPort, uacPort] = [await freeSipPort(), await freeSipPort(), await freeSipPort()];
  const dsList = join(dir, 'dispatcher.list');
  writeFileSync(dsList, nodePorts.map((p, i) => `1 sip:127.0.0.1:${p} 0 0 duid=node-${i + 1}\n`).join(''));
  const ctl = `unix:${join(dir, 'ctl')}`;
  const settings: Record<string, string | number> = {
    SIP_ADDR: '127.0.0.1',
    SIP_PORT: sipPort,
    WS_PORT: wsPort,
    DISPATCHER_LIST: `"${dsList}"`,
    CTL_SOCKET: `"${ctl}"`,
    CARRIER_NET: '"127.0.0.0/8"',
    ...defines,
  };
  const args = ['-DD', '-E', '-f', KAMAILIO_CFG, '-Y', dir, '-P', join(dir, 'kamailio.pid'), '-m', '64', '-M', '8'];
  for (const [name, value] of Object.entries(settings)) args.push('-A', `${name}=${value}`);
  let log = '';
  const kamailio = spawn('kamailio', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(kamailio);
  kamailio.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));

  function rpc(command: string): string | undefined {
    const result = spawnSync('kamcmd', ['-s', ctl, command], { encoding: 'utf8', timeout: 5_000 });
    return result.status === 0 ? result.stdout : undefined;
  }

  async function stopChild(child: ChildProcess): Promise<void> {
    children.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  const lab: KamailioLab = {
    dir,
    sipPort,
    wsPort,
    log: () => log,
    nodeFlags(uri) {
      const list = rpc('dispatcher.list');
      const escaped = uri.replace(/[.:]/g, (c) => `\\${c}`);
      return list ? new RegExp(`URI: ${escaped}\\s+FLAGS: (\\w+)`).exec(list)?.[1] : undefined;
    },
    node(port, scenario) {
      const messages = join(dir, `node-${port}-${children.size}.log`);
      const child = spawn('sipp', ['-sf', join(SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(port), '-nostdin', '-trace_msg', '-message_file', messages], { stdio: 'ignore' });
      children.add(child);
      return {
        port,
        uri: `sip:127.0.0.1:${port}`,
        invites: () => (existsSync(messages) ? (readFileSync(messages, 'utf8').match(/^INVITE sip:/gm) ?? []).length : 0),
        stop: () => stopChild(child),
      };
    },
    call(count) {
      const uac = spawn('sipp', [`127.0.0.1:${sipPort}`, '-sf', join(SCENARIOS, 'citizen-uac.xml'), '-s', '12345', '-i', '127.0.0.1', '-p', String(uacPort), '-m', String(count), '-l', '1', '-r', '50', '-nostdin', '-timeout', '15s', '-timeout_error'], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(uac);
      let output = '';
      uac.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      uac.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      return new Promise((resolve) => uac.once('exit', (code) => { children.delete(uac); resolve({ code, output }); }));
    },
    async close() {
      await Promise.all([...children].map(stopChild));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await until('Kamailio to start and answer RPC', () => {
      if (kamailio.exitCode !== null) throw new Error(`kamailio exited with code ${kamailio.exitCode}:\n${log.slice(-3000)}`);
      return rpc('core.uptime') ? true : undefined;
    });
  } catch (err) {
    await lab.close();
    throw err;
  }
  return lab;
}
