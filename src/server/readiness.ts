/**
 * Knows whether Redis answers: connection events flip it at once, and a periodic PING catches a
 * connection that is open but hung (the command timeout fails the PING). Drives the gRPC health
 * status, /readyz and the scheduler_redis_up gauge through `onChange`.
 */
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

export class RedisMonitor {
  private up = false;
  private probing = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly onReady = (): void => void this.probe();
  private readonly onClose = (): void => this.set(false);

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly onChange: (up: boolean) => void,
  ) {}

  get isUp(): boolean {
    return this.up;
  }

  /** Resolves after the first probe, so the caller starts with a known state. */
  async start(): Promise<void> {
    this.redis.on('ready', this.onReady);
    this.redis.on('close', this.onClose);
    this.redis.on('end', this.onClose);
    this.timer = setInterval(() => void this.probe(), this.intervalMs);
    this.timer.unref();
    await this.probe();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
    this.redis.off('close', this.onClose);
    this.redis.off('end', this.onClose);
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.redis.ping();
      this.set(true);
    } catch {
      this.set(false);
    } finally {
      this.probing = false;
    }
  }

  private set(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (up) this.log.info('redis reachable');
    else this.log.warn('redis unreachable');
    this.onChange(up);
  }
}
