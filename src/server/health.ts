/**
 * grpc.health.v1.Health: Check, Watch and List. grpc-health-check provides the service definition;
 * the handlers are ours because its Watch streams never end, and a graceful shutdown waits for
 * every open call: here `close()` ends them (status OK tells a watcher to retry elsewhere).
 * One status covers the server ('') and every service it lists: all depend on Redis alike.
 */
import type { Server, ServerWritableStream, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { service as healthDefinition } from 'grpc-health-check';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

interface CheckRequest {
  service: string;
}
interface CheckResponse {
  status: ServingStatus | 'SERVICE_UNKNOWN';
}

export class HealthService {
  private current: ServingStatus = 'NOT_SERVING';
  private readonly names: Set<string>;
  /** Open Watch calls, and whether each watches a service we know. */
  private readonly watchers = new Map<ServerWritableStream<CheckRequest, CheckResponse>, boolean>();

  /** @param services the fully-qualified services to report besides the server as a whole. */
  constructor(services: readonly string[]) {
    this.names = new Set(['', ...services]);
  }

  get status(): ServingStatus {
    return this.current;
  }

  set(next: ServingStatus): void {
    if (next === this.current) return;
    this.current = next;
    for (const [call, known] of this.watchers) if (known) call.write({ status: next });
  }

  /** Ends every Watch stream (shutdown). */
  close(): void {
    for (const call of this.watchers.keys()) call.end();
    this.watchers.clear();
  }

  addToServer(server: Server): void {
    server.addService(healthDefinition, {
      check: (
        call: ServerUnaryCall<CheckRequest, CheckResponse>,
        done: sendUnaryData<CheckResponse>,
      ) => this.check(call.request.service, done),
      watch: (call: ServerWritableStream<CheckRequest, CheckResponse>) => this.watch(call),
      list: (_call: unknown, done: sendUnaryData<{ statuses: Record<string, CheckResponse> }>) =>
        done(null, {
          statuses: Object.fromEntries([...this.names].map((n) => [n, { status: this.current }])),
        }),
    });
  }

  private check(name: string, done: sendUnaryData<CheckResponse>): void {
    if (!this.names.has(name)) {
      done({ code: status.NOT_FOUND, details: `unknown service ${JSON.stringify(name)}` });
      return;
    }
    done(null, { status: this.current });
  }

  /** An unknown service gets SERVICE_UNKNOWN and an open call, as the protocol asks. */
  private watch(call: ServerWritableStream<CheckRequest, CheckResponse>): void {
    const known = this.names.has(call.request.service);
    this.watchers.set(call, known);
    call.on('cancelled', () => this.watchers.delete(call));
    call.write({ status: known ? this.current : 'SERVICE_UNKNOWN' });
  }
}
