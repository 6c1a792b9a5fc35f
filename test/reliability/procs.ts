/**
 * Scheduler servers and workers as child processes, for the faults an in-process server cannot
 * suffer: SIGKILL, a skewed clock (libfaketime), RSS measured from outside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { History, HistoryEvent } from './history';
import type { WorkerOptions } from './load-worker';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;

export interface Proc {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resident set size in bytes, from /proc (0 once gone). */
  rss(): number;
}

export interface ServerProc extends Proc {
  port: number;
  address: string;
}

export interface ServerProcOptions {
  /** REDIS_URL, REDIS_CLUSTER_NODES, MONGODB_URI, ... */
  env: Record<string, string>;
  /** A libfaketime offset for the process's wall clock, e.g. '+1h' or '-30m'. */
  faketime?: string;
  /** Server log lines (pino JSON) go here; default: dropped. */
  onLog?: (line: string) => void;
}

/**
 * libfaketime preloaded into node itself, rather than through the `faketime` wrapper: the wrapper
 * forks, so signals sent to it never reach the server (a SIGTERMed wrapper leaves node orphaned).
 */
export function fakeClock(offset: string): Record<string, string> {
  return {
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: offset,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** Where Debian's package `libfaketime` puts the library (multiarch path), or '' if missing. */
export const LIBFAKETIME = findLibfaketime();

function findLibfaketime(): string {
  for (const arch of ['x86_64-linux-gnu', 'aarch64-linux-gnu']) {
    const path = `/usr/lib/${arch}/faketime/libfaketime.so.1`;
    if (existsSync(path)) return path;
  }
  return '';
}

/** Every child still running: SIGKILLed when this process exits, so none outlives a test run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): Proc {
  running.add(child);
  child.once('exit', () => running.delete(child));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const pid = child.pid!;
  return {
    child,
    pid,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    rss: () => rssOf(pid),
  };
}

export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Starts `src/server/main.ts` in a child process on a free port and resolves once it logs
 * 'scheduler listening'. With `faketime`, the process runs under libfaketime: its wall clock
 * (Date.now) is off by the offset, while its monotonic clock (timers) is left alone.
 */
export function spawnServer(options: ServerProcOptions): Promise<ServerProc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MONGODB_URI: '',
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '2000',
      ...(options.faketime ? fakeClock(options.faketime) : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const proc = track(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void proc.kill();
      reject(new Error('server process did not start'));
    }, START_TIMEOUT_MS);
    let listening = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      options.onLog?.(line);
      if (listening) return;
      const entry = parseJson(line) as { msg?: string; port?: number } | undefined;
      if (entry?.msg !== 'scheduler listening' || !entry.port) return;
      listening = true;
      clearTimeout(timer);
      resolve({ ...proc, port: entry.port, address: `127.0.0.1:${entry.port}` });
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      if (!listening) reject(new Error(`server process exited with ${code} before listening`));
    });
  });
}

export interface WorkerProc extends Proc {
  name: string;
  /** SIGKILL; records the fault and marks its unanswered calls KILLED. */
  crash(): Promise<void>;
  /** Deliveries recorded so far. */
  delivered(): number;
}

/**
 * A LoadWorker in a child process (worker-main.ts), its events streamed back as JSON lines into
 * `history`. Pipes to a parent are synchronous on Linux, so a delivery is on record before the
 * worker acts on it, and a settle call is announced (PENDING) before it is sent.
 */
export function spawnWorker(
  addresses: readonly string[],
  options: WorkerOptions,
  history: History,
): Promise<WorkerProc> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'worker-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, WORKER_CONFIG: JSON.stringify({ addresses, options }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const proc = track(child);
  let delivered = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('worker process did not start')),
      START_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = parseJson(line) as HistoryEvent | { ready: true } | undefined;
      if (!event) return;
      if ('ready' in event) {
        clearTimeout(timer);
        resolve({
          ...proc,
          name: options.name,
          delivered: () => delivered,
          crash: async () => {
            history.fault('worker-killed', options.name);
            await proc.kill('SIGKILL');
            history.abandon(options.name);
          },
        });
        return;
      }
      if (event.kind === 'deliver') delivered += 1;
      history.add(event);
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited with ${code}`));
    });
  });
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
