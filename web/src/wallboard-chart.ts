/** The wallboard's chart, drawn by hand in SVG: calls waiting (bars) and the 15 s service level (line) over the samples kept. */
import type { Sample } from './wallboard-forecast.js';

const W = 600;
const H = 180;
const PAD = 24;
const SVG = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function drawChart(svg: SVGSVGElement, samples: Sample[]): void {
  const parts: SVGElement[] = [el('rect', { x: 0, y: 0, width: W, height: H, fill: '#fbfcfe' })];
  if (samples.length > 0) {
    const t0 = samples[0]!.at;
    const span = Math.max(60_000, samples[samples.length - 1]!.at - t0);
    const maxWaiting = Math.max(5, ...samples.map((s) => s.waiting));
    const x = (at: number) => PAD + ((at - t0) / span) * (W - 2 * PAD);
    const yWaiting = (n: number) => H - PAD - (n / maxWaiting) * (H - 2 * PAD);
    const ySl = (p: number) => H - PAD - (p / 100) * (H - 2 * PAD);
    const barWidth = Math.max(1, (W - 2 * PAD) / Math.max(samples.length, 1) - 1);
    for (const s of samples) {
      if (s.waiting > 0) parts.push(el('rect', { x: x(s.at), y: yWaiting(s.waiting), width: barWidth, height: H - PAD - yWaiting(s.waiting), fill: '#f0a94088' }));
    }
    const line = samples.filter((s) => s.serviceLevelPercent !== null).map((s) => `${x(s.at).toFixed(1)},${ySl(s.serviceLevelPercent!).toFixed(1)}`);
    if (line.length > 0) parts.push(el('polyline', { points: line.join(' '), fill: 'none', stroke: '#0b6fc4', 'stroke-width': 2 }));
    // The 80 % target as a dashed line.
    parts.push(el('line', { x1: PAD, x2: W - PAD, y1: ySl(80), y2: ySl(80), stroke: '#c62828', 'stroke-dasharray': '4 4' }));
    parts.push(el('text', { x: 2, y: ySl(80) + 4, 'font-size': 10, fill: '#c62828' }, '80%'));
    parts.push(el('text', { x: PAD, y: H - 6, 'font-size': 10, fill: '#556' }, new Date(t0).toLocaleTimeString()));
    parts.push(el('text', { x: W - PAD - 50, y: H - 6, 'font-size': 10, fill: '#556' }, new Date(t0 + span).toLocaleTimeString()));
    parts.push(el('text', { x: W - PAD - 40, y: 12, 'font-size': 10, fill: '#b07000' }, `max ${maxWaiting}`));
  }
  svg.replaceChildren(...parts);
}
