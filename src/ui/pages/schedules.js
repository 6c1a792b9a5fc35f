// @ts-check
/** A queue's recurring schedules: when each runs next and last, pause, resume and delete. */
import { useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ConfirmButton, ErrorBox, html, jobHref, Pager, usePoll } from '../components.js';
import { age, time } from '../format.js';

/** @param {{info: import('../api.js').Info, queue: string}} props */
export function Schedules({ info, queue }) {
  const [tokens, setTokens] = useState(/** @type {string[]} */ ([]));
  const [error, setError] = useState(/** @type {any} */ (undefined));
  const page = usePoll(
    () => rpc('ListSchedules', { queue, pageSize: 50, pageToken: tokens.at(-1) ?? '' }),
    [queue, tokens.join(',')],
  );
  const can = (/** @type {string} */ m) => info.methods.write.includes(m);
  const setPaused = async (/** @type {any} */ schedule, /** @type {boolean} */ paused) => {
    setError(undefined);
    try {
      await rpc('UpsertSchedule', { schedule: { ...schedule, paused } });
      page.reload();
    } catch (err) {
      setError(err);
    }
  };
  if (!page.data) return html`<${ErrorBox} error=${page.error} />`;
  return html`<${ErrorBox} error=${page.error ?? error} />
    <table>
      <caption>
        Schedules
      </caption>
      <thead>
        <tr>
          <th scope="col">Schedule</th>
          <th scope="col">Cadence</th>
          <th scope="col">Next run</th>
          <th scope="col">Last run</th>
          <th scope="col">Last job</th>
          <th scope="col">State</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        ${
          page.data.schedules.length === 0 &&
          html`<tr>
            <td colspan="7">No schedules.</td>
          </tr>`
        }
        ${page.data.schedules.map(
          (/** @type {any} */ s) =>
            html`<tr key=${s.scheduleId}>
              <th scope="row">${s.scheduleId}</th>
              <td>
                ${s.cron ? `cron ${s.cron} (${s.timeZone || 'UTC'})` : `every ${age(s.every)}`}
              </td>
              <td>${s.paused ? '—' : time(s.nextRunTime)}</td>
              <td>${time(s.lastRunTime)}</td>
              <td>
                ${s.lastJobId ? html`<a href=${jobHref(s.lastJobId)}>${s.lastJobId}</a>` : '—'}
              </td>
              <td>${s.paused ? html`<span class="badge paused">paused</span>` : 'active'}</td>
              <td>
                ${
                  can('UpsertSchedule') &&
                  html`<button type="button" onClick=${() => setPaused(s, !s.paused)}>
                    ${s.paused ? 'Resume' : 'Pause'}
                  </button>`
                }
                ${
                  can('DeleteSchedule') &&
                  html`<${ConfirmButton}
                    label="Delete"
                    danger
                    question=${`Delete schedule ${s.scheduleId}?`}
                    onConfirm=${() => rpc('DeleteSchedule', { queue, scheduleId: s.scheduleId }).then(page.reload)}
                  />`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <${Pager} tokens=${tokens} next=${page.data.nextPageToken} onPage=${setTokens} />`;
}
