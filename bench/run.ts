/**
 * `npm run bench [-- --quick] [--only=...]`: starts a private redis-server and the scheduler as a
 * child process, runs each scenario for our scheduler and for BullMQ in one run, and writes
 * bench/RESULTS.md and bench/results.json (the targets, machine readable), plus
 * bench/.work/results.json with every raw figure. NATS JetStream runs beside them as a second,
 * networked peer when nats-server can be built (Go on the PATH).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { startScheduler, WORK_DIR, type ChildServer } from './lib/child';
import type { Ctx } from './lib/context';
import { CpuMeter } from './lib/cpu';
import { connect, ready } from './lib/grpc';
import { describeMachine } from './lib/machine';
import type { Section } from './lib/model';
import { parseArgs, type BenchOptions } from './lib/options';
import { startNats, type BenchNats } from './lib/nats';
import { startRedis, type BenchRedis } from './lib/redis';
import { renderResults } from './lib/report';
import { checkTargets, targetEntry } from './lib/targets';
import { now } from './lib/timing';
import { warmUp } from './lib/warmup';
import { SCENARIOS } from './scenarios';

/** A last guard: whatever hangs, the run ends (quick mode must finish in minutes). */
const WATCHDOG_MS = { quick: 8 * 60_000, full: 45 * 60_000 };

function logger(start: number): (message: string) => void {
  return (message) => {
    const t = ((now() - start) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[bench ${t}s] ${message}\n`);
  };
}

async function runScenarios(ctx: Ctx): Promise<Section[]> {
  const sections: Section[] = [];
  for (const scenario of SCENARIOS) {
    if (ctx.options.only.length > 0 && !ctx.options.only.includes(scenario.id)) continue;
    const started = now();
    ctx.log(`== ${scenario.id}`);
    try {
      const section = await scenario.run(ctx);
      sections.push({ ...section, seconds: (now() - started) / 1000 });
    } catch (err) {
      ctx.log(`${scenario.id} failed: ${err instanceof Error ? err.stack : String(err)}`);
      sections.push({
        id: scenario.id,
        title: scenario.title,
        method: '',
        rows: [],
        notes: [],
        error: err instanceof Error ? err.message : String(err),
        seconds: (now() - started) / 1000,
      });
    }
  }
  return sections;
}

async function main(options: BenchOptions): Promise<void> {
  const start = now();
  const startedAt = new Date();
  const log = logger(start);
  const watchdog = setTimeout(() => {
    log('watchdog: the run took too long; exiting');
    process.exit(3);
  }, WATCHDOG_MS[options.mode]).unref();
  let redis: BenchRedis | undefined;
  let scheduler: ChildServer | undefined;
  let nats: BenchNats | undefined;
  try {
    redis = await startRedis();
    scheduler = await startScheduler(redis.url, options);
    log(
      `redis ${redis.version} on ${redis.port}, scheduler on ${scheduler.port} (${options.mode})`,
    );
    nats = await startNats(log);
    const server = scheduler;
    const producer = connect(server.address);
    const workers = connect(server.address);
    await Promise.all([ready(producer), ready(workers)]);
    const cpu = new CpuMeter(() => server.pid, redis.pid);
    const ctx: Ctx = {
      options,
      sizes: options.sizes,
      redis,
      scheduler,
      producer,
      workers,
      cpu,
      nats,
      log,
    };
    log('warming up both systems (untimed)');
    await warmUp(ctx);
    const loadBefore = loadavg()[0]!;
    const sections = await runScenarios(ctx);
    producer.close();
    workers.close();
    const targets = checkTargets(sections);
    const machine = describeMachine(redis.version);
    const run = {
      mode: options.mode,
      startedAt,
      seconds: (now() - start) / 1000,
      serverFrom: options.dist ? '`dist/` (node)' : '`src/` (node --import tsx)',
      command: `npm run bench${options.mode === 'quick' ? ' -- --quick' : ''}`,
      load: [loadBefore, loadavg()[0]!] as [number, number],
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, renderResults(run, machine, sections, targets));
    writeFileSync(
      join(WORK_DIR, 'results.json'),
      JSON.stringify({ run, machine, targets, sections }, null, 2),
    );
    writeFileSync(
      join(dirname(options.out), 'results.json'),
      `${JSON.stringify({ targets: targets.map(targetEntry), run, machine }, null, 2)}\n`,
    );
    log(`wrote ${options.out} in ${run.seconds.toFixed(0)} s`);
  } finally {
    await nats?.stop();
    await scheduler?.stop();
    await redis?.stop();
    clearTimeout(watchdog);
  }
}

let options: BenchOptions;
try {
  options = parseArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
main(options).then(
  // BullMQ and grpc-js may keep handles open for a moment after close: do not wait for them.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
