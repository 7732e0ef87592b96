/**
 * deploy/kamailio/kamailio.cfg as the agents' front: a browser's WebSocket registration is
 * checked against the password the service derives for the seat (src/acd/sip-credentials.ts),
 * and either node reaches the registered agent by sending `INVITE sip:<seat>@kamailio` (what
 * Asterisk sends for PJSIP/<seat>@kamailio-agents); a seat not registered is refused with 480.
 * The nodes here are UDP sockets that answer Kamailio's probes and note what reaches them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sipPassword } from '../../src/acd/sip-credentials.js';
import { freeSipPort, missingBinaries, startKamailio, until, type KamailioLab } from './sip-lab.js';

const missing = missingBinaries();
const title = missing.length
  ? `deploy/kamailio agents (SKIPPED: ${missing.join(' and ')} not installed; apt-get install kamailio kamailio-websocket-modules sip-tester)`
  : 'deploy/kamailio: agents register over WebSocket and are reached from every node';

const SECRET = randomBytes(33).toString('base64');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const header = (message: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(message)?.[1]?.trim();
const headers = (message: string, name: string) => [...message.matchAll(new RegExp(`^${name}:.*$`, 'gim'))].map((m) => m[0]);

interface Node {
  socket: Socket;
  port: number;
  received: string[];
}

async function node(): Promise<Node> {
  const port = await freeSipPort();
  const socket = createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (data, from) => {
    const message = data.toString();
    if (message.startsWith('OPTIONS ')) {
      socket.send(reply(message, '200 OK'), from.port, from.address);
    } else {
      received.push(message);
    }
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return { socket, port, received };
}

function reply(request: string, status: string, toTag = ''): string {
  const to = header(request, 'To')!;
  return [`SIP/2.0 ${status}`, ...headers(request, 'Via'), `From: ${header(request, 'From')}`, `To: ${to}${toTag && !to.includes('tag=') ? `;tag=${toTag}` : ''}`, `Call-ID: ${header(request, 'Call-ID')}`, `CSeq: ${header(request, 'CSeq')}`, 'Content-Length: 0', '', ''].join('\r\n');
}

function invite(fromNode: Node, seat: string, sipPort: number): string {
  const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
  return [
    `INVITE sip:${seat}@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${fromNode.port};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:13912345678@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:${seat}@127.0.0.1>`,
    `Call-ID: ${randomBytes(8).toString('hex')}@node`,
    'CSeq: 1 INVITE',
    `Contact: <sip:asterisk@127.0.0.1:${fromNode.port}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** A browser's SIP over WebSocket (RFC 7118): one message per frame. */
class Browser {
  readonly received: string[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(data.toString()));
  }

  static async open(port: number): Promise<Browser> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, 'sip');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Browser(ws);
  }

  async request(message: string, cseq: string): Promise<string> {
    const from = this.received.length;
    this.ws.send(message);
    return until(`an answer to ${cseq}`, () => this.received.slice(from).find((m) => m.startsWith('SIP/2.0 ') && !m.startsWith('SIP/2.0 100') && header(m, 'CSeq') === cseq));
  }

  register(seat: string, cseq: number, authorization?: string): Promise<string> {
    const message = [
      `REGISTER sip:hotline.test SIP/2.0`,
      `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `From: <sip:${seat}@hotline.test>;tag=browser${seat}`,
      `To: <sip:${seat}@hotline.test>`,
      `Call-ID: register-${seat}@browser`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:x${seat}@df7jal23ls0d.invalid;transport=ws>;expires=600`,
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    return this.request(message, `${cseq} REGISTER`);
  }
}

function digest(challenge: string, seat: string, password: string): string {
  const realm = /realm="([^"]+)"/.exec(challenge)![1]!;
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const uri = 'sip:hotline.test';
  const ha1 = md5(`${seat}:${realm}:${password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  if (/qop="?[^"]*auth/.test(challenge)) {
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
    return `Digest username="${seat}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`;
  }
  return `Digest username="${seat}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}", algorithm=MD5`;
}

describe.skipIf(missing.length > 0)(title, () => {
  let lab: KamailioLab | undefined;
  const nodes: Node[] = [];
  let browser: Browser | undefined;
  afterEach(async () => {
    browser?.ws.close();
    for (const n of nodes.splice(0)) n.socket.close();
    await lab?.close();
    lab = undefined;
  });

  it('registers a seat with its derived password only, and rings it from either node', async () => {
    nodes.push(await node(), await node());
    const [nodeA, nodeB] = nodes as [Node, Node];
    lab = await startKamailio([nodeA.port, nodeB.port], { AGENT_SIP_SECRET: `"${SECRET}"`, DS_PING_INTERVAL: 1, FR_TIMER: 1000 });
    browser = await Browser.open(lab.wsPort);

    const challenge = await browser.register('2001', 1);
    expect(challenge).toMatch(/^SIP\/2\.0 401 /);
    const wwwAuthenticate = header(challenge, 'WWW-Authenticate')!;
    const refused = await browser.register('2001', 2, digest(wwwAuthenticate, '2001', sipPassword('2002', SECRET)));
    expect(refused).toMatch(/^SIP\/2\.0 401 /);
    const registered = await browser.register('2001', 3, digest(wwwAuthenticate, '2001', sipPassword('2001', SECRET)));
    expect(registered, lab.log().slice(-2000)).toMatch(/^SIP\/2\.0 200 /);

    for (const [from, name] of [[nodeA, 'A'], [nodeB, 'B']] as const) {
      const before = browser.received.length;
      const sent = invite(from, '2001', lab.sipPort);
      from.socket.send(sent, lab.sipPort, '127.0.0.1');
      const atBrowser = await until(`node ${name}'s INVITE at the browser`, () => browser!.received.slice(before).find((m) => m.startsWith('INVITE ') && header(m, 'Call-ID') === header(sent, 'Call-ID'))).catch((err: Error) => {
        throw new Error(`${err.message}; node got: ${from.received.join('\n---\n')}\nkamailio: ${lab!.log().slice(-3000)}`);
      });
      // To the contact the browser registered, over its WebSocket.
      expect(atBrowser).toMatch(/^INVITE sip:x2001@df7jal23ls0d\.invalid;transport=ws/);
      expect(headers(atBrowser, 'Record-Route').length).toBeGreaterThan(0);
      browser.ws.send(reply(atBrowser, '486 Busy Here', 'browser'));
      await until(`the agent's 486 back at node ${name}`, () => from.received.find((m) => m.startsWith('SIP/2.0 486') && header(m, 'Call-ID') === header(sent, 'Call-ID')));
    }

    const unregistered = invite(nodeA, '2002', lab.sipPort);
    nodeA.socket.send(unregistered, lab.sipPort, '127.0.0.1');
    await until('480 for a seat not registered', () => nodeA.received.find((m) => m.startsWith('SIP/2.0 480') && header(m, 'Call-ID') === header(unregistered, 'Call-ID')));
  });
});
