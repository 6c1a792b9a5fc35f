/**
 * A TCP proxy on 127.0.0.1 that holds back every reply from the server by a settable delay: a slow
 * database (or network) for tests, without touching the database itself.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DelayProxy {
  port: number;
  /** Applies to reply bytes that arrive from now on. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startDelayProxy(targetPort: number, delayMs = 0): Promise<DelayProxy> {
  let delay = delayMs;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    relayDelayed(upstream, client, () => delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP port');
  return {
    port: address.port,
    setDelay: (ms) => (delay = ms),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Forwards `from` to `to`, each chunk `delay()` ms after it arrived, in order. */
function relayDelayed(from: net.Socket, to: net.Socket, delay: () => number): void {
  let chain = Promise.resolve();
  const later = (deliver: () => void): void => {
    const due = Date.now() + delay();
    chain = chain.then(async () => {
      await sleep(Math.max(0, due - Date.now()));
      if (!to.destroyed) deliver();
    });
  };
  from.on('data', (chunk: Buffer) => later(() => to.write(chunk)));
  from.on('end', () => later(() => to.end()));
  from.on('close', () => later(() => to.destroy()));
}

/** `uri` with its (single) host replaced by the proxy's. */
export function viaProxy(uri: string, proxy: DelayProxy): string {
  const url = new URL(uri);
  url.host = `127.0.0.1:${proxy.port}`;
  return url.toString();
}
