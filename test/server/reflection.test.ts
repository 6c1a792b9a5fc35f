/**
 * Server reflection as third-party tools use it: grpcurl (built from the Go module proxy by
 * scripts/grpcurl.sh) describes the contract and calls Health and Enqueue with no proto file,
 * and both reflection versions serve the files as written, with their imports.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { FileDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import { DESCRIPTOR_SET, splitDescriptorSet } from '../../src/server/reflection';
import { reflect, type ReflectionVersion } from '../helpers/reflection';
import { uniqueName } from '../helpers/redis';
import { unary, useTestServer } from '../helpers/server';

const exec = promisify(execFile);
const decode = (bytes: Uint8Array) => FileDescriptorProto.decode(bytes) as IFileDescriptorProto;
const t = useTestServer({ STATIC_TIERS: 'acme=premium' });

let grpcurlPath: string;
before(() => {
  grpcurlPath =
    process.env.GRPCURL ??
    execFileSync('bash', ['scripts/grpcurl.sh'], { encoding: 'utf8' }).trim();
});

async function grpcurl(...args: string[]): Promise<string> {
  const { stdout } = await exec(grpcurlPath, ['-plaintext', ...args]);
  return stdout;
}

describe('grpcurl with no proto file', () => {
  it('lists the scheduler and health services', async () => {
    const services = (await grpcurl(t.server.address, 'list')).split('\n');
    assert.ok(services.includes('scheduler.v1.SchedulerService'), services.join());
    assert.ok(services.includes('grpc.health.v1.Health'), services.join());
  });

  it('describes the service and a message with imported well-known types', async () => {
    const service = await grpcurl(t.server.address, 'describe', 'scheduler.v1.SchedulerService');
    assert.match(service, /rpc Enqueue \( \.scheduler\.v1\.EnqueueRequest \)/);
    assert.match(service, /rpc Lease \( stream \.scheduler\.v1\.LeaseRequest \)/);
    const job = await grpcurl(t.server.address, 'describe', 'scheduler.v1.Job');
    assert.match(job, /\.google\.protobuf\.Timestamp enqueue_time = /);
    assert.match(job, /map<string, string> headers = /);
  });

  it('calls grpc.health.v1.Health/Check and List', async () => {
    const check = await grpcurl(t.server.address, 'grpc.health.v1.Health/Check');
    assert.deepEqual(JSON.parse(check), { status: 'SERVING' });
    const list = JSON.parse(await grpcurl(t.server.address, 'grpc.health.v1.Health/List')) as {
      statuses: Record<string, { status: string }>;
    };
    assert.equal(list.statuses['scheduler.v1.SchedulerService']?.status, 'SERVING');
  });

  it('enqueues a job with a JSON request', async () => {
    const queue = uniqueName();
    const request = { queue, tenant_id: 'acme', payload: Buffer.from('hi').toString('base64') };
    const reply = JSON.parse(
      await grpcurl(
        '-d',
        JSON.stringify(request),
        t.server.address,
        'scheduler.v1.SchedulerService/Enqueue',
      ),
    ) as { jobId: string; tier: string };
    assert.equal(reply.tier, 'premium');
    const got = await unary<GetJobResponse__Output>((cb) =>
      t.client.getJob({ jobId: reply.jobId }, cb),
    );
    assert.equal(got.job?.payload.toString(), 'hi');
  });
});

describe('reflection serves the descriptors buf built', () => {
  const built = new Map(
    splitDescriptorSet(readFileSync(DESCRIPTOR_SET)).map((b) => [decode(b).name, b]),
  );

  for (const version of ['v1', 'v1alpha'] as ReflectionVersion[]) {
    it(`${version}: the file of scheduler.v1.Job comes with its imports, as built`, async () => {
      const response = await reflect(t.server.address, version, {
        file_containing_symbol: 'scheduler.v1.Job',
      });
      const served = response.file_descriptor_response?.file_descriptor_proto ?? [];
      const names = served.map((b) => decode(b).name);
      const file = 'scheduler/v1/scheduler.proto';
      const imports = decode(built.get(file)!).dependency as string[];
      assert.equal(names[0], file);
      assert.deepEqual(names.slice(1).sort(), [...imports].sort());
      for (const [i, bytes] of served.entries()) assert.deepEqual(bytes, built.get(names[i]));
    });
  }

  it('serves grpc/health/v1/health.proto under its canonical name', async () => {
    const response = await reflect(t.server.address, 'v1', {
      file_containing_symbol: 'grpc.health.v1.Health',
    });
    const [file] = response.file_descriptor_response?.file_descriptor_proto ?? [];
    assert.equal(decode(file!).name, 'grpc/health/v1/health.proto');
  });
});
