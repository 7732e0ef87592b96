/**
 * The registrar of the agents' WebSocket softphones: a REGISTER that authenticates binds
 * the endpoint's one contact (max_contacts=1, remove_existing=yes: a page reload replaces
 * the old binding) to the WebSocket it came on, which makes the endpoint online through the
 * registrations model (EndpointStateChange/PeerStatusChange/ContactStatusChange, s11).
 * Expires: 0, the binding's expiry, or the WebSocket closing removes it.
 */
import { register, unregister } from '../model/registrations.js';
import type { World } from '../model/world.js';
import { addrUri, header, headerParam, response, uriUser, type SipMessage } from './message.js';
import type { SipConnection } from './transport.js';

/** res_pjsip's aor defaults: default_expiration 3600, maximum 7200, minimum 60. */
const DEFAULT_EXPIRES = 3600;
const MAX_EXPIRES = 7200;
const MIN_EXPIRES = 60;

export interface LiveContact {
  endpoint: string;
  uri: string;
  conn: SipConnection;
  timer: NodeJS.Timeout;
}

export class Registrar {
  private readonly contacts = new Map<string, LiveContact>();

  constructor(private readonly world: World) {}

  contactOf(endpoint: string): LiveContact | undefined {
    const c = this.contacts.get(endpoint);
    return c?.conn.open ? c : undefined;
  }

  /** A REGISTER already authenticated as `user`. */
  handle(conn: SipConnection, req: SipMessage, user: string): void {
    const aor = uriUser(addrUri(header(req, 'to')));
    if (aor !== user) {
      conn.send(response(req, 403, 'Forbidden'));
      return;
    }
    const contactHeader = header(req, 'contact');
    const expiresHeader = header(req, 'expires');
    const asked = Number(headerParam(contactHeader, 'expires') ?? (expiresHeader === '' ? DEFAULT_EXPIRES : expiresHeader));
    if (!Number.isInteger(asked) || asked < 0) {
      conn.send(response(req, 400, 'Bad Request'));
      return;
    }
    if (asked === 0 || contactHeader.trim() === '*') {
      this.remove(user);
      conn.send(response(req, 200, 'OK', [['Date', new Date().toUTCString()]]));
      return;
    }
    if (contactHeader === '') {
      // A query for the bindings.
      const bound = this.contacts.get(user);
      conn.send(response(req, 200, 'OK', bound ? [['Contact', `<${bound.uri}>`]] : []));
      return;
    }
    if (asked < MIN_EXPIRES) {
      conn.send(response(req, 423, 'Interval Too Brief', [['Min-Expires', String(MIN_EXPIRES)]]));
      return;
    }
    const expires = Math.min(asked, MAX_EXPIRES);
    const uri = addrUri(contactHeader);
    if (!/^sips?:[^\s<>"]{1,256}$/.test(uri)) {
      conn.send(response(req, 400, 'Bad Request'));
      return;
    }
    const old = this.contacts.get(user);
    if (old) clearTimeout(old.timer);
    const timer = setTimeout(() => this.remove(user), expires * 1000);
    timer.unref();
    this.contacts.set(user, { endpoint: user, uri, conn, timer });
    register(this.world, user, uri);
    this.world.opts.log(`sip: ${user} registered from ${conn.remote} for ${expires}s`);
    conn.send(response(req, 200, 'OK', [['Contact', `<${uri}>;expires=${expires}`], ['Expires', String(expires)], ['Date', new Date().toUTCString()]]));
  }

  /** The WebSocket closed: its bindings go (a closed tab or a lost network). */
  dropConnection(conn: SipConnection): void {
    for (const c of [...this.contacts.values()]) if (c.conn === conn) this.remove(c.endpoint);
  }

  close(): void {
    for (const c of this.contacts.values()) clearTimeout(c.timer);
    this.contacts.clear();
  }

  private remove(endpoint: string): void {
    const c = this.contacts.get(endpoint);
    if (!c) return;
    clearTimeout(c.timer);
    this.contacts.delete(endpoint);
    unregister(this.world, endpoint);
    this.world.opts.log(`sip: ${endpoint} unregistered`);
  }
}
