/** schedctl against a real server: tables for people, JSON for scripts, errors on stderr. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { it } from 'node:test';
import { uniqueName } from '../helpers/redis';
import { useTestServer } from '../helpers/server';

const exec = promisify(execFile);
const t = useTestServer({ STATIC_TIERS: 'acme=premium' });

async function schedctl(...args: string[]): Promise<string> {
  const cli = ['--import', 'tsx', 'src/cli/schedctl.ts', '--addr', t.server.address, ...args];
  const { stdout } = await exec(process.execPath, cli);
  return stdout;
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
