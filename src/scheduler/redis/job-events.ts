/**
 * JobEventSource on Redis pub/sub: the scripts announce changed jobs and cancelled leases of a
 * queue on its events channel (lua/includes/lifecycle.lua); this replica subscribes to the channels of
 * the queues it has listeners on (WatchJob callers, Lease streams), on one dedicated subscriber
 * connection, and unsubscribes when the last listener of a queue leaves.
 *
 * Changed jobs are announced only while the queue's `watched` key exists: a replica with
 * watchers on a queue sets it with a short expiry and refreshes it, so a replica that dies
 * leaves nothing behind for long. After a reconnect every listener gets `resync`: messages
 * published while the connection was down are lost.
 */
import type { Cluster, Redis } from 'ioredis';
import { formatLeaseId } from '../ids';
import type { JobEvent, JobEventSource } from '../store';
import { eventsChannel, queueOfEventsChannel, watchedKey } from './keys';
import { closeSubscriber, subscriberConnection, type WakeLog } from './wake';

/** How long a `watched` mark lasts unless refreshed; it is refreshed at a third of that. */
const WATCHED_TTL_MS = 30_000;

interface QueueListeners {
  listeners: Set<(event: JobEvent) => void>;
  watchers: number;
  subscribed: Promise<unknown>;
}

export class RedisJobEvents implements JobEventSource {
  private readonly queues = new Map<string, QueueListeners>();
  private subscriber: Redis | Cluster | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private connectedOnce = false;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly log: WakeLog,
  ) {}

  async listen(
    queue: string,
    listener: (event: JobEvent) => void,
    watch: boolean,
  ): Promise<() => void> {
    let entry = this.queues.get(queue);
    if (!entry) {
      entry = {
        listeners: new Set(),
        watchers: 0,
        subscribed: this.sub().subscribe(eventsChannel(queue)),
      };
      this.queues.set(queue, entry);
    }
    const current = entry;
    current.listeners.add(listener);
    if (watch) current.watchers += 1;
    let done = false;
    const stop = (): void => {
      if (done) return;
      done = true;
      current.listeners.delete(listener);
      if (watch) current.watchers -= 1;
      if (current.listeners.size > 0 || this.queues.get(queue) !== current) return;
      this.queues.delete(queue);
      this.sub()
        .unsubscribe(eventsChannel(queue))
        .catch((err: unknown) => this.log.debug({ err, queue }, 'unsubscribe failed'));
    };
    try {
      if (watch) await this.redis.set(watchedKey(queue), '1', 'PX', WATCHED_TTL_MS);
      await current.subscribed;
    } catch (err) {
      stop();
      throw err;
    }
    return stop;
  }

  async stop(): Promise<void> {
    clearInterval(this.refresher);
    const sub = this.subscriber;
    this.subscriber = undefined;
    this.queues.clear();
    await closeSubscriber(sub);
  }

  private sub(): Redis | Cluster {
    if (this.subscriber) return this.subscriber;
    const sub = subscriberConnection(this.redis);
    sub.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    sub.on('ready', () => this.onReady());
    sub.on('error', (err: Error) => this.log.debug({ err }, 'job events subscriber error'));
    this.subscriber = sub;
    this.refresher = setInterval(() => this.refreshWatched(), WATCHED_TTL_MS / 3).unref();
    return sub;
  }

  private refreshWatched(): void {
    for (const [queue, entry] of this.queues) {
      if (entry.watchers === 0) continue;
      this.redis
        .set(watchedKey(queue), '1', 'PX', WATCHED_TTL_MS)
        .catch((err: unknown) => this.log.debug({ err, queue }, 'watched mark refresh failed'));
    }
  }

  private onReady(): void {
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      return;
    }
    this.log.warn({}, 'job events subscriber reconnected; watchers read their jobs again');
    this.refreshWatched();
    for (const queue of this.queues.keys()) this.emit(queue, { kind: 'resync' });
  }

  private onMessage(channel: string, message: string): void {
    const queue = queueOfEventsChannel(channel);
    if (queue === undefined) return;
    const event = parseEvent(queue, message);
    if (event) this.emit(queue, event);
  }

  private emit(queue: string, event: JobEvent): void {
    for (const listener of this.queues.get(queue)?.listeners ?? []) listener(event);
  }
}

/** `j <seq>,<seq>...` or `c <seq>/<token>` (lua/includes/lifecycle.lua). */
export function parseEvent(queue: string, message: string): JobEvent | undefined {
  const body = message.slice(2);
  if (message.startsWith('j ')) return { kind: 'changed', seqs: body.split(',') };
  if (message.startsWith('c ')) {
    const [seq = '', token = ''] = body.split('/');
    return { kind: 'cancelled', leaseId: formatLeaseId(queue, seq, token) };
  }
  return undefined;
}
