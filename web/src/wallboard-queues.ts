/** The wallboard's per-queue forecast table: each queue's bar (threshold and target), staffing, arrivals and the Erlang C forecast. */
import { t } from './lib/i18n.js';
import { queueForecasts, type QueueForecast, type QueueNow, type Sample } from './wallboard-forecast.js';

const COLUMNS = ['queue', 'bar', 'staffed', 'arrivals', 'level', 'breach'];

export function renderQueueForecasts(table: HTMLElement, series: Record<string, Sample[]>, queues: Record<string, QueueNow>, now: number): void {
  const head = document.createElement('tr');
  for (const column of COLUMNS) {
    const th = document.createElement('th');
    th.textContent = t(`wall.queueForecast.${column}`);
    head.append(th);
  }
  const rows = queueForecasts(series, queues, now).map((f) => {
    const tr = document.createElement('tr');
    tr.dataset.queue = f.queue;
    tr.dataset.breach = f.forecast === null ? 'unknown' : f.forecast.breachInMinutes === null ? 'none' : String(f.forecast.breachInMinutes);
    tr.classList.toggle('alert', f.forecast?.breachInMinutes === 0);
    for (const text of cells(f)) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

function cells(f: QueueForecast): string[] {
  const level = f.forecast ? `${(f.forecast.serviceLevelNow * 100).toFixed(1)}%` : t('wall.noData');
  const breach = !f.forecast
    ? '—'
    : f.forecast.breachInMinutes === null
      ? t('wall.queueForecast.never')
      : f.forecast.breachInMinutes === 0
        ? t('wall.queueForecast.now')
        : t('wall.queueForecast.in', { minutes: f.forecast.breachInMinutes });
  return [
    f.queue,
    t('wall.queueForecast.bar.value', { seconds: f.thresholdSeconds, target: `${f.targetPercent}%` }),
    String(f.staffed),
    f.arrivalsPerHour === null ? '—' : f.arrivalsPerHour.toFixed(0),
    level,
    breach,
  ];
}
