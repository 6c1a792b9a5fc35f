/**
 * The Lua script calls Redis runs on one queue, watched with MONITOR: a server-side signal of what
 * a scheduler did, for tests that would otherwise sleep. "The dispatcher's lease call ran on the
 * empty queue" means its worker is idle; counting calls proves that something did not happen.
 *
 * MONITOR is read from a plain socket: ioredis's monitor mode takes monitor lines that arrive with
 * the reply to MONITOR itself for replies, and fails ("Command queue state error").
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { queueKey } from '../../src/scheduler/redis/keys';
import { loadScript } from '../../src/scheduler/redis/script-loader';
import type { ScriptName } from '../../src/scheduler/redis/scripts';
import { ChangeSignal } from './change-signal';

/** The first four arguments of a MONITOR line (`"evalsha" "<sha>" "<numkeys>" "<KEYS[1]>"`). */
const ARGS = /"((?:[^"\\]|\\.)*)"/g;
/** How every script opens (`--[[ lease.lua: ...`): names an EVAL, whose text MONITOR escapes. */
const HEADER = /^--\[\[ (\w+)\.lua:/;

export class ScriptCalls {
  private readonly counts = new Map<string, number>();
  private readonly changed = new ChangeSignal();
  /** Redis answered MONITOR: every command from now on is seen. */
  private monitoring = false;

  private constructor(
    private readonly socket: Socket,
    /** Script names by the SHA1 ioredis calls them by (EVALSHA). */
    private readonly shas: Map<string, string>,
    private readonly names: Set<string>,
    /** KEYS[1] of every script on the queue: a call with it is a call on the queue. */
    private readonly firstKey: string,
  ) {
    createInterface({ input: socket }).on('line', (line) => this.seen(line));
  }

  /** Starts watching `queue` on the Redis at `url`, counting calls of the scripts `names`. */
  static async start(url: string, queue: string, names: ScriptName[]): Promise<ScriptCalls> {
    const shas = new Map<string, string>();
    for (const name of names)
      shas.set(createHash('sha1').update(loadScript(name)).digest('hex'), name);
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port || 6379), hostname);
    socket.on('error', () => undefined); // a test that stops Redis ends the watch
    await once(socket, 'connect');
    const calls = new ScriptCalls(socket, shas, new Set(names), queueKey(queue, 'meta'));
    socket.write('MONITOR\r\n');
    await calls.changed.until(
      () => calls.monitoring,
      5000,
      () => 'MONITOR to start',
    );
    return calls;
  }

  /** Calls of `name` on the queue seen so far. */
  count(name: ScriptName): number {
    return this.counts.get(name) ?? 0;
  }

  /** Resolves once `n` calls of `name` were seen, or fails after `timeoutMs`. */
  waitFor(name: ScriptName, n: number, timeoutMs = 5000): Promise<void> {
    return this.changed.until(
      () => this.count(name) >= n,
      timeoutMs,
      () => `${n} ${name} calls (saw ${this.count(name)})`,
    );
  }

  stop(): void {
    this.socket.destroy();
  }

  /** `+OK` once, then one line per command: `+<time> [<db> <client>] "evalsha" "<sha>" ...`. */
  private seen(line: string): void {
    if (!this.monitoring) {
      this.monitoring = line === '+OK';
      this.changed.notify();
      return;
    }
    const args: string[] = [];
    for (const m of line.matchAll(ARGS)) if (args.push(m[1] ?? '') === 4) break;
    const [command, script = '', , firstKey] = args;
    const name =
      command === 'evalsha'
        ? this.shas.get(script)
        : command === 'eval'
          ? HEADER.exec(script)?.[1]
          : undefined;
    if (name === undefined || !this.names.has(name) || firstKey !== this.firstKey) return;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    this.changed.notify();
  }
}
