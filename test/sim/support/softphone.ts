/**
 * A softphone for tests: SIP.js (the library the agents' browser pages use) running in
 * Node over `ws`, registering and calling through the simulator's `/ws`. Media, when a
 * call needs it, is a werift peer (test/sim/support/werift-sdh.ts).
 */
import { WebSocket } from 'ws';
import { Inviter, Registerer, RegistererState, UserAgent, type Invitation, type UserAgentOptions } from 'sip.js';
import { vi } from 'vitest';
import type { EventsClient } from './events-client.js';
import { weriftSdhFactory, type WeriftSdh } from './werift-sdh.js';

// Deadlines, not timings: ICE, DTLS and a cold werift take seconds on a loaded machine.
export const WAIT = { timeout: 30_000, interval: 20 };
export const TEST_DEADLINE = 90_000;

/** The first `type` event matching `pred`, waited for up to WAIT. */
export function eventWithin(ev: EventsClient, type: string, pred: (e: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return vi.waitFor(() => {
    const found = ev.frames.find((f) => f.type === type && pred(f));
    if (!found) throw new Error(`no ${type} yet; received ${ev.frames.map((f) => String(f.type)).join(', ')}`);
    return found;
  }, WAIT);
}

// SIP.js's WebSocket transport takes the browser's global WebSocket; Node 20 has none.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export interface SoftphoneOptions {
  server: string;
  endpoint: string;
  password: string;
}

export class Softphone {
  readonly ua: UserAgent;
  readonly registerer: Registerer;
  /** Final answers to our REGISTERs, in order. */
  readonly registerAnswers: number[] = [];
  /** INVITEs received, oldest first. */
  readonly invitations: Invitation[] = [];
  /** The media handlers (werift peers) of every call, in order. */
  readonly media: WeriftSdh[] = [];

  constructor(readonly o: SoftphoneOptions) {
    this.ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${o.endpoint}@sim.invalid`),
      transportOptions: { server: o.server, traceSip: false },
      authorizationUsername: o.endpoint,
      authorizationPassword: o.password,
      logBuiltinEnabled: false,
      delegate: { onInvite: (inv) => { this.invitations.push(inv); } },
      sessionDescriptionHandlerFactory: weriftSdhFactory(this.media),
    });
    this.registerer = new Registerer(this.ua, { expires: 600 });
  }

  async start(): Promise<void> {
    await this.ua.start();
  }

  /** Sends REGISTER; resolves with the final status of the exchange (200 or a refusal). */
  register(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.registerer.register({
        requestDelegate: {
          onAccept: (r) => { this.registerAnswers.push(r.message.statusCode ?? 0); resolve(r.message.statusCode ?? 0); },
          onReject: (r) => { this.registerAnswers.push(r.message.statusCode ?? 0); resolve(r.message.statusCode ?? 0); },
        },
      }).catch(reject);
    });
  }

  get registered(): boolean {
    return this.registerer.state === RegistererState.Registered;
  }

  unregister(): Promise<unknown> {
    return this.registerer.unregister();
  }

  /** Calls `number` (INVITE with a werift offer; a 401 is answered with the credentials). */
  call(number: string): Inviter {
    const inviter = new Inviter(this.ua, UserAgent.makeURI(`sip:${number}@sim.invalid`)!);
    void inviter.invite();
    return inviter;
  }

  /** Closes the WebSocket without unregistering (a closed tab) and every call's media. */
  async stop(): Promise<void> {
    await this.ua.stop();
    for (const m of this.media) m.close();
  }
}
