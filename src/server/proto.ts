/**
 * Loads the contract at run time with the same options the generated types were made with
 * (scripts/gen-proto.sh), so the types in src/generated describe what grpc-js hands us.
 */
import { dirname, join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { SchedulerServiceDefinition } from '../generated/scheduler/v1/SchedulerService';

/** proto/ sits two levels up from both src/server and dist/server. */
export const PROTO_DIR = join(__dirname, '..', '..', 'proto');
export const SCHEDULER_PROTO = 'scheduler/v1/scheduler.proto';
export const SCHEDULER_SERVICE = 'scheduler.v1.SchedulerService';
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

export const LOADER_OPTIONS: protoLoader.Options = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

export function loadSchedulerPackage(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(SCHEDULER_PROTO, LOADER_OPTIONS);
}

export function schedulerService(pkg: protoLoader.PackageDefinition): SchedulerServiceDefinition {
  return pkg[SCHEDULER_SERVICE] as unknown as SchedulerServiceDefinition;
}

/** grpc-health-check ships health.proto; loaded for clients of it (the tests' health checks). */
export function loadHealthPackage(): protoLoader.PackageDefinition {
  const root = dirname(dirname(dirname(healthProtoPath)));
  return protoLoader.loadSync('health/v1/health.proto', {
    keepCase: true,
    enums: String,
    includeDirs: [root],
  });
}
