/**
 * What every tier-resolver test needs: a monitored client on a random database, a pino logger whose
 * lines the test can read, the observer's events, and resolvers that are closed afterwards.
 */
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Collection } from 'mongodb';
import pino from 'pino';
import type { CachingTierResolver } from '../../src/scheduler/tiers/cached';
import type { TierEvent } from '../../src/scheduler/tiers/events';
import {
  createMongoTierResolver,
  type MongoTierResolverOptions,
} from '../../src/scheduler/tiers/mongo';
import { CommandLog, randomDbName } from '../helpers/mongo';

export const TIERS = { knownTiers: ['premium', 'free'], defaultTier: 'free' } as const;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface CustomerDoc {
  _id: string;
  [field: string]: unknown;
}

export type ResolverOverrides = Partial<Omit<MongoTierResolverOptions, 'logger' | 'onEvent'>>;

export class TierFixture {
  readonly dbName: string;
  readonly client: MongoClient;
  readonly commands: CommandLog;
  readonly logs: LogLine[] = [];
  readonly events: TierEvent[] = [];
  readonly logger = pino({ level: 'debug' }, lineCollector(this.logs));
  private readonly resolvers: CachingTierResolver[] = [];

  private readonly dropDatabase: boolean;

  /**
   * `dbName`: share another fixture's database (which that one drops). `dropDatabase: false` for a
   * server that is thrown away with its data, or may be down when the test ends.
   */
  constructor(uri: string, options: { dbName?: string; dropDatabase?: boolean } = {}) {
    this.dbName = options.dbName ?? randomDbName('tiers');
    this.dropDatabase = options.dropDatabase ?? options.dbName === undefined;
    this.client = new MongoClient(uri, { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
    this.commands = new CommandLog(this.client, this.dbName);
  }

  customers(collection = 'customers'): Collection<CustomerDoc> {
    return this.client.db(this.dbName).collection<CustomerDoc>(collection);
  }

  /** A resolver on this fixture's database, client, logger and event list. */
  resolver(overrides: ResolverOverrides = {}): CachingTierResolver {
    const resolver = createMongoTierResolver({
      client: this.client,
      database: this.dbName,
      ...TIERS,
      ...overrides,
      logger: this.logger,
      onEvent: (e) => this.events.push(e),
    });
    this.resolvers.push(resolver);
    return resolver;
  }

  warnings(msgPart: string): LogLine[] {
    return this.logs.filter((l) => l.level === 40 && l.msg.includes(msgPart));
  }

  eventsOf<T extends TierEvent['type']>(type: T): Array<Extract<TierEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<TierEvent, { type: T }> => e.type === type);
  }

  async close(): Promise<void> {
    try {
      for (const r of this.resolvers) await r.close();
      if (this.dropDatabase) await this.client.db(this.dbName).dropDatabase();
    } finally {
      // An open client keeps the test process alive, whatever failed above.
      await this.client.close();
    }
  }
}

function lineCollector(lines: LogLine[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
}

/** Runs `fn` and returns how long it took, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** The p-th percentile (0..100) of `samples`, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
