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
