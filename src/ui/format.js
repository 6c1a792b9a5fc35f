// @ts-check
/** How the pages show times, durations and payloads. */

/** @typedef {{seconds?: string | number, nanos?: number} | null | undefined} Stamp */

/** @param {Stamp} t @returns {number | undefined} milliseconds since the epoch */
export function millis(t) {
  if (!t) return undefined;
  const ms = Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  return ms === 0 ? undefined : ms;
}

/** @param {Stamp} t */
export function time(t) {
  const ms = millis(t);
  return ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** @param {number} ms */
export function duration(ms) {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  const parts = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ].filter(([n]) => Number(n) > 0);
  return parts
    .slice(0, 2)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

/** A google.protobuf.Duration as text. @param {Stamp} d */
export function age(d) {
  return duration(millis(d) ?? 0);
}

/** @param {string | number | undefined} n */
export function count(n) {
  return Number(n ?? 0).toLocaleString('en');
}

/** The most of a payload the page decodes and shows. */
export const SHOWN_BYTES = 64 * 1024;

/**
 * A bytes field (base64) for reading: pretty JSON, else UTF-8 text, else hex; capped.
 * @param {string} base64
 * @returns {{kind: 'json' | 'text' | 'hex' | 'empty', text: string, size: number, cut: boolean}}
 */
export function decodeBytes(base64) {
  const raw = atob(base64 || '');
  const size = raw.length;
  if (size === 0) return { kind: 'empty', text: '', size, cut: false };
  const cut = size > SHOWN_BYTES;
  const bytes = Uint8Array.from(raw.slice(0, SHOWN_BYTES), (c) => c.charCodeAt(0));
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!cut) {
      try {
        return { kind: 'json', text: JSON.stringify(JSON.parse(text), null, 2), size, cut };
      } catch {
        // not JSON: plain text
      }
    }
    return { kind: 'text', text, size, cut };
  } catch {
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0'));
    const lines = [];
    for (let i = 0; i < hex.length; i += 16) lines.push(hex.slice(i, i + 16).join(' '));
    return { kind: 'hex', text: lines.join('\n'), size, cut };
  }
}

/** @param {string} state e.g. JOB_STATE_PENDING */
export function stateName(state) {
  return String(state ?? '')
    .replace(/^JOB_STATE_/, '')
    .toLowerCase();
}
