#!/usr/bin/env node
/**
 * schedctl: the operator's command line. Talks to a scheduler over gRPC (so tokens and scopes
 * apply), prints tables for people and JSON with --json for scripts.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import {
  SchedulerClient,
  isSchedulerClientError,
  type QueueSummary,
  type TlsOptions,
} from '../clients';
import { jobDetails, jobsTable, queuesTable, statsTable, table, toJson, watchLine } from './format';
import { duration, integer, readOptionFile, readPayload } from './options';
import { addScheduleCommands } from './schedule-commands';

type ListableState = 'pending' | 'scheduled' | 'leased' | 'dead';

// grpc-js gives TLS the target's host as its server name even when that is an IP address, and
// Node warns about it (DEP0123) on every TLS run against an IP: noise for an operator, and a line
// that is not JSON on stderr under --json. Node's own printer is replaced; other warnings print.
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code !== 'DEP0123')
    process.stderr.write(`schedctl: ${warning.name}: ${warning.message}\n`);
});

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
  .description(
    'Operate a priority scheduler: queues, stats, jobs, pausing, dead letters, schedules',
  )
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

/** A usage error: printed (or JSON under --json), exit code 1, nothing sent. */
const fail = (message: string): never => program.error(message);

const readPem = (option: string, path: string): Buffer => readOptionFile(option, path, fail);

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
  .option('--limit <n>', 'how many (1..1000)', integer(1, 1000), 20)
  .action(
    run(async (c, queue: string, o: { state: ListableState; tier?: string; limit: number }) => {
      const page = await c.listJobs(queue, { state: o.state, tier: o.tier, pageSize: o.limit });
      return { data: page, text: jobsTable(page.jobs) };
    }),
  );

program
  .command('queues')
  .description('every queue the token is granted: counts, paused, oldest ready age')
  .action(
    run(async (c) => {
      const queues: QueueSummary[] = [];
      let pageToken: string | undefined;
      // Bounded: 1000 pages of 1000 queues.
      for (let page = 0; page < 1000; page++) {
        const res = await c.listQueues({ pageSize: 1000, pageToken });
        queues.push(...res.queues);
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      return { data: queues, text: queuesTable(queues) };
    }),
  );

program
  .command('pause <queue>')
  .description('stop leasing from a queue (or one tenant of it) on every replica')
  .option('--tenant <tenant>', 'only this tenant')
  .action(
    run(async (c, queue: string, o: { tenant?: string }) => {
      const changed = await c.pauseQueue(queue, o.tenant);
      const what = o.tenant ? `${queue} tenant ${o.tenant}` : queue;
      return { data: { changed }, text: `${what} paused${changed ? '' : ' (already)'}` };
    }),
  );

program
  .command('resume <queue>')
  .description('lease again from a paused queue (or tenant); waiting workers get jobs at once')
  .option('--tenant <tenant>', 'only this tenant')
  .action(
    run(async (c, queue: string, o: { tenant?: string }) => {
      const changed = await c.resumeQueue(queue, o.tenant);
      const what = o.tenant ? `${queue} tenant ${o.tenant}` : queue;
      return { data: { changed }, text: `${what} resumed${changed ? '' : ' (was not paused)'}` };
    }),
  );

const job = program.command('job').description('one job: show it, or change it while it waits');
job
  .command('show <job-id>', { isDefault: true })
  .description('one job in full (the payload as its size; --json has it in base64)')
  .option('--watch', 'print a line (--json: an object) per change until the job is final')
  .action(async (id: string, options: { watch?: boolean }) => {
    if (options.watch) return watch(id);
    await run(async (c) => {
      const found = await c.getJob(id);
      return { data: found, text: jobDetails(found) };
    })();
  });
job
  .command('set-priority')
  .description('change the priority of a pending or scheduled job')
  .argument('<job-id>')
  .addArgument(new Argument('<priority>', '0..9, higher first').argParser(integer(0, 9)))
  .action(
    run(async (c, id: string, priority: number) => {
      const changed = await c.updateJobPriority(id, priority);
      return { data: changed, text: `${changed.id} ${changed.state} priority ${changed.priority}` };
    }),
  );
job
  .command('promote <job-id>')
  .description('make a scheduled job ready now')
  .action(
    run(async (c, id: string) => {
      const promoted = await c.promoteJob(id);
      return { data: promoted, text: `${promoted.id} ${promoted.state}` };
    }),
  );

/** Follows a job to its end; exits 0 when it succeeded, 1 when it ended dead or cancelled. */
async function watch(id: string): Promise<void> {
  const c = client();
  const { json, connectTimeout } = program.opts<Globals>();
  try {
    await c.waitForReady(connectTimeout);
    let last;
    for await (const seen of c.watchJob(id)) {
      process.stdout.write(
        `${json ? JSON.stringify(JSON.parse(toJson(seen))) : watchLine(seen)}\n`,
      );
      last = seen;
    }
    if (last?.state !== 'succeeded') process.exitCode = 1;
  } finally {
    c.close();
  }
}

program
  .command('cancel <target>')
  .description(
    'cancel a job that is pending, scheduled, running (leased) or dead; with --all, the pending ' +
      'and scheduled jobs of a queue',
  )
  .option('--all', 'target is a queue: cancel its waiting jobs (leased ones are left alone)')
  .option('--tenant <tenant>', 'with --all: only this tenant')
  .option('--max <n>', 'with --all: stop after this many', integer(1), 1_000_000)
  .action(
    run(async (c, target: string, o: { all?: boolean; tenant?: string; max: number }) => {
      if (!o.all) {
        const cancelled = await c.cancelJob(target);
        return { data: cancelled, text: `${cancelled.id} ${cancelled.state}` };
      }
      const count = await bulk(o.max, async (limit, pageToken) => {
        const res = await c.cancelJobs(target, { tenantId: o.tenant, limit, pageToken });
        return { done: res.cancelled, pageToken: res.nextPageToken };
      });
      return { data: { cancelled: count }, text: `cancelled ${count}` };
    }),
  );

const dead = program.command('dead').description('the dead-letter set of a queue');
dead
  .command('list <queue>')
  .option('--limit <n>', 'how many (1..1000)', integer(1, 1000), 50)
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
  .option('--limit <n>', 'with no ids: how many at most (1..10000)', integer(1, 10_000), 1000)
  .action(
    run(async (c, queue: string, ids: string[], o: { limit: number }) => {
      const count = await c.redriveDeadJobs(queue, { jobIds: ids, limit: o.limit });
      return { data: { redriven: count }, text: `redriven ${count}` };
    }),
  );

dead
  .command('purge <queue>')
  .description('delete dead jobs, oldest first')
  .option('--max <n>', 'stop after this many', integer(1), 1_000_000)
  .action(
    run(async (c, queue: string, o: { max: number }) => {
      const count = await bulk(o.max, async (limit) => {
        const purged = await c.purgeDeadJobs(queue, limit);
        return { done: purged, pageToken: purged > 0 ? '' : undefined };
      });
      return { data: { purged: count }, text: `purged ${count}` };
    }),
  );

/**
 * Repeats a bounded bulk call (at most 10,000 jobs each) until it reports nothing left or `max`
 * jobs are done; each call gets the token the last one returned. Returns the total done.
 */
async function bulk(
  max: number,
  call: (
    limit: number,
    pageToken: string | undefined,
  ) => Promise<{ done: number; pageToken: string | undefined }>,
): Promise<number> {
  let total = 0;
  let pageToken: string | undefined;
  for (let calls = 0; calls < 100_000 && total < max; calls++) {
    const res = await call(Math.min(10_000, max - total), pageToken);
    total += res.done;
    pageToken = res.pageToken;
    if (pageToken === undefined) break;
  }
  return total;
}

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
  .action(async (queue: string, o: EnqueueFlags) => {
    const payload = readPayload(o, fail); // before connecting: a bad file is a usage error
    await run(async (c) => {
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
    })();
  });

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

addScheduleCommands(program, run, fail);

program.parseAsync().catch((err: unknown) => {
  process.exitCode = report(err);
});
