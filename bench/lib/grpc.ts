/**
 * A raw grpc-js client of the contract (the SDK in src/clients is not needed), and promisified
 * calls. Each client gets its own HTTP/2 connection: producers and workers are different
 * processes in production, and grpc-js would otherwise share one connection between them.
 */
import * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType } from '../../src/generated/scheduler';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest } from '../../src/generated/scheduler/v1/EnqueueRequest';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import type { SchedulerServiceClient } from '../../src/generated/scheduler/v1/SchedulerService';
import { loadSchedulerPackage } from '../../src/server/proto';

export type Client = SchedulerServiceClient;

const DEADLINE_MS = 30_000;
let proto: ProtoGrpcType | undefined;

export function connect(address: string): Client {
  proto ??= grpc.loadPackageDefinition(loadSchedulerPackage()) as unknown as ProtoGrpcType;
  return new proto.scheduler.v1.SchedulerService(address, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
  });
}

function deadline(): grpc.CallOptions {
  return { deadline: Date.now() + DEADLINE_MS };
}

export function enqueue(client: Client, req: EnqueueRequest): Promise<EnqueueResponse__Output> {
  return new Promise((resolve, reject) => {
    client.enqueue(req, deadline(), (err, res) =>
      err || !res ? reject(err ?? new Error('Enqueue: empty response')) : resolve(res),
    );
  });
}

/** One EnqueueBatch; fails if any item failed, since a bench figure must count only real jobs. */
export function enqueueBatch(client: Client, requests: EnqueueRequest[]): Promise<number> {
  return new Promise((resolve, reject) => {
    client.enqueueBatch({ requests }, deadline(), (err, res?: EnqueueBatchResponse__Output) => {
      if (err || !res) return reject(err ?? new Error('EnqueueBatch: empty response'));
      const failed = res.results.find((r) => r.error);
      if (failed?.error) return reject(new Error(`batch item failed: ${failed.error.message}`));
      resolve(res.results.length);
    });
  });
}

/** Waits until the server answers (the child logs its port a moment before it serves). */
export function ready(client: Client, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + ms, (err) => (err ? reject(err) : resolve()));
  });
}
