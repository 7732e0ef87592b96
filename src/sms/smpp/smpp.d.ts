/**
 * The part of the `smpp` package (node-smpp 0.5, untyped) the SMS gateway and its test peer
 * use: sessions (client and server side), PDUs as plain fields, the command status codes.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): Pdu;
  }

  export class Session extends EventEmitter {
    constructor(options: Record<string, unknown>);
    send(pdu: Pdu, responseCallback?: (pdu: Pdu) => void, sendCallback?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: (pdu: Pdu) => void): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: (pdu: Pdu) => void): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: (pdu: Pdu) => void): boolean;
    enquire_link(options?: Record<string, unknown>, responseCallback?: (pdu: Pdu) => void): boolean;
    unbind(options?: Record<string, unknown>, responseCallback?: (pdu: Pdu) => void): boolean;
    readonly socket: import('node:net').Socket;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export const PDU: new (command: string, options?: Record<string, unknown>) => Pdu;

  export function connect(options: { host: string; port: number; [option: string]: unknown }, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;

  export const ESME_ROK: number;
  export const ESME_RINVMSGLEN: number;
  export const ESME_RINVBNDSTS: number;
  export const ESME_RINVDSTADR: number;
  export const ESME_RINVSRCADR: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RINVPASWD: number;
  export const ESME_RINVSYSID: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RSYSERR: number;
  export const ESME_RSUBMITFAIL: number;
  export const ESME_RX_T_APPN: number;
  export const errors: Record<string, number>;
}
