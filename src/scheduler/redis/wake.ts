/**
 * Cross-replica wake-ups: the enqueue scripts PUBLISH a queue's name on WAKE_CHANNEL when it goes
 * from nothing ready to something ready; every replica listens on a dedicated subscriber
 * connection (a connection in subscriber mode can run no other command).
 *
 * ioredis re-subscribes by itself after a reconnect (`autoResubscribe`, on by default), but
 * messages published while the connection was down are lost: `onResubscribe` lets the owner wake
 * every waiting consumer then, so a missed message costs one lease call instead of a stall.
 */
import { Cluster, type Redis } from 'ioredis';
import type { WakeSignal } from '../store';
import { WAKE_CHANNEL } from './keys';

export interface WakeLog {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

/**
 * A connection for SUBSCRIBE, like `redis`. It queues commands while disconnected (so SUBSCRIBE
 * waits for the connection) and never gives up on them: unlike the command connection, nothing
 * waits on its replies.
 */
export function subscriberConnection(redis: Redis | Cluster): Redis | Cluster {
  if (redis instanceof Cluster) {
    return redis.duplicate(undefined, {
      enableOfflineQueue: true,
      redisOptions: { ...redis.options.redisOptions, maxRetriesPerRequest: null },
    });
  }
  return redis.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    lazyConnect: false,
  });
}

/** Closes a subscriber connection, politely if Redis answers. */
export async function closeSubscriber(sub: Redis | Cluster | undefined): Promise<void> {
  if (!sub) return;
  try {
    await sub.quit();
  } catch {
    sub.disconnect();
  }
}

export interface RedisWakeOptions {
  /** Called when the subscription is back after a reconnect. */
  onResubscribe?: () => void;
}

export class RedisWakeSignal implements WakeSignal {
  private readonly listeners = new Set<(queue: string) => void>();
  private subscriber: Redis | Cluster | undefined;
  private connectedOnce = false;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly log: WakeLog,
    private readonly options: RedisWakeOptions = {},
  ) {}

  subscribe(listener: (queue: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once subscribed; if Redis is down it keeps trying in the background. */
  async start(): Promise<void> {
    const sub = subscriberConnection(this.redis);
    this.subscriber = sub;
    sub.on('message', (channel: string, queue: string) => {
      if (channel === WAKE_CHANNEL) this.emit(queue);
    });
    sub.on('ready', () => this.onReady());
    // Without a listener an 'error' event would crash the process; reconnects are automatic.
    sub.on('error', (err: Error) => this.log.debug({ err }, 'wake subscriber error'));
    await sub.subscribe(WAKE_CHANNEL);
  }

  async stop(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = undefined;
    await closeSubscriber(sub);
  }

  private onReady(): void {
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      return;
    }
    this.log.warn({}, 'wake subscriber reconnected; waking every waiting consumer');
    this.options.onResubscribe?.();
  }

  private emit(queue: string): void {
    for (const listener of this.listeners) listener(queue);
  }
}
