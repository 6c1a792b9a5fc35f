/**
 * Tiers stored in MongoDB, one document per tenant: `{_id: <tenant id>, tier: "premium"}` in
 * `scheduler.customers` by default. The directory only queries; caching, in-flight sharing and the
 * circuit breaker come from CachingTierResolver, which createMongoTierResolver puts in front.
 */
import { MongoClient, type Collection, type MongoClientOptions } from 'mongodb';
import type { Logger } from 'pino';
import {
  CachingTierResolver,
  type CachingTierResolverOptions,
  type TenantEntry,
  type TierDirectory,
} from './cached';

export interface MongoTierDirectoryOptions {
  /** Default `scheduler`. */
  database?: string;
  /** Default `customers`. */
  collection?: string;
  /** Field holding the tier name; a dotted path reaches into sub-documents. Default `tier`. */
  tierField?: string;
  /** Field holding the tenant's own concurrency cap per queue (optional). Default `concurrency`. */
  concurrencyField?: string;
  /**
   * Server-side bound on one query (`maxTimeMS`). Longer than the breaker timeout on purpose: an
   * answer that comes late still warms the cache. Default 1000 ms.
   */
  maxTimeMS?: number;
}

export const DEFAULT_MONGO_DIRECTORY = {
  database: 'scheduler',
  collection: 'customers',
  tierField: 'tier',
  concurrencyField: 'concurrency',
  maxTimeMS: 1000,
} as const;

/** Client options for a lookup client: fail fast, so a dead server never blocks start-up. */
export const DEFAULT_MONGO_CLIENT_OPTIONS: Readonly<MongoClientOptions> = {
  appName: 'priority-scheduler',
  serverSelectionTimeoutMS: 2000,
  connectTimeoutMS: 2000,
  // A connection whose answer never comes is closed instead of being held forever.
  socketTimeoutMS: 10_000,
};

/** Tenant ids are the documents' `_id`s, so a lookup is a primary-index read. */
interface CustomerDoc {
  _id: string;
  [field: string]: unknown;
}

export class MongoTierDirectory implements TierDirectory {
  private readonly collection: Collection<CustomerDoc>;
  private readonly tierPath: readonly string[];
  private readonly capPath: readonly string[];
  private readonly maxTimeMS: number;

  /** `ownsClient`: close() closes the client too (it was made for this directory). */
  constructor(
    private readonly client: MongoClient,
    options: MongoTierDirectoryOptions = {},
    private readonly ownsClient = false,
  ) {
    const o = { ...DEFAULT_MONGO_DIRECTORY, ...definedOnly(options) };
    this.collection = client.db(o.database).collection<CustomerDoc>(o.collection);
    this.tierPath = o.tierField.split('.');
    this.capPath = o.concurrencyField.split('.');
    this.maxTimeMS = o.maxTimeMS;
  }

  /** One `find` on `_id` (the primary index) that returns only the tier and cap fields. */
  async find(tenantIds: readonly string[]): Promise<Map<string, TenantEntry>> {
    const docs = await this.collection
      .find(
        { _id: { $in: [...tenantIds] } },
        {
          projection: { [this.tierPath.join('.')]: 1, [this.capPath.join('.')]: 1 },
          // _id is unique, so all answers fit in one reply: ask the server to close the cursor
          // with it, or a reply of exactly batchSize documents costs a getMore round trip.
          limit: tenantIds.length,
          batchSize: tenantIds.length,
          singleBatch: true,
          maxTimeMS: this.maxTimeMS,
        },
      )
      .toArray();
    const entries = new Map<string, TenantEntry>();
    for (const doc of docs) {
      entries.set(doc._id, {
        tier: readPath(doc, this.tierPath),
        concurrency: readPath(doc, this.capPath),
      });
    }
    return entries;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}

export interface MongoTierResolverOptions
  extends MongoTierDirectoryOptions, CachingTierResolverOptions {
  /** Connection string: the resolver makes its own client and closes it on close(). */
  uri?: string;
  /** Or a client owned (connected and closed) by the caller. */
  client?: MongoClient;
  /** Overrides DEFAULT_MONGO_CLIENT_OPTIONS for a client made from `uri`. */
  clientOptions?: MongoClientOptions;
}

/**
 * Builds the MongoDB tier resolver without waiting for MongoDB: the first connection is attempted
 * in the background and, until it works, lookups fall back (stale or default tier) through the
 * breaker. A malformed `uri` throws here, so a bad setting stops start-up.
 */
export function createMongoTierResolver(options: MongoTierResolverOptions): CachingTierResolver {
  const ownsClient = options.client === undefined;
  const client = options.client ?? newClient(options);
  if (ownsClient) connectInBackground(client, options.logger);
  const directory = new MongoTierDirectory(client, options, ownsClient);
  return new CachingTierResolver(directory, options);
}

function newClient(options: MongoTierResolverOptions): MongoClient {
  if (options.uri === undefined) throw new Error('createMongoTierResolver needs a uri or a client');
  return new MongoClient(options.uri, {
    ...DEFAULT_MONGO_CLIENT_OPTIONS,
    ...options.clientOptions,
  });
}

function connectInBackground(client: MongoClient, logger: Logger): void {
  // The driver connects again on the next operation, so a failure here is only worth a warning.
  void client.connect().then(
    () => logger.info('connected to MongoDB for tier lookups'),
    (err: unknown) =>
      logger.warn({ err }, 'MongoDB unreachable at start: tier lookups fall back until it is'),
  );
}

function readPath(doc: CustomerDoc, path: readonly string[]): unknown {
  let value: unknown = doc;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** So that `{database: undefined}` from an unset config does not override a default. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
