/**
 * Clients for the load generator: one grpc-js client per scheduler replica, unary calls with a
 * short deadline (a fault test must hear "unavailable" in seconds, not wait 10 s), and outcomes
 * as status names for the history.
 */
import * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType } from '../../src/generated/scheduler';
import { loadSchedulerPackage } from '../../src/server/proto';
import type { Client } from '../helpers/server';

let proto: ProtoGrpcType | undefined;

/** A client whose unary calls give up after `deadlineMs`. Streams have no deadline. */
export function connectClient(address: string, deadlineMs = 3000): Client {
  proto ??= grpc.loadPackageDefinition(loadSchedulerPackage()) as unknown as ProtoGrpcType;
  return new proto.scheduler.v1.SchedulerService(address, grpc.credentials.createInsecure(), {
    callInvocationTransformer: (props) => {
      const { requestStream, responseStream } = props.methodDefinition;
      if (requestStream || responseStream || props.callOptions.deadline) return props;
      return { ...props, callOptions: { ...props.callOptions, deadline: Date.now() + deadlineMs } };
    },
    // Reconnect quickly after a replica or the network comes back (the default backs off to 2 min).
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 1000,
  });
}

/** The status name of a failed call (`UNAVAILABLE`), or `OK`. */
export function outcomeOf(err: unknown): string {
  if (err === null || err === undefined) return 'OK';
  const code = (err as Partial<grpc.ServiceError>).code;
  return code === undefined ? 'INTERNAL' : (grpc.status[code] ?? `CODE_${code}`);
}

/** Promisifies a unary call. */
export function call<Res>(start: (cb: grpc.requestCallback<Res>) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    start((err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

/** The replicas a load generator talks to; callers move to the next one when one fails. */
export class Endpoints {
  readonly clients: Client[];

  constructor(
    readonly addresses: readonly string[],
    deadlineMs = 3000,
  ) {
    if (addresses.length === 0) throw new Error('no endpoints');
    this.clients = addresses.map((a) => connectClient(a, deadlineMs));
  }

  get size(): number {
    return this.clients.length;
  }

  client(i: number): Client {
    return this.clients[((i % this.size) + this.size) % this.size]!;
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of a sample (0 for an empty one). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
