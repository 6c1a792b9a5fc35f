/**
 * Servers under test run as child processes, so the load generator (this process) never shares
 * their event loop: the scheduler (`src/server/main.ts` through tsx, or `dist/` with --dist) and
 * the bare grpc-js stub. Each logs one JSON line carrying its port when it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { within } from './timing';

export interface ChildServer {
  pid: number;
  port: number;
  address: string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
/** Child logs land here (git-ignored), for the errors a figure may hide. */
export const WORK_DIR = join(ROOT, 'bench', '.work');
const START_TIMEOUT_MS = 30_000;

/** Starts `node <args>` and waits for a JSON log line with `port` and the given message. */
async function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  readyMsg: string,
): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mkdirSync(WORK_DIR, { recursive: true });
  const log = createWriteStream(join(WORK_DIR, `${name}.log`));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const port = await within(START_TIMEOUT_MS, listening(child, readyMsg), 'server start').catch(
    (err: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${String(err)}\n${stderr}`);
    },
  );
  return {
    pid: child.pid ?? 0,
    port,
    address: `127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

/** Resolves with the port from the ready line; the pipe keeps draining so the child never blocks. */
function listening(child: ChildProcess, readyMsg: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const port = readyPort(line, readyMsg);
        if (port !== undefined) resolve(port);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

function readyPort(line: string, readyMsg: string): number | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as { msg?: string; port?: number };
    return record.msg === readyMsg && typeof record.port === 'number' ? record.port : undefined;
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await within(10_000, exited, 'server stop').catch(() => child.kill('SIGKILL'));
}

/** Tenants p0..p9 are premium; everyone else gets the default tier, free. */
export const PREMIUM_TENANTS = Array.from({ length: 10 }, (_, i) => `p${i}`);

export function startScheduler(
  redisUrl: string,
  options: { dist: boolean; cpuProf: boolean },
): Promise<ChildServer> {
  const entry = options.dist ? ['dist/server/main.js'] : ['--import', 'tsx', 'src/server/main.ts'];
  const profile = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(WORK_DIR, 'prof')}`] : [];
  return startChild(
    'scheduler',
    [...profile, ...entry],
    {
      REDIS_URL: redisUrl,
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '2000',
      STATIC_TIERS: PREMIUM_TENANTS.map((t) => `${t}=premium`).join(','),
      TIER_WEIGHTS: 'premium=1000,free=100',
    },
    'scheduler listening',
  );
}

/** The bare grpc-js server of bench/stub/server.ts: the same contract with no work behind it. */
export function startStub(payloadBytes: number): Promise<ChildServer> {
  return startChild(
    'stub',
    ['--import', 'tsx', 'bench/stub/server.ts'],
    { STUB_PAYLOAD_BYTES: String(payloadBytes) },
    'stub listening',
  );
}
