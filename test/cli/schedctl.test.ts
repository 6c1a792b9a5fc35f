/**
 * schedctl against a real server: tables for people, JSON for scripts, errors on stderr; bad
 * option values refused before anything is sent; no server, or TLS, as an operator meets them.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { SchedulerClient } from '../../src/clients';
import { waitFor } from '../clients/helpers';
import { serverTlsEnv, useCerts } from '../helpers/certs';
import { freePort, uniqueName } from '../helpers/redis';
import { TestWorker, startTestServer, useTestServer, type TestServer } from '../helpers/server';

const exec = promisify(execFile);
const t = useTestServer({ STATIC_TIERS: 'acme=premium' });
const certs = useCerts();

/** Runs schedctl with exactly `args`; bounded, so a hang fails the test instead of stalling it. */
async function cli(...args: string[]): Promise<string> {
  const argv = ['--import', 'tsx', 'src/cli/schedctl.ts', ...args];
  const { stdout } = await exec(process.execPath, argv, { timeout: 30_000 });
  return stdout;
}

async function schedctl(...args: string[]): Promise<string> {
  return cli('--addr', t.server.address, ...args);
}

interface Failure {
  code: number;
  stderr: string;
}

/** How a schedctl run that must fail failed. */
async function failure(run: Promise<string>): Promise<Failure> {
  const err = await run.then(
    (stdout) => assert.fail(`expected a failure, got: ${stdout}`),
    (e: Failure & { killed?: boolean }) => e,
  );
  assert.ok(!err.killed, 'schedctl hung until the test killed it');
  return err;
}

it('enqueues, shows stats, peeks, shows a job, cancels it, and lists dead letters', async () => {
  const queue = uniqueName();
  const enqueued = JSON.parse(
    await schedctl(
      '--json',
      'enqueue',
      queue,
      '--tenant',
      'acme',
      '--payload',
      'hello',
      '--priority',
      '3',
    ),
  ) as { jobId: string; tier: string };
  assert.equal(enqueued.tier, 'premium');

  const stats = await schedctl('stats', queue);
  assert.match(stats, /^TIER\s+WEIGHT\s+PENDING/m);
  assert.match(stats, /^premium\s+1000\s+1\s+0\s+0\s+0/m);
  assert.match(stats, /^backlog 1; (rates from the next read on|add [0-9.]+\/s, dispatch)/m);
  assert.match(
    await schedctl('stats', queue),
    /^backlog 1; add [0-9.]+\/s, dispatch 0\.00\/s over/m,
  );

  const peek = await schedctl('peek', queue);
  assert.match(peek, new RegExp(`^${enqueued.jobId}\\s+pending\\s+acme\\s+premium\\s+3`, 'm'));

  const job = JSON.parse(await schedctl('--json', 'job', enqueued.jobId)) as { payload: string };
  assert.equal(Buffer.from(job.payload, 'base64').toString(), 'hello');
  assert.match(await schedctl('job', enqueued.jobId), /^payload\s+5 bytes$/m);

  assert.match(await schedctl('cancel', enqueued.jobId), /cancelled/);
  assert.match(await schedctl('dead', 'list', queue), /no jobs/);
  assert.match(await schedctl('dead', 'redrive', queue), /redriven 0/);
});

it('prints the server error and exits 1', async () => {
  await assert.rejects(schedctl('stats', 'bad queue'), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /schedctl: .*queue/);
    return true;
  });
});

it('lists queues, pauses and resumes, edits and promotes jobs, cancels and purges in bulk', async () => {
  const queue = uniqueName('ctl');
  const ids: string[] = [];
  for (const delay of ['', '1h', '1h', '']) {
    const args = ['--json', 'enqueue', queue, '--tenant', 'globex', '--payload', 'x'];
    const out = await schedctl(...args, ...(delay ? ['--delay', delay] : []));
    ids.push((JSON.parse(out) as { jobId: string }).jobId);
  }
  assert.match(await schedctl('pause', queue), new RegExp(`^${queue} paused$`, 'm'));
  assert.match(await schedctl('pause', queue), /already/);
  assert.match(
    await schedctl('queues'),
    new RegExp(`^${queue}\\s+2\\s+2\\s+0\\s+0\\s+\\S+\\s+yes$`, 'm'),
  );
  assert.match(await schedctl('stats', queue), /\| paused/);
  assert.match(await schedctl('resume', queue), new RegExp(`^${queue} resumed$`, 'm'));

  assert.match(await schedctl('job', 'set-priority', ids[0]!, '7'), /pending priority 7/);
  assert.match(await schedctl('job', 'promote', ids[1]!), new RegExp(`^${ids[1]} pending$`, 'm'));
  assert.match(await schedctl('job', ids[0]!), /^priority\s+7$/m, 'show stays the default');

  assert.match(await schedctl('cancel', '--all', queue, '--tenant', 'globex'), /^cancelled 4$/m);
  assert.match(await schedctl('cancel', '--all', queue), /^cancelled 0$/m);
  assert.match(await schedctl('dead', 'purge', queue), /^purged 0$/m);
});

describe('bad option values', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a priority that is not a number', ['--priority', 'abc'], /'--priority <n>' argument 'abc'/],
    ['a priority above 9', ['--priority', '10'], /'--priority <n>' argument '10'.*0\.\.9/],
    ['a delay without a unit', ['--delay', '5'], /'--delay <duration>' argument '5'.*unit/],
    ['zero attempts', ['--max-attempts', '0'], /'--max-attempts <n>' argument '0'/],
    [
      'a payload and a payload file',
      ['--payload', 'x', '--payload-file', 'package.json'],
      /'--payload <text>' cannot be used with option '--payload-file <path>'/,
    ],
    [
      'a payload file it cannot read',
      ['--payload-file', '/nonexistent/payload'],
      /--payload-file: cannot read \/nonexistent\/payload \(ENOENT/,
    ],
  ];
  for (const [what, flags, message] of cases) {
    it(`refuses ${what}, naming the option, and enqueues nothing`, async () => {
      const queue = uniqueName();
      const err = await failure(schedctl('enqueue', queue, '--tenant', 'acme', ...flags));
      assert.equal(err.code, 1);
      assert.match(err.stderr, message);
      const stats = JSON.parse(await schedctl('--json', 'stats', queue)) as {
        counts: Record<string, number>;
      };
      assert.ok(
        Object.values(stats.counts).every((n) => n === 0),
        JSON.stringify(stats.counts),
      );
    });
  }

  for (const limit of ['0', 'abc', '2.5', '1001']) {
    it(`refuses --limit ${limit} for peek and dead list`, async () => {
      for (const command of [['peek'], ['dead', 'list']]) {
        const err = await failure(schedctl(...command, 'q', '--limit', limit));
        assert.match(err.stderr, new RegExp(`'--limit <n>' argument '${limit}' is invalid`));
      }
    });
  }

  it('refuses a priority that is not 0..9 for job set-priority, and leaves the job as it was', async () => {
    const queue = uniqueName();
    const { jobId } = JSON.parse(
      await schedctl('--json', 'enqueue', queue, '--tenant', 'acme', '--priority', '3'),
    ) as { jobId: string };
    for (const priority of ['abc', '1.5', '10']) {
      const err = await failure(schedctl('job', 'set-priority', jobId, priority));
      assert.equal(err.code, 1);
      assert.match(err.stderr, new RegExp(`'${priority}' is invalid for argument 'priority'`));
    }
    const job = JSON.parse(await schedctl('--json', 'job', jobId)) as { priority: number };
    assert.equal(job.priority, 3);
  });

  it('refuses a --start that is not a time for schedule set, and creates nothing', async () => {
    const queue = uniqueName();
    const set = ['schedule', 'set', queue, 'nightly', '--tenant', 'acme', '--every', '1m'];
    const err = await failure(schedctl('--json', ...set, '--start', 'tomorrow'));
    const { error } = JSON.parse(err.stderr) as { error: Record<string, string> };
    assert.equal(error.code, 'USAGE');
    assert.match(error.message!, /'--start <iso-time>' argument 'tomorrow' is invalid/);
    const missing = await failure(schedctl('--json', 'schedule', 'get', queue, 'nightly'));
    assert.equal(
      (JSON.parse(missing.stderr) as { error: { code: string } }).error.code,
      'NOT_FOUND',
    );
  });

  it('reads a delay with its unit: 2m schedules the job two minutes out', async () => {
    const queue = uniqueName();
    const { jobId } = JSON.parse(
      await schedctl('--json', 'enqueue', queue, '--tenant', 'acme', '--delay', '2m'),
    ) as { jobId: string };
    const job = JSON.parse(await schedctl('--json', 'job', jobId)) as {
      state: string;
      enqueueTime: string;
      scheduledTime: string;
    };
    assert.equal(job.state, 'scheduled');
    const ms = Date.parse(job.scheduledTime) - Date.parse(job.enqueueTime);
    assert.ok(ms >= 119_000 && ms <= 121_000, `scheduled ${ms} ms out`);
  });
});

describe('errors', () => {
  it('fails at once with "cannot connect to ADDR" when nothing listens there', async () => {
    const addr = `127.0.0.1:${await freePort()}`;
    // A connect timeout far beyond the run's bound: only failing on the refusal passes.
    const err = await failure(cli('--addr', addr, '--connect-timeout', '10m', 'stats', 'q'));
    assert.equal(err.code, 1);
    assert.match(err.stderr, new RegExp(`cannot connect to ${addr}`));
  });

  it('prints errors as JSON under --json: server errors with code and field, usage errors too', async () => {
    const server = await failure(schedctl('--json', 'stats', 'bad queue'));
    assert.deepEqual(Object.keys(JSON.parse(server.stderr) as object), ['error']);
    const { error } = JSON.parse(server.stderr) as { error: Record<string, string> };
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.equal(error.field, 'queue');

    const usage = await failure(schedctl('--json', 'peek', 'q', '--limit', '0'));
    const parsed = JSON.parse(usage.stderr) as { error: Record<string, string> };
    assert.equal(parsed.error.code, 'USAGE');
    assert.match(parsed.error.message!, /--limit/);
  });
});

describe('TLS with a private CA', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(t.redis.url, serverTlsEnv(certs, 'mtls'));
  });
  after(() => server.stop());

  it('connects with --cacert, --cert and --key', async () => {
    const tls = ['--cacert', certs.caCert, '--cert', certs.clientCert, '--key', certs.clientKey];
    const out = await cli('--addr', server.address, ...tls, 'stats', uniqueName());
    assert.match(out, /^TIER\s+WEIGHT/m);
  });

  it('cannot connect without a client certificate, and says so', async () => {
    const err = await failure(
      cli('--addr', server.address, '--cacert', certs.caCert, 'stats', 'q'),
    );
    assert.match(err.stderr, new RegExp(`cannot connect to ${server.address}`));
  });

  it('under --json, stderr over TLS to an IP address is the one JSON error, with no warning', async () => {
    const tls = ['--cacert', certs.caCert, '--cert', certs.clientCert, '--key', certs.clientKey];
    assert.match(server.address, /^127\.0\.0\.1:/);
    const err = await failure(cli('--json', '--addr', server.address, ...tls, 'stats', 'bad q'));
    const { error } = JSON.parse(err.stderr) as { error: Record<string, string> };
    assert.equal(error.code, 'INVALID_ARGUMENT');
  });

  it('refuses --cert without --key', async () => {
    const err = await failure(
      cli('--addr', server.address, '--cert', certs.clientCert, 'stats', 'q'),
    );
    assert.match(err.stderr, /--cert and --key go together/);
  });
});

it('sets, shows, lists, pauses, resumes and deletes a schedule', async () => {
  const queue = uniqueName();
  const set = JSON.parse(
    await schedctl(
      '--json',
      'schedule',
      'set',
      queue,
      'digest',
      '--tenant',
      'acme',
      '--cron',
      '0 9 * * 1-5',
      '--tz',
      'Europe/Berlin',
      '--payload',
      'hi',
      '--missed',
      'run-once',
    ),
  ) as { created: boolean; schedule: { nextRunTime: string; missedRuns: string } };
  assert.equal(set.created, true);
  assert.equal(set.schedule.missedRuns, 'run_once');
  assert.ok(Date.parse(set.schedule.nextRunTime) > Date.now());
  assert.match(
    await schedctl('schedule', 'get', queue, 'digest'),
    /^digest\s+0 9 \* \* 1-5\s+Europe\/Berlin\s+acme\s+\S+Z\s+-\s+-\s+no$/m,
  );
  assert.match(
    await schedctl('schedule', 'pause', queue, 'digest'),
    /^digest\s.*\s-\s+-\s+-\s+yes$/m,
  );
  const resumed = await schedctl('schedule', 'resume', queue, 'digest');
  assert.match(resumed, /^digest\s.*\s+no$/m);
  await schedctl('schedule', 'set', queue, 'tick', '--tenant', 'acme', '--every', '30s');
  assert.match(await schedctl('schedule', 'list', queue), /^tick\s+every 30\.0s\s+UTC\s+acme/m);
  assert.match(await schedctl('schedule', 'delete', queue, 'digest'), /deleted digest/);
  await assert.rejects(schedctl('schedule', 'get', queue, 'digest'), (err: { stderr: string }) =>
    /not found/.test(err.stderr),
  );
});

it('job --watch prints each change until the job is final; cancel stops a running job', async () => {
  const queue = uniqueName();
  const client = new SchedulerClient({ address: t.server.address });
  try {
    const { jobId } = await client.enqueue({ queue, tenantId: 'acme' });
    const lease = new TestWorker(t.client, { queue, credits: 1 });
    const [leased] = await lease.waitForJobs(1);
    await client.reportProgress(leased!.leaseId, { percent: 50 });
    const argv = ['--import', 'tsx', 'src/cli/schedctl.ts', '--addr', t.server.address];
    const watcher = spawn(process.execPath, [...argv, 'job', jobId, '--watch']);
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', resolve));
    let out = '';
    watcher.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor('the first line', () => out.includes('\n'));
    assert.match(out, / leased attempt 1\/5 progress \{"percent":50\}\n$/);
    assert.match(await schedctl('cancel', jobId), new RegExp(`^${jobId} cancelled$`, 'm'));
    assert.equal(await exited, 1, 'a job that did not succeed exits 1');
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, / cancelled attempt 1\/5 progress \{"percent":50\}$/);
    await waitFor('the stream to be told', () =>
      lease.messages.some((m) => m.cancelled.includes(leased!.leaseId)),
    );
    lease.end();
  } finally {
    client.close();
  }
});
