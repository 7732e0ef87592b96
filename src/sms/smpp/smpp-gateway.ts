/**
 * The SMS gateway over SMPP 3.4 to an operator's SMSC, with the `smpp` package as the wire.
 *
 * One bind_transceiver session carries submits, delivery receipts and the citizens' texts.
 * enquire_link keeps it alive and tells a dead link (no answer within two periods); after a
 * drop it binds again with a doubling backoff. Submits wait for a bind at most the response
 * timeout, then fail as transient. A long text goes as concatenated parts, one submit_sm
 * each (see encoding.ts); it has one message id per part.
 *
 * A deliver_sm is answered only after its handler finished: a handler that throws answers
 * ESME_RX_T_APPN, and the SMSC delivers it again.
 */
import type { Logger } from 'pino';
import smpp, { type Pdu, type Session } from 'smpp';
import { backoffMs } from '../../shared/backoff.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { SmsConfig } from '../config-schema.js';
import type { DeliveryReceipt, GatewayHandler, InboundSms, OutgoingSms, SmsGateway, SubmitResult } from '../ports/sms-gateway.js';
import { concatOf, encodeText, textOf, type DecodedShortMessage } from './encoding.js';
import { isDeliveryReceipt, parseReceipt } from './receipt-text.js';
import { failureOf, statusName } from './status-codes.js';

export type SmppGatewayConfig = Extract<SmsConfig['gateway'], { kind: 'smpp' }>;

/** Parts of a citizen's long text wait this long for the rest. */
const REASSEMBLY_MS = 60_000;

export class SmppGateway implements SmsGateway {
  readonly name = 'smpp';
  private session: Session | null = null;
  private bound = false;
  private stopped = false;
  private rebinds = 0;
  private lastError: string | null = null;
  private reference = Math.floor(Math.random() * 256);
  private enquireTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireAnsweredAt = 0;
  private bindWaiters: Array<() => void> = [];
  private receiptHandler: GatewayHandler<DeliveryReceipt> = async () => undefined;
  private inboundHandler: GatewayHandler<InboundSms> = async () => undefined;
  private readonly partial = new Map<string, { parts: Map<number, string>; total: number; firstAt: number }>();

  constructor(
    private readonly config: SmppGatewayConfig,
    private readonly password: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopEnquiring();
    const session = this.session;
    this.session = null;
    this.bound = false;
    if (!session || session.socket.destroyed) return;
    // Unbind politely; a peer that does not answer is cut off. Resolves once the socket is closed.
    await new Promise<void>((resolve) => {
      session.socket.once('close', () => resolve());
      const timer = setTimeout(() => session.destroy(), 500);
      const sent = session.unbind({}, () => {
        clearTimeout(timer);
        session.close();
      });
      if (!sent) {
        clearTimeout(timer);
        session.destroy();
      }
    });
  }

  onReceipt(handler: GatewayHandler<DeliveryReceipt>): void {
    this.receiptHandler = handler;
  }

  onInbound(handler: GatewayHandler<InboundSms>): void {
    this.inboundHandler = handler;
  }

  unreadiness(): string | null {
    if (this.bound) return null;
    return `SMPP not bound to ${this.config.host}:${this.config.port}${this.lastError ? ` (${this.lastError})` : ''}`;
  }

  /** Resolves once bound (the bench and tests wait on it). */
  whenBound(): Promise<void> {
    return this.bound ? Promise.resolve() : new Promise((resolve) => this.bindWaiters.push(resolve));
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    if (!this.bound) {
      try {
        await withTimeout(this.whenBound(), this.config.responseTimeoutMs, 'SMPP bind');
      } catch {
        return { ok: false, failure: { kind: 'transient', code: 'not-bound', detail: this.unreadiness() ?? 'not bound' } };
      }
    }
    const parts = encodeText(message.text, this.reference++ & 0xff);
    const to = message.to.replace(/^\+/, '');
    const messageIds: string[] = [];
    for (const part of parts) {
      const session = this.session;
      if (!session || !this.bound) return { ok: false, failure: { kind: 'transient', code: 'not-bound', detail: 'the SMPP session dropped mid-text' } };
      let resp: Pdu;
      try {
        resp = await withTimeout(
          new Promise<Pdu>((resolve, reject) => {
            const sent = session.submit_sm(
              {
                source_addr_ton: 0,
                source_addr_npi: 1,
                source_addr: this.config.sourceAddress,
                dest_addr_ton: message.to.startsWith('+') ? 1 : 0,
                dest_addr_npi: 1,
                destination_addr: to,
                esm_class: part.esmClass,
                registered_delivery: 1,
                data_coding: part.dataCoding,
                short_message: part.shortMessage,
              },
              resolve,
            );
            if (!sent) reject(new Error('the SMPP socket is not writable'));
          }),
          this.config.responseTimeoutMs,
          'submit_sm',
        );
      } catch (err) {
        return { ok: false, failure: { kind: 'transient', code: 'no-response', detail: err instanceof Error ? err.message : String(err) } };
      }
      if (resp.command_status !== smpp.ESME_ROK) return { ok: false, failure: failureOf(resp.command_status) };
      messageIds.push(String(resp.message_id));
    }
    return { ok: true, messageIds };
  }

  private connect(): void {
    if (this.stopped) return;
    const session = smpp.connect({ host: this.config.host, port: this.config.port });
    this.session = session;
    session.on('connect', () => {
      session.bind_transceiver(
        { system_id: this.config.systemId, password: this.password, system_type: this.config.systemType, interface_version: 0x34 },
        (pdu) => {
          if (pdu.command_status !== smpp.ESME_ROK) {
            this.lastError = `bind refused: ${statusName(pdu.command_status)}`;
            this.log.error({ status: statusName(pdu.command_status) }, 'SMPP bind refused');
            session.destroy();
            return;
          }
          this.bound = true;
          this.lastError = null;
          if (this.rebinds > 0) this.log.info({ after: this.rebinds }, 'SMPP bound again');
          this.rebinds = 0;
          this.startEnquiring(session);
          for (const waiter of this.bindWaiters.splice(0)) waiter();
        },
      );
    });
    session.on('error', (err: Error) => {
      this.lastError = err.message;
      if (this.rebinds === 0) this.log.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'SMPP connection error');
    });
    session.on('close', () => {
      if (this.session !== session) return;
      this.bound = false;
      this.stopEnquiring();
      if (this.stopped) return;
      this.rebinds++;
      const wait = backoffMs(this.rebinds, this.config.rebind.firstMs, this.config.rebind.maxMs);
      if (this.rebinds === 1) this.log.warn({ waitMs: wait }, 'SMPP session closed; binding again');
      this.reconnectTimer = setTimeout(() => this.connect(), wait);
    });
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: Pdu) => void this.delivered(session, pdu));
  }

  private startEnquiring(session: Session): void {
    this.enquireAnsweredAt = Date.now();
    this.enquireTimer = setInterval(() => {
      if (Date.now() - this.enquireAnsweredAt > 2 * this.config.enquireLinkMs + this.config.responseTimeoutMs) {
        this.log.warn('SMPP link silent: enquire_link unanswered; dropping the session');
        session.destroy();
        return;
      }
      session.enquire_link({}, () => {
        this.enquireAnsweredAt = Date.now();
      });
    }, this.config.enquireLinkMs);
  }

  private stopEnquiring(): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
  }

  private async delivered(session: Session, pdu: Pdu): Promise<void> {
    const esmClass = Number(pdu.esm_class ?? 0);
    const text = textOf(pdu.short_message) || textOf(pdu.message_payload);
    let status = smpp.ESME_ROK;
    try {
      if (isDeliveryReceipt(esmClass)) {
        const receipt = parseReceipt(text, { receiptedMessageId: pdu.receipted_message_id, messageState: pdu.message_state });
        if (receipt) await this.receiptHandler({ ...receipt, at: new Date().toISOString() });
        else this.log.warn('SMPP delivery receipt without a message id or state: ignored');
      } else {
        const whole = this.reassemble(String(pdu.source_addr ?? ''), (pdu.short_message as DecodedShortMessage | undefined)?.udh, text);
        if (whole !== null) await this.inboundHandler({ from: String(pdu.source_addr ?? ''), to: String(pdu.destination_addr ?? ''), text: whole, receivedAt: new Date().toISOString() });
      }
    } catch (err) {
      status = smpp.ESME_RX_T_APPN;
      this.log.warn({ err }, 'SMPP deliver_sm handler failed: answered ESME_RX_T_APPN so the SMSC delivers it again');
    }
    session.send(pdu.response({ command_status: status }));
  }

  /** A citizen's long text is handed on whole, once its last part is in. */
  private reassemble(from: string, udh: Buffer[] | undefined, text: string): string | null {
    const concat = concatOf(udh);
    if (!concat) return text;
    const now = Date.now();
    for (const [key, entry] of this.partial) if (now - entry.firstAt > REASSEMBLY_MS) this.partial.delete(key);
    const key = `${from}:${concat.ref}`;
    const entry = this.partial.get(key) ?? { parts: new Map<number, string>(), total: concat.total, firstAt: now };
    entry.parts.set(concat.seq, text);
    this.partial.set(key, entry);
    if (entry.parts.size < entry.total) return null;
    this.partial.delete(key);
    return Array.from({ length: entry.total }, (_, i) => entry.parts.get(i + 1) ?? '').join('');
  }
}
