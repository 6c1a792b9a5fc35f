/**
 * CPU used by each process of a measurement: the bench itself (load generator and, for BullMQ,
 * the queue library), the scheduler server and redis-server, plus everything else on the
 * machine. On a 2-core machine the process that sits near 100 % of a core is the one that sets
 * the figure, so every throughput row carries this split; and "other" shows when something
 * outside the bench (another test suite, say) took CPU from it.
 */
import { readFileSync } from 'node:fs';
import { now } from './timing';

/** Linux reports utime/stime in clock ticks: 100 per second on every common kernel config. */
const TICKS_PER_SECOND = 100;

export interface CpuReading {
  at: number;
  bench: number;
  server: number;
  redis: number;
  /** CPU seconds the whole machine was busy. */
  machine: number;
}

/** Share of one core each process used over an interval, in percent. */
export interface CpuShare {
  bench: number;
  server: number;
  redis: number;
  /** Every other process on the machine. */
  other: number;
}

/** Busy CPU seconds of the whole machine, all cores, from the first line of /proc/stat. */
export function machineCpuSeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (a, b) => a + (b ?? 0),
      0,
    );
    return busy / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds a process has used so far; 0 when it is not there (e.g. no server for BullMQ). */
export function processCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime is the
    // 14th field of the line, stime the 15th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export class CpuMeter {
  constructor(
    private readonly serverPid: () => number | undefined,
    private readonly redisPid: number,
  ) {}

  read(): CpuReading {
    const self = process.cpuUsage();
    return {
      at: now(),
      bench: (self.user + self.system) / 1e6,
      server: processCpuSeconds(this.serverPid()),
      redis: processCpuSeconds(this.redisPid),
      machine: machineCpuSeconds(),
    };
  }

  share(before: CpuReading, after: CpuReading = this.read()): CpuShare {
    const seconds = (after.at - before.at) / 1000;
    const pct = (cpu: number): number => (seconds > 0 ? (100 * cpu) / seconds : 0);
    const bench = after.bench - before.bench;
    const server = after.server - before.server;
    const redis = after.redis - before.redis;
    const other = after.machine - before.machine - bench - server - redis;
    return {
      bench: pct(bench),
      server: pct(server),
      redis: pct(redis),
      other: pct(Math.max(0, other)),
    };
  }
}
