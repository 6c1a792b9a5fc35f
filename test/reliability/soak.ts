/**
 * Soak: steady load on two replicas (plus a third with its clock an hour ahead, when libfaketime
 * is installed) over a Redis with AOF, while a rotation of faults hits it: a worker process
 * SIGKILLed, streams cut, a replica SIGKILLed and restarted, Redis SIGKILLed and restarted, Redis
 * stopped for a while. The last fifth of the time is calm; then the run drains and the history
 * checker gives its verdict. scripts/soak.ts is the command line; soak.test.ts runs a short one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { summarize } from './checker';
import type { WorkerOptions } from './load-worker';
import { LIBFAKETIME, spawnServer, spawnWorker, type ServerProc, type WorkerProc } from './procs';
import { sleep } from './rpc';
import { LoadRun, describeReport, type RunReport } from './run';

export interface SoakOptions {
  durationMs: number;
  /** Jobs per second. Default 200. */
  rate?: number;
  /** How long Redis stays stopped in the outage fault. Default 3000 ms. */
  outageMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SoakResult {
  ok: boolean;
  report: RunReport;
  faults: string[];
  summary: string;
}

const WORKER: Omit<WorkerOptions, 'name' | 'queue' | 'home'> = {
  visibilityMs: 3000,
  credits: 10,
  workMs: [5, 80],
  nackRate: 0.05,
  deadRate: 0.01,
  inlineRate: 0.2,
};

/** A replica on a fixed port, so it can be SIGKILLed and come back where clients expect it. */
class Replica {
  proc: ServerProc | undefined;

  constructor(
    readonly port: number,
    private readonly redisUrl: string,
    private readonly faketime?: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const env = { REDIS_URL: this.redisUrl, GRPC_PORT: String(this.port) };
    this.proc = await spawnServer({ env, ...(this.faketime ? { faketime: this.faketime } : {}) });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.proc?.kill(signal);
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? ((): void => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const redis = await startRedis({
    own: true,
    args: ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'],
  });
  const replicas = [
    new Replica(await freePort(), redis.url),
    new Replica(await freePort(), redis.url),
  ];
  if (LIBFAKETIME) replicas.push(new Replica(await freePort(), redis.url, '+1h'));
  const workers: WorkerProc[] = [];
  try {
    await Promise.all(replicas.map((r) => r.start()));
    const queues = Array.from({ length: 4 }, () => uniqueName('soak'));
    const run = new LoadRun({
      addresses: replicas.map((r) => r.address),
      queues,
      rate: options.rate ?? 200,
      producers: 2,
      workersPerQueue: 2,
      delayedRate: 0.1,
      cancelRate: 0.01,
      worker: WORKER,
    });
    const spawnDoomed = async (): Promise<void> => {
      const name = `proc${workers.length}`;
      const worker = await spawnWorker(
        run.endpoints.addresses,
        { ...WORKER, name, queue: queues[workers.length % queues.length]!, workMs: [200, 2000] },
        run.history,
      );
      workers.push(worker);
    };
    await spawnDoomed();
    run.start();
    const faults = await injectFaults(run, { redis, replicas, spawnDoomed, workers }, options, log);
    await run.stopProducing();
    const drained = await run.drain(30_000);
    for (const w of workers) await w.kill('SIGTERM');
    const report = await run.finish();
    const summary = describeReport(`soak ${Math.round(options.durationMs / 1000)} s`, report);
    const ok = drained && report.verdict.ok;
    const detail = ok ? '' : `\n${summarize(report.verdict)}\n${eventsOf(run, report)}`;
    return { ok, report, faults, summary: summary + detail };
  } finally {
    for (const w of workers) await w.kill();
    await Promise.all(replicas.map((r) => r.kill()));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The recorded events of the first few jobs the checker faulted: what a post-mortem needs. */
function eventsOf(run: LoadRun, report: RunReport, jobs = 3): string {
  const ids = new Set(report.verdict.violations.slice(0, jobs).map((v) => v.jobId));
  const lines = run.history.events
    .filter((e) => ('jobId' in e && ids.has(e.jobId)) || e.kind === 'fault')
    .map((e) => JSON.stringify(e));
  return lines.join('\n');
}

interface Targets {
  redis: TestRedis;
  replicas: Replica[];
  workers: WorkerProc[];
  spawnDoomed(): Promise<void>;
}

/** Runs the rotation of faults through the first 80% of the duration; returns what it did. */
async function injectFaults(
  run: LoadRun,
  t: Targets,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<string[]> {
  const started = Date.now();
  const faultsEnd = started + options.durationMs * 0.8;
  const every = Math.max(3000, options.durationMs / 10);
  const outageMs = options.outageMs ?? 3000;
  const done: string[] = [];
  const streamsCut = (): Promise<void> => {
    const [a, b] = [
      run.workers[done.length % run.workers.length]!,
      run.workers[(done.length + 1) % run.workers.length]!,
    ];
    run.history.fault('stream-cut', a.name);
    a.cut(false);
    run.history.fault('stream-cut', b.name);
    b.cut(true);
    return Promise.resolve();
  };
  // Ordered so that even a 20 s run meets a worker, Redis and stream fault: the first three always
  // run, even when a loaded machine makes them take longer than the run's share of time.
  const rotation: Array<[string, () => Promise<void>]> = [
    [
      'worker process SIGKILL',
      async () => {
        await t.workers.at(-1)!.crash();
        await t.spawnDoomed();
      },
    ],
    [
      'Redis SIGKILL + AOF restart',
      async () => {
        run.history.fault('redis-restarted');
        await t.redis.restart();
      },
    ],
    ['streams cut', streamsCut],
    [
      'replica SIGKILL + restart',
      async () => {
        const replica = t.replicas[done.length % 2]!;
        run.history.fault('replica-killed', undefined, replica.address);
        await replica.kill();
        await sleep(500);
        await replica.start();
      },
    ],
    [
      `Redis stopped ${outageMs} ms`,
      async () => {
        run.history.fault('redis-restarted');
        await t.redis.stop();
        await sleep(outageMs);
        await t.redis.restart();
      },
    ],
  ];
  for (let i = 0; i < 3 || Date.now() + every < faultsEnd; i++) {
    await sleep(every);
    const [name, inject] = rotation[i % rotation.length]!;
    log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
    await inject();
    done.push(name);
  }
  await sleep(Math.max(0, started + options.durationMs - Date.now()));
  return done;
}
