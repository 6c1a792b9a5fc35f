/**
 * WatchJob in the domain: a job as it is now, then again each time its state or progress
 * changes, until it is final. Subscribe first, then read: a change between the read and the
 * subscription cannot be missed. Each notice (or resync) triggers one fresh read; notices that
 * arrive during a read trigger one more after it. The number of watchers per process is bounded.
 */
import { SchedulerError } from './errors';
import { parseJobId } from './ids';
import { isFinal, type Job } from './job';
import type { JobEvent, JobEventSource } from './store';

export class JobWatchers {
  private active = 0;

  constructor(
    private readonly read: (jobId: string) => Promise<Job>,
    private readonly events: JobEventSource,
    private readonly max: number,
  ) {}

  /** Watchers open now. */
  get count(): number {
    return this.active;
  }

  /**
   * Sends `jobId`'s job to `send` now and after each change; resolves once a final job was sent,
   * or when `signal` aborts. Rejects with RESOURCE_EXHAUSTED beyond the bound, NOT_FOUND for an
   * unknown job (or one whose record expired meanwhile), UNAVAILABLE when Redis is.
   */
  async watch(jobId: string, send: (job: Job) => void, signal: AbortSignal): Promise<void> {
    const { queue, seq } = parseJobId(jobId);
    if (this.active >= this.max) {
      throw new SchedulerError(
        'resource_exhausted',
        `this replica has ${this.max} watchers already (MAX_WATCHERS): retry later or elsewhere`,
        { op: 'watch_job' },
      );
    }
    this.active += 1;
    const watch = new Watch(() => this.read(jobId), send);
    let unlisten: (() => void) | undefined;
    try {
      unlisten = await this.events.listen(queue, (event) => watch.onEvent(event, seq), true);
      await watch.run(signal);
    } finally {
      unlisten?.();
      this.active -= 1;
    }
  }
}

/** One watcher's reads: serialized, sending only what changed. */
class Watch {
  private reading = false;
  private again = false;
  private last = '';
  private settle: { resolve(): void; reject(err: Error): void } | undefined;
  private finished = false;

  constructor(
    private readonly read: () => Promise<Job>,
    private readonly send: (job: Job) => void,
  ) {}

  run(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = (): void => this.end(resolve);
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      this.settle = {
        resolve: () => this.end(resolve, () => signal.removeEventListener('abort', stop)),
        reject: (err) =>
          this.end(
            () => reject(err),
            () => signal.removeEventListener('abort', stop),
          ),
      };
      void this.refresh();
    });
  }

  onEvent(event: JobEvent, seq: string): void {
    if (event.kind === 'resync' || (event.kind === 'changed' && event.seqs.includes(seq)))
      void this.refresh();
  }

  private end(done: () => void, cleanup?: () => void): void {
    if (this.finished) return;
    this.finished = true;
    cleanup?.();
    done();
  }

  private async refresh(): Promise<void> {
    if (this.finished || !this.settle) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        const job = await this.read();
        if (this.finished) return;
        const key = signature(job);
        if (key !== this.last) {
          this.last = key;
          this.send(job);
        }
        if (isFinal(job.state)) return this.settle.resolve();
      } while (this.again);
    } catch (err) {
      this.settle.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.reading = false;
    }
  }
}

/** What a watcher is told about: state, attempt, progress (not a lease's new deadline). */
function signature(job: Job): string {
  return `${job.state}|${job.attempt}|${job.progress?.toString('base64') ?? ''}`;
}
