/**
 * Erlang C: the waiting-time model of a queue served by N agents (Poisson arrivals,
 * exponential handle times, nobody abandons), and from it the forecast on the wallboard:
 * at the arrival rate and staffing seen now, when will the share of calls answered within
 * the threshold (GB/T 33358-2016: 15 s) fall below its target. Pure: numbers in, numbers out.
 *
 *   traffic A   = arrival rate λ × AHT (Erlangs)
 *   P(wait)     = C(N, A), through Erlang B's recursion (no factorials: exact for large N)
 *   SL(T)       = 1 − C(N, A) · e^(−(N − A)·T / AHT)
 *   ASA         = C(N, A) · AHT / (N − A)
 * With N ≤ A the queue grows without bound: every call waits and the service level is 0.
 * The model ignores abandons, so it is pessimistic when callers give up: the right side to
 * err on for a warning.
 */

/** Probability that a call waits at all, with `agents` serving `trafficErlangs`. */
export function erlangC(agents: number, trafficErlangs: number): number {
  if (!(agents >= 0) || !(trafficErlangs >= 0)) throw new RangeError('agents and traffic must be non-negative');
  if (trafficErlangs === 0) return 0;
  const n = Math.floor(agents);
  if (n <= trafficErlangs) return 1;
  // Erlang B by recursion: B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)).
  let b = 1;
  for (let k = 1; k <= n; k += 1) b = (trafficErlangs * b) / (k + trafficErlangs * b);
  return (n * b) / (n - trafficErlangs * (1 - b));
}

export interface QueueModel {
  /** Calls arriving per second. */
  arrivalsPerSecond: number;
  /** Mean handle time in seconds (talk time; wrap-up included if agents are unavailable during it). */
  ahtSeconds: number;
  /** Agents taking calls (ready, ringing, on a call, in wrap-up). */
  agents: number;
}

const trafficOf = (m: QueueModel) => m.arrivalsPerSecond * m.ahtSeconds;

/** Share (0..1) of calls answered within `thresholdSeconds`. */
export function serviceLevel(model: QueueModel, thresholdSeconds: number): number {
  const a = trafficOf(model);
  if (a === 0) return 1;
  const n = Math.floor(model.agents);
  if (n <= a) return 0;
  return Math.max(0, 1 - erlangC(n, a) * Math.exp((-(n - a) * thresholdSeconds) / model.ahtSeconds));
}

/** Average speed of answer in seconds; Infinity when the agents cannot keep up. */
export function averageSpeedOfAnswer(model: QueueModel): number {
  const a = trafficOf(model);
  if (a === 0) return 0;
  const n = Math.floor(model.agents);
  if (n <= a) return Number.POSITIVE_INFINITY;
  return (erlangC(n, a) * model.ahtSeconds) / (n - a);
}

export interface BreachForecastInput extends QueueModel {
  /** How the arrival rate changes, in calls per second per hour (the recent trend; 0 = steady). */
  arrivalTrendPerHour: number;
  thresholdSeconds: number;
  /** Service level the centre must hold, 0..1 (e.g. 0.8). */
  target: number;
  /** How far ahead to look, in minutes (default 120). */
  horizonMinutes?: number;
}

export interface BreachForecast {
  /** Service level predicted at the current rate and staffing, 0..1. */
  serviceLevelNow: number;
  /** Minutes from now until the predicted level falls below target: 0 = already below; null = not within the horizon. */
  breachInMinutes: number | null;
}

/**
 * Steps the arrival rate along its trend minute by minute, staffing held as it is now, and
 * returns the first minute the predicted service level drops below the target.
 */
export function forecastBreach(input: BreachForecastInput): BreachForecast {
  const horizon = input.horizonMinutes ?? 120;
  const at = (minutes: number): number =>
    serviceLevel({ ...input, arrivalsPerSecond: Math.max(0, input.arrivalsPerSecond + (input.arrivalTrendPerHour * minutes) / 60) }, input.thresholdSeconds);
  const serviceLevelNow = at(0);
  for (let minute = 0; minute <= horizon; minute += 1) {
    if (at(minute) < input.target) return { serviceLevelNow, breachInMinutes: minute };
  }
  return { serviceLevelNow, breachInMinutes: null };
}
