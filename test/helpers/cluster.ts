/**
 * A local Redis Cluster for tests (scripts/redis-cluster.sh: 3 masters with a replica each, on
 * free loopback ports), plus what failover tests need: which master serves a queue, and killing
 * one with SIGKILL and waiting for its replica to take over.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { metaKey } from '../../src/scheduler/redis/keys';
import { killAndWait } from './process';
import { uniqueName } from './redis';
import { startTestServer, type TestServer } from './server';

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../scripts/redis-cluster.sh');

export interface ClusterNode {
  id: string;
  port: number;
  role: 'master' | 'slave';
  /** The master's id, for a replica. */
  masterId: string;
  failed: boolean;
  /** Slot ranges, for a master: [from, to] pairs. */
  slots: Array<[number, number]>;
}

export interface TestCluster {
  /** For REDIS_CLUSTER_NODES. */
  nodesEnv: string;
  ports: number[];
  /** A URL of one node, for APIs that want a REDIS_URL besides. */
  url: string;
  /** The cluster's view, asked of a live node. */
  nodes(): Promise<ClusterNode[]>;
  /** The slot of a queue's keys (all share its hash tag). */
  slotOf(queue: string): Promise<number>;
  /** The master serving a queue's slot. */
  masterOf(queue: string): Promise<ClusterNode>;
  /**
   * Fresh queue names, `perMaster` on each master, in master order (drawn at random, 12 names
   * land on only two of three masters about once in 40 runs).
   */
  queuesOnEveryMaster(prefix: string, perMaster: number): Promise<string[]>;
  /** SIGKILLs a node (as a crash would); resolves once its process is gone. */
  kill(port: number): Promise<void>;
  /** Waits until `slot` is served by a live master other than `oldPort`; returns its port. */
  waitForNewMaster(slot: number, oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const { stdout } = await run('bash', [SCRIPT, 'start', dir], { timeout: 60_000 });
  const m = /export REDIS_CLUSTER_NODES=(\S+)/.exec(stdout);
  if (!m?.[1]) throw new Error(`redis-cluster.sh said: ${stdout}`);
  const nodesEnv = m[1];
  const ports = nodesEnv.split(',').map((n) => Number(n.split(':')[1]));
  const killed = new Set<number>();
  const live = (): number[] => ports.filter((p) => !killed.has(p));

  const nodes = async (): Promise<ClusterNode[]> => {
    for (const port of live()) {
      try {
        return parseNodes(await ask(port, ['CLUSTER', 'NODES']));
      } catch {
        // Try another node.
      }
    }
    throw new Error('no cluster node answers');
  };

  const slotOf = async (queue: string): Promise<number> =>
    Number(await ask(live()[0]!, ['CLUSTER', 'KEYSLOT', metaKey(queue)]));

  const masterOf = async (queue: string): Promise<ClusterNode> => {
    const slot = await slotOf(queue);
    const master = (await nodes()).find((n) => n.role === 'master' && !n.failed && covers(n, slot));
    if (!master) throw new Error(`no master serves slot ${slot}`);
    return master;
  };

  return {
    nodesEnv,
    ports,
    url: `redis://127.0.0.1:${ports[0]}`,
    nodes,
    slotOf,
    masterOf,
    queuesOnEveryMaster: async (prefix, perMaster) => {
      const masters = (await nodes()).filter((n) => n.role === 'master' && !n.failed);
      const byMaster = new Map<number, string[]>(masters.map((m) => [m.port, []]));
      while ([...byMaster.values()].some((qs) => qs.length < perMaster)) {
        const queue = uniqueName(prefix);
        const qs = byMaster.get((await masterOf(queue)).port);
        if (qs && qs.length < perMaster) qs.push(queue);
      }
      return [...byMaster.values()].flat();
    },
    kill: async (port) => {
      const pid = Number(/process_id:(\d+)/.exec(await ask(port, ['INFO', 'server']))?.[1]);
      killed.add(port);
      await killAndWait(pid);
    },
    waitForNewMaster: async (slot, oldPort, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const serving = (await nodes().catch(() => [])).find(
          (n) => n.role === 'master' && !n.failed && n.port !== oldPort && covers(n, slot),
        );
        if (serving) return serving.port;
        await sleep(100);
      }
      throw new Error(`slot ${slot} has no new master after ${timeoutMs} ms`);
    },
    stop: async () => {
      await run('bash', [SCRIPT, 'stop', dir], { timeout: 30_000 });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function covers(node: ClusterNode, slot: number): boolean {
  return node.slots.some(([from, to]) => slot >= from && slot <= to);
}

async function ask(port: number, command: [string, ...string[]]): Promise<string> {
  const redis = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return String(await redis.call(...command));
  } finally {
    redis.disconnect();
  }
}

/** `CLUSTER NODES` lines: id addr flags master-id ping pong epoch link slots... */
function parseNodes(text: string): ClusterNode[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, addr, flags, masterId, , , , , ...slots] = line.split(' ');
      const flagSet = new Set(flags!.split(','));
      return {
        id: id!,
        port: Number(addr!.split('@')[0]!.split(':')[1]),
        role: flagSet.has('master') ? 'master' : 'slave',
        masterId: masterId!,
        failed: flagSet.has('fail') || flagSet.has('fail?'),
        slots: slots
          .filter((s) => /^\d/.test(s))
          .map((s) => {
            const [from, to] = s.split('-').map(Number) as [number, number | undefined];
            return [from, to ?? from] as [number, number];
          }),
      };
    });
}

/** A cluster and two scheduler replicas on it; `stop` takes all of it down. */
export interface ClusterPair {
  cluster: TestCluster;
  a: TestServer;
  b: TestServer;
  stop(): Promise<void>;
}

export async function startClusterPair(env: Record<string, string> = {}): Promise<ClusterPair> {
  const cluster = await startCluster();
  const withNodes = { ...env, REDIS_CLUSTER_NODES: cluster.nodesEnv };
  const [a, b] = await Promise.all([
    startTestServer(cluster.url, withNodes),
    startTestServer(cluster.url, withNodes),
  ]);
  return {
    cluster,
    a,
    b,
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await cluster.stop();
    },
  };
}
