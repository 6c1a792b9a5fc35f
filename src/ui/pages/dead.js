// @ts-check
/** A queue's dead letters: read why they died, then redrive or cancel some or all of them. */
import { useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ConfirmButton, ErrorBox, html, jobHref, Pager, usePoll } from '../components.js';
import { count, time } from '../format.js';

const PAGE_SIZE = 50;
/** RedriveDeadJobs's most per call. */
const REDRIVE_LIMIT = 10000;

/** @param {{info: import('../api.js').Info, queue: string}} props */
export function DeadJobs({ info, queue }) {
  const [tokens, setTokens] = useState(/** @type {string[]} */ ([]));
  const [selected, setSelected] = useState(/** @type {Set<string>} */ (new Set()));
  const [notice, setNotice] = useState('');
  const { data, error, reload } = usePoll(
    () => rpc('ListDeadJobs', { queue, pageSize: PAGE_SIZE, pageToken: tokens.at(-1) ?? '' }),
    [queue, tokens.join(',')],
  );
  const can = (/** @type {string} */ m) => info.methods.write.includes(m);
  const done = (/** @type {string} */ text) => {
    setNotice(text);
    setSelected(new Set());
    reload();
  };
  const toggle = (/** @type {string} */ id) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  if (!data) return html`<${ErrorBox} error=${error} />`;
  const ids = data.jobs.map((/** @type {any} */ j) => j.id);
  const all = ids.length > 0 && ids.every((/** @type {string} */ id) => selected.has(id));
  const chosen = [...selected];
  return html`<${ErrorBox} error=${error} />
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <div class="controls">
      ${
        can('RedriveDeadJobs') &&
        html` <${ConfirmButton}
            label=${`Redrive selected (${chosen.length})`}
            disabled=${chosen.length === 0}
            question=${`Send ${chosen.length} dead job(s) back to pending?`}
            onConfirm=${async () => {
              const r = await rpc('RedriveDeadJobs', { queue, jobIds: chosen });
              done(`Redrove ${count(r.redrivenCount)} job(s).`);
            }}
          />
          <${ConfirmButton}
            label="Redrive all"
            disabled=${ids.length === 0}
            question=${`Send every dead job of ${queue} (up to ${count(REDRIVE_LIMIT)}) back to pending?`}
            onConfirm=${async () => {
              const r = await rpc('RedriveDeadJobs', { queue, limit: REDRIVE_LIMIT });
              done(`Redrove ${count(r.redrivenCount)} job(s).`);
            }}
          />`
      }
      ${
        can('CancelJob') &&
        html` <${ConfirmButton}
          label=${`Cancel selected (${chosen.length})`}
          danger
          disabled=${chosen.length === 0}
          question=${`Cancel ${chosen.length} dead job(s) for good?`}
          onConfirm=${async () => {
            for (const jobId of chosen) await rpc('CancelJob', { jobId });
            done(`Cancelled ${chosen.length} job(s).`);
          }}
        />`
      }
      ${
        can('PurgeDeadJobs') &&
        html` <${ConfirmButton}
          label="Purge all"
          danger
          disabled=${ids.length === 0}
          question=${`Delete every dead job of ${queue}? This cannot be undone.`}
          onConfirm=${async () => {
            const r = await rpc('PurgeDeadJobs', { queue });
            done(`Purged ${count(r.purgedCount ?? r.count)} job(s).`);
          }}
        />`
      }
    </div>
    <table>
      <caption>
        Dead jobs, most recent deaths last
      </caption>
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label="Select every job on this page"
              checked=${all}
              onChange=${() => setSelected(all ? new Set() : new Set(ids))}
            />
          </th>
          <th scope="col">Job</th>
          <th scope="col">Tenant</th>
          <th scope="col">Attempts</th>
          <th scope="col">Died</th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        ${
          data.jobs.length === 0 &&
          html`<tr>
            <td colspan="6">No dead jobs.</td>
          </tr>`
        }
        ${data.jobs.map(
          (/** @type {any} */ j) =>
            html`<tr key=${j.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label=${`Select ${j.id}`}
                  checked=${selected.has(j.id)}
                  onChange=${() => toggle(j.id)}
                />
              </td>
              <th scope="row"><a href=${jobHref(j.id)}>${j.id}</a></th>
              <td>${j.tenantId}</td>
              <td>${j.attempt} of ${j.maxAttempts}</td>
              <td>${time(j.finishTime)}</td>
              <td class="error-text">${j.lastError || '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <${Pager} tokens=${tokens} next=${data.nextPageToken} onPage=${setTokens} />`;
}
