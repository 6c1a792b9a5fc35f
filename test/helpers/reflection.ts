/** A client of gRPC server reflection (v1 or v1alpha), as grpcurl speaks it. */
import { dirname } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export type ReflectionVersion = 'v1' | 'v1alpha';

export interface ReflectionRequest {
  list_services?: string;
  file_containing_symbol?: string;
  file_by_filename?: string;
}

export interface ReflectionResponse {
  list_services_response?: { service: Array<{ name: string }> };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

interface ReflectionClient extends grpc.Client {
  ServerReflectionInfo(): grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse>;
}
type ReflectionPackage = {
  grpc: {
    reflection: Record<
      string,
      { ServerReflection: new (a: string, c: grpc.ChannelCredentials) => ReflectionClient }
    >;
  };
};

/** Sends one request on a reflection stream, with no token, and resolves to the answer. */
export async function reflect(
  address: string,
  version: ReflectionVersion,
  request: ReflectionRequest,
): Promise<ReflectionResponse> {
  const protoFile = require.resolve(
    `@grpc/reflection/build/proto/grpc/reflection/${version}/reflection.proto`,
  );
  const root = dirname(dirname(dirname(dirname(protoFile))));
  const pkg = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
    keepCase: true,
    includeDirs: [root],
  });
  const loaded = grpc.loadPackageDefinition(pkg) as unknown as ReflectionPackage;
  const client = new loaded.grpc.reflection[version]!.ServerReflection(
    address,
    grpc.credentials.createInsecure(),
  );
  const stream = client.ServerReflectionInfo();
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      stream.on('data', resolve);
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    stream.end();
    client.close();
  }
}

/** The services server reflection lists, sorted. */
export async function listServices(
  address: string,
  version: ReflectionVersion = 'v1',
): Promise<string[]> {
  const response = await reflect(address, version, { list_services: '*' });
  return (response.list_services_response?.service ?? []).map((s) => s.name).sort();
}
