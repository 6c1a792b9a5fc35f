/**
 * The JobStore on Redis: every operation is one Lua script on one queue's keys (see lua/), called
 * through one pipelined ioredis connection, so concurrent calls share round trips.
 */
import { randomFillSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { SchedulerError, ScriptCode, scriptError, wrongState } from '../errors';
import { formatJobId, formatLeaseId, type JobRef, type LeaseRef } from '../ids';
import {
  fitting,
  jobBytes,
  type AckBatch,
  type CancelJobsResult,
  type JobPage,
  type EnqueueResult,
  type Job,
  type LeaseBatch,
  type LeasedJob,
  type NackResult,
  type QueueStats,
  type StateCounts,
  type TierStats,
} from '../job';
import type { JobStore, ListQuery, NewJob, UpkeepStore } from '../store';
import { parseSamples, ratesOf } from '../rates';
import {
  HEAD_BYTES,
  TOKEN_CHARS,
  encodeTail,
  jobFromRecord,
  leaseToken,
  recordHead,
  stateName,
} from './codec';
import {
  QUEUES_KEY,
  jobKey,
  jobOutputKey,
  metaKey,
  pausedTenantsKey,
  readyLogKey,
  stateKey,
  tenantCapsKey,
  tenantLeasedKey,
} from './keys';
import { guardRedis } from './redis-errors';
import { Scripts, type RedisClient, type ScriptArg, type ScriptName } from './scripts';
import { UpkeepIndex } from './upkeep-index';

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
/** Most leases one ack.lua call settles (a stream message may carry thousands). */
const ACK_CHUNK = 1000;
/**
 * Stale ready-log entries a pending listing reads past per tier, beyond the jobs it wants: the
 * write path keeps a log's head live (lua/includes/ready_log.lua), so stale entries are few
 * there; past this many, a page comes up short rather than the read walking the whole log.
 */
const STALE_ALLOWANCE = 1000;

/**
 * Lease tokens: 9 random bytes (72 bits) per lease, as 12 base64url chars (lua/lease.lua), so no
 * lease id says anything about another. A call's tokens are one string cut from a pool refilled
 * 64 KiB at a time: one randomFillSync per ~7,000 leases instead of a randomBytes per call.
 */
const TOKEN_BYTES = (TOKEN_CHARS / 4) * 3;
const tokenPool = Buffer.alloc(64 * 1024 - ((64 * 1024) % TOKEN_BYTES));
let tokenAt = tokenPool.length;
export function leaseTokens(count: number): string {
  const parts: string[] = [];
  let left = count * TOKEN_BYTES;
  while (left > 0) {
    if (tokenAt === tokenPool.length) {
      randomFillSync(tokenPool);
      tokenAt = 0;
    }
    const take = Math.min(left, tokenPool.length - tokenAt);
    parts.push(tokenPool.toString('base64url', tokenAt, tokenAt + take));
    tokenAt += take;
    left -= take;
  }
  return parts.join('');
}

export class RedisJobStore implements JobStore, UpkeepStore {
  private readonly scripts: Scripts;
  private readonly index: UpkeepIndex;
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
    this.index = new UpkeepIndex(redis, options.pinnedNow);
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
    // After the script, so an upkeep claimed meanwhile cannot take the mark for work not there.
    const delays = jobs.flatMap((job) => (job.delayMs ? [job.delayMs] : []));
    if (delays.length > 0)
      await guardRedis('enqueue', this.index.markIn(queue, Math.min(...delays)));
    return jobs.map((_, i) => ({
      jobId: formatJobId(queue, String(reply[i * 3])),
      duplicate: reply[i * 3 + 1] === 1,
      tier: String(reply[i * 3 + 2]),
    }));
  }

  async lease(
    queue: string,
    count: number,
    visibilityMs: number | readonly number[],
    acks?: AckBatch,
  ): Promise<LeaseBatch> {
    let ride = acks;
    let ackErrors: Array<SchedulerError | undefined> = [];
    if (acks && acks.leases.length > ACK_CHUNK) {
      // Acks beyond one script call's share go first, alone; the last chunk rides on the lease.
      const split = acks.leases.length - ACK_CHUNK;
      ackErrors = await this.ackMany(queue, acks.leases.slice(0, split), acks.results);
      ride = { leases: acks.leases.slice(split), results: acks.results.slice(split) };
    }
    const { batch, mark } = await this.leaseCall(queue, count, visibilityMs, ride);
    // Only a due time earlier than the queue had before needs the index (the script says which):
    // the index holds one at or before every earlier one (upkeep-index.ts). Not awaited: the
    // jobs are leased either way; a lost mark delays this queue's upkeep only while no worker
    // leases from it (and until a restart marks every queue).
    if (mark && batch.nextWakeInMs !== undefined)
      this.index.markIn(queue, batch.nextWakeInMs).catch(() => undefined);
    if (acks) batch.ackErrors = [...ackErrors, ...(batch.ackErrors ?? [])];
    return batch;
  }

  async claimDue(limit: number, claimMs: number): Promise<string[]> {
    return guardRedis('upkeep', this.index.claim(limit, claimMs));
  }

  /** lease.lua for no job: due work moved, dead jobs past retention pruned; then the index. */
  async upkeep(queue: string): Promise<void> {
    const { nextWakeInMs } = (await this.leaseCall(queue, 0, 1)).batch;
    await guardRedis('upkeep', this.index.done(queue, nextWakeInMs));
  }

  async markAllDue(): Promise<void> {
    for (const queue of await this.queues())
      await guardRedis('upkeep', this.index.markIn(queue, 0));
  }

  private async leaseCall(
    queue: string,
    count: number,
    visibilityMs: number | readonly number[],
    acks?: AckBatch,
  ): Promise<{ batch: LeaseBatch; mark: boolean }> {
    const args: ScriptArg[] = [
      count,
      typeof visibilityMs === 'number' ? visibilityMs : visibilityMs.join(','),
      leaseTokens(count),
      this.maxMoves,
      this.backoff.baseMs,
      this.backoff.capMs,
      Math.random(),
      this.deadRetentionMs,
      this.retentionMs,
    ];
    if (acks) pushAcks(args, acks.leases, acks.results);
    const reply = (await this.callBuffer('lease', queue, args)) as Array<number | Buffer>;
    const [wake, n, mark] = reply as [number, number, number];
    const jobs: LeasedJob[] = [];
    for (let i = 0; i < n; i++) {
      const [seq, head, record] = reply.slice(3 + i * 3, 6 + i * 3) as [Buffer, Buffer, Buffer];
      head.copy(record); // the record as leased, without a copy of its payload in Lua
      jobs.push(leasedJob(queue, seq, record));
    }
    const batch: LeaseBatch = wake >= 0 ? { jobs, nextWakeInMs: wake } : { jobs };
    if (acks) batch.ackErrors = ackOutcomes(acks.leases, reply.slice(3 + n * 3) as number[]);
    return { batch, mark: mark === 1 };
  }

  async ack(lease: LeaseRef, result?: Buffer): Promise<void> {
    const [error] = await this.ackMany(lease.queue, [lease], [result]);
    if (error) throw error;
  }

  /**
   * Acks leases of one queue (`results[i]`: lease i's result, if any); an error per lease that
   * was not acked. A long list goes in script calls of ACK_CHUNK, one after the other, so no
   * call holds Redis long and other clients' commands run in between.
   */
  async ackMany(
    queue: string,
    leases: LeaseRef[],
    results: ReadonlyArray<Buffer | undefined> = [],
  ): Promise<Array<SchedulerError | undefined>> {
    const errors: Array<SchedulerError | undefined> = [];
    for (let at = 0; at < leases.length; at += ACK_CHUNK) {
      const chunk = leases.slice(at, at + ACK_CHUNK);
      const args: ScriptArg[] = [this.retentionMs];
      pushAcks(args, chunk, results.slice(at, at + ACK_CHUNK));
      errors.push(...ackOutcomes(chunk, (await this.call('ack', queue, args)) as number[]));
    }
    return errors;
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
    if (state === 'S') await guardRedis('nack', this.index.markAt(lease.queue, Number(at)));
    if (state === 'X')
      await guardRedis('nack', this.index.markIn(lease.queue, this.deadRetentionMs));
    if (state === 'X') return { state: 'dead' };
    return { state: state === 'S' ? 'scheduled' : 'pending', retryTime: Number(at) };
  }

  async release(lease: LeaseRef, delayMs = 0): Promise<number> {
    const args = [lease.seq, lease.token, delayMs];
    const reply = (await this.call('release', lease.queue, args)) as number;
    if (reply < 0) throw scriptError(reply, 'release', leaseName(lease));
    // A snooze is due work like a delayed enqueue: the upkeep index must know, for a queue that
    // no worker leases from meanwhile.
    if (delayMs > 0) await guardRedis('release', this.index.markAt(lease.queue, reply));
    return reply;
  }

  async progress(lease: LeaseRef, progress: Buffer): Promise<void> {
    const args = [lease.seq, lease.token, progress];
    const code = (await this.call('progress', lease.queue, args)) as number;
    if (code < 0) throw scriptError(code, 'report_progress', leaseName(lease));
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
    if (!job) throw scriptError(ScriptCode.NO_SUCH_JOB, 'get', formatJobId(ref.queue, ref.seq));
    return job;
  }

  async cancel(ref: JobRef): Promise<Job> {
    const code = (await this.call('cancel', ref.queue, [ref.seq, this.retentionMs])) as number;
    if (code < 0) {
      // The refusal names the state the job is in (one read, on the failure path only).
      const state =
        code === ScriptCode.WRONG_STATE
          ? (await this.read(ref.queue, ref.seq, 'get'))?.state
          : undefined;
      throw scriptError(code, 'cancel', formatJobId(ref.queue, ref.seq), state);
    }
    return this.get(ref);
  }

  async stats(queue: string): Promise<QueueStats> {
    const [reply, paused, pausedTenants, tenantsAtCap] = await Promise.all([
      this.call('stats', queue, []) as Promise<unknown[]>,
      guardRedis('stats', this.redis.hget(metaKey(queue), 'paused')),
      guardRedis('stats', this.redis.smembers(pausedTenantsKey(queue))),
      this.tenantsAtCap(queue),
    ]);
    const [now, scheduled, leased, dead, flat, overdue, samples] = reply as [
      number,
      number,
      number,
      number,
      string[],
      number,
      string[],
    ];
    const counters = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) counters.set(flat[i]!, Number(flat[i + 1]));
    const tiers: TierStats[] = [];
    for (let i = 7; i < reply.length; i += 3) {
      const [tier, ready, oldest] = reply.slice(i, i + 3) as [string, number, string];
      tiers.push(this.tierStats(tier, ready, oldest ? now - Number(oldest) : 0, counters));
    }
    const pending = sum(tiers, (t) => t.counts.pending);
    return {
      queue,
      counts: { pending, scheduled, leased, dead },
      tiers,
      oldestReadyAgeMs: Math.max(0, ...tiers.map((t) => t.oldestReadyAgeMs)),
      paused: paused !== null,
      pausedTenants: pausedTenants.sort(),
      tenantsAtCap,
      backlog: pending + overdue,
      ...ratesOf(
        {
          timeMs: now,
          enqueued: sum(tiers, (t) => t.enqueuedTotal),
          dispatched: sum(tiers, (t) => t.dispatchedTotal),
        },
        parseSamples(samples),
      ),
    };
  }

  /** Tenants with leases out (few: at most one per leased job) that are at their cap. */
  private async tenantsAtCap(queue: string): Promise<number> {
    const leased = await guardRedis('stats', this.redis.hgetall(tenantLeasedKey(queue)));
    const tenants = Object.keys(leased);
    if (tenants.length === 0) return 0;
    const own = await guardRedis('stats', this.redis.hmget(tenantCapsKey(queue), ...tenants));
    return tenants.filter((tenant, i) => {
      const cap = own[i] === null || own[i] === undefined ? this.options.tenantCap : Number(own[i]);
      return cap !== undefined && cap > 0 && Number(leased[tenant]) >= cap;
    }).length;
  }

  async listJobs(query: ListQuery): Promise<JobPage> {
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
      const flat = await guardRedis(
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
    const { jobs, taken } = fillPage(read, query.maxBytes);
    const more = taken < page.length || entries.length > offset + pageSize;
    return { jobs, nextPageToken: more ? String(offset + taken) : '' };
  }

  /**
   * The first `wanted` jobs still ready in a tier's ready log, oldest first, scored by ready-since.
   * Stale entries (lua/includes/ready_log.lua) are skipped by a look at each job's state and
   * ready-since time; the read stops after `wanted` + STALE_ALLOWANCE entries.
   */
  private async readyHead(
    queue: string,
    tier: string,
    wanted: number,
  ): Promise<Array<{ seq: string; score: number }>> {
    const key = readyLogKey(queue, tier);
    const found = new Map<string, number>();
    const limit = wanted + STALE_ALLOWANCE;
    for (let start = 0; found.size < wanted && start < limit; start += 500) {
      const end = Math.min(start + 500, limit) - 1;
      const chunk = await guardRedis('list_jobs', this.redis.lrange(key, start, end));
      const live = await Promise.all(
        chunk.map(async (entry) => {
          const [seq = '', since = ''] = entry.split(':');
          const head = await guardRedis(
            'list_jobs',
            this.redis.getrangeBuffer(jobKey(queue, seq), 0, HEAD_BYTES - 1),
          );
          const { state, time } = recordHead(head);
          return state === 'P' && time === since ? { seq, score: parseInt(since, 36) } : undefined;
        }),
      );
      for (const e of live)
        if (e && !found.has(e.seq) && found.size < wanted) found.set(e.seq, e.score);
      if (chunk.length < end - start + 1) break;
    }
    return [...found].map(([seq, score]) => ({ seq, score }));
  }

  async redrive(queue: string, seqs: string[], limit: number): Promise<number> {
    return (await this.call('redrive', queue, [limit, ...seqs])) as number;
  }

  /** Queue names seen, for operators and metrics. */
  async queues(): Promise<string[]> {
    return (await guardRedis('queues', this.redis.smembers(QUEUES_KEY))).sort();
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
      dispatchedTotal: c('dispatched'),
      ackedTotal: c('acked'),
      nackedTotal: c('nacked'),
      deadTotal: c('deadlettered'),
      expiredTotal: c('expired'),
    };
  }

  /** A job's record and its output (lua/includes/lifecycle.lua); undefined when it does not exist. */
  private async read(queue: string, seq: string, op: string): Promise<Job | undefined> {
    const [record, output] = await guardRedis(
      op,
      Promise.all([
        this.redis.getBuffer(jobKey(queue, seq)),
        this.redis.hmgetBuffer(jobOutputKey(queue, seq), 'r', 'p'),
      ]),
    );
    if (!record) return undefined;
    const job = jobFromRecord(queue, seq, record);
    const [result, progress] = output;
    if (result) job.result = result;
    if (progress) job.progress = progress;
    return job;
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
    if (writes.length > 0) await guardRedis('enqueue', Promise.all(writes));
  }

  /** Remembers the queue name once per process (a set outside the queue's slot). */
  async register(queue: string): Promise<void> {
    if (this.knownQueues.has(queue)) return;
    await guardRedis('enqueue', this.redis.sadd(QUEUES_KEY, queue));
    this.knownQueues.add(queue);
  }

  private call(name: ScriptName, queue: string, args: ScriptArg[]): Promise<unknown> {
    return guardRedis(name, this.scripts.run(name, queue, args));
  }

  private callBuffer(name: ScriptName, queue: string, args: ScriptArg[]): Promise<unknown> {
    return guardRedis(name, this.scripts.runBuffer(name, queue, args));
  }
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

/** Script arguments for acks (includes/acks.lua): seq, token, result ('' for none) each. */
function pushAcks(
  args: ScriptArg[],
  leases: LeaseRef[],
  results: ReadonlyArray<Buffer | undefined>,
): void {
  leases.forEach((l, i) => args.push(l.seq, l.token, results[i] ?? ''));
}

/** One outcome per ack from the script's codes: undefined when acked. */
function ackOutcomes(leases: LeaseRef[], codes: number[]): Array<SchedulerError | undefined> {
  return leases.map((l, i) =>
    codes[i]! < 0 ? scriptError(codes[i]!, 'ack', leaseName(l)) : undefined,
  );
}

function leaseName(lease: LeaseRef): string {
  return formatLeaseId(lease.queue, lease.seq, lease.token);
}

function sum<T>(items: T[], f: (item: T) => number): number {
  return items.reduce((total, item) => total + f(item), 0);
}

/**
 * The jobs of a page that fit in `maxBytes` (at least one), and how many entries they used
 * (jobs gone since their entry was read take no room).
 */
function fillPage(read: Array<Job | undefined>, maxBytes: number): { jobs: Job[]; taken: number } {
  const taken = fitting(read, maxBytes, (job) => (job ? jobBytes(job) : 0));
  return { jobs: read.slice(0, taken).filter((job) => job !== undefined), taken };
}
