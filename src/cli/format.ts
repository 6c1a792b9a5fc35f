/** Plain-text output for people: aligned tables, short durations, one job as key/value lines. */
import type { Job, QueueStats, QueueSummary } from '../clients';

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(ms / 3_600_000)}h${Math.round((ms % 3_600_000) / 60_000)}m`;
}

export function statsTable(stats: QueueStats): string {
  const rows = stats.tiers.map((t) => [
    t.tier,
    t.weight,
    t.counts.pending,
    t.counts.scheduled,
    t.counts.leased,
    t.counts.dead,
    duration(t.oldestReadyAgeMs),
    t.enqueuedTotal,
    t.ackedTotal,
    t.nackedTotal,
    t.deadTotal,
  ]);
  const { pending, scheduled, leased, dead } = stats.counts;
  rows.push([
    'all',
    '',
    pending,
    scheduled,
    leased,
    dead,
    duration(stats.oldestReadyAgeMs),
    '',
    '',
    '',
    '',
  ]);
  const header = [
    'TIER',
    'WEIGHT',
    'PENDING',
    'SCHEDULED',
    'LEASED',
    'DEAD',
    'OLDEST',
    'ENQUEUED',
    'ACKED',
    'NACKED',
    'DIED',
  ];
  const notes = [
    stats.paused ? 'paused' : '',
    stats.pausedTenants.length > 0 ? `paused tenants: ${stats.pausedTenants.join(', ')}` : '',
    stats.tenantsAtCap > 0 ? `tenants at their cap: ${stats.tenantsAtCap}` : '',
  ].filter((n) => n !== '');
  const title = [`queue ${stats.queue}`, ...notes].join(' | ');
  return `${title}\n${table(header, rows)}\n${signals(stats)}`;
}

export function queuesTable(queues: QueueSummary[]): string {
  if (queues.length === 0) return 'no queues';
  const header = ['QUEUE', 'PENDING', 'SCHEDULED', 'LEASED', 'DEAD', 'OLDEST', 'PAUSED'];
  const rows = queues.map((q) => [
    q.queue,
    q.counts.pending,
    q.counts.scheduled,
    q.counts.leased,
    q.counts.dead,
    duration(q.oldestReadyAgeMs),
    q.paused ? 'yes' : '',
  ]);
  return table(header, rows);
}

/** The autoscaling signals: backlog, and the rates once a read has an earlier sample. */
function signals(stats: QueueStats): string {
  const rates =
    stats.rateWindowMs > 0
      ? `add ${stats.addRate.toFixed(2)}/s, dispatch ${stats.dispatchRate.toFixed(2)}/s over ${duration(stats.rateWindowMs)}`
      : 'rates from the next read on';
  return `backlog ${stats.backlog}; ${rates}`;
}

export function jobsTable(jobs: Job[]): string {
  if (jobs.length === 0) return '(no jobs)';
  const rows = jobs.map((j) => [
    j.id,
    j.state,
    j.tenantId,
    j.tier,
    j.priority,
    `${j.attempt}/${j.maxAttempts}`,
    j.enqueueTime?.toISOString() ?? '',
    j.lastError.slice(0, 60),
  ]);
  return table(
    ['JOB', 'STATE', 'TENANT', 'TIER', 'PRIO', 'ATTEMPT', 'ENQUEUED', 'LAST ERROR'],
    rows,
  );
}

/** One job in full; the payload only as its size (it may be binary, large or sensitive). */
export function jobDetails(job: Job): string {
  const when = (d: Date | undefined): string => d?.toISOString() ?? '-';
  const lines: Array<[string, string]> = [
    ['id', job.id],
    ['state', job.state],
    ['tenant', job.tenantId],
    ['tier', job.tier],
    ['priority', String(job.priority)],
    ['attempt', `${job.attempt} of ${job.maxAttempts}`],
    ['enqueued', when(job.enqueueTime)],
    ['scheduled', when(job.scheduledTime)],
    ['lease expires', when(job.leaseExpireTime)],
    ['finished', when(job.finishTime)],
    ['last error', job.lastError || '-'],
    ['idempotency key', job.idempotencyKey ?? '-'],
    ['headers', Object.keys(job.headers).length ? JSON.stringify(job.headers) : '-'],
    ['payload', `${job.payload.length} bytes`],
    ['progress', bytesText(job.progress)],
    ['result', bytesText(job.result)],
  ];
  return table(['FIELD', 'VALUE'], lines).split('\n').slice(1).join('\n');
}

/** A result or progress: short printable UTF-8 as it is (JSON usually), else its size. */
export function bytesText(bytes: Buffer | undefined): string {
  if (!bytes || bytes.length === 0) return '-';
  const text = bytes.toString('utf8');
  const printable = !/[\u0000-\u001f\u007f\ufffd]/.test(text);
  return printable && text.length <= 200 ? text : `${bytes.length} bytes`;
}

/** One line per change of a watched job: when, state, attempt, progress. */
export function watchLine(job: Job): string {
  const attempt = `attempt ${job.attempt}/${job.maxAttempts}`;
  const progress = job.progress ? ` progress ${bytesText(job.progress)}` : '';
  const result = job.result ? ` result ${bytesText(job.result)}` : '';
  const error = job.state === 'dead' && job.lastError ? ` error ${job.lastError}` : '';
  return `${new Date().toISOString()} ${job.state} ${attempt}${progress}${result}${error}`;
}

/** For --json: Buffers as base64, Dates as ISO strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (isBufferJson(v) ? Buffer.from(v.data).toString('base64') : v),
    2,
  );
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer';
}
