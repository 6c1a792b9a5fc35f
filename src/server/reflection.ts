/**
 * gRPC server reflection (v1 and v1alpha) over the real FileDescriptorProtos: the set buf builds
 * from proto/ with its google/protobuf imports, plus grpc/health/v1/health.proto
 * (scripts/gen-proto.sh writes it to src/generated/descriptors.binpb; the build copies it to dist/).
 *
 * @grpc/reflection reads `fileDescriptorProtos` from every entry of the package definition it is
 * given. Handing it proto-loader's definitions made it serve descriptors that protobufjs rebuilds
 * from its camelCased view (made-up file names, no imports, bad map entry names), which grpcurl
 * and ghz reject; handed the set buf built, it serves the files as written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { Reader } from 'protobufjs';

/** src/generated from src/server (tsx), dist/generated from dist/server (the build). */
export const DESCRIPTOR_SET = join(__dirname, '..', 'generated', 'descriptors.binpb');

/** FileDescriptorSet.file is field 1, length-delimited; the set holds nothing else. */
const FILE_FIELD_TAG = (1 << 3) | 2;

/** The serialized FileDescriptorProtos of a serialized FileDescriptorSet, in order. */
export function splitDescriptorSet(set: Uint8Array): Buffer[] {
  const reader = Reader.create(set);
  const files: Buffer[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== FILE_FIELD_TAG) throw new Error(`not a FileDescriptorSet: tag ${tag}`);
    files.push(Buffer.from(reader.bytes()));
  }
  return files;
}

/** Adds reflection for the services of `descriptorSet` (default: the built contract's). */
export function addReflection(server: Server, descriptorSet = readFileSync(DESCRIPTOR_SET)): void {
  const files = { fileDescriptorProtos: splitDescriptorSet(descriptorSet) };
  // The one field @grpc/reflection reads from a package definition's entries.
  const definition = { 'descriptors.binpb': files } as unknown as PackageDefinition;
  new ReflectionService(definition).addToServer(server);
}
