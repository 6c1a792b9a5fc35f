/** Number formatting shared by the report and the reading. */
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ms') return value < 10 ? value.toFixed(2) : value.toFixed(1);
  if (unit === '%') return value.toFixed(1);
  if (unit === 'µs' && value < 100) return value.toFixed(1);
  return int.format(value);
}

/** CPU microseconds per job of a process that used `share` % of a core at `rate` jobs/s. */
export function cpuUsPerJob(share: number, rate: number): number {
  return rate > 0 ? (share * 1e4) / rate : NaN;
}
