/**
 * A TCP proxy on 127.0.0.1 that can hold replies back and drop every connection at will: a
 * network blip between the scheduler and a Redis that stays up. With replies held back, a drop
 * lands after Redis ran a command and before the client heard the answer, the case a client
 * library must not "fix" by sending the command again.
 */
import net from 'node:net';

export interface FlakyProxy {
  port: number;
  url: string;
  /** Replies from upstream are buffered (not forwarded) while held. */
  hold(on: boolean): void;
  /** Destroys every open connection (both sides); new ones are accepted as before. */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFlakyProxy(targetPort: number): Promise<FlakyProxy> {
  let holding = false;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; held: Buffer[] }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, held: [] as Buffer[] };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (holding) pair.held.push(chunk);
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    hold: (on) => {
      holding = on;
      if (on) return;
      for (const pair of pairs) for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
    },
    dropAll: () => {
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close: () => {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
