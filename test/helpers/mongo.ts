/**
 * A real MongoDB-wire-protocol server for tests: the one named by MONGODB_URI, or else a FerretDB
 * that this process starts with scripts/ferretdb.sh (so a single test file runs on its own).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CommandStartedEvent, MongoClient } from 'mongodb';
import { killAndWait } from './process';

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../scripts/ferretdb.sh');
/** The first run builds FerretDB from source: minutes, not seconds. */
const START_TIMEOUT_MS = 15 * 60_000;

export interface FerretDb {
  uri: string;
  port: number;
  pid: number;
  /** Its data directory: start again on it (and the same port) to restart with the same data. */
  dir: string;
  /** SIGKILL, as a crash would: no clean shutdown. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Starts a FerretDB of its own for this caller, in `dir` (a new temp dir unless given). */
export async function startFerretDb(dir?: string, port?: number): Promise<FerretDb> {
  const home = dir ?? (await mkdtemp(path.join(tmpdir(), 'ferretdb-test-')));
  const args = [SCRIPT, 'start', home, ...(port === undefined ? [] : [String(port)])];
  const { stdout } = await run('bash', args, { timeout: START_TIMEOUT_MS });
  const vars = parseExports(stdout);
  const uri = vars.get('MONGODB_URI');
  const pid = Number(vars.get('FERRETDB_PID'));
  if (uri === undefined || !Number.isInteger(pid)) throw new Error(`ferretdb.sh said: ${stdout}`);
  killAtExit(pid);
  if (dir === undefined) removeAtExit(home);
  return { uri, port: Number(new URL(uri).port), pid, dir: home, kill: () => killAndWait(pid) };
}

let shared: Promise<string> | undefined;

/** MONGODB_URI, or one FerretDB per test process, started on first use and killed at exit. */
export function mongoUri(): Promise<string> {
  const fromEnv = process.env['MONGODB_URI'];
  if (fromEnv) return Promise.resolve(fromEnv);
  shared ??= startFerretDb().then((f) => f.uri);
  return shared;
}

/** Tests isolate themselves by database: never drop anything else on a shared server. */
export function randomDbName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Counts the queries a client sends to one database, from the driver's command monitoring. */
export class CommandLog {
  readonly started: CommandStartedEvent[] = [];

  /** `client` must have been made with `monitorCommands: true`. */
  constructor(client: MongoClient, database: string) {
    client.on('commandStarted', (e) => {
      if (e.databaseName === database) this.started.push(e);
    });
  }

  /** Reads: `find` plus any `getMore` a cursor needed. */
  reads(): CommandStartedEvent[] {
    return this.started.filter((e) => e.commandName === 'find' || e.commandName === 'getMore');
  }

  /** The `_id` list of each `find`'s `$in` filter. */
  findIds(): unknown[][] {
    return this.reads()
      .filter((e) => e.commandName === 'find')
      .map((e) => {
        const filter = e.command['filter'] as { _id?: { $in?: unknown[] } } | undefined;
        return filter?._id?.$in ?? [];
      });
  }
}

function parseExports(stdout: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) vars.set(m[1], m[2]);
  }
  return vars;
}

function removeAtExit(dir: string): void {
  // Registered after its server's killAtExit, so it runs after it ('exit' listeners run in order).
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/** The server runs in its own session, so it outlives this process unless killed here. */
function killAtExit(pid: number): void {
  const kill = (): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', kill);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // 'exit' does not run on a signal: kill, then die of the same signal as we would have.
    process.once(signal, () => {
      kill();
      process.kill(process.pid, signal);
    });
  }
}
