/**
 * What one run measures and how big: `--quick` shrinks every count and duration so the whole run
 * fits in about two minutes on a 2-core machine; the full mode uses the sizes the targets name
 * (1,000,000 queued jobs) and repeats the short throughput scenarios to report medians.
 */
export interface BenchOptions {
  mode: 'quick' | 'full';
  /** Scenario ids to run (all when empty). */
  only: string[];
  /** Run the server from dist/ (`npm run build` first) instead of src/ through tsx. */
  dist: boolean;
  /** Write the scheduler's V8 CPU profile to bench/.work/prof when it stops (Chrome DevTools). */
  cpuProf: boolean;
  /** Where RESULTS.md goes. */
  out: string;
  sizes: Sizes;
}

export interface Sizes {
  /** Rounds of the short throughput scenarios, alternating which system goes first. */
  rounds: number;
  /** Length of each timed load loop. */
  loopMs: number;
  /** Payload bytes of every job, both systems. */
  payloadBytes: number;
  /** Requests kept in flight by the unary load loops. */
  inFlight: number;
  /** Items per EnqueueBatch / addBulk call. */
  batchSize: number;
  /** Worker concurrency (credits) -> jobs pre-filled and drained. */
  drain: Array<{ concurrency: number; jobs: number }>;
  /** Longest a drain may take before it is cut and reported as partial. */
  drainCapMs: number;
  latencySamples: number;
  /** Free jobs queued ahead of the premium arrivals. */
  floodJobs: number;
  premiumPerSecond: number;
  premiumMs: number;
  /** Leases counted for the free share under premium saturation. */
  shareLeases: number;
  memoryJobs: number;
  /** Queue depths compared by the scale scenario, and the jobs drained at each. */
  depths: [number, number];
  depthDrain: number;
  tenants: [number, number];
  /** Requests per redis-benchmark test. */
  redisBenchRequests: number;
}

const QUICK: Sizes = {
  rounds: 1,
  loopMs: 2500,
  payloadBytes: 256,
  inFlight: 100,
  batchSize: 1000,
  drain: [
    { concurrency: 1, jobs: 2000 },
    { concurrency: 10, jobs: 8000 },
    { concurrency: 100, jobs: 15000 },
  ],
  drainCapMs: 10_000,
  latencySamples: 300,
  floodJobs: 50_000,
  premiumPerSecond: 100,
  premiumMs: 3000,
  shareLeases: 5500,
  memoryJobs: 50_000,
  depths: [1000, 100_000],
  depthDrain: 15_000,
  tenants: [10, 10_000],
  redisBenchRequests: 100_000,
};

/** Rounds of the short throughput scenarios in the full mode: their medians are what we quote. */
export const FULL_ROUNDS = 5;

const FULL: Sizes = {
  rounds: FULL_ROUNDS,
  loopMs: 5000,
  payloadBytes: 256,
  inFlight: 100,
  batchSize: 1000,
  drain: [
    { concurrency: 1, jobs: 5000 },
    { concurrency: 10, jobs: 30_000 },
    { concurrency: 50, jobs: 50_000 },
    { concurrency: 100, jobs: 50_000 },
  ],
  drainCapMs: 30_000,
  latencySamples: 2000,
  floodJobs: 1_000_000,
  premiumPerSecond: 100,
  premiumMs: 10_000,
  shareLeases: 22_000,
  memoryJobs: 1_000_000,
  depths: [1000, 1_000_000],
  depthDrain: 50_000,
  tenants: [10, 10_000],
  redisBenchRequests: 300_000,
};

export const SCENARIO_IDS = [
  'ceilings',
  'enqueue',
  'e2e',
  'latency',
  'priority',
  'memory',
  'scale',
] as const;

const USAGE = `usage: npm run bench -- [--quick] [--only=${SCENARIO_IDS.join(',')}] [--dist] [--cpu-prof] [--out=FILE]`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    mode: 'full',
    only: [],
    dist: false,
    cpuProf: false,
    out: 'bench/RESULTS.md',
    sizes: FULL,
  };
  for (const arg of argv) {
    if (arg === '--quick') options.mode = 'quick';
    else if (arg === '--dist') options.dist = true;
    else if (arg === '--cpu-prof') options.cpuProf = true;
    else if (arg.startsWith('--only=')) options.only = arg.slice(7).split(',').filter(Boolean);
    else if (arg.startsWith('--out=')) options.out = arg.slice(6);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const unknown = options.only.filter((id) => !(SCENARIO_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  options.sizes = options.mode === 'quick' ? QUICK : FULL;
  return options;
}
