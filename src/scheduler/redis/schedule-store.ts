/**
 * Schedules on Redis. A schedule is a hash under its queue's hash tag; each queue keeps its
 * schedule ids (for listing and the bound) and its active schedules by next run time. Upsert and
 * fire are Lua scripts (lua/schedule_*.lua): a run's job is enqueued by the same script that
 * checks the run is still due and moves the next run on, so racing replicas give one job a run.
 * One untagged sorted set indexes queues by their earliest next run, so finding due work is one
 * read however many queues there are; it is a hint kept never later than the truth.
 */
import { SchedulerError, ScriptCode } from '../errors';
import { formatJobId } from '../ids';
import { fitting } from '../job';
import {
  scheduleBytes,
  type Schedule,
  type ScheduleInput,
  type SchedulePage,
} from '../schedules/schedule';
import type { DueSchedule, Run, RunOutcome, ScheduleStore, UpsertResult } from '../schedules/store';
import { encodeTail } from './codec';
import { guardRedis } from './redis-errors';
import {
  QUEUES_KEY,
  SCHEDULE_QUEUES_KEY,
  scheduleKey,
  schedulesDueKey,
  schedulesKey,
} from './keys';
import { decodeSpec, encodeSpec } from './schedule-spec';
import { Scripts, type RedisClient } from './scripts';
import { UpkeepIndex } from './upkeep-index';

export interface RedisScheduleStoreOptions {
  weights: ReadonlyMap<string, number>;
  tierCaps?: ReadonlyMap<string, number>;
  /** Most schedules one queue may hold. */
  maxPerQueue: number;
  /** How long a run's idempotency key is remembered. Default 24 h. */
  dedupWindowMs?: number;
  /** Test-only: pin the clock (epoch ms) instead of Redis's `TIME`. */
  pinnedNow?: () => number;
  /** Test-only: another index of queues (SCHEDULE_QUEUES_KEY), so tests' runners see their own. */
  indexKey?: string;
}

/** Rewrites of a queue's index entry before giving up to the next visit (see refreshQueue). */
const REFRESH_ROUNDS = 3;

export class RedisScheduleStore implements ScheduleStore {
  private readonly scripts: Scripts;
  private readonly index: string;
  private readonly upkeepIndex: UpkeepIndex;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisScheduleStoreOptions,
  ) {
    this.scripts = new Scripts(redis, options.weights, options.pinnedNow, options.tierCaps);
    this.index = options.indexKey ?? SCHEDULE_QUEUES_KEY;
    this.upkeepIndex = new UpkeepIndex(redis, options.pinnedNow);
  }

  async time(): Promise<number> {
    if (this.options.pinnedNow) return this.options.pinnedNow();
    const [seconds, micros] = await guardRedis('time', this.redis.time());
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /**
   * The index entry is lowered before the script (a crash after it leaves the index early, never
   * late) and after it (the script may keep an earlier stored next run).
   */
  async upsert(input: ScheduleInput, nextRunTime: number | undefined): Promise<UpsertResult> {
    const { queue, scheduleId } = input;
    await Promise.all([
      nextRunTime !== undefined && !input.paused && this.lowerIndex(queue, nextRunTime),
      // Known to stats and metrics before its first job, like a queue enqueued to.
      guardRedis('upsert_schedule', this.redis.sadd(QUEUES_KEY, queue)),
    ]);
    const reply = (await guardRedis(
      'upsert_schedule',
      this.scripts.run('schedule_upsert', queue, [
        scheduleId,
        encodeSpec(input),
        input.paused ? '1' : '0',
        nextRunTime ?? '',
        this.options.maxPerQueue,
      ]),
    )) as number | [number, string, string, string, number];
    if (reply === ScriptCode.SCHEDULES_FULL) {
      throw new SchedulerError(
        'resource_exhausted',
        `queue ${queue} already holds ${this.options.maxPerQueue} schedules (MAX_SCHEDULES_PER_QUEUE)`,
        { op: 'upsert_schedule', field: 'schedule_id' },
      );
    }
    if (typeof reply === 'number') throw new Error(`unexpected schedule_upsert reply ${reply}`);
    const [created, next, last, job] = reply;
    if (next !== '') await this.lowerIndex(queue, Number(next));
    return {
      created: created === 1,
      schedule: { ...input, ...runFields(queue, next, last, job) },
    };
  }

  async get(queue: string, scheduleId: string): Promise<Schedule | undefined> {
    const hash = await guardRedis(
      'get_schedule',
      this.redis.hgetall(scheduleKey(queue, scheduleId)),
    );
    return hash.spec === undefined ? undefined : fromHash(queue, scheduleId, hash);
  }

  async list(
    queue: string,
    pageSize: number,
    pageToken: string,
    maxBytes: number,
  ): Promise<SchedulePage> {
    const from = pageToken === '' ? '-' : `(${pageToken}`;
    const ids = await guardRedis(
      'list_schedules',
      this.redis.zrangebylex(schedulesKey(queue), from, '+', 'LIMIT', 0, pageSize + 1),
    );
    const page = ids.slice(0, pageSize);
    const read = (await this.readMany(queue, page)).map((s) => s.schedule);
    const schedules = read.slice(0, fitting(read, maxBytes, scheduleBytes));
    // Cut short by size: the rest follows the last schedule sent.
    if (schedules.length < read.length)
      return { schedules, nextPageToken: schedules[schedules.length - 1]!.scheduleId };
    return { schedules, nextPageToken: ids.length > pageSize ? page[page.length - 1]! : '' };
  }

  async delete(queue: string, scheduleId: string): Promise<boolean> {
    const replies = await guardRedis(
      'delete_schedule',
      this.redis
        .multi()
        .del(scheduleKey(queue, scheduleId))
        .zrem(schedulesKey(queue), scheduleId)
        .zrem(schedulesDueKey(queue), scheduleId)
        .exec(),
    );
    return replies?.[0]?.[1] === 1;
  }

  async dueQueues(now: number, limit: number): Promise<{ queues: string[]; nextDue?: number }> {
    const replies = await guardRedis(
      'due_queues',
      this.redis
        .pipeline()
        .zrangebyscore(this.index, '-inf', now, 'LIMIT', 0, limit)
        .zrangebyscore(this.index, `(${now}`, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
        .exec(),
    );
    const [due, later] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return value as string[];
    });
    const queues = due ?? [];
    return later?.[1] === undefined ? { queues } : { queues, nextDue: Number(later[1]) };
  }

  async dueSchedules(queue: string, now: number, limit: number): Promise<DueSchedule[]> {
    const ids = await guardRedis(
      'due_schedules',
      this.redis.zrangebyscore(schedulesDueKey(queue), '-inf', now, 'LIMIT', 0, limit),
    );
    const read = await this.readMany(queue, ids);
    return read.filter((r): r is DueSchedule => r.schedule.nextRunTime !== undefined);
  }

  async fire(run: Run): Promise<RunOutcome> {
    const { queue, scheduleId, job } = run;
    const reply = (await guardRedis(
      'fire_schedule',
      this.scripts.run('schedule_fire', queue, [
        scheduleId,
        run.version,
        run.fireTime,
        run.nextRunTime ?? '',
        job ? '1' : '0',
        this.options.dedupWindowMs ?? 24 * 3600 * 1000,
        job?.delayMs ?? 0,
        job?.idempotencyKey ?? '',
        job ? encodeTail(job) : '',
      ]),
    )) as number | [] | [number | string, number, string];
    if (reply === ScriptCode.RUN_STALE) return { outcome: 'stale' };
    if (reply === ScriptCode.RUN_NOT_DUE) return { outcome: 'not_due' };
    if (typeof reply === 'number') throw new Error(`unexpected schedule_fire reply ${reply}`);
    if (reply.length === 0) return { outcome: 'skipped' };
    const [seq, duplicate] = reply;
    // A delayed job is due work like a delayed enqueue: the upkeep index must know, for a queue
    // that no worker leases from meanwhile (after the script, as RedisJobStore.enqueue does).
    if (duplicate !== 1 && job?.delayMs)
      await guardRedis('fire_schedule', this.upkeepIndex.markIn(queue, job.delayMs));
    return { outcome: 'fired', jobId: formatJobId(queue, String(seq)), duplicate: duplicate === 1 };
  }

  /**
   * Sets the queue's index entry to its earliest next run, then reads that again: an upsert that
   * lowered it meanwhile (its own lowering may have come before this write) is seen and kept.
   */
  async refreshQueue(queue: string): Promise<void> {
    let head = await this.earliest(queue);
    for (let round = 0; round < REFRESH_ROUNDS; round++) {
      if (head === undefined) {
        await guardRedis('refresh_schedules', this.redis.zrem(this.index, queue));
      } else {
        await guardRedis('refresh_schedules', this.redis.zadd(this.index, head, queue));
      }
      const again = await this.earliest(queue);
      if (again === head) return;
      head = again;
    }
  }

  private async earliest(queue: string): Promise<number | undefined> {
    const head = await guardRedis(
      'refresh_schedules',
      this.redis.zrange(schedulesDueKey(queue), 0, 0, 'WITHSCORES'),
    );
    return head[1] === undefined ? undefined : Number(head[1]);
  }

  private lowerIndex(queue: string, at: number): Promise<unknown> {
    return guardRedis('upsert_schedule', this.redis.zadd(this.index, 'LT', at, queue));
  }

  private async readMany(
    queue: string,
    ids: string[],
  ): Promise<Array<{ schedule: Schedule; version: string }>> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(scheduleKey(queue, id));
    const replies = (await guardRedis('read_schedules', pipeline.exec())) ?? [];
    const out: Array<{ schedule: Schedule; version: string }> = [];
    replies.forEach(([err, hash], i) => {
      if (err) throw err;
      const h = hash as Record<string, string>;
      // Deleted between the index read and this one.
      if (h.spec !== undefined) {
        out.push({ schedule: fromHash(queue, ids[i]!, h), version: h.ver ?? '' });
      }
    });
    return out;
  }
}

function runFields(
  queue: string,
  next: string | undefined,
  last: string | undefined,
  job: string | undefined,
): Pick<Schedule, 'nextRunTime' | 'lastRunTime' | 'lastJobId'> {
  return {
    nextRunTime: next ? Number(next) : undefined,
    lastRunTime: last ? Number(last) : undefined,
    lastJobId: job ? formatJobId(queue, job) : undefined,
  };
}

function fromHash(queue: string, scheduleId: string, hash: Record<string, string>): Schedule {
  return {
    ...decodeSpec(queue, scheduleId, hash.spec!),
    paused: hash.paused === '1',
    ...runFields(queue, hash.next, hash.last, hash.job),
  };
}
