/**
 * NATS JetStream, the second peer: a networked broker like ours (a server process between
 * producer and worker), where BullMQ is a library on Redis. nats-server is built once from the
 * Go module source by scripts/nats-server.sh and run here on 127.0.0.1 with JetStream on a
 * temporary store. Each measurement gets its own work-queue stream with file storage and a
 * durable pull consumer with explicit acks, driven by `@nats-io/jetstream` with
 * `max_messages` = concurrency: the setup the reference figures were taken with.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from '../../test/helpers/redis';
import { WORK_DIR } from './child';
import { now, sleep, within } from './timing';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;

export interface BenchNats {
  pid: number;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** A fresh work-queue stream (file storage) with one durable pull consumer. */
  stream(name: string): Promise<NatsStream>;
  stop(): Promise<void>;
}

export interface NatsStream {
  subject: string;
  publish(data: Uint8Array): Promise<unknown>;
  /** Pulls with `max_messages` = concurrency; `onMsg` runs per message before its ack. */
  consume(concurrency: number, onMsg: (at: number) => void): Promise<{ stop(): void }>;
  remove(): Promise<void>;
}

/** Builds (first run only) and starts nats-server; undefined, with the reason logged, if it cannot. */
export async function startNats(log: (m: string) => void): Promise<BenchNats | undefined> {
  let binary: string;
  try {
    binary = execFileSync('bash', [join(ROOT, 'scripts', 'nats-server.sh'), 'build'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60_000,
    }).trim();
  } catch (err) {
    log(`NATS JetStream left out: nats-server could not be built (${String(err)})`);
    return undefined;
  }
  const store = mkdtempSync(join(tmpdir(), 'bench-nats-'));
  const port = await freePort();
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mkdirSync(WORK_DIR, { recursive: true });
  const out = createWriteStream(join(WORK_DIR, 'nats-server.log'));
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(store, { recursive: true, force: true });
  };
  try {
    const nc = await within(START_TIMEOUT_MS, connectWhenUp(port, child), 'nats-server start');
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    return {
      pid: child.pid ?? 0,
      nc,
      js,
      jsm,
      stream: (name) => makeStream(js, jsm, name),
      stop: async () => {
        await nc.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    log(`NATS JetStream left out: ${String(err)}`);
    return undefined;
  }
}

async function connectWhenUp(port: number, child: ChildProcess): Promise<NatsConnection> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    try {
      return await connect({ servers: `127.0.0.1:${port}`, maxReconnectAttempts: 0 });
    } catch {
      await sleep(100);
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await within(10_000, exited, 'nats-server stop').catch(() => child.kill('SIGKILL'));
}

async function makeStream(
  js: JetStreamClient,
  jsm: JetStreamManager,
  name: string,
): Promise<NatsStream> {
  const subject = `${name}.jobs`;
  await jsm.streams.add({
    name,
    subjects: [subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
  await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
  return {
    subject,
    publish: (data) => js.publish(subject, data),
    consume: async (concurrency, onMsg) => {
      const consumer = await js.consumers.get(name, 'worker');
      const messages = await consumer.consume({ max_messages: concurrency });
      void (async () => {
        for await (const m of messages) {
          onMsg(now());
          m.ack();
        }
      })();
      return { stop: () => void messages.stop() };
    },
    remove: async () => {
      await jsm.streams.delete(name);
    },
  };
}

/** Publishes `n` messages with `inFlight` publishes outstanding (not timed: a fill). */
export async function natsFill(s: NatsStream, n: number, data: Uint8Array): Promise<void> {
  const inFlight = 1000;
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent < n) {
      sent++;
      await s.publish(data);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, lane));
}

/** Times a pull consumer from start until `jobs` messages were handled and acked. */
export async function natsDrain(
  s: NatsStream,
  concurrency: number,
  jobs: number,
  capMs: number,
  nats: BenchNats,
): Promise<{ jobs: number; seconds: number; complete: boolean }> {
  let handled = 0;
  let allHandled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allHandled = resolve));
  const start = now();
  const consumer = await s.consume(concurrency, () => {
    if (++handled === jobs) allHandled();
  });
  const complete = await within(capMs, done).then(
    () => true,
    () => false,
  );
  // The acks of the last messages are on the wire: a flush round trip applies them.
  await nats.nc.flush();
  const seconds = (now() - start) / 1000;
  consumer.stop();
  return { jobs: handled, seconds, complete };
}
