/**
 * The grpc-js server: channel options for long-lived streams, the services (scheduler, health,
 * reflection), binding and a bounded graceful shutdown.
 */
import { Server, ServerCredentials, type ChannelOptions } from '@grpc/grpc-js';
import type { Config } from './config';
import type { HealthService } from './health';
import { HEALTH_SERVICE, loadSchedulerPackage, schedulerService, SCHEDULER_SERVICE } from './proto';
import { addReflection } from './reflection';
import type {
  SchedulerServiceDefinition,
  SchedulerServiceHandlers,
} from '../generated/scheduler/v1/SchedulerService';

export { HEALTH_SERVICE, SCHEDULER_SERVICE };

/**
 * - keepalive: the server pings idle connections so dead workers (and NATs dropping idle flows)
 *   are noticed; grpc-js servers accept client pings at any rate, so clients may ping too.
 * - max connection age (+-10% jitter in grpc-js) with grace: clients reconnect now and then,
 *   which spreads them over replicas added since; the grace lets calls on the old one finish.
 * - max receive size: EnqueueBatch carries many payloads of up to MAX_PAYLOAD_BYTES each.
 */
export function serverOptions(grpc: Config['grpc']): ChannelOptions {
  return {
    'grpc.keepalive_time_ms': grpc.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': grpc.keepaliveTimeoutMs,
    'grpc.max_connection_age_ms': grpc.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': grpc.maxConnectionAgeGraceMs,
    'grpc.max_receive_message_length': grpc.maxReceiveBytes,
  };
}

/** `definition` defaults to the contract as loaded from proto/ (main.ts loads it once for all). */
export function createGrpcServer(
  config: Config['grpc'],
  handlers: SchedulerServiceHandlers,
  health: HealthService,
  definition: SchedulerServiceDefinition = schedulerService(loadSchedulerPackage()),
): Server {
  const server = new Server(serverOptions(config));
  server.addService(definition, handlers);
  health.addToServer(server);
  addReflection(server);
  return server;
}

/** Binds on all interfaces; port 0 picks a free one. Resolves to the bound port. */
export function bind(
  server: Server,
  port: number,
  credentials: ServerCredentials = ServerCredentials.createInsecure(),
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`0.0.0.0:${port}`, credentials, (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
}

/**
 * Stops accepting calls and waits for the ones in flight, for at most `graceMs`; then cancels
 * what is left. Resolves to true when everything finished in time.
 */
export function shutdownGrpc(server: Server, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve(false);
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
