/**
 * The transport ceiling: a bare grpc-js server for the same contract with nothing behind it.
 * Enqueue and EnqueueBatch answer at once; Lease answers every credit with a made-up job of the
 * bench's payload size and ignores acks. Whatever our server does beyond this is our own cost.
 * Run as a child process by bench/lib/child.ts; prints one JSON line with its port.
 */
import * as grpc from '@grpc/grpc-js';
import type { EnqueueBatchRequest__Output } from '../../src/generated/scheduler/v1/EnqueueBatchRequest';
import type { EnqueueRequest__Output } from '../../src/generated/scheduler/v1/EnqueueRequest';
import type { LeaseRequest__Output } from '../../src/generated/scheduler/v1/LeaseRequest';
import type { LeasedJob } from '../../src/generated/scheduler/v1/LeasedJob';
import { loadSchedulerPackage, schedulerService } from '../../src/server/proto';

const payloadBytes = Number(process.env.STUB_PAYLOAD_BYTES ?? 256);
const payload = Buffer.alloc(payloadBytes, 'x');
let seq = 0;

function fakeJob(queue: string): LeasedJob {
  seq += 1;
  const id = `${queue}/${seq}`;
  const time = { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 };
  return {
    job: {
      id,
      queue,
      tenantId: 't1',
      tier: 'free',
      payload,
      attempt: 1,
      maxAttempts: 5,
      state: 'JOB_STATE_LEASED',
      enqueueTime: time,
    },
    leaseId: `${id}/stubtoken${seq}`,
    leaseExpireTime: time,
  };
}

const handlers: grpc.UntypedServiceImplementation = {
  Enqueue: (
    call: grpc.ServerUnaryCall<EnqueueRequest__Output, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ) => {
    seq += 1;
    callback(null, { jobId: `${call.request.queue}/${seq}`, tier: 'free', duplicate: false });
  },
  EnqueueBatch: (
    call: grpc.ServerUnaryCall<EnqueueBatchRequest__Output, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ) => {
    const results = call.request.requests.map((r) => ({
      job: { jobId: `${r.queue}/${++seq}`, tier: 'free', duplicate: false },
    }));
    callback(null, { results });
  },
  Lease: (call: grpc.ServerDuplexStream<LeaseRequest__Output, unknown>) => {
    let queue = '';
    call.on('data', (req: LeaseRequest__Output) => {
      queue ||= req.queue;
      if (req.credits > 0) {
        call.write({ jobs: Array.from({ length: req.credits }, () => fakeJob(queue)) });
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  },
};

const server = new grpc.Server();
server.addService(schedulerService(loadSchedulerPackage()), handlers);
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`${JSON.stringify({ msg: 'stub listening', port })}\n`);
});
process.once('SIGTERM', () => server.forceShutdown());
