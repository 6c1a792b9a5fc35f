// @ts-check
/** Pieces the pages share: the html tag, polling, errors, paging and confirmations. */
import { h } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

/** How often the pages read again while polling is on. */
export const POLL_MS = 2000;

/** Polling: one clock for every page, paused and resumed by the button in the header. */
const poll = {
  paused: false,
  tick: 0,
  /** @type {Set<() => void>} */
  listeners: new Set(),
};
setInterval(() => {
  if (poll.paused) return;
  poll.tick += 1;
  for (const listener of poll.listeners) listener();
}, POLL_MS);

/** @returns {[boolean, (paused: boolean) => void]} */
export function usePaused() {
  const [paused, setPaused] = useState(poll.paused);
  useEffect(() => {
    const listener = () => setPaused(poll.paused);
    poll.listeners.add(listener);
    return () => void poll.listeners.delete(listener);
  }, []);
  const set = useCallback((/** @type {boolean} */ value) => {
    poll.paused = value;
    for (const listener of poll.listeners) listener();
  }, []);
  return [paused, set];
}

/**
 * Loads data now, again on every poll tick and when `deps` change; `reload` loads at once (after
 * an action). Keeps the last good data while a later read fails.
 * @template T
 * @param {() => Promise<T>} load
 * @param {unknown[]} deps
 * @returns {{data: T | undefined, error: any, reload: () => void}}
 */
export function usePoll(load, deps) {
  const [data, setData] = useState(/** @type {T | undefined} */ (undefined));
  const [error, setError] = useState(/** @type {any} */ (undefined));
  const [nonce, setNonce] = useState(0);
  const [tick, setTick] = useState(poll.tick);
  useEffect(() => {
    const listener = () => setTick(poll.tick);
    poll.listeners.add(listener);
    return () => void poll.listeners.delete(listener);
  }, []);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && (setData(value), setError(undefined)),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick, nonce]);
  useEffect(() => setData(undefined), deps);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}

/** @param {{error: any}} props */
export function ErrorBox({ error }) {
  if (!error) return null;
  const field = error.field ? html` (field <code>${error.field}</code>)` : '';
  return html`<p class="error" role="alert">
    <strong>${error.status ?? 'Error'}</strong>: ${error.message}${field}
  </p>`;
}

/**
 * Page tokens as the API gives them: the first page has none, each answer names the next.
 * @param {{tokens: string[], next: string, onPage: (tokens: string[]) => void}} props
 */
export function Pager({ tokens, next, onPage }) {
  return html`<nav class="pager" aria-label="Pages">
    <button
      type="button"
      disabled=${tokens.length === 0}
      onClick=${() => onPage(tokens.slice(0, -1))}
    >
      Previous page
    </button>
    <span>Page ${tokens.length + 1}</span>
    <button type="button" disabled=${!next} onClick=${() => onPage([...tokens, next])}>
      Next page
    </button>
  </nav>`;
}

/**
 * A button that asks before it acts: the first press shows what will happen and two choices.
 * @param {{label: string, question: string, onConfirm: () => Promise<unknown>, disabled?: boolean,
 *   danger?: boolean}} props
 */
export function ConfirmButton({ label, question, onConfirm, disabled, danger }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(/** @type {any} */ (undefined));
  if (!asking)
    return html`<span class="confirm">
      <button
        type="button"
        class=${danger ? 'danger' : ''}
        disabled=${disabled}
        onClick=${() => (setAsking(true), setError(undefined))}
      >
        ${label}
      </button>
      <${ErrorBox} error=${error} />
    </span>`;
  const go = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setAsking(false);
    } catch (err) {
      setError(err);
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };
  return html`<span class="confirm" role="alertdialog" aria-label=${label}>
    <span>${question}</span>
    <button type="button" class=${danger ? 'danger' : 'primary'} disabled=${busy} onClick=${go}>
      Confirm
    </button>
    <button type="button" disabled=${busy} onClick=${() => setAsking(false)}>Cancel</button>
  </span>`;
}

/** @param {{href: string, children?: any}} props */
export function Link({ href, children }) {
  return html`<a href=${href}>${children}</a>`;
}

/** @param {string} queue */
export function queueHref(queue, tab = '') {
  return `#/queue/${encodeURIComponent(queue)}${tab ? `/${tab}` : ''}`;
}

/** @param {string} jobId */
export function jobHref(jobId) {
  return `#/job/${encodeURIComponent(jobId)}`;
}
