/**
 * redis-benchmark (from redis-tools) against the bench's Redis: what the server does at all on
 * this machine, for plain commands and for the cheapest possible Lua script call.
 */
import { spawn } from 'node:child_process';
import { within } from './timing';

export interface RedisBenchFigure {
  test: string;
  rps: number;
  p50ms: number;
}

/** `redis-benchmark -q` ends each test with "NAME: 12345.67 requests per second, p50=0.5 msec". */
export function parseRedisBenchmark(output: string): RedisBenchFigure[] {
  const figures: RedisBenchFigure[] = [];
  for (const line of output.split(/[\r\n]+/)) {
    const m = /^\s*(.+?): ([\d.]+) requests per second(?:, p50=([\d.]+) msec)?/.exec(line);
    if (m) figures.push({ test: m[1]!, rps: Number(m[2]), p50ms: Number(m[3] ?? NaN) });
  }
  return figures;
}

/** Runs redis-benchmark with `args` (after host, port, -q, -n, -c); bounded by a timeout. */
export async function redisBenchmark(
  port: number,
  requests: number,
  args: string[],
): Promise<RedisBenchFigure[]> {
  const child = spawn('redis-benchmark', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-q',
    '-n',
    String(requests),
    '-c',
    '50',
    ...args,
  ]);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  try {
    const code = await within(120_000, exited, 'redis-benchmark');
    if (code !== 0) throw new Error(`redis-benchmark exited with ${code}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return parseRedisBenchmark(out);
}
