// @ts-check
/** Every queue at a glance: counts per state, oldest ready age, paused, rates. */
import { useRef, useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ErrorBox, html, Pager, queueHref, usePoll } from '../components.js';
import { age, count } from '../format.js';
import { ratesOf } from '../rates.js';

const PAGE_SIZE = 25;

/** @param {{info: import('../api.js').Info}} props */
export function Overview({ info }) {
  const listed = info.methods.read.includes('ListQueues');
  return html`<section aria-labelledby="overview-title">
    <h1 id="overview-title">Queues</h1>
    <${OpenQueue} />
    ${listed ? html`<${QueueTable} />` : html`<p>This server cannot list its queues: open one by name.</p>`}
  </section>`;
}

function OpenQueue() {
  const [queue, setQueue] = useState('');
  const [job, setJob] = useState('');
  return html`<div class="finders">
    <form
      class="inline"
      onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        if (queue.trim()) location.hash = queueHref(queue.trim());
      }}
    >
      <label for="open-queue">Queue</label>
      <input
        id="open-queue"
        value=${queue}
        onInput=${(/** @type {any} */ e) => setQueue(e.currentTarget.value)}
        placeholder="emails"
        autocomplete="off"
      />
      <button type="submit">Open queue</button>
    </form>
    <form
      class="inline"
      onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        if (job.trim()) location.hash = `#/job/${encodeURIComponent(job.trim())}`;
      }}
    >
      <label for="open-job">Job id</label>
      <input
        id="open-job"
        value=${job}
        onInput=${(/** @type {any} */ e) => setJob(e.currentTarget.value)}
        placeholder="emails/42"
        autocomplete="off"
      />
      <button type="submit">Open job</button>
    </form>
  </div>`;
}

function QueueTable() {
  const [tokens, setTokens] = useState(/** @type {string[]} */ ([]));
  const previous = useRef(/** @type {Map<string, any>} */ (new Map()));
  const { data, error } = usePoll(async () => {
    const page = await rpc('ListQueues', { pageSize: PAGE_SIZE, pageToken: tokens.at(-1) ?? '' });
    const stats = await Promise.all(
      page.queues.map((/** @type {any} */ q) =>
        rpc('GetQueueStats', { queue: q.queue }).catch(() => undefined),
      ),
    );
    return { page, stats };
  }, [tokens.join(',')]);
  if (!data) return html`<${ErrorBox} error=${error} />${error ? '' : html`<p>Loading…</p>`}`;
  const { page, stats } = data;
  return html`<${ErrorBox} error=${error} />
    <table>
      <caption>
        Queues (rates are per second since the previous reading)
      </caption>
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col">Pending</th>
          <th scope="col">Scheduled</th>
          <th scope="col">Leased</th>
          <th scope="col">Dead</th>
          <th scope="col">Oldest ready</th>
          <th scope="col">Enqueued/s</th>
          <th scope="col">Acked/s</th>
          <th scope="col">Dead/s</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        ${
          page.queues.length === 0 &&
          html`<tr>
            <td colspan="10">No queues yet.</td>
          </tr>`
        }
        ${page.queues.map((/** @type {any} */ q, /** @type {number} */ i) => {
          const rates = ratesOf(previous.current, q.queue, stats[i]);
          return html`<tr key=${q.queue}>
            <th scope="row"><a href=${queueHref(q.queue)}>${q.queue}</a></th>
            <td>${count(q.counts?.pending)}</td>
            <td>${count(q.counts?.scheduled)}</td>
            <td>${count(q.counts?.leased)}</td>
            <td>${count(q.counts?.dead)}</td>
            <td>${age(q.oldestReadyAge)}</td>
            <td>${rates?.enqueued ?? '…'}</td>
            <td>${rates?.acked ?? '…'}</td>
            <td>${rates?.dead ?? '…'}</td>
            <td>${q.paused ? html`<span class="badge paused">paused</span>` : 'running'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    <${Pager} tokens=${tokens} next=${page.nextPageToken} onPage=${setTokens} />`;
}
