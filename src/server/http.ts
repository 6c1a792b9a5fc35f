/**
 * The operational HTTP endpoints: /metrics (Prometheus), /healthz (the process is up),
 * /readyz (Redis answers and the server is not shutting down: take traffic), and the dashboard
 * under /ui/ when it is on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import type { Dashboard } from './ui/dashboard';

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(
  port: number,
  metrics: Metrics,
  ready: () => boolean,
  log: Logger,
  dashboard?: Dashboard,
): Promise<HttpServer> {
  const server = createServer(
    (req, res) => void route(req, res, { metrics, ready, log, dashboard }),
  );
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Routes {
  metrics: Metrics;
  ready: () => boolean;
  log: Logger;
  dashboard: Dashboard | undefined;
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  { metrics, ready, log, dashboard }: Routes,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  try {
    if (dashboard && (await dashboard.handle(req, res, path))) return;
    if (path === '/metrics') {
      const body = await metrics.registry.metrics();
      return reply(res, 200, body, metrics.registry.contentType);
    }
    if (path === '/healthz') return reply(res, 200, 'ok\n');
    if (path === '/readyz')
      return ready() ? reply(res, 200, 'ready\n') : reply(res, 503, 'not ready\n');
    reply(res, 404, 'not found\n');
  } catch (err) {
    log.error({ err, path }, 'http endpoint failed');
    reply(res, 500, 'internal error\n');
  }
}

function reply(
  res: ServerResponse,
  code: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
