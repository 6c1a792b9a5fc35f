/**
 * Gathers the single enqueues that arrive in one turn of the event loop (concurrent unary
 * `Enqueue` calls) into one enqueue script call per queue: Redis runs one script for them all
 * instead of one each. Each caller still gets its own result, or the error of the call its job
 * went in. Jobs keep their arrival order, so an idempotency key used twice in one turn keeps
 * the first job, as it would one call at a time. A lone call waits only for the end of the
 * current turn (setImmediate).
 */
import { SchedulerError } from './errors';
import type { EnqueueResult } from './job';
import type { JobStore, NewJob } from './store';

interface Waiting {
  job: NewJob;
  resolve(result: EnqueueResult): void;
  reject(err: unknown): void;
}

export class EnqueueCoalescer {
  private waiting = new Map<string, Waiting[]>();
  private scheduled = false;

  /** @param maxJobs most jobs in one script call (a turn's jobs beyond it go in further calls) */
  constructor(
    private readonly store: Pick<JobStore, 'enqueue'>,
    private readonly maxJobs: number,
  ) {}

  enqueue(job: NewJob): Promise<EnqueueResult> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(job.queue);
      if (queue) queue.push({ job, resolve, reject });
      else this.waiting.set(job.queue, [{ job, resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const waiting = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    for (const [queue, all] of waiting) {
      for (let i = 0; i < all.length; i += this.maxJobs)
        void this.send(queue, all.slice(i, i + this.maxJobs));
    }
  }

  /** One script call; settles every waiting caller in it. Never rejects. */
  private async send(queue: string, chunk: Waiting[]): Promise<void> {
    let results: EnqueueResult[];
    try {
      results = await this.store.enqueue(
        queue,
        chunk.map((w) => w.job),
      );
    } catch (err) {
      for (const w of chunk) w.reject(err);
      return;
    }
    chunk.forEach((w, k) => {
      const result = results[k];
      if (result) w.resolve(result);
      else
        w.reject(
          new SchedulerError('unavailable', 'enqueue returned no result', { op: 'enqueue' }),
        );
    });
  }
}
