/** Figures for benchmarks: medians (robust on a noisy machine) and the line bench/run.ts reads. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Prints one figure in the form bench/run.ts collects into its table. */
export function reportFigure(bench: string, metric: string, value: number, unit: string): void {
  console.log(`@@bench ${JSON.stringify({ bench, metric, value, unit })}`);
}
