/**
 * A steady stream of simulated citizens calling 12345 through the whole service: each call
 * hears the main menu, then does what its kind says (stays in the menu a while, presses 0 for
 * the general queue, presses 9 for 110). Calls are placed at a fixed pace, each from a number
 * of its own (the restriction rule counts calls per number), and the stream remembers every
 * citizen with the phase of the test it arrived in, so a test can ask what happened to the
 * callers of each phase. Nothing here asserts: `menuNotHeard` tells the test whose menu has not begun.
 */
import type { Harness } from '../../support/service-harness.js';

export type CitizenKind = 'menu' | 'queue' | 'emergency';

export interface Citizen {
  readonly n: number;
  readonly kind: CitizenKind;
  readonly number: string;
  readonly channelId: string;
  /** The test's phase when the call was placed. */
  readonly phase: string;
  menuHeard: boolean;
  /** The key pressed after the menu, once pressed, and the phase then. */
  pressedIn?: string;
  hungUp: boolean;
}

/** The kinds in the order calls take them: most want an agent, a few 110, some listen. */
const KINDS: readonly CitizenKind[] = ['queue', 'menu', 'queue', 'emergency', 'queue', 'menu'];
/** A menu caller hangs up once this many later calls have been placed: some are always in the menu. */
const MENU_STAY_CALLS = 18;

export class CitizenStream {
  readonly citizens: Citizen[] = [];
  phase = 'redis-up';
  private timer: NodeJS.Timeout | null = null;
  private paused = false;
  private readonly stopWatching = new Set<Citizen>();

  constructor(private readonly h: Pick<Harness, 'sim'>, private readonly firstNumber = 13900000000) {}

  /**
   * Places a call every `everyMs` (the pace of arrivals, not a wait for anything) and moves
   * the callers on, until stopped; paused, it moves the callers already there on but places none.
   */
  start(everyMs: number): void {
    this.paused = false;
    this.timer ??= setInterval(() => this.tick(), everyMs);
  }

  pause(): void {
    this.paused = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  of(filter: { kind?: CitizenKind; phase?: string; pressedIn?: string }): Citizen[] {
    return this.citizens.filter((c) => (!filter.kind || c.kind === filter.kind) && (!filter.phase || c.phase === filter.phase) && (!filter.pressedIn || c.pressedIn === filter.pressedIn));
  }

  hangUp(citizen: Citizen): void {
    if (citizen.hungUp) return;
    citizen.hungUp = true;
    try {
      this.h.sim.hangupFromCaller(citizen.channelId);
    } catch {
      // The call ended on the service's side already (a hand-off to the dialplan, a failed transfer).
    }
  }

  private tick(): void {
    if (!this.paused) this.place();
    for (const citizen of this.citizens) if (!this.stopWatching.has(citizen)) this.advance(citizen);
  }

  private place(): void {
    const n = this.citizens.length;
    const number = String(this.firstNumber + n);
    const channel = this.h.sim.placeCall({ from: number, dialled: '12345' });
    this.citizens.push({ n, kind: KINDS[n % KINDS.length]!, number, channelId: channel.id, phase: this.phase, menuHeard: false, hungUp: false });
  }

  /** Moves a citizen on once the menu has begun for it; menu callers leave after a few more calls. */
  private advance(c: Citizen): void {
    if (c.hungUp) return void this.stopWatching.add(c);
    if (!c.menuHeard) {
      c.menuHeard = this.h.sim.soundsPlayed(c.channelId).some((s) => s.media === 'sound:hotline/zh/main-menu');
      if (!c.menuHeard) return;
      if (c.kind === 'menu') return;
      c.pressedIn = this.phase;
      this.h.sim.pressDigits(c.channelId, c.kind === 'queue' ? '0' : '9');
      this.stopWatching.add(c);
      return;
    }
    if (c.kind === 'menu' && this.citizens.length - c.n > MENU_STAY_CALLS) {
      c.pressedIn = this.phase;
      this.hangUp(c);
    }
  }

  /** The citizens of a phase whose menu has not begun (yet). */
  menuNotHeard(phase: string): Citizen[] {
    return this.citizens.filter((c) => c.phase === phase && !c.menuHeard && !c.hungUp);
  }
}
