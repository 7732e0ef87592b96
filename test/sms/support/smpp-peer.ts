/**
 * An SMSC for tests: a real SMPP 3.4 peer built with the `smpp` package's server. It binds
 * transceivers (checking system_id and password), answers submit_sm with a message id or
 * the status a test asked for, puts concatenated parts back together, sends delivery
 * receipts, sends citizens' texts (mobile-originated deliver_sm) and can drop every session.
 */
import type { AddressInfo } from 'node:net';
import smpp, { type Pdu, type Session } from 'smpp';
import { concatOf, textOf, type DecodedShortMessage } from '../../../src/sms/smpp/encoding.js';
import { receiptText } from '../../../src/sms/smpp/receipt-text.js';

export interface ReceivedText {
  to: string;
  from: string;
  text: string;
  dataCoding: number;
  parts: number;
  messageIds: string[];
}

export interface SmppPeer {
  readonly port: number;
  /** Whole texts received, long ones reassembled. */
  readonly texts: ReceivedText[];
  /** Every submit_sm answered OK (one per part). */
  submitted(): number;
  /** Sessions bound so far (a rebind adds one). */
  binds(): number;
  /** Answers submits to this number with this status (ESME_RINVDSTADR …). */
  refuse(to: string, status: number): void;
  /** Answers the next `n` submits with this status (ESME_RTHROTTLED, ESME_RSYSERR …). */
  failNext(n: number, status: number): void;
  /** Delivery receipts sent by themselves after each accepted part: the stat, or none. */
  autoReceipt: 'DELIVRD' | 'UNDELIV' | null;
  sendReceipt(messageId: string, stat: string): Promise<number>;
  /** A citizen's text; resolves with the deliver_sm_resp's command_status. */
  sendFromCitizen(from: string, text: string): Promise<number>;
  dropSessions(): void;
  close(): Promise<void>;
}

export async function startSmppPeer(credentials: { systemId: string; password: string }): Promise<SmppPeer> {
  const texts: ReceivedText[] = [];
  const refusals = new Map<string, number>();
  const partial = new Map<string, { parts: Map<number, { text: string; id: string }>; total: number; dataCoding: number }>();
  let failing = { n: 0, status: 0 };
  let submittedOk = 0;
  let binds = 0;
  let nextId = 1;
  const bound = new Set<Session>();

  const server = smpp.createServer({}, (session: Session) => {
    session.on('error', () => undefined);
    session.on('close', () => bound.delete(session));
    session.on('bind_transceiver', (pdu: Pdu) => {
      if (pdu.system_id !== credentials.systemId || pdu.password !== credentials.password) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        return;
      }
      binds++;
      bound.add(session);
      session.send(pdu.response({ system_id: 'test-smsc' }));
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: Pdu) => {
      if (!bound.has(session)) return void session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      const to = String(pdu.destination_addr);
      if (failing.n > 0) {
        failing.n--;
        return void session.send(pdu.response({ command_status: failing.status }));
      }
      const refusal = refusals.get(to);
      if (refusal !== undefined) return void session.send(pdu.response({ command_status: refusal }));
      const id = `smsc-${(nextId++).toString(16)}`;
      submittedOk++;
      session.send(pdu.response({ message_id: id }));
      collect(pdu, to, id);
      if (peer.autoReceipt) void deliver(session, { esm_class: 0x04, short_message: receiptText(id, peer.autoReceipt, new Date()), receipted_message_id: id, source_addr: to });
    });
  });

  function collect(pdu: Pdu, to: string, id: string): void {
    const sm = pdu.short_message as DecodedShortMessage;
    const text = textOf(sm);
    const dataCoding = Number(pdu.data_coding);
    const concat = concatOf(sm.udh);
    if (!concat) {
      texts.push({ to, from: String(pdu.source_addr), text, dataCoding, parts: 1, messageIds: [id] });
      return;
    }
    const key = `${to}:${concat.ref}`;
    const entry = partial.get(key) ?? { parts: new Map(), total: concat.total, dataCoding };
    entry.parts.set(concat.seq, { text, id });
    partial.set(key, entry);
    if (entry.parts.size < entry.total) return;
    partial.delete(key);
    const ordered = Array.from({ length: entry.total }, (_, i) => entry.parts.get(i + 1)!);
    texts.push({ to, from: String(pdu.source_addr), text: ordered.map((p) => p.text).join(''), dataCoding, parts: entry.total, messageIds: ordered.map((p) => p.id) });
  }

  function deliver(session: Session, fields: Record<string, unknown>): Promise<number> {
    return new Promise((resolve, reject) => {
      const sent = session.deliver_sm({ destination_addr: '12345', ...fields }, (resp: Pdu) => resolve(resp.command_status));
      if (!sent) reject(new Error('no writable session'));
    });
  }

  function anySession(): Session {
    const session = [...bound][0];
    if (!session) throw new Error('no bound session');
    return session;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer: SmppPeer = {
    port: (server.address() as AddressInfo).port,
    texts,
    autoReceipt: 'DELIVRD',
    submitted: () => submittedOk,
    binds: () => binds,
    refuse: (to, status) => void refusals.set(to, status),
    failNext: (n, status) => void (failing = { n, status }),
    sendReceipt: (messageId, stat) => deliver(anySession(), { esm_class: 0x04, short_message: receiptText(messageId, stat, new Date()) }),
    sendFromCitizen: (from, text) => deliver(anySession(), { source_addr: from, esm_class: 0, short_message: text }),
    dropSessions() {
      for (const session of server.sessions) session.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of server.sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
  return peer;
}
