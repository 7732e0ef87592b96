/**
 * One supervision this instance runs: its record, the call it joins, and the snoop it holds
 * now. Snoops are numbered: each switch between listen and whisper makes a new one, and
 * every one ever made is remembered so an end hangs up even one still being created.
 */
import type { SupervisionIds } from './plan.js';
import { snoopChannelId, supervisionIds } from './plan.js';
import type { SupervisionRecord } from './supervision-store.js';
import type { CallTalk } from './talk.js';

export interface SnoopLeg {
  id: string;
  /** Settles when the snoop has entered the app (only then may it join a bridge), or the supervision ended. */
  entered: Promise<void>;
  markEntered(): void;
}

export class RunningSupervision {
  readonly ids: SupervisionIds;
  /** Set once, by the end: every later step undoes itself instead. */
  ending = false;
  /** A join or a switch in progress: another switch waits for it to finish. */
  busy = false;
  snoop: SnoopLeg | null = null;
  readonly snoopsMade: string[] = [];
  unwatchAgent: () => void = () => undefined;

  constructor(
    readonly record: SupervisionRecord,
    readonly talk: CallTalk,
  ) {
    this.ids = supervisionIds(record.id);
  }

  get id(): string {
    return this.record.id;
  }

  /** Names the next snoop and makes it the current one, before it is asked of Asterisk. */
  nextSnoop(): SnoopLeg {
    let markEntered = (): void => undefined;
    const entered = new Promise<void>((resolve) => (markEntered = resolve));
    const leg = { id: snoopChannelId(this.record.id, this.snoopsMade.length + 1), entered, markEntered };
    this.snoopsMade.push(leg.id);
    this.snoop = leg;
    return leg;
  }
}
