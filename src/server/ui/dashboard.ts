/**
 * The operators' dashboard at /ui/ on the HTTP port: static files (the page and Preact, served
 * from the package: no CDN), and a JSON API under /ui/api/ that runs the gRPC handlers through
 * RpcBridge. Every answer carries a strict Content-Security-Policy. Actions need a JSON body, so
 * a cross-site form cannot trigger them (browsers send JSON cross-origin only after a CORS
 * preflight, which this server never approves).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { status } from '@grpc/grpc-js';
import type { Authenticator } from '../auth/authenticator';
import { failure, RpcBridge, toJson, type BridgeReply } from './rpc-bridge';

/** The page's files: src/ui next to src/server, dist/ui next to dist/server. */
const UI_DIR = join(__dirname, '..', '..', 'ui');
const MAX_BODY_BYTES = 64 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
export interface DashboardDeps {
  handlers: Readonly<Record<string, unknown>>;
  definition: ConstructorParameters<typeof RpcBridge>[1];
  auth: Authenticator;
  readOnly: boolean;
  tierWeights: ReadonlyMap<string, number>;
}

interface Asset {
  body: Buffer;
  type: string;
}

export class Dashboard {
  private readonly bridge: RpcBridge;
  private readonly assets: Map<string, Asset>;
  private readonly csp: string;

  constructor(private readonly deps: DashboardDeps) {
    this.bridge = new RpcBridge(deps.handlers, deps.definition, deps.readOnly);
    this.assets = loadAssets();
    const page = this.assets.get('index.html')?.body.toString('utf8') ?? '';
    this.csp = contentSecurityPolicy(page);
  }

  /** Serves one request under /ui; false when the path is not the dashboard's. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === '/ui') {
      res.writeHead(301, { location: '/ui/' }).end();
      return true;
    }
    if (!path.startsWith('/ui/')) return false;
    const rest = path.slice('/ui/'.length);
    if (rest.startsWith('api/')) await this.api(req, res, rest.slice('api/'.length));
    else this.file(req, res, rest === '' ? 'index.html' : rest);
    return true;
  }

  private file(req: IncomingMessage, res: ServerResponse, name: string): void {
    const asset = this.assets.get(name);
    if (req.method !== 'GET' && req.method !== 'HEAD') this.send(res, 405, 'text/plain', '');
    else if (!asset) this.send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    else this.send(res, 200, asset.type, asset.body);
  }

  private async api(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (route === 'info' && req.method === 'GET') return this.json(res, 200, this.info());
    const method = /^rpc\/([A-Za-z]+)$/.exec(route)?.[1];
    if (method === undefined || req.method !== 'POST')
      return this.reply(res, failure(status.NOT_FOUND, 'no such endpoint'));
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return this.reply(res, failure(status.INVALID_ARGUMENT, 'the body must be application/json'));
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    } catch (err) {
      const message = `bad request body: ${(err as Error).message}`;
      return this.reply(res, failure(status.INVALID_ARGUMENT, message));
    }
    const peer = `dashboard:${req.socket.remoteAddress ?? '?'}`;
    this.reply(res, await this.bridge.call(method, body, req.headers.authorization, peer));
  }

  private reply(res: ServerResponse, { httpStatus, body }: BridgeReply): void {
    this.json(res, httpStatus, body);
  }

  /** What the page needs to know first: auth on or off, read-only, the methods it may call. */
  private info(): unknown {
    return {
      authRequired: this.deps.auth.enabled,
      readOnly: this.deps.readOnly,
      methods: this.bridge.methods(),
      tierWeights: Object.fromEntries(this.deps.tierWeights),
    };
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    this.send(res, code, 'application/json; charset=utf-8', toJson(body));
  }

  private send(res: ServerResponse, code: number, type: string, body: string | Buffer): void {
    res.writeHead(code, {
      'content-type': type,
      'cache-control': 'no-store',
      'content-security-policy': this.csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(body);
  }
}

/**
 * Only the page's own files: scripts and styles from this origin, the import map by its hash, no
 * inline code, no frames, no forms posting anywhere, fetches to this origin only.
 */
function contentSecurityPolicy(page: string): string {
  const hashes = [...page.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page's files and Preact's browser builds, read once at start-up. */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (name: string, file: string): void => {
    assets.set(name, { body: readFileSync(file), type: TYPES[extname(file)] ?? 'text/plain' });
  };
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (TYPES[extname(entry.name)]) add(`${prefix}${entry.name}`, join(dir, entry.name));
    }
  };
  walk(UI_DIR, '');
  add('vendor/preact.mjs', require.resolve('preact'));
  add('vendor/hooks.mjs', require.resolve('preact/hooks'));
  add('vendor/htm.mjs', join(dirname(require.resolve('htm')), 'htm.mjs'));
  return assets;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
