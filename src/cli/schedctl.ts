#!/usr/bin/env node
/**
 * schedctl: the operator's command line. Talks to a scheduler over gRPC (so tokens and scopes
 * apply), prints tables for people and JSON with --json for scripts.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { SchedulerClient, isSchedulerClientError, type TlsOptions } from '../clients';
import { jobDetails, jobsTable, statsTable, table, toJson, watchLine } from './format';
import { duration, integer } from './options';
import { addScheduleCommands } from './schedule-commands';

type ListableState = 'pending' | 'scheduled' | 'leased' | 'dead';

interface Globals {
  addr: string;
  token?: string;
  tls: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  connectTimeout: number;
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
  .option('--tls', 'use TLS (system roots, unless --cacert)', false)
  .addOption(
    new Option(
      '--cacert <file>',
      'PEM CA certificates to verify the server with (implies --tls)',
    ).env('SCHEDULER_CACERT'),
  )
  .addOption(
    new Option('--cert <file>', 'PEM client certificate for mutual TLS (with --key)').env(
      'SCHEDULER_CERT',
    ),
  )
  .addOption(new Option('--key <file>', 'PEM private key of --cert').env('SCHEDULER_KEY'))
  .addOption(
    new Option('--connect-timeout <duration>', 'give up connecting after this long')
      .argParser(duration)
      .default(5000, '5s'),
  )
  .option('--json', 'print JSON instead of tables, errors as JSON on stderr', false)
  // Subcommands inherit these: errors come back to report() below, JSON under --json.
  .exitOverride()
  .configureOutput({ outputError: (text, write) => (wantsJson() ? undefined : write(text)) });

function readPem(option: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return program.error(`error: ${option}: cannot read ${path} (${why})`);
  }
}

function tlsOptions(g: Globals): TlsOptions | boolean {
  if (Boolean(g.cert) !== Boolean(g.key)) program.error('error: --cert and --key go together');
  if (!g.cacert && !g.cert) return g.tls;
  return {
    ...(g.cacert ? { rootCerts: readPem('--cacert', g.cacert) } : {}),
    ...(g.cert && g.key
      ? { certChain: readPem('--cert', g.cert), privateKey: readPem('--key', g.key) }
      : {}),
  };
}

function client(): SchedulerClient {
  const g = program.opts<Globals>();
  return new SchedulerClient({
    address: g.addr,
    tls: tlsOptions(g),
    ...(g.token ? { token: g.token } : {}),
  });
}

/**
 * Runs an action with a client, prints its result as JSON or as the given text. It first waits
 * for a connection, so a scheduler that is not there fails in --connect-timeout with a clear
 * message rather than after the call's deadline.
 */
function run<A extends unknown[]>(
  action: (c: SchedulerClient, ...args: A) => Promise<{ data: unknown; text: string }>,
) {
  return async (...args: A): Promise<void> => {
    const c = client();
    try {
      await c.waitForReady(program.opts<Globals>().connectTimeout);
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
  .option('--limit <n>', 'how many', integer(1), 20)
  .action(
    run(async (c, queue: string, o: { state: ListableState; tier?: string; limit: number }) => {
      const page = await c.listJobs(queue, { state: o.state, tier: o.tier, pageSize: o.limit });
      return { data: page, text: jobsTable(page.jobs) };
    }),
  );

program
  .command('job <job-id>')
  .description('one job in full (the payload as its size; --json has it in base64)')
  .option('--watch', 'print a line (--json: an object) per change until the job is final')
  .action(async (id: string, options: { watch?: boolean }) => {
    if (options.watch) return watch(id);
    await run(async (c) => {
      const job = await c.getJob(id);
      return { data: job, text: jobDetails(job) };
    })();
  });

/** Follows a job to its end; exits 0 when it succeeded, 1 when it ended dead or cancelled. */
async function watch(id: string): Promise<void> {
  const c = client();
  const { json, connectTimeout } = program.opts<Globals>();
  try {
    await c.waitForReady(connectTimeout);
    let last;
    for await (const job of c.watchJob(id)) {
      process.stdout.write(`${json ? JSON.stringify(JSON.parse(toJson(job))) : watchLine(job)}\n`);
      last = job;
    }
    if (last?.state !== 'succeeded') process.exitCode = 1;
  } finally {
    c.close();
  }
}

program
  .command('cancel <job-id>')
  .description('cancel a job that is pending, scheduled, running (leased) or dead')
  .action(
    run(async (c, id: string) => {
      const job = await c.cancelJob(id);
      return { data: job, text: `${job.id} ${job.state}` };
    }),
  );

const dead = program.command('dead').description('the dead-letter set of a queue');
dead
  .command('list <queue>')
  .option('--limit <n>', 'how many', integer(1), 50)
  .option('--page-token <token>', 'from a previous --json output')
  .action(
    run(async (c, queue: string, o: { limit: number; pageToken?: string }) => {
      const page = await c.listDeadJobs(queue, { pageSize: o.limit, pageToken: o.pageToken });
      const more = page.nextPageToken ? `\nmore: --page-token ${page.nextPageToken}` : '';
      return { data: page, text: jobsTable(page.jobs) + more };
    }),
  );
dead
  .command('redrive <queue> [job-ids...]')
  .description(
    'bring dead jobs back with fresh attempts: the given ones, or the oldest up to --limit',
  )
  .option('--limit <n>', 'with no ids: how many at most', integer(1), 1000)
  .action(
    run(async (c, queue: string, ids: string[], o: { limit: number }) => {
      const count = await c.redriveDeadJobs(queue, { jobIds: ids, limit: o.limit });
      return { data: { redriven: count }, text: `redriven ${count}` };
    }),
  );

interface EnqueueFlags {
  tenant: string;
  priority: number;
  payload?: string;
  payloadFile?: string;
  delay?: number;
  idempotencyKey?: string;
  maxAttempts?: number;
}

program
  .command('enqueue <queue>')
  .description('enqueue one job')
  .requiredOption('--tenant <tenant>', 'tenant id')
  .option('--priority <n>', '0..9, higher first', integer(0, 9), 0)
  .addOption(new Option('--payload <text>', 'payload text').conflicts('payloadFile'))
  .option('--payload-file <path>', 'payload from a file (- for stdin)')
  .option('--delay <duration>', 'run no sooner than this from now: 500ms, 30s, 5m, 1h', duration)
  .option('--idempotency-key <key>')
  .option('--max-attempts <n>', 'attempts before the job goes dead (1 or more)', integer(1))
  .action(
    run(async (c, queue: string, o: EnqueueFlags) => {
      const file = o.payloadFile;
      const payload = file ? readFileSync(file === '-' ? 0 : file) : (o.payload ?? '');
      const result = await c.enqueue({
        queue,
        tenantId: o.tenant,
        payload,
        priority: o.priority,
        ...(o.delay !== undefined ? { delayMs: o.delay } : {}),
        ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
        ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
      });
      const text = table(
        ['JOB', 'TIER', 'DUPLICATE'],
        [[result.jobId, result.tier, String(result.duplicate)]],
      );
      return { data: result, text };
    }),
  );

/** --json was given (read from argv too: a usage error can come before options are stored). */
function wantsJson(): boolean {
  return program.opts<Globals>().json || process.argv.slice(2).includes('--json');
}

/** Errors as `schedctl: <message>` for people, or one JSON object for scripts, on stderr. */
function report(err: unknown): number {
  if (err instanceof CommanderError && err.exitCode === 0) return 0; // --help, --version
  const usage = err instanceof CommanderError;
  const message = (err instanceof Error ? err.message : String(err)).replace(/^error: /, '');
  if (wantsJson()) {
    const error = isSchedulerClientError(err)
      ? { code: err.codeName, message: err.details, ...(err.field ? { field: err.field } : {}) }
      : { code: usage ? 'USAGE' : 'ERROR', message };
    process.stderr.write(`${JSON.stringify({ error })}\n`);
  } else if (!usage) {
    process.stderr.write(`schedctl: ${message}\n`); // commander has printed its own
  }
  return usage ? err.exitCode : 1;
}

addScheduleCommands(program, run);

program.parseAsync().catch((err: unknown) => {
  process.exitCode = report(err);
});
