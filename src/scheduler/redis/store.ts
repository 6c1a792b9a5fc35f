/**
 * The JobStore on Redis: every operation is one Lua script on one queue's keys (see lua/), called
 * through one pipelined ioredis connection, so concurrent calls share round trips.
 */
import { randomFillSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { SchedulerError, scriptError, wrongState } from '../errors';
import { formatJobId, formatLeaseId, type JobRef, type LeaseRef } from '../ids';
import type {
  CancelJobsResult,
  DeadPage,
  EnqueueResult,
  Job,
  LeaseBatch,
  LeasedJob,
  NackResult,
  QueueStats,
  StateCounts,
  TierStats,
} from '../job';
import type { JobStore, ListQuery, NewJob } from '../store';
import { encodeTail, HEAD_BYTES, jobFromRecord, leaseToken, recordHead, stateName } from './codec';
import {
  QUEUES_KEY,
  jobKey,
  metaKey,
  pausedTenantsKey,
  readyLogKey,
  stateKey,
  tenantCapsKey,
  tenantLeasedKey,
} from './keys';
import { Scripts, type RedisClient, type ScriptArg, type ScriptName } from './scripts';

export interface RedisStoreOptions {
  /** Tier -> weight for the fair share, e.g. premium=1000, free=100. */
  weights: ReadonlyMap<string, number>;
  /** Retry backoff: base * 2^(attempt-1), capped, with jitter. Default 1 s, capped at 10 min. */
  backoff?: { baseMs: number; capMs: number };
  /** How long an idempotency key is remembered. Default 24 h. */
  dedupWindowMs?: number;
  /** How long succeeded and cancelled jobs stay readable. Default 24 h. */
  retentionMs?: number;
  /** How long dead jobs stay (readable, and redrivable). Default 7 days. */
  deadRetentionMs?: number;
  /** Delayed jobs and expired leases moved per lease call. Default 1000. */
  maxMovesPerLease?: number;
  /** Tier -> most jobs of that tier leased at once in one queue (unlisted: no cap). */
  tierCaps?: ReadonlyMap<string, number>;
  /** Most jobs of one tenant leased at once in one queue, for tenants without their own cap. */
  tenantCap?: number;
  /** Test-only: pin the clock (epoch ms) instead of Redis's `TIME`. */
  pinnedNow?: () => number;
}

const DAY_MS = 24 * 3600 * 1000;
/** Most ready-log entries one pending listing looks at per tier. */
const READY_LOG_SCAN = 20_000;

/**
 * The random part of a lease call's tokens: 6 bytes as 8 base64url chars (lua/lib.lua), cut from
 * a pool refilled 512 calls at a time. randomBytes(6) costs ~6 µs a call in Node 20, the slice
 * ~0.3 µs, and a lease call is on every delivery's path.
 */
const TOKEN_BYTES = 6;
const tokenPool = Buffer.alloc(TOKEN_BYTES * 512);
let tokenAt = tokenPool.length;
function nextTokenPrefix(): string {
  if (tokenAt === tokenPool.length) {
    randomFillSync(tokenPool);
    tokenAt = 0;
  }
  tokenAt += TOKEN_BYTES;
  return tokenPool.toString('base64url', tokenAt - TOKEN_BYTES, tokenAt);
}

export class RedisJobStore implements JobStore {
  private readonly scripts: Scripts;
  private readonly fallbackWeight: number;
  private readonly backoff: { baseMs: number; capMs: number };
  private readonly dedupWindowMs: number;
  private readonly retentionMs: number;
  private readonly deadRetentionMs: number;
  private readonly maxMoves: number;
  private readonly knownQueues = new Set<string>();
  /** `<queue> NUL <tenant>` -> the own cap this process wrote to :tcap (-1: none). */
  private readonly ownCapsWritten = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisStoreOptions,
  ) {
    this.scripts = new Scripts(
      redis,
      options.weights,
      options.pinnedNow,
      options.tierCaps,
      options.tenantCap,
    );
    this.fallbackWeight = Math.min(...options.weights.values());
    this.backoff = options.backoff ?? { baseMs: 1000, capMs: 600_000 };
    this.dedupWindowMs = options.dedupWindowMs ?? DAY_MS;
    this.retentionMs = options.retentionMs ?? DAY_MS;
    this.deadRetentionMs = options.deadRetentionMs ?? 7 * DAY_MS;
    this.maxMoves = options.maxMovesPerLease ?? 1000;
  }

  async enqueue(queue: string, jobs: NewJob[]): Promise<EnqueueResult[]> {
    if (jobs.length === 0) return [];
    const args: ScriptArg[] = [this.dedupWindowMs, jobs.length];
    for (const job of jobs) args.push(job.delayMs ?? 0, job.idempotencyKey ?? '', encodeTail(job));
    // The caps go first: the enqueue script wakes consumers, whose lease calls read them.
    const [, reply] = await Promise.all([
      this.writeOwnCaps(queue, jobs),
      this.call('enqueue', queue, args) as Promise<Array<string | number>>,
      this.register(queue),
    ]);
    return jobs.map((_, i) => ({
      jobId: formatJobId(queue, String(reply[i * 3])),
      duplicate: reply[i * 3 + 1] === 1,
      tier: String(reply[i * 3 + 2]),
    }));
  }

  async lease(queue: string, count: number, visibilityMs: number): Promise<LeaseBatch> {
    const tokenPrefix = nextTokenPrefix();
    const reply = (await this.callBuffer('lease', queue, [
      count,
      visibilityMs,
      tokenPrefix,
      this.maxMoves,
      this.backoff.baseMs,
      this.backoff.capMs,
      Math.random(),
      this.deadRetentionMs,
    ])) as Array<number | Buffer>;
    const [wake, n] = reply as [number, number];
    const jobs: LeasedJob[] = [];
    for (let i = 0; i < n; i++) {
      jobs.push(leasedJob(queue, reply[2 + i * 2] as Buffer, reply[3 + i * 2] as Buffer));
    }
    return wake >= 0 ? { jobs, nextWakeInMs: wake } : { jobs };
  }

  async ack(lease: LeaseRef): Promise<void> {
    const [error] = await this.ackMany(lease.queue, [lease]);
    if (error) throw error;
  }

  /** Acks leases of one queue in one script call; an error per lease that was not acked. */
  async ackMany(queue: string, leases: LeaseRef[]): Promise<Array<SchedulerError | undefined>> {
    const args = [this.retentionMs, ...leases.flatMap((l) => [l.seq, l.token])];
    const codes = (await this.call('ack', queue, args)) as number[];
    return leases.map((l, i) =>
      codes[i]! < 0 ? scriptError(codes[i]!, 'ack', leaseName(l)) : undefined,
    );
  }

  async nack(
    lease: LeaseRef,
    error: string,
    retryDelayMs: number | undefined,
    noRetry: boolean,
  ): Promise<NackResult> {
    const reply = (await this.call('nack', lease.queue, [
      lease.seq,
      lease.token,
      error,
      retryDelayMs ?? -1,
      noRetry ? 1 : 0,
      this.backoff.baseMs,
      this.backoff.capMs,
      Math.random(),
      this.deadRetentionMs,
    ])) as number | [string, number];
    if (typeof reply === 'number') throw scriptError(reply, 'nack', leaseName(lease));
    const [state, at] = reply;
    if (state === 'X') return { state: 'dead' };
    return { state: state === 'S' ? 'scheduled' : 'pending', retryTime: Number(at) };
  }

  async release(lease: LeaseRef): Promise<void> {
    const code = (await this.call('release', lease.queue, [lease.seq, lease.token])) as number;
    if (code < 0) throw scriptError(code, 'release', leaseName(lease));
  }

  async extend(lease: LeaseRef, visibilityMs: number): Promise<number> {
    const reply = (await this.call('extend', lease.queue, [
      lease.seq,
      lease.token,
      visibilityMs,
    ])) as number;
    if (reply < 0) throw scriptError(reply, 'extend', leaseName(lease));
    return reply;
  }

  async get(ref: JobRef): Promise<Job> {
    const job = await this.read(ref.queue, ref.seq, 'get');
    if (!job) throw scriptError(-1, 'get', formatJobId(ref.queue, ref.seq));
    return job;
  }

  async cancel(ref: JobRef): Promise<Job> {
    const code = (await this.call('cancel', ref.queue, [ref.seq, this.retentionMs])) as number;
    if (code < 0) throw scriptError(code, 'cancel', formatJobId(ref.queue, ref.seq));
    return this.get(ref);
  }

  async stats(queue: string): Promise<QueueStats> {
    const [reply, paused, pausedTenants, tenantsAtCap] = await Promise.all([
      this.call('stats', queue, []) as Promise<unknown[]>,
      this.guard('stats', this.redis.hget(metaKey(queue), 'paused')),
      this.guard('stats', this.redis.smembers(pausedTenantsKey(queue))),
      this.tenantsAtCap(queue),
    ]);
    const [now, scheduled, leased, dead, flat] = reply as [
      number,
      number,
      number,
      number,
      string[],
    ];
    const counters = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) counters.set(flat[i]!, Number(flat[i + 1]));
    const tiers: TierStats[] = [];
    for (let i = 5; i < reply.length; i += 3) {
      const [tier, ready, oldest] = reply.slice(i, i + 3) as [string, number, string];
      tiers.push(this.tierStats(tier, ready, oldest ? now - Number(oldest) : 0, counters));
    }
    return {
      queue,
      counts: { pending: sum(tiers, (t) => t.counts.pending), scheduled, leased, dead },
      tiers,
      oldestReadyAgeMs: Math.max(0, ...tiers.map((t) => t.oldestReadyAgeMs)),
      paused: paused !== null,
      pausedTenants: pausedTenants.sort(),
      tenantsAtCap,
    };
  }

  /** Tenants with leases out (few: at most one per leased job) that are at their cap. */
  private async tenantsAtCap(queue: string): Promise<number> {
    const leased = await this.guard('stats', this.redis.hgetall(tenantLeasedKey(queue)));
    const tenants = Object.keys(leased);
    if (tenants.length === 0) return 0;
    const own = await this.guard('stats', this.redis.hmget(tenantCapsKey(queue), ...tenants));
    return tenants.filter((tenant, i) => {
      const cap = own[i] === null || own[i] === undefined ? this.options.tenantCap : Number(own[i]);
      return cap !== undefined && cap > 0 && Number(leased[tenant]) >= cap;
    }).length;
  }

  async listJobs(query: ListQuery): Promise<DeadPage> {
    const { queue, state, pageSize } = query;
    const offset = Number(query.pageToken || 0);
    // Read up to the end of the page plus one, to know whether more follow: a deep page costs
    // its depth.
    const wanted = offset + pageSize + 1;
    let entries: Array<{ seq: string; score: number }>;
    if (state === 'pending') {
      const tiers = query.tier ? [query.tier] : [...this.options.weights.keys()];
      const heads = await Promise.all(tiers.map((tier) => this.readyHead(queue, tier, wanted)));
      entries = heads.flat();
    } else {
      const flat = await this.guard(
        'list_jobs',
        this.redis.zrange(stateKey(queue, state), 0, wanted - 1, 'WITHSCORES'),
      );
      entries = flat.flatMap((seq, i) =>
        i % 2 === 0 ? [{ seq, score: Number(flat[i + 1]) }] : [],
      );
    }
    entries.sort((a, b) => a.score - b.score);
    const page = entries.slice(offset, offset + pageSize).map((e) => e.seq);
    const read = await Promise.all(page.map((seq) => this.read(queue, seq, 'list_jobs')));
    const jobs = read.filter((job): job is Job => job !== undefined);
    return {
      jobs,
      nextPageToken: entries.length > offset + pageSize ? String(offset + pageSize) : '',
    };
  }

  /**
   * The first `wanted` jobs still ready in a tier's ready log, oldest first, scored by ready-since.
   * Stale entries (lua/lib.lua) are skipped by a look at each job's state and ready-since time;
   * the walk stops after READY_LOG_SCAN entries.
   */
  private async readyHead(
    queue: string,
    tier: string,
    wanted: number,
  ): Promise<Array<{ seq: string; score: number }>> {
    const key = readyLogKey(queue, tier);
    const found = new Map<string, number>();
    for (let start = 0; found.size < wanted && start < READY_LOG_SCAN; start += 500) {
      const chunk = await this.guard('list_jobs', this.redis.lrange(key, start, start + 499));
      const live = await Promise.all(
        chunk.map(async (entry) => {
          const [seq = '', since = ''] = entry.split(':');
          const head = await this.guard(
            'list_jobs',
            this.redis.getrangeBuffer(jobKey(queue, seq), 0, HEAD_BYTES - 1),
          );
          const { state, time } = recordHead(head);
          return state === 'P' && time === since ? { seq, score: parseInt(since, 36) } : undefined;
        }),
      );
      for (const e of live)
        if (e && !found.has(e.seq) && found.size < wanted) found.set(e.seq, e.score);
      if (chunk.length < 500) break;
    }
    return [...found].map(([seq, score]) => ({ seq, score }));
  }

  async redrive(queue: string, seqs: string[], limit: number): Promise<number> {
    return (await this.call('redrive', queue, [limit, ...seqs])) as number;
  }

  /** Queue names seen, for operators and metrics. */
  async queues(): Promise<string[]> {
    return (await this.guard('queues', this.redis.smembers(QUEUES_KEY))).sort();
  }

  private tierStats(
    tier: string,
    ready: number,
    oldestMs: number,
    counters: Map<string, number>,
  ): TierStats {
    const c = (name: string): number => counters.get(`${name}:${tier}`) ?? 0;
    const counts: StateCounts = {
      pending: ready,
      scheduled: c('scheduled'),
      leased: c('leased'),
      dead: c('dead'),
    };
    return {
      tier,
      weight: this.options.weights.get(tier) ?? this.fallbackWeight,
      counts,
      oldestReadyAgeMs: Math.max(0, oldestMs),
      enqueuedTotal: c('enqueued'),
      ackedTotal: c('acked'),
      nackedTotal: c('nacked'),
      deadTotal: c('deadlettered'),
      expiredTotal: c('expired'),
    };
  }

  /** A job's record; undefined when it does not exist. */
  private async read(queue: string, seq: string, op: string): Promise<Job | undefined> {
    const record = await this.guard(op, this.redis.getBuffer(jobKey(queue, seq)));
    return record ? jobFromRecord(queue, seq, record) : undefined;
  }

  async setPaused(queue: string, tenant: string, paused: boolean): Promise<boolean> {
    const [changed] = await Promise.all([
      this.call('pause', queue, [tenant, paused ? 1 : 0]) as Promise<number>,
      this.register(queue),
    ]);
    return changed === 1;
  }

  async updatePriority(ref: JobRef, priority: number): Promise<void> {
    const reply = await this.call('update_job', ref.queue, [ref.seq, priority]);
    this.checkEdit(reply, 'update_job', ref, 'a pending or scheduled job');
  }

  async promote(ref: JobRef): Promise<void> {
    const reply = await this.call('promote', ref.queue, [ref.seq]);
    this.checkEdit(reply, 'promote', ref, 'a scheduled job');
  }

  async cancelJobs(
    queue: string,
    tenant: string,
    limit: number,
    pageToken: string,
  ): Promise<CancelJobsResult> {
    const args = [tenant, limit, this.retentionMs, pageToken];
    const [cancelled, next] = (await this.call('cancel_jobs', queue, args)) as [number, string];
    return { cancelled, nextPageToken: next };
  }

  async purgeDead(queue: string, limit: number): Promise<number> {
    return (await this.call('purge_dead', queue, [limit])) as number;
  }

  /** Reply of an edit script: 1, a failure code, or `{-4, state}` (lua/update_job.lua). */
  private checkEdit(reply: unknown, op: string, ref: JobRef, needs: string): void {
    const id = formatJobId(ref.queue, ref.seq);
    if (Array.isArray(reply)) throw wrongState(op, id, stateName(String(reply[1])), needs);
    if ((reply as number) < 0) throw scriptError(reply as number, op, id);
  }

  /**
   * Keeps :tcap in step with the tier source: each tenant's own cap, written when this process
   * has not written that value for that queue yet (so once per tenant and queue in the steady
   * state). A tenant without one is deleted from it, so a cap removed at the source goes too.
   */
  private async writeOwnCaps(queue: string, jobs: NewJob[]): Promise<void> {
    const wanted = new Map<string, number>();
    for (const { tenantId, ownCap } of jobs) wanted.set(tenantId, ownCap ?? -1);
    const writes: Array<Promise<unknown>> = [];
    for (const [tenantId, cap] of wanted) {
      const key = `${queue}\u0000${tenantId}`;
      if (this.ownCapsWritten.get(key) === cap) continue;
      const caps = tenantCapsKey(queue);
      const write =
        cap < 0 ? this.redis.hdel(caps, tenantId) : this.redis.hset(caps, tenantId, cap);
      writes.push(write.then(() => this.ownCapsWritten.set(key, cap)));
    }
    if (writes.length > 0) await this.guard('enqueue', Promise.all(writes));
  }

  /** Remembers the queue name once per process (a set outside the queue's slot). */
  async register(queue: string): Promise<void> {
    if (this.knownQueues.has(queue)) return;
    await this.guard('enqueue', this.redis.sadd(QUEUES_KEY, queue));
    this.knownQueues.add(queue);
  }

  private call(name: ScriptName, queue: string, args: ScriptArg[]): Promise<unknown> {
    return this.guard(name, this.scripts.run(name, queue, args));
  }

  private callBuffer(name: ScriptName, queue: string, args: ScriptArg[]): Promise<unknown> {
    return this.guard(name, this.scripts.runBuffer(name, queue, args));
  }

  /** Redis trouble becomes a typed error: out of memory is a full queue, anything else unreachable. */
  private async guard<T>(op: string, pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (err) {
      const reply = isReplyError(err);
      const full = reply && err.message.startsWith('OOM');
      if (reply && !full) throw err;
      throw new SchedulerError(
        full ? 'resource_exhausted' : 'unavailable',
        full ? 'Redis is out of memory: the queue is full' : `Redis is unavailable: ${String(err)}`,
        { op, cause: err },
      );
    }
  }
}

/** ioredis types ReplyError as `any`: check by name instead. */
function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}

function leasedJob(queue: string, seq: Buffer, record: Buffer): LeasedJob {
  const seqText = seq.toString();
  const job = jobFromRecord(queue, seqText, record);
  return {
    job,
    leaseId: formatLeaseId(queue, seqText, leaseToken(record)),
    leaseExpireTime: job.leaseExpireTime!,
  };
}

function leaseName(lease: LeaseRef): string {
  return formatLeaseId(lease.queue, lease.seq, lease.token);
}

function sum<T>(items: T[], f: (item: T) => number): number {
  return items.reduce((total, item) => total + f(item), 0);
}
