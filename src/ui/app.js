// @ts-check
/** The dashboard: a header, banners for auth and read-only, and one page per route (#/...). */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { info as loadInfo, setToken, token, UNAUTHENTICATED } from './api.js';
import { ErrorBox, html, usePaused } from './components.js';
import { Job } from './pages/job.js';
import { Overview } from './pages/overview.js';
import { Queue } from './pages/queue.js';

/** @returns {{page: string, args: string[]}} */
function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [page = '', ...args] = parts;
  return { page, args };
}

function useRoute() {
  const [current, setCurrent] = useState(route());
  useEffect(() => {
    const onChange = () => setCurrent(route());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return current;
}

function App() {
  const [info, setInfo] = useState(/** @type {import('./api.js').Info | undefined} */ (undefined));
  const [error, setError] = useState(/** @type {any} */ (undefined));
  const [signedIn, setSignedIn] = useState(token() !== '');
  const [refused, setRefused] = useState('');
  const { page, args } = useRoute();
  useEffect(() => {
    loadInfo().then(setInfo, setError);
    const onRefused = (/** @type {any} */ e) => {
      // A late answer to a call made with a token already replaced says nothing of the new one.
      if (e.detail?.token !== token()) return;
      setToken('');
      setSignedIn(false);
      setRefused(e.detail?.message ?? 'the token was refused');
    };
    addEventListener(UNAUTHENTICATED, onRefused);
    return () => removeEventListener(UNAUTHENTICATED, onRefused);
  }, []);
  if (!info)
    return html`<main><${ErrorBox} error=${error} />${!error && html`<p>Loading…</p>`}</main>`;
  const needToken = info.authRequired && !signedIn;
  return html`<${Header}
      info=${info}
      signedIn=${signedIn}
      onSignOut=${() => (setToken(''), setSignedIn(false))}
    />
    ${
      !info.authRequired &&
      html`<p class="banner warn" role="note">
        No authentication: anyone who can reach this port can see and change these queues, as with
        the gRPC API. Set AUTH_TOKENS_FILE to require tokens.
      </p>`
    }
    ${info.readOnly && html`<p class="banner" role="note">Read-only: this dashboard changes nothing (DASHBOARD_READ_ONLY).</p>`}
    <main id="main">
      ${
        needToken
          ? html`<${SignIn}
              refused=${refused}
              onSignIn=${(/** @type {string} */ t) => (setToken(t), setSignedIn(true), setRefused(''))}
            />`
          : html`<${Page} info=${info} page=${page} args=${args} />`
      }
    </main>`;
}

/** @param {{info: import('./api.js').Info, page: string, args: string[]}} props */
function Page({ info, page, args }) {
  if (page === 'queue' && args[0])
    return html`<${Queue} info=${info} queue=${args[0]} tab=${args[1] ?? ''} />`;
  if (page === 'job' && args[0]) return html`<${Job} info=${info} jobId=${args.join('/')} />`;
  return html`<${Overview} info=${info} />`;
}

/** @param {{info: import('./api.js').Info, signedIn: boolean, onSignOut: () => void}} props */
function Header({ info, signedIn, onSignOut }) {
  const [paused, setPaused] = usePaused();
  return html`<header>
    <a class="skip" href="#main">Skip to content</a>
    <nav aria-label="Main"><a href="#/" class="brand">Scheduler</a> <a href="#/">Queues</a></nav>
    <div class="header-actions">
      <button type="button" aria-pressed=${paused} onClick=${() => setPaused(!paused)}>
        ${paused ? 'Resume updates' : 'Pause updates'}
      </button>
      <span class="status" role="status">${paused ? 'Updates paused' : 'Updating every 2 s'}</span>
      ${info.authRequired && signedIn && html`<button type="button" onClick=${onSignOut}>Sign out</button>`}
    </div>
  </header>`;
}

/** @param {{refused: string, onSignIn: (token: string) => void}} props */
function SignIn({ refused, onSignIn }) {
  const [value, setValue] = useState('');
  return html`<section aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in</h1>
    <p>
      This server requires a token (AUTH_TOKENS_FILE). The dashboard shows and does what the token's
      scopes, queues and tenants allow. It is kept in this tab only.
    </p>
    ${refused && html`<p class="error" role="alert">The server refused the token: ${refused}</p>`}
    <form
      class="inline"
      onSubmit=${(/** @type {Event} */ e) => (e.preventDefault(), value && onSignIn(value))}
    >
      <label for="token">Token</label>
      <input
        id="token"
        type="password"
        autocomplete="off"
        value=${value}
        onInput=${(/** @type {any} */ e) => setValue(e.currentTarget.value)}
      />
      <button type="submit" class="primary">Sign in</button>
    </form>
  </section>`;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(html`<${App} />`, root);
}
