/**
 * The event side of ARI: who is connected for which app, and the delivery of each event
 * to exactly the apps that would hear it from Asterisk (one copy per app, `application`
 * set to that app), plus a log the tests read.
 *
 * An app has one WebSocket at a time (s17): a second connection for the same name takes
 * it over, the first gets ApplicationReplaced and, its socket still open, hears nothing
 * more; when the connection holding the app goes, the app is gone, whoever else is open.
 */
import type { WebSocket } from 'ws';
import { ASTERISK_ID, asteriskTimestamp } from './format.js';

export interface EventConnection { ws: WebSocket; apps: ReadonlySet<string> }

export interface LoggedEvent { app: string; event: Record<string, unknown> }

export class EventHub {
  private readonly connections = new Set<EventConnection>();
  /** The connection each registered app's events go to. */
  private readonly holders = new Map<string, EventConnection>();
  private readonly logged: LoggedEvent[] = [];
  /** Apps in the order they first registered, as `GET /applications` lists them. */
  private readonly appOrder: string[] = [];

  constructor(private readonly log: (line: string) => void) {}

  add(conn: EventConnection): void {
    this.connections.add(conn);
    for (const app of conn.apps) {
      const before = this.holders.get(app);
      if (before && before !== conn) this.replaced(before, app);
      this.holders.set(app, conn);
      if (!this.appOrder.includes(app)) this.appOrder.push(app);
    }
  }

  remove(conn: EventConnection): void {
    this.connections.delete(conn);
    for (const [app, holder] of [...this.holders]) if (holder === conn) this.holders.delete(app);
  }

  /** Apps whose connection is open: Asterisk's registered Stasis apps. */
  registeredApps(): string[] {
    return this.appOrder.filter((a) => this.holders.has(a));
  }

  isRegistered(app: string): boolean {
    return this.holders.has(app);
  }

  allConnections(): EventConnection[] {
    return [...this.connections];
  }

  /** Forgets registrations, as a restarted Asterisk does. */
  resetRegistrations(): void {
    this.appOrder.length = 0;
  }

  /**
   * Sends one event to `apps`. `pre` fields come before `type` in the JSON, as Asterisk
   * writes them for ChannelHangupRequest and ChannelVarset.
   */
  emit(apps: Iterable<string>, type: string, fields: Record<string, unknown>, pre: Record<string, unknown> = {}): void {
    const timestamp = asteriskTimestamp();
    for (const app of new Set(apps)) {
      const event = { ...pre, type, timestamp, ...fields, asterisk_id: ASTERISK_ID, application: app };
      this.deliver(app, event);
    }
  }

  /** Sends any frame as is to every connection (for event types ari-client does not know). */
  emitRaw(frame: object): void {
    const text = JSON.stringify(frame);
    for (const c of this.connections) c.ws.send(text);
    this.logged.push({ app: '*', event: { ...frame } as Record<string, unknown> });
  }

  events(): readonly LoggedEvent[] {
    return this.logged;
  }

  clearLog(): void {
    this.logged.length = 0;
  }

  private deliver(app: string, event: Record<string, unknown>): void {
    this.logged.push({ app, event });
    const holder = this.holders.get(app);
    if (holder && holder.ws.readyState === 1) holder.ws.send(JSON.stringify(event));
    this.log(`event ${String(event.type)} -> ${app}`);
  }

  /** Tells a connection it lost `app` to a newer one; nothing else reaches it for that app. */
  private replaced(conn: EventConnection, app: string): void {
    const event = { type: 'ApplicationReplaced', timestamp: asteriskTimestamp(), application: app, asterisk_id: ASTERISK_ID };
    this.logged.push({ app, event });
    if (conn.ws.readyState === 1) conn.ws.send(JSON.stringify(event));
    this.log(`event ApplicationReplaced -> ${app} (older connection)`);
  }
}
