// @ts-check
/** One job: what it is, where it stands, its payload (hidden until asked), result and progress. */
import { useState } from 'preact/hooks';
import { rpc } from '../api.js';
import { ConfirmButton, ErrorBox, html, queueHref, usePoll } from '../components.js';
import { decodeBytes, stateName, time } from '../format.js';

const TERMINAL = new Set(['succeeded', 'dead', 'cancelled']);

/** @param {{info: import('../api.js').Info, jobId: string}} props */
export function Job({ info, jobId }) {
  const { data, error, reload } = usePoll(() => rpc('GetJob', { jobId }), [jobId]);
  const job = data?.job;
  if (!job)
    return html`<section>
      <h1>${'Job '}<code>${jobId}</code></h1>
      <${ErrorBox} error=${error} />
    </section>`;
  const state = stateName(job.state);
  const headers = Object.entries(job.headers ?? {});
  return html`<section aria-labelledby="job-title">
    <h1 id="job-title">
      ${'Job '}<code>${job.id}</code> <span class=${`badge state-${state}`}>${state}</span>
    </h1>
    <${ErrorBox} error=${error} />
    <dl class="facts">
      <dt>Queue</dt>
      <dd><a href=${queueHref(job.queue)}>${job.queue}</a></dd>
      <dt>Tenant</dt>
      <dd>${job.tenantId} (tier ${job.tier})</dd>
      <dt>Priority</dt>
      <dd>${job.priority}</dd>
      <dt>Attempt</dt>
      <dd>${job.attempt} of ${job.maxAttempts}</dd>
      ${
        job.idempotencyKey &&
        html`<dt>Idempotency key</dt>
          <dd>${job.idempotencyKey}</dd>`
      }
      <dt>Last error</dt>
      <dd class="error-text">${job.lastError || '—'}</dd>
    </dl>
    <h2>Timeline</h2>
    <ol class="timeline">
      <li>Enqueued ${time(job.enqueueTime)}</li>
      ${job.scheduledTime && html`<li>Due ${time(job.scheduledTime)}</li>`}
      ${job.leaseExpireTime && html`<li>Lease ends ${time(job.leaseExpireTime)}</li>`}
      ${job.finishTime && html`<li>${state === 'succeeded' ? 'Succeeded' : state === 'dead' ? 'Died' : 'Finished'} ${time(job.finishTime)}</li>`}
    </ol>
    ${
      info.methods.write.includes('CancelJob') &&
      !TERMINAL.has(state) &&
      html`<div class="controls">
        <${ConfirmButton}
          label="Cancel job"
          danger
          question=${`Cancel ${job.id} for good?`}
          onConfirm=${() => rpc('CancelJob', { jobId: job.id }).then(reload)}
        />
      </div>`
    }
    <h2>Headers</h2>
    ${
      headers.length === 0
        ? html`<p>None.</p>`
        : html`<table>
            <caption class="sr-only">
              Headers
            </caption>
            <tbody>
              ${headers.map(
                ([k, v]) =>
                  html`<tr key=${k}>
                    <th scope="row">${k}</th>
                    <td>${v}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${'progress' in job && html`<${Bytes} title="Progress" value=${job.progress} shown />`}
    ${'result' in job && html`<${Bytes} title="Result" value=${job.result} shown=${false} />`}
    <${Bytes} title="Payload" value=${job.payload} shown=${false} />
  </section>`;
}

/**
 * A bytes field, decoded for reading. Payloads and results stay hidden until asked: they may hold
 * a customer's data, and a screen may be shared.
 * @param {{title: string, value: string, shown: boolean}} props
 */
function Bytes({ title, value, shown }) {
  const [open, setOpen] = useState(shown);
  const decoded = decodeBytes(value);
  const id = `bytes-${title.toLowerCase()}`;
  const shownAs = decoded.kind === 'empty' ? '' : `, shown as ${decoded.kind}`;
  const size = `${decoded.size.toLocaleString('en')} bytes${shownAs} `;
  return html`<h2 id=${id}>${title}</h2>
    <p>
      ${size}
      ${
        decoded.size > 0 &&
        html` <button
          type="button"
          aria-expanded=${open}
          aria-controls=${`${id}-body`}
          onClick=${() => setOpen(!open)}
        >
          ${open ? `Hide ${title.toLowerCase()}` : `Show ${title.toLowerCase()}`}
        </button>`
      }
    </p>
    ${open && decoded.size > 0 && html`<pre id=${`${id}-body`} aria-labelledby=${id}>${decoded.text}</pre>`}
    ${open && decoded.cut && html`<p>Only the first 64 KiB are shown.</p>`}`;
}
