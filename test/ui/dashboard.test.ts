/**
 * The dashboard in a real browser against a real server and Redis: what an operator sees on each
 * page, and that what they do there (redrive, cancel, pause) is what gRPC then reports.
 * DASHBOARD_SCREENSHOTS=<dir> also saves each main page as a PNG (docs/dashboard.md's pictures).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import {
  TestWorker,
  seconds,
  sleep,
  startTestServer,
  unary,
  useTestServer,
  type TestServer,
} from '../helpers/server';
import { launch, openPage } from './browser';
import { seedQueue, tokensFile } from './fixture';

const SHOTS = process.env.DASHBOARD_SCREENSHOTS;

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true });
}

describe('dashboard in a browser', () => {
  const t = useTestServer({ STATIC_TIERS: 'acme=premium' });
  let browser: Browser;
  const url = (hash = ''): string => `http://127.0.0.1:${t.server.metricsPort}/ui/${hash}`;
  const stats = async (queue: string): Promise<{ pending?: string; dead?: string }> =>
    (await unary<GetQueueStatsResponse__Output>((cb) => t.client.getQueueStats({ queue }, cb)))
      .counts ?? {};

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('opens a queue by name and shows its tiers, weights and pending jobs', async () => {
    const queue = uniqueName('emails');
    await seedQueue(t.client, queue, { pending: 6, dead: 0 });
    const { page, errors } = await openPage(browser);
    await page.goto(url());
    await page.getByRole('note').filter({ hasText: 'No authentication' }).waitFor();
    await page.getByRole('textbox', { name: 'Queue' }).fill(queue);
    await page.getByRole('button', { name: 'Open queue' }).click();
    await page.getByRole('heading', { name: `Queue ${queue}` }).waitFor();
    const premium = page.getByRole('row', { name: /^premium 1000 3 / });
    await premium.waitFor();
    await page.getByRole('row', { name: /^free 100 3 / }).waitFor();
    await page.getByText(/Busiest tenants on this page/).waitFor(); // the pending list has loaded
    const pendingRows = page.getByRole('table').nth(1).getByRole('row');
    assert.equal(await pendingRows.count(), 1 + 6); // header + six jobs, next in line first
    await shoot(page, 'queue');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('redrives selected dead jobs after a confirmation, as gRPC then reports', async () => {
    const queue = uniqueName('billing');
    const dead = await seedQueue(t.client, queue, { pending: 0, dead: 3 });
    const { page, errors } = await openPage(browser);
    await page.goto(url(`#/queue/${queue}/dead`));
    await page.getByRole('cell', { name: 'smtp: mailbox full' }).first().waitFor();
    await page.getByLabel(`Select ${dead[0]}`).check();
    await page.getByLabel(`Select ${dead[1]}`).check();
    await shoot(page, 'dead');
    await page.getByRole('button', { name: 'Redrive selected (2)' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Send 2 dead job(s) back to pending?').waitFor();
    assert.equal((await stats(queue)).dead, '3'); // nothing happens before Confirm
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Redrove 2 job(s).' }).waitFor();
    const after = await stats(queue);
    assert.equal(after.pending, '2');
    assert.equal(after.dead, '1');
    await page.getByRole('row', { name: new RegExp(dead[2]!) }).waitFor();
    // The list reloads after the action: wait for the redriven rows to leave it, not a snapshot.
    await page
      .getByRole('row', { name: new RegExp(`${dead[0]!} `) })
      .waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: new RegExp(`${dead[1]!} `) })
      .waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a job with its payload hidden until asked, then pretty-printed', async () => {
    const queue = uniqueName('reports');
    await seedQueue(t.client, queue, { pending: 1, dead: 0 });
    const { page, errors } = await openPage(browser);
    await page.goto(url(`#/queue/${queue}`));
    await page.getByRole('link', { name: `${queue}/1` }).click();
    await page.getByRole('heading', { name: new RegExp(`Job ${queue}/1`) }).waitFor();
    await page.getByText('premium').first().waitFor();
    assert.equal(await page.getByText('user0@example.com').count(), 0);
    await page.getByRole('button', { name: 'Show payload' }).click();
    const body = await page.locator('pre').innerText();
    assert.deepEqual(JSON.parse(body), { to: 'user0@example.com', n: 0 });
    assert.match(body, /\n {2}"to"/); // indented: pretty-printed
    await shoot(page, 'job');
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('cancelled', { exact: true }).waitFor();
    const job = await unary<GetJobResponse__Output>((cb) =>
      t.client.getJob({ jobId: `${queue}/1` }, cb),
    );
    assert.equal(job.job?.state, 'JOB_STATE_CANCELLED');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('pauses and resumes its own updates from the header', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(url());
    const button = page.getByRole('button', { name: 'Pause updates' });
    await button.click();
    await page.getByRole('button', { name: 'Resume updates', pressed: true }).waitFor();
    await page.getByText('Updates paused').waitFor();
    await page.getByRole('button', { name: 'Resume updates' }).click();
    await page.getByText('Updating every 2 s').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('pausing a queue from the dashboard', () => {
  // A Redis of its own: the overview lists every queue of the registry, and these are all.
  let redis: TestRedis;
  let server: TestServer;
  let browser: Browser;
  const url = (hash = ''): string => `http://127.0.0.1:${server.metricsPort}/ui/${hash}`;

  before(async () => {
    redis = await startRedis({ own: true });
    server = await startTestServer(redis.url, { STATIC_TIERS: 'acme=premium' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.stop();
  });

  it('pauses a queue from its page after a confirmation, lists it paused, and resumes it', async () => {
    const queue = uniqueName('invoices');
    await seedQueue(server.client, queue, { pending: 3, dead: 1 });
    await seedQueue(server.client, uniqueName('emails'), { pending: 6, dead: 2 }); // one more row
    const queueStats = (): Promise<GetQueueStatsResponse__Output> =>
      unary((cb) => server.client.getQueueStats({ queue }, cb));
    const { page, errors } = await openPage(browser);
    await page.goto(url(`#/queue/${queue}`));
    await page.getByRole('heading', { name: `Queue ${queue}` }).waitFor();
    await page.getByRole('button', { name: 'Pause queue' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`Stop leasing from ${queue}? Enqueues go on.`).waitFor();
    assert.equal((await queueStats()).paused, false, 'nothing happens before Confirm');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'Resume queue' }).waitFor();
    await page.getByRole('heading', { name: `Queue ${queue} paused` }).waitFor();
    assert.equal((await queueStats()).paused, true);

    // A worker gets nothing from the paused queue; its enqueue wakes the worker's lease calls.
    const worker = new TestWorker(server.client, {
      queue,
      credits: 10,
      visibilityTimeout: seconds(30_000),
    });
    await unary((cb) =>
      server.client.enqueue({ queue, tenantId: 'acme', payload: Buffer.from('{}') }, cb),
    );
    await sleep(300);
    assert.equal(worker.jobs.length, 0, 'nothing leased while paused');

    // The overview lists the queue with its counts and its state.
    await page.goto(url());
    const row = page.getByRole('row', { name: new RegExp(`^${queue} 4 0 0 1 .* paused$`) });
    await row.waitFor();
    await shoot(page, 'overview');

    await page.goto(url(`#/queue/${queue}`));
    await page.getByRole('button', { name: 'Resume queue' }).click();
    await page.getByRole('button', { name: 'Pause queue' }).waitFor();
    await worker.waitForJobs(4); // resuming woke it
    assert.equal((await queueStats()).paused, false);
    await page.goto(url());
    await page.getByRole('row', { name: new RegExp(`^${queue} 0 0 4 1 .* running$`) }).waitFor();
    worker.end();
    await worker.status;
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('dashboard in a browser with tokens', () => {
  let redis: TestRedis;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    redis = await startRedis();
    const file = tokensFile([{ name: 'ops', token: 'ops-secret', scopes: ['admin'] }]);
    server = await startTestServer(redis.url, { AUTH_TOKENS_FILE: file });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.stop();
  });

  it('asks for a token, says when it is refused, and works once a good one is given', async () => {
    const queue = uniqueName('secured');
    const { page, errors } = await openPage(browser);
    await page.goto(`http://127.0.0.1:${server.metricsPort}/ui/#/queue/${queue}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('note').filter({ hasText: 'No authentication' }).count(), 0);
    await page.getByLabel('Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The server refused the token' }).waitFor();
    await page.getByLabel('Token').fill('ops-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Queue ${queue}` }).waitFor();
    await page.getByRole('row', { name: /^premium 1000 / }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The refused token's 401s are expected console errors (failed fetches); nothing else.
    assert.deepEqual(
      errors.filter((e) => !/401/.test(e)),
      [],
    );
    await page.close();
  });
});
