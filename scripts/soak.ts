/**
 * Soak run: load plus a rotation of faults (worker and replica SIGKILLs, cut streams, Redis
 * restarted and stopped) for a given time, then the history checker's verdict and figures.
 *
 *   node --import tsx scripts/soak.ts --duration 60s [--rate 200] [--outage 10s]
 *
 * Exits 0 when the checker finds nothing lost, double-acked or redelivered without cause.
 * Needs redis-server (Debian: redis-server); faketime (Debian: faketime) adds a skewed replica.
 */
import { Command } from 'commander';
import { runSoak } from '../test/reliability/soak';

function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (e.g. 60s, 2m, 500ms)`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--duration <time>', 'how long to run, e.g. 60s or 5m', '60s')
    .option('--rate <jobs/s>', 'jobs enqueued per second', '200')
    .option('--outage <time>', 'how long Redis stays stopped in the outage fault', '3s')
    .parse()
    .opts<{ duration: string; rate: string; outage: string }>();
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const result = await runSoak({
    durationMs: duration(opts.duration),
    rate: Number(opts.rate),
    outageMs: duration(opts.outage),
    log,
  });
  const { report } = result;
  log(`faults: ${result.faults.join(', ') || 'none'}`);
  log(result.summary);
  log(`figures: ${JSON.stringify(report.verdict.figures)}`);
  log(`verdict: ${result.ok ? 'PASS' : 'FAIL'}`);
  process.exit(result.ok ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(2);
});
