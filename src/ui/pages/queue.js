// @ts-check
/** One queue: its tiers against their weights, pause and resume, and its jobs by state. */
import { useRef, useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ConfirmButton, ErrorBox, html, queueHref, usePoll } from '../components.js';
import { age, count } from '../format.js';
import { leaseShares, ratesOf } from '../rates.js';
import { DeadJobs } from './dead.js';
import { JobList } from './jobs.js';
import { Schedules } from './schedules.js';

const TABS = [
  ['pending', 'Pending'],
  ['scheduled', 'Scheduled'],
  ['leased', 'Leased'],
  ['dead', 'Dead'],
  ['schedules', 'Schedules'],
];

/** @param {{info: import('../api.js').Info, queue: string, tab: string}} props */
export function Queue({ info, queue, tab }) {
  const memory = useRef(/** @type {Map<string, any>} */ (new Map()));
  const lastStats = useRef(/** @type {any} */ (undefined));
  const { data, error, reload } = usePoll(async () => {
    const stats = await rpc('GetQueueStats', { queue });
    const shares = leaseShares(lastStats.current, stats, info.tierWeights);
    lastStats.current = stats;
    return { stats, shares, rates: ratesOf(memory.current, queue, stats) };
  }, [queue]);
  const tabs = TABS.filter(
    ([id]) => id !== 'schedules' || info.methods.read.includes('ListSchedules'),
  );
  const current = tabs.some(([id]) => id === tab) ? tab : 'pending';
  return html`<section aria-labelledby="queue-title">
    <h1 id="queue-title">
      ${'Queue '}<code>${queue}</code>
      ${data?.stats.paused && html` <span class="badge paused">paused</span>`}
    </h1>
    <${ErrorBox} error=${error} />
    ${data && html`<${Tiers} stats=${data.stats} shares=${data.shares} rates=${data.rates} info=${info} />`}
    <${PauseControls} info=${info} queue=${queue} stats=${data?.stats} onDone=${reload} />
    <nav class="tabs" aria-label="Jobs by state">
      ${tabs.map(([id, label]) => html`<a href=${queueHref(queue, id)} aria-current=${id === current ? 'page' : undefined}>${label}</a>`)}
    </nav>
    ${current === 'dead' && html`<${DeadJobs} info=${info} queue=${queue} />`}
    ${current === 'schedules' && html`<${Schedules} info=${info} queue=${queue} />`}
    ${['pending', 'scheduled', 'leased'].includes(current) && html`<${JobList} info=${info} queue=${queue} state=${current} />`}
  </section>`;
}

/** @param {{stats: any, shares: Map<string, any>, rates: any, info: import('../api.js').Info}} props */
function Tiers({ stats, shares, rates }) {
  const pct = (/** @type {number | undefined} */ x) =>
    x === undefined ? '—' : `${Math.round(x * 100)}%`;
  return html`<table>
    <caption>
      Tiers: ${count(stats.counts?.pending)} pending, oldest ready ${age(stats.oldestReadyAge)}
      ${rates && html`; ${rates.enqueued} enqueued/s, ${rates.acked} acked/s, ${rates.dead} dead/s`}
    </caption>
    <thead>
      <tr>
        <th scope="col">Tier</th>
        <th scope="col">Weight</th>
        <th scope="col">Pending</th>
        <th scope="col">Scheduled</th>
        <th scope="col">Leased</th>
        <th scope="col">Dead</th>
        <th scope="col">Oldest ready</th>
        <th scope="col">Share of recent leases</th>
        <th scope="col">Share by weight</th>
      </tr>
    </thead>
    <tbody>
      ${stats.tiers.map((/** @type {any} */ t) => {
        const s = shares.get(t.tier) ?? {};
        return html`<tr key=${t.tier}>
          <th scope="row">${t.tier}</th>
          <td>${t.weight}</td>
          <td>${count(t.counts?.pending)}</td>
          <td>${count(t.counts?.scheduled)}</td>
          <td>${count(t.counts?.leased)}</td>
          <td>${count(t.counts?.dead)}</td>
          <td>${age(t.oldestReadyAge)}</td>
          <td>${pct(s.share)}</td>
          <td>${pct(s.fair)}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** @param {{info: import('../api.js').Info, queue: string, stats: any, onDone: () => void}} props */
function PauseControls({ info, queue, stats, onDone }) {
  const [tenant, setTenant] = useState('');
  const [error, setError] = useState(/** @type {any} */ (undefined));
  if (!info.methods.write.includes('PauseQueue')) return null;
  const act = async (/** @type {string} */ method, /** @type {string} */ tenantId) => {
    setError(undefined);
    try {
      await rpc(method, { queue, tenantId });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const pausedTenants = /** @type {string[]} */ (stats?.pausedTenants ?? []);
  return html`<div class="controls">
    ${
      stats?.paused
        ? html`<button type="button" class="primary" onClick=${() => act('ResumeQueue', '')}>
            Resume queue
          </button>`
        : html`<${ConfirmButton}
            label="Pause queue"
            question=${`Stop leasing from ${queue}? Enqueues go on.`}
            onConfirm=${() => rpc('PauseQueue', { queue, tenantId: '' }).then(onDone)}
          />`
    }
    <form
      class="inline"
      onSubmit=${(/** @type {Event} */ e) => (e.preventDefault(), tenant && act('PauseQueue', tenant))}
    >
      <label for="pause-tenant">Tenant</label>
      <input
        id="pause-tenant"
        value=${tenant}
        onInput=${(/** @type {any} */ e) => setTenant(e.currentTarget.value)}
        autocomplete="off"
      />
      <button type="submit">Pause tenant</button>
      <button type="button" onClick=${() => tenant && act('ResumeQueue', tenant)}>
        Resume tenant
      </button>
    </form>
    ${pausedTenants.length > 0 && html`<p>Paused tenants: ${pausedTenants.join(', ')}</p>`}
    <${ErrorBox} error=${error} />
  </div>`;
}
