/**
 * The WatchJob server stream: the job now, then on each change of its state or progress, ending
 * with OK once it is final (src/scheduler/job-watch.ts does the watching). Authorized like
 * GetJob: the job id's queue, then the job's tenant, whose jobs answer NOT_FOUND word for word as
 * missing ones (no oracle of which ids exist). Shutdown ends open watches with UNAVAILABLE so
 * clients re-watch on another replica.
 */
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { WatchJobRequest__Output } from '../generated/scheduler/v1/WatchJobRequest';
import type { WatchJobResponse } from '../generated/scheduler/v1/WatchJobResponse';
import { parseJobId } from '../scheduler/ids';
import type { JobWatchers } from '../scheduler/job-watch';
import type { Scheduler } from '../scheduler/scheduler';
import type { Authenticator } from './auth/authenticator';
import { toProtoJob } from './convert';
import { REFUSED, visibleJob } from './handlers';
import type { Metrics } from './metrics';
import { statusName, toWireError, type WireError } from './status';

type WatchCall = ServerWritableStream<WatchJobRequest__Output, WatchJobResponse>;

export interface WatchDeps {
  scheduler: Pick<Scheduler, 'getJob'>;
  watchers: JobWatchers;
  metrics: Metrics;
  log: Logger;
  auth: Authenticator;
}

const SHUTTING_DOWN: WireError = {
  code: status.UNAVAILABLE,
  details: 'server is shutting down: watch again (on another replica)',
};

/** Every open WatchJob stream of a server, so shutdown can end them. */
export class WatchStreams {
  private readonly open = new Set<AbortController>();
  private draining = false;

  constructor(private readonly deps: WatchDeps) {}

  readonly handle = (call: WatchCall): void => {
    const stop = this.deps.metrics.timeRpc('WatchJob');
    if (this.draining) {
      stop(statusName(SHUTTING_DOWN.code));
      call.emit('error', SHUTTING_DOWN);
      return;
    }
    const abort = new AbortController();
    call.on('cancelled', () => abort.abort());
    this.open.add(abort);
    this.deps.metrics.watchStreams.inc();
    this.run(call, abort.signal)
      .finally(() => {
        this.open.delete(abort);
        this.deps.metrics.watchStreams.dec();
      })
      .then(
        () => {
          const cut = abort.signal.aborted && this.draining;
          stop(cut ? statusName(SHUTTING_DOWN.code) : 'OK');
          if (cut) call.emit('error', SHUTTING_DOWN);
          else call.end();
        },
        (err: unknown) => {
          const wire = toWireError(err, { method: 'WatchJob', log: this.deps.log });
          if (REFUSED.has(wire.code))
            this.deps.log.info(
              { method: 'WatchJob', peer: call.getPeer(), reason: wire.details },
              'refused',
            );
          stop(statusName(wire.code));
          call.emit('error', wire);
        },
      );
  };

  /** Ends every watch with UNAVAILABLE. */
  closeAll(): void {
    this.draining = true;
    for (const abort of this.open) abort.abort();
  }

  private async run(call: WatchCall, signal: AbortSignal): Promise<void> {
    const jobId = call.request.jobId;
    const grant = this.deps.auth.authorize(call.metadata, 'WatchJob');
    grant.requireQueue(parseJobId(jobId).queue, 'job_id');
    // Another tenant's job answers as a missing one; a job's tenant never changes, so checking it
    // before watching is race-free.
    if (!grant.allTenants) await visibleJob(this.deps.scheduler, grant, jobId);
    await this.deps.watchers.watch(
      jobId,
      (job) => void call.write({ job: toProtoJob(job) }),
      signal,
    );
  }
}
