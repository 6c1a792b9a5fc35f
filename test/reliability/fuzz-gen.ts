/**
 * Request generators for the fuzz test: random bytes, valid messages with random (often hostile)
 * field values, and valid messages mutated at the byte level. Seeded, so a failure can be replayed
 * with FUZZ_SEED.
 */
import type { MethodDefinition } from '@grpc/proto-loader';

export class Gen {
  /** Queues and ids that exist, so some requests reach the scripts instead of validation. */
  readonly knownQueues: string[] = [];
  readonly knownJobIds: string[] = [];
  readonly knownLeaseIds: string[] = [];

  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  bytes(max: number): Buffer {
    const b = Buffer.alloc(this.int(max + 1));
    for (let i = 0; i < b.length; i++) b[i] = this.int(256);
    return b;
  }

  /** Strings a validator should be ready for: empty, long, unicode, separators, control bytes. */
  text(): string {
    const pool = [
      '',
      ' ',
      'q',
      'emails',
      'a'.repeat(128),
      'a'.repeat(129),
      'x'.repeat(10_000),
      'dé-jà:vu',
      'тест',
      '队列',
      '🚀🔥',
      'ab\u202ecd', // right-to-left override
      'a\u0000b',
      'a/b',
      '../..',
      '%s%n',
      '{queue}',
      'q}{',
      'sched:{x}:meta',
      '\ud800', // a lone surrogate: not valid UTF-16, encoded as U+FFFD
      'a\nb',
    ];
    const known = [...this.knownQueues, ...this.knownJobIds, ...this.knownLeaseIds];
    if (known.length && this.chance(0.3)) return this.pick(known);
    if (this.chance(0.15)) return this.bytes(40).toString('latin1');
    return this.pick(pool);
  }

  /** Lease ids and job ids, malformed in every way the parser must refuse, and some real ones. */
  leaseId(): string {
    const q = this.knownQueues.length ? this.pick(this.knownQueues) : 'q';
    const forms = [
      () => '',
      () => `${q}`,
      () => `${q}/1`,
      () => `${q}/0/abcdefgh`,
      () => `${q}/-1/abcdefgh`,
      () => `${q}/99999999999999999999/abcdefgh`,
      () => `${q}/1/short`,
      () => `${q}/1/${'t'.repeat(65)}`,
      () => `${q}/1/abcdefgh/extra`,
      () => `${q}/1/abc$efgh`,
      () => `/1/abcdefgh`,
      () => `${q}//abcdefgh`,
      () => `${q}/${1 + this.int(50)}/${'a'.repeat(8 + this.int(10))}`,
      () => (this.knownLeaseIds.length ? this.pick(this.knownLeaseIds) : `${q}/1/abcdefgh`),
      () => this.text(),
    ];
    return this.pick(forms)();
  }

  jobId(): string {
    const q = this.knownQueues.length ? this.pick(this.knownQueues) : 'q';
    const forms = [
      () => '',
      () => `${q}/0`,
      () => `${q}/${1 + this.int(100)}`,
      () => `${q}/x`,
      () => `${q}/1/2`,
      () => (this.knownJobIds.length ? this.pick(this.knownJobIds) : `${q}/1`),
      () => this.text(),
    ];
    return this.pick(forms)();
  }

  number(): number {
    return this.pick([
      0,
      1,
      -1,
      9,
      10,
      100,
      1000,
      1001,
      10_000,
      2 ** 31 - 1,
      -(2 ** 31),
      this.int(20),
    ]);
  }

  duration(): { seconds: string; nanos: number } | undefined {
    if (this.chance(0.3)) return undefined;
    const seconds = this.pick([
      '0',
      '1',
      '-1',
      '30',
      '31536000',
      '31536001',
      '9223372036854775807',
      '-9223372036854775808',
    ]);
    return { seconds, nanos: this.pick([0, 1, 999_999_999, -1, 1_000_000_000, 2 ** 31 - 1]) };
  }

  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    const n = this.pick([0, 1, 3, 64, 65]);
    for (let i = 0; i < n; i++) out[this.chance(0.1) ? '' : `${this.text()}${i}`] = this.text();
    return out;
  }

  enqueue(): Record<string, unknown> {
    return {
      queue:
        this.chance(0.6) && this.knownQueues.length ? this.pick(this.knownQueues) : this.text(),
      tenantId: this.chance(0.5) ? 'tenant' : this.text(),
      payload: this.bytes(this.chance(0.02) ? 2048 : 64),
      priority: this.number(),
      idempotencyKey: this.chance(0.3) ? this.text() : '',
      delay: this.duration(),
      maxAttempts: this.number(),
      headers: this.chance(0.2) ? this.headers() : {},
    };
  }

  /** A request object for `method` with random field values. */
  request(method: string): Record<string, unknown> {
    const queue = (): string =>
      this.chance(0.5) && this.knownQueues.length ? this.pick(this.knownQueues) : this.text();
    switch (method) {
      case 'Enqueue':
        return this.enqueue();
      case 'EnqueueBatch':
        return { requests: Array.from({ length: this.pick([0, 1, 5, 50]) }, () => this.enqueue()) };
      case 'Lease':
        return {
          queue: queue(),
          visibilityTimeout: this.duration(),
          credits: this.pick([0, 1, 5, 1000, 1001, 4294967295]),
          acks: Array.from({ length: this.int(4) }, () => this.leaseId()),
          nacks: Array.from({ length: this.int(3) }, () => ({
            leaseId: this.leaseId(),
            error: this.text(),
            retryDelay: this.duration(),
            noRetry: this.chance(0.5),
          })),
        };
      case 'Ack':
        return { leaseId: this.leaseId() };
      case 'Nack':
        return {
          leaseId: this.leaseId(),
          error: this.text(),
          retryDelay: this.duration(),
          noRetry: this.chance(0.5),
        };
      case 'ExtendLease':
        return { leaseId: this.leaseId(), visibilityTimeout: this.duration() };
      case 'GetJob':
      case 'CancelJob':
        return { jobId: this.jobId() };
      case 'GetQueueStats':
        return { queue: queue() };
      case 'ListDeadJobs':
        return {
          queue: queue(),
          pageSize: this.number(),
          pageToken: this.pick(['', '0', '10', '-1', 'x', '99999999999']),
        };
      case 'ListJobs':
        return {
          queue: queue(),
          state: this.int(9),
          tier: this.pick(['', 'free', 'premium', 'nope', this.text()]),
          pageSize: this.number(),
          pageToken: this.pick(['', '0', '10', '-1', 'x', this.text()]),
        };
      case 'RedriveDeadJobs':
        return {
          queue: queue(),
          jobIds: Array.from({ length: this.pick([0, 1, 3, 10_001]) }, () => this.jobId()),
          limit: this.number(),
        };
      case 'ListQueues':
        return { pageSize: this.number(), pageToken: this.pick(['', 'q', '-', this.text()]) };
      case 'PauseQueue':
      case 'ResumeQueue':
        return { queue: queue(), tenantId: this.pick(['', 't0', this.text()]) };
      case 'UpdateJob':
        return { jobId: this.jobId(), priority: this.number() };
      case 'PromoteJob':
        return { jobId: this.jobId() };
      case 'CancelJobs':
        return {
          queue: queue(),
          tenantId: this.pick(['', 't1', this.text()]),
          limit: this.number(),
          pageToken: this.pick(['', '0', '10', '-1', 'x', '99999999999', this.text()]),
        };
      case 'PurgeDeadJobs':
        return { queue: queue(), limit: this.number() };
      case 'UpsertSchedule':
        return { schedule: this.schedule(queue()) };
      case 'GetSchedule':
      case 'DeleteSchedule':
        return { queue: queue(), scheduleId: this.pick(['s', '', this.text()]) };
      case 'ListSchedules':
        return {
          queue: queue(),
          pageSize: this.number(),
          pageToken: this.pick(['', 's', '(', '[', this.text()]),
        };
      default:
        return {};
    }
  }

  /** A schedule full of hostile values: cron text, zones, intervals, times, templates. */
  private schedule(queue: string): Record<string, unknown> {
    const time = (): unknown =>
      this.chance(0.5)
        ? null
        : {
            seconds: this.pick(['0', '-1', '1893456000', '253402300800', '9223372036854775807']),
            nanos: this.number(),
          };
    return {
      queue,
      scheduleId: this.pick(['s', '', this.text()]),
      cron: this.pick([
        '',
        '* * * * *',
        '0 0 30 2 *',
        '*/0 * * * *',
        '* * * * * * *',
        '@daily',
        this.text(),
      ]),
      every: this.chance(0.5) ? null : this.duration(),
      timeZone: this.pick([
        '',
        'UTC',
        'America/New_York',
        'Etc/GMT+14',
        '../../etc/passwd',
        this.text(),
      ]),
      template: this.chance(0.1) ? null : this.enqueue(),
      startTime: time(),
      endTime: time(),
      missedRuns: this.int(4),
      paused: this.chance(0.3),
    };
  }

  /** Byte-level damage to a valid encoding: flips, truncation, splices, varint overflows. */
  mutate(valid: Buffer): Buffer {
    const b = Buffer.from(valid);
    switch (this.int(5)) {
      case 0:
        for (let i = 0; i < 1 + this.int(4) && b.length; i++) b[this.int(b.length)] = this.int(256);
        return b;
      case 1:
        return b.subarray(0, this.int(b.length + 1));
      case 2:
        return Buffer.concat([
          b.subarray(0, this.int(b.length + 1)),
          this.bytes(16),
          b.subarray(this.int(b.length + 1)),
        ]);
      case 3:
        // A length prefix claiming far more than there is.
        return Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), b]);
      default:
        return Buffer.concat([b, b]);
    }
  }
}

/** Encodes a request object the way a real client would (throws on values proto cannot hold). */
export function encode(def: MethodDefinition<object, object>, request: object): Buffer | undefined {
  try {
    return def.requestSerialize(request);
  } catch {
    return undefined;
  }
}
