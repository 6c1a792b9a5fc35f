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
