/**
 * The event side of ARI: who is connected for which app, and the delivery of each event
 * to exactly the apps that would hear it from Asterisk (one copy per app, `application`
 * set to that app), plus a log the tests read.
 */
import type { WebSocket } from 'ws';
import { ASTERISK_ID, asteriskTimestamp } from './format.js';

export interface EventConnection { ws: WebSocket; apps: ReadonlySet<string> }

export interface LoggedEvent { app: string; event: Record<string, unknown> }

export class EventHub {
  private readonly connections = new Set<EventConnection>();
  private readonly logged: LoggedEvent[] = [];
  /** Apps in the order they first registered, as `GET /applications` lists them. */
  private readonly appOrder: string[] = [];

  constructor(private readonly log: (line: string) => void) {}

  add(conn: EventConnection): void {
    this.connections.add(conn);
    for (const app of conn.apps) if (!this.appOrder.includes(app)) this.appOrder.push(app);
  }

  remove(conn: EventConnection): void {
    this.connections.delete(conn);
  }

  /** Apps with at least one open event WebSocket: Asterisk's registered Stasis apps. */
  registeredApps(): string[] {
    const live = new Set<string>();
    for (const c of this.connections) for (const a of c.apps) live.add(a);
    return this.appOrder.filter((a) => live.has(a));
  }

  isRegistered(app: string): boolean {
    for (const c of this.connections) if (c.apps.has(app)) return true;
    return false;
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
    const text = JSON.stringify(event);
    for (const c of this.connections) {
      if (c.apps.has(app) && c.ws.readyState === 1) c.ws.send(text);
    }
    this.log(`event ${String(event.type)} -> ${app}`);
  }
}
