/**
 * The wallboard's figures over time, for its chart and forecasts: the server's history of
 * the last hours (GET /acd/stats/history, a sample per minute kept in Redis by the service)
 * when the page opens, then the live snapshots appended as they come, a point per 15 s.
 * The centre's series and each queue's.
 */
import type { Api } from './lib/api.js';
import type { Sample } from './wallboard-forecast.js';

export const CHART_HOURS = 4;
const KEEP_MS = CHART_HOURS * 3_600_000;
const LIVE_POINT_EVERY_MS = 15_000;

interface PointFigures {
  offered: number;
  waiting: number;
  serviceLevelPercent: number | null;
}
interface Point {
  at: number;
  centre: PointFigures;
  queues: Record<string, PointFigures>;
}

export class WallboardSeries {
  readonly centre: Sample[] = [];
  readonly queues: Record<string, Sample[]> = {};

  /** Reads the last hours from the service; what the live feed appended meanwhile stays after them. */
  async loadHistory(api: Api): Promise<void> {
    const history = await api.get<{ samples: Array<Point & { readAt: number }> }>(`/acd/stats/history?hours=${CHART_HOURS}`);
    const firstLive = this.centre[0]?.at ?? Number.POSITIVE_INFINITY;
    const earlier = history.samples.filter((s) => s.readAt < firstLive).map((s) => ({ ...s, at: s.readAt }));
    this.centre.unshift(...earlier.map((s) => sampleOf(s.at, s.centre)));
    for (const s of earlier.reverse()) {
      for (const [queue, figures] of Object.entries(s.queues)) (this.queues[queue] ??= []).unshift(sampleOf(s.at, figures));
    }
  }

  /** Appends a live snapshot: one point per interval, the newest figures replacing the interval's last point. */
  keep(snapshot: Point): void {
    append(this.centre, sampleOf(snapshot.at, snapshot.centre));
    for (const [queue, figures] of Object.entries(snapshot.queues)) append((this.queues[queue] ??= []), sampleOf(snapshot.at, figures));
  }
}

function sampleOf(at: number, f: PointFigures): Sample {
  return { at, offered: f.offered, waiting: f.waiting, serviceLevelPercent: f.serviceLevelPercent };
}

function append(series: Sample[], sample: Sample): void {
  const last = series[series.length - 1];
  if (last && sample.at < last.at) return;
  const beforeLast = series[series.length - 2];
  if (last && beforeLast && sample.at - beforeLast.at < LIVE_POINT_EVERY_MS) series[series.length - 1] = sample;
  else series.push(sample);
  while (series.length > 0 && series[0]!.at < sample.at - KEEP_MS) series.shift();
}
