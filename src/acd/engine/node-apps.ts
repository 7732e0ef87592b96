/**
 * Which Stasis apps live on this instance's Asterisk node: the truth is that Asterisk's own
 * `GET /applications` (the apps a WebSocket holds there now). A pick naming one of them is
 * originated here, as on one node (several slots of one Asterisk reach each other's apps
 * through it); a pick naming any other app is handed to that app's instance (offer-handoff.ts).
 *
 * Read on demand and kept: a pick naming an app not in the last list reads the list again,
 * at most once per `rereadMs` (an app of this node that registered since is found at its
 * first pick; one of another node costs one read per window, not one per pick). Concurrent
 * questions share one read. A list that cannot be read (Asterisk away) answers "not known
 * here", which hands the pick off: a hand-off reaches the app wherever it is, the direct path
 * only when it is here.
 */
export interface NodeAppsOptions {
  /** This instance's own app: always here. */
  own: string;
  /** The app names of this node's Asterisk (`GET /applications`); absent: every app counts as here (one node). */
  list?: () => Promise<string[]>;
  now: () => number;
  rereadMs?: number;
}

export class NodeApps {
  private known = new Set<string>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(private readonly options: NodeAppsOptions) {}

  /** Whether the app holding a caller is on this node ('' means the pick did not say: here). */
  async isHere(app: string): Promise<boolean> {
    if (!app || app === this.options.own || !this.options.list) return true;
    if (this.known.has(app)) return true;
    if (this.options.now() - this.readAt >= (this.options.rereadMs ?? 1000)) await this.read();
    return this.known.has(app);
  }

  /** The apps of the last list read (operators' view, tests). */
  get apps(): readonly string[] {
    return [...this.known];
  }

  private read(): Promise<void> {
    this.reading ??= (async () => {
      try {
        this.known = new Set(await this.options.list!());
      } catch {
        // Asterisk away: what was known stays; the unknown app is handed off.
      } finally {
        this.readAt = this.options.now();
        this.reading = null;
      }
    })();
    return this.reading;
  }
}
