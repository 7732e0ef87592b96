/**
 * One dialled leg toward an emergency centre, as Asterisk reports it: it answers (enters
 * the app) or ends unanswered with a cause; once answered, it ends some time later.
 */
export type LegOutcome = { answered: true } | { answered: false; cause: number | null };

export class LegWatch {
  readonly answered: Promise<LegOutcome>;
  readonly ended: Promise<number | null>;
  private settleAnswer!: (outcome: LegOutcome) => void;
  private settleEnd!: (cause: number | null) => void;
  private up = false;

  constructor() {
    this.answered = new Promise((resolve) => (this.settleAnswer = resolve));
    this.ended = new Promise((resolve) => (this.settleEnd = resolve));
  }

  /** The leg entered the app: the centre answered. */
  answer(): void {
    this.up = true;
    this.settleAnswer({ answered: true });
  }

  /** The leg is gone (destroyed, or left the app). */
  end(cause: number | null): void {
    if (!this.up) this.settleAnswer({ answered: false, cause });
    this.settleEnd(cause);
  }
}

/** What a leg's end cause says of the attempt (Q.850): 17 busy, 18/19/21 no answer, the rest failed. */
export function attemptOutcome(cause: number | null): 'busy' | 'no-answer' | 'failed' {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19 || cause === 21) return 'no-answer';
  return 'failed';
}
