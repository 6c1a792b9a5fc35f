/**
 * The automatic part of the reading: every row where we lose, with the CPU split that explains
 * it, and which process sets the pace of each of our throughput figures. The "why" sentences are
 * the structural reasons, written once per scenario; the numbers around them come from the run.
 */
import type { CpuShare } from './cpu';
import { findRow, ratio, weLose, type Row, type Section } from './model';
import { cpuUsPerJob, formatValue } from './format';

const WHY: Record<string, string> = {
  enqueue:
    'every job crosses one more process than with BullMQ (producer -> server -> Redis and ' +
    'back), and a grpc-js unary call costs the client several hundred µs of CPU here (compare ' +
    "the bare grpc-js unary ceiling: the transport alone, with nothing behind it), where BullMQ's " +
    '`add` is one ioredis call from the producer straight to Redis. The server gathers the ' +
    'unary calls of one event-loop turn into one enqueue.lua call, so our Redis does less per ' +
    "job than BullMQ's; the client's grpc-js CPU sets the pace. In batches the gRPC cost is " +
    'amortised and what remains is the server decoding and re-encoding every job plus ' +
    'enqueue.lua (see the µs/job), on the same two cores as the load generator.',
  e2e:
    'a job travels Redis -> server -> Lease stream -> worker and its ack comes back the same ' +
    "way: two hops where BullMQ's worker has one (it completes a job and fetches the next in " +
    'one Redis call). Our worker holds `concurrency` credits and acks a delivery in one message ' +
    'that grants them again; up to 32 acks ride on the lease call for those credits (one script ' +
    'call), more follow it alone so the next batch is not held back, and one batch per stream ' +
    'is in flight (the SDK Worker prefetches a second). Each cycle costs a fixed share of server ' +
    'and Redis CPU (a script call, two gRPC messages, each a wake-up of another process) shared ' +
    'by `concurrency` jobs: at 1 and 10 ' +
    'the drain is bound by that cycle (no process near 100 %; the bare grpc-js Lease stream at ' +
    'the same concurrency is the most any gRPC worker protocol does here), at 50 and 100 by ' +
    'Redis time per job (lease.lua + ack.lua) and the server per job.',
  latency:
    'the enqueue call alone is most of it: on this machine a unary grpc-js call made after an ' +
    "idle gap takes about as long as BullMQ's whole delivery (compare the bare grpc-js unary " +
    'call timed between our samples). After the call the server wakes the ' +
    "dispatcher, runs lease.lua and writes to the stream, where BullMQ's worker is already " +
    'blocked on Redis waiting for the job.',
  memory:
    'a queued job is one string (a 34-byte fixed-width head, its tier, tenant, key, headers ' +
    'and last error, then the payload: one key name, one dictionary entry, one allocation ' +
    'rounded up to its allocator size class) plus a list entry and ~20 bytes of ready log.',
  priority:
    'on 2 busy cores the premium enqueue call itself waits behind the drain (see the call ' +
    'figures in the notes); the "after the call" rows are the part the scheduler adds: the ' +
    'worker has all 50 credits out on free jobs, so a premium job waits for the next ack that ' +
    'returns one, up to a delivery cycle.',
  scale:
    'nothing in our per-job path grows with the queue algorithmically (a lease pops the head ' +
    'of a list; the tier and tenant sorted sets hold active members, not jobs), but lease and ' +
    "ack touch each job's record several times, and at 1,000,000 jobs (~430 MB) those touches " +
    'miss the CPU caches: driven through the store alone (no gRPC), script time per job was ' +
    '~25 % higher at 1,000,000 queued than at 1,000, in three alternating rounds. The rest of ' +
    'the spread between the two depths is run-to-run noise (compare BullMQ between them).',
};

/** Foreign CPU (% of a core) above which a figure is flagged as disturbed. */
const NOISY_SHARE = 25;

const busiest = (cpu: CpuShare): [string, number] => {
  const entries: Array<[string, number]> = [
    ['the scheduler server', cpu.server],
    ['Redis', cpu.redis],
    ['the bench process (load generator + client)', cpu.bench],
  ];
  return entries.sort((a, b) => b[1] - a[1])[0]!;
};

function evidence(row: Row): string {
  const o = row.ours;
  const b = row.bull;
  if (!o?.cpu || row.unit !== 'jobs/s') return '';
  const [who, share] = busiest(o.cpu);
  const serverUs = formatValue(cpuUsPerJob(o.cpu.server, o.value), 'µs');
  const redisUs = formatValue(cpuUsPerJob(o.cpu.redis, o.value), 'µs');
  const bullRedisUs = b?.cpu ? formatValue(cpuUsPerJob(b.cpu.redis, b.value), 'µs') : '—';
  const other = Math.max(o.cpu.other, b?.cpu?.other ?? 0);
  const noisy =
    other >= NOISY_SHARE
      ? ` Other processes took up to ${other.toFixed(0)} % of a core meanwhile: disturbed.`
      : '';
  return (
    ` Busiest process in our run: ${who} at ${share.toFixed(0)} % of a core; per job the server ` +
    `spent ${serverUs} µs of CPU and Redis ${redisUs} µs (BullMQ's Redis: ${bullRedisUs} µs).` +
    noisy
  );
}

function lossLine(row: Row): string {
  const r = ratio(row)!;
  const figures =
    `ours ${formatValue(row.ours?.value, row.unit)} vs BullMQ ` +
    `${formatValue(row.bull?.value, row.unit)} ${row.unit} (${r.toFixed(2)}x).`;
  return `  - ${row.label}: ${figures}${evidence(row)}`;
}

/** One bullet per section we lose rows in: the structural reason, then each row's figures. */
function sectionLines(section: Section): string[] {
  const rows = section.rows.filter(weLose);
  if (rows.length === 0) return [];
  const why = WHY[section.id] ? ` Why: ${WHY[section.id]}` : '';
  return [`- **${section.title}.**${why}`, ...rows.map(lossLine)];
}

/** Which process was busiest in each of our throughput rows. */
function paceLines(sections: Section[]): string[] {
  const counts = new Map<string, number>();
  let total = 0;
  for (const row of sections.flatMap((s) => s.rows)) {
    if (row.unit !== 'jobs/s' || !row.ours?.cpu || row.id.startsWith('ceiling')) continue;
    const [who, share] = busiest(row.ours.cpu);
    if (share < 85) continue;
    counts.set(who, (counts.get(who) ?? 0) + 1);
    total += 1;
  }
  if (total === 0) return [];
  const parts = [...counts].map(([who, n]) => `${who} in ${n}`);
  return [
    `- **What sets our pace:** of our throughput rows with a process at >= 85 % of a core, ` +
      `the busiest was ${parts.join(', ')}. On this 2-core machine the load generator, the ` +
      'server and Redis compete for two cores, so a process near 100 % is the limit.',
  ];
}

const fmt = (v: number, digits = 0): string =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** CPU µs per job of the bench process, the server and Redis together. */
function totalCpuUs(sample: Row['ours']): number | undefined {
  const cpu = sample?.cpu;
  if (!cpu) return undefined;
  return [cpu.bench, cpu.server, cpu.redis].reduce((t, s) => t + cpuUsPerJob(s, sample.value), 0);
}

/**
 * Where a target sits against what the transport and the machine allow at all, from the
 * ceilings and CPU figures of the same run: a goal beyond them needs a different design, not a
 * faster one.
 */
function limitLines(sections: Section[], cores: number): string[] {
  const ours = (id: string): number | undefined => findRow(sections, id)?.ours?.value;
  const bull = (id: string): number | undefined => findRow(sections, id)?.bull?.value;
  const lines: string[] = [];

  const [bullC1, echoC1, lease1] = [
    bull('e2e.c1'),
    ours('ceiling.echo.stream.c1'),
    ours('ceiling.script.lease.1'),
  ];
  if (bullC1 && echoC1 && lease1 !== undefined) {
    const [bullUs, echoUs] = [1e6 / bullC1, 1e6 / echoC1];
    const floorUs = echoUs + lease1;
    lines.push(
      `  - Drain at concurrency 1 (goal 1x): one job per cycle. BullMQ's cycle took ` +
        `${fmt(bullUs)} µs per job. The bare grpc-js Lease stream, a server that answers each ` +
        `credit at once with nothing behind it, took ${fmt(echoUs)} µs ` +
        `(${fmt(echoC1 / bullC1, 2)}x BullMQ's rate at most), and lease.lua for one job ` +
        `spends ${fmt(lease1)} µs inside Redis: ${fmt(floorUs)} µs together` +
        (floorUs >= bullUs
          ? ", before the Redis round trip, the ack and the server's own work, already past " +
            "BullMQ's cycle: a gRPC worker reaches 1x here only with more than one job in " +
            'flight per slot (a prefetch).'
          : `, leaving ${fmt(bullUs - floorUs)} µs per job for the Redis round trip, the ack ` +
            "and the server's own work."),
    );
  }

  const [echoP99, bullP99] = [ours('latency.bare.p99'), bull('latency.p99')];
  if (echoP99 !== undefined && bullP99 !== undefined) {
    lines.push(
      `  - Delivery p99 (goal <= BullMQ's): the bare grpc-js unary call alone, timed between ` +
        `our samples, has a p99 of ${fmt(echoP99, 2)} ms against BullMQ's whole enqueue -> ` +
        `handler p99 of ${fmt(bullP99, 2)} ms: ` +
        (echoP99 >= bullP99
          ? 'a producer that enqueues through any gRPC server is past the goal before the ' +
            'server does anything.'
          : `it leaves ${fmt(bullP99 - echoP99, 2)} ms for the server, two Redis calls and ` +
            'the stream.'),
    );
  }

  const c10 = findRow(sections, 'e2e.c10');
  const [oursUs, bullUs] = [totalCpuUs(c10?.ours), totalCpuUs(c10?.bull)];
  if (c10?.bull && oursUs !== undefined) {
    const goalRate = 1.5 * c10.bull.value;
    const budget = (cores * 1e6) / goalRate;
    lines.push(
      `  - Drain at concurrency 10 (goal 1.5x): ${fmt(goalRate)} jobs/s. On ${cores} cores that ` +
        `leaves at most ${fmt(budget)} µs of CPU per job for the worker, the server and Redis ` +
        `together; this run spent ${fmt(oursUs)} µs` +
        (bullUs !== undefined ? ` (BullMQ ${fmt(bullUs)} µs, at its own CPU-bound pace)` : '') +
        (oursUs > budget
          ? `: the goal needs ${fmt((1 - budget / oursUs) * 100)} % less CPU per job, and a ` +
            'second batch in flight per stream to hide the cycle.'
          : ': within the budget; the cycle latency sets the pace.'),
    );
  }
  if (lines.length === 0) return [];
  return ["- **What the transport and the machine allow** (this run's ceilings):", ...lines];
}

export function readingLines(sections: Section[], cores: number): string[] {
  const losses = sections.flatMap(sectionLines);
  const lines = losses.length > 0 ? losses : ['- We lose no side-by-side row in this run.'];
  return [...lines, ...paceLines(sections), ...limitLines(sections, cores)];
}
