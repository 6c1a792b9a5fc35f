/** The machine a run happened on, so every figure can be read against its hardware. */
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  redis: string;
  bullmq: string;
  grpcJs: string;
  ioredis: string;
}

function packageVersion(name: string): string {
  try {
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(redisVersion: string): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    redis: redisVersion,
    bullmq: packageVersion('bullmq'),
    grpcJs: packageVersion('@grpc/grpc-js'),
    ioredis: packageVersion('ioredis'),
  };
}
