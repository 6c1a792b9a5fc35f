#!/usr/bin/env node
/**
 * schedctl: the operator's command line. Talks to a scheduler over gRPC (so tokens and scopes
 * apply), prints tables for people and JSON with --json for scripts.
 */
import { Command, Option } from 'commander';
import { SchedulerClient, isSchedulerClientError } from '../clients';

type ListableState = 'pending' | 'scheduled' | 'leased' | 'dead';
import { jobDetails, jobsTable, parseDuration, statsTable, table, toJson } from './format';
import { addScheduleCommands, readPayload } from './schedule-commands';

interface Globals {
  addr: string;
  token?: string;
  tls: boolean;
  json: boolean;
}

const program = new Command('schedctl')
  .description('Operate a priority scheduler: queue stats, jobs, dead letters, schedules')
  .addOption(
    new Option('--addr <host:port>', 'scheduler address')
      .env('SCHEDULER_ADDR')
      .default('127.0.0.1:50051'),
  )
  .addOption(new Option('--token <token>', 'bearer token').env('SCHEDULER_TOKEN'))
  .option('--tls', 'use TLS (system roots)', false)
  .option('--json', 'print JSON instead of tables', false);

function client(): SchedulerClient {
  const g = program.opts<Globals>();
  return new SchedulerClient({
    address: g.addr,
    tls: g.tls,
    ...(g.token ? { token: g.token } : {}),
  });
}

/** Runs an action with a client, prints its result as JSON or as the given text. */
function run<A extends unknown[]>(
  action: (c: SchedulerClient, ...args: A) => Promise<{ data: unknown; text: string }>,
) {
  return async (...args: A): Promise<void> => {
    const c = client();
    try {
      const { data, text } = await action(c, ...args);
      process.stdout.write(`${program.opts<Globals>().json ? toJson(data) : text}\n`);
    } finally {
      c.close();
    }
  };
}

program
  .command('stats <queue>')
  .description('jobs per state and tier, oldest ready age, totals')
  .action(
    run(async (c, queue: string) => {
      const stats = await c.getQueueStats(queue);
      return { data: stats, text: statsTable(stats) };
    }),
  );

program
  .command('peek <queue>')
  .description(
    'jobs of a queue in one state, without leasing them (default: pending, oldest ready first)',
  )
  .addOption(
    new Option('--state <state>', 'job state')
      .choices(['pending', 'scheduled', 'leased', 'dead'])
      .default('pending'),
  )
  .option('--tier <tier>', 'pending jobs of one tier only')
  .option('--limit <n>', 'how many', '20')
  .action(
    run(async (c, queue: string, o: { state: ListableState; tier?: string; limit: string }) => {
      const page = await c.listJobs(queue, {
        state: o.state,
        tier: o.tier,
        pageSize: Number(o.limit),
      });
      return { data: page, text: jobsTable(page.jobs) };
    }),
  );

program
  .command('job <job-id>')
  .description('one job in full (the payload as its size; --json has it in base64)')
  .action(
    run(async (c, id: string) => {
      const job = await c.getJob(id);
      return { data: job, text: jobDetails(job) };
    }),
  );

program
  .command('cancel <job-id>')
  .description('cancel a pending, scheduled or dead job')
  .action(
    run(async (c, id: string) => {
      const job = await c.cancelJob(id);
      return { data: job, text: `${job.id} ${job.state}` };
    }),
  );

const dead = program.command('dead').description('the dead-letter set of a queue');
dead
  .command('list <queue>')
  .option('--limit <n>', 'how many', '50')
  .option('--page-token <token>', 'from a previous --json output')
  .action(
    run(async (c, queue: string, o: { limit: string; pageToken?: string }) => {
      const page = await c.listDeadJobs(queue, {
        pageSize: Number(o.limit),
        pageToken: o.pageToken,
      });
      const more = page.nextPageToken ? `\nmore: --page-token ${page.nextPageToken}` : '';
      return { data: page, text: jobsTable(page.jobs) + more };
    }),
  );
dead
  .command('redrive <queue> [job-ids...]')
  .description(
    'bring dead jobs back with fresh attempts: the given ones, or the oldest up to --limit',
  )
  .option('--limit <n>', 'with no ids: how many at most', '1000')
  .action(
    run(async (c, queue: string, ids: string[], o: { limit: string }) => {
      const count = await c.redriveDeadJobs(queue, { jobIds: ids, limit: Number(o.limit) });
      return { data: { redriven: count }, text: `redriven ${count}` };
    }),
  );

program
  .command('enqueue <queue>')
  .description('enqueue one job')
  .requiredOption('--tenant <tenant>', 'tenant id')
  .option('--priority <n>', '0..9', '0')
  .option('--payload <text>', 'payload text')
  .option('--payload-file <path>', 'payload from a file (- for stdin)')
  .option('--delay <duration>', 'e.g. 30s')
  .option('--idempotency-key <key>')
  .option('--max-attempts <n>')
  .action(
    run(async (c, queue: string, o: Record<string, string | undefined>) => {
      const payload = readPayload(o);
      const result = await c.enqueue({
        queue,
        tenantId: o.tenant!,
        payload,
        priority: Number(o.priority),
        ...(o.delay ? { delayMs: parseDuration(o.delay) } : {}),
        ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
        ...(o.maxAttempts ? { maxAttempts: Number(o.maxAttempts) } : {}),
      });
      const text = table(
        ['JOB', 'TIER', 'DUPLICATE'],
        [[result.jobId, result.tier, String(result.duplicate)]],
      );
      return { data: result, text };
    }),
  );

addScheduleCommands(program, run);

program.parseAsync().catch((err: unknown) => {
  const message = isSchedulerClientError(err)
    ? `${err.message}`
    : err instanceof Error
      ? err.message
      : String(err);
  process.stderr.write(`schedctl: ${message}\n`);
  process.exit(1);
});
