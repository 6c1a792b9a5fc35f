// @ts-check
/**
 * The page's calls to the server: one POST per RPC to /ui/api/rpc/<Method>, which runs the gRPC
 * handler of that method, so errors are the API's own (a gRPC code, a message, the field).
 */
const TOKEN_KEY = 'scheduler-dashboard-token';
/** The event the page hears when the server refuses the token (or wants one). */
export const UNAUTHENTICATED = 'scheduler:unauthenticated';

export class ApiError extends Error {
  /**
   * @param {{code?: number, status?: string, message?: string, field?: string}} body
   * @param {number} httpStatus
   */
  constructor(body, httpStatus) {
    super(body.message || `HTTP ${httpStatus}`);
    this.status = body.status ?? 'UNKNOWN';
    this.field = body.field;
    this.httpStatus = httpStatus;
  }
}

/** The bearer token for this tab (sessionStorage: gone when the tab closes). */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** @param {string} value */
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * @typedef {{authRequired: boolean, readOnly: boolean, tierWeights: Record<string, number>,
 *   methods: {read: string[], write: string[]}}} Info
 * @returns {Promise<Info>}
 */
export async function info() {
  const res = await fetch('api/info', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new ApiError(await res.json().catch(() => ({})), res.status);
  return res.json();
}

/**
 * Calls one RPC with its request message (contract field names in camelCase).
 * @param {string} method
 * @param {Record<string, unknown>} [request]
 * @returns {Promise<any>}
 */
export async function rpc(method, request = {}) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(`api/rpc/${method}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(request),
  });
  const body = await res.json().catch(() => ({ message: `HTTP ${res.status}` }));
  if (!res.ok) {
    // A refused token: the page asks for another one.
    if (res.status === 401)
      dispatchEvent(new CustomEvent(UNAUTHENTICATED, { detail: { ...body, token: bearer } }));
    throw new ApiError(body, res.status);
  }
  return body;
}
