// @ts-check
/** A queue's pending, scheduled or leased jobs, a page at a time, without changing them. */
import { useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ErrorBox, html, jobHref, Pager, usePoll } from '../components.js';
import { time } from '../format.js';

const PAGE_SIZE = 50;
const WHEN = {
  pending: ['Enqueued', 'enqueueTime'],
  scheduled: ['Due', 'scheduledTime'],
  leased: ['Lease ends', 'leaseExpireTime'],
};

/** @param {{info: import('../api.js').Info, queue: string, state: 'pending' | 'scheduled' | 'leased'}} props */
export function JobList({ queue, state }) {
  const [tokens, setTokens] = useState(/** @type {string[]} */ ([]));
  const { data, error } = usePoll(
    () =>
      rpc('ListJobs', {
        queue,
        state: `JOB_STATE_${state.toUpperCase()}`,
        pageSize: PAGE_SIZE,
        pageToken: tokens.at(-1) ?? '',
      }),
    [queue, state, tokens.join(',')],
  );
  const [whenLabel, whenField] = WHEN[state];
  if (!data) return html`<${ErrorBox} error=${error} />`;
  return html`<${ErrorBox} error=${error} />
    ${state === 'pending' && html`<${BusiestTenants} jobs=${data.jobs} />`}
    <table>
      <caption>
        ${state} jobs${state === 'pending' ? ', next in line first' : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Tenant</th>
          <th scope="col">Tier</th>
          <th scope="col">Priority</th>
          <th scope="col">Attempt</th>
          <th scope="col">${whenLabel}</th>
        </tr>
      </thead>
      <tbody>
        ${
          data.jobs.length === 0 &&
          html`<tr>
            <td colspan="6">No ${state} jobs.</td>
          </tr>`
        }
        ${data.jobs.map(
          (/** @type {any} */ j) =>
            html`<tr key=${j.id}>
              <th scope="row"><a href=${jobHref(j.id)}>${j.id}</a></th>
              <td>${j.tenantId}</td>
              <td>${j.tier}</td>
              <td>${j.priority}</td>
              <td>${j.attempt} of ${j.maxAttempts}</td>
              <td>${time(j[whenField])}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <${Pager} tokens=${tokens} next=${data.nextPageToken} onPage=${setTokens} />`;
}

/** Who holds this page of pending jobs: the tenants flooding a tier show up here first. */
function BusiestTenants({ jobs }) {
  const byTenant = new Map();
  for (const j of jobs) {
    const key = `${j.tier}\u0000${j.tenantId}`;
    byTenant.set(key, (byTenant.get(key) ?? 0) + 1);
  }
  const top = [...byTenant].sort((a, b) => b[1] - a[1]).slice(0, 5);
  if (top.length === 0) return null;
  return html`<p class="tenants">
    Busiest tenants on this page:
    ${top.map(([key, n]) => {
      const [tier, tenant] = key.split('\u0000');
      return html` <span class="badge">${tenant} (${tier}): ${n}</span>`;
    })}
  </p>`;
}
