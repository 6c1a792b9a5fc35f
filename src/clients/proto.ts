/**
 * Loads the scheduler.v1 contract at run time with the options src/generated was made with
 * (scripts/gen-proto.sh), so the generated types describe what grpc-js hands back. The SDK ships
 * without the server, so this repeats the few lines of src/server/proto.ts on purpose.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../generated/scheduler';
import type { SchedulerServiceClient } from '../generated/scheduler/v1/SchedulerService';

/** proto/ is two levels up from both src/clients (run with tsx) and dist/clients (published). */
const PROTO_DIR = join(__dirname, '..', '..', 'proto');
const SCHEDULER_PROTO = 'scheduler/v1/scheduler.proto';

export type RawClient = SchedulerServiceClient;
type RawClientConstructor = ProtoGrpcType['scheduler']['v1']['SchedulerService'];

let loaded: RawClientConstructor | undefined;

const LOADER_OPTIONS: protoLoader.Options = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};
const SERVICE = 'scheduler.v1.SchedulerService';

/** The generated client class, loaded once per process (parsing the proto takes milliseconds). */
export function rawClientConstructor(): RawClientConstructor {
  if (!loaded) {
    const definition = protoLoader.loadSync(SCHEDULER_PROTO, LOADER_OPTIONS);
    // Lease responses carry every leased job, and their only 64-bit fields are timestamps'
    // seconds, which the SDK reads with Number(): decoded as numbers, not strings, they skip
    // long.js's digit-by-digit formatting, the largest allocation per leased job
    // (docs/benchmarks.md, "The SDK Worker's allocations").
    const asNumbers = protoLoader.loadSync(SCHEDULER_PROTO, { ...LOADER_OPTIONS, longs: Number });
    const lease = (
      def: protoLoader.PackageDefinition,
    ): protoLoader.MethodDefinition<object, object> =>
      (def[SERVICE] as protoLoader.ServiceDefinition)['Lease']!;
    lease(definition).responseDeserialize = lease(asNumbers).responseDeserialize;
    const proto = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
    loaded = proto.scheduler.v1.SchedulerService;
  }
  return loaded;
}
