/** schedctl schedule set|get|list|delete|pause|resume: recurring jobs of a queue. */
import { Option, type Command } from 'commander';
import type { Schedule, ScheduleOptions, SchedulerClient } from '../clients';
import { duration, table } from './format';
import { duration as durationArg, integer, isoTime, readPayload } from './options';

/** schedctl's action wrapper: a client in, JSON data and text out. */
export type Runner = <A extends unknown[]>(
  action: (c: SchedulerClient, ...args: A) => Promise<{ data: unknown; text: string }>,
) => (...args: A) => Promise<void>;

interface SetOptions {
  tenant: string;
  cron?: string;
  every?: number;
  tz: string;
  priority: number;
  payload?: string;
  payloadFile?: string;
  maxAttempts?: number;
  delay?: number;
  start?: Date;
  end?: Date;
  missed: 'skip' | 'run-once';
  paused: boolean;
}

function toOptions(
  queue: string,
  id: string,
  o: SetOptions,
  payload: Buffer | string,
): ScheduleOptions {
  return {
    queue,
    scheduleId: id,
    cron: o.cron,
    everyMs: o.every,
    timeZone: o.tz,
    startTime: o.start,
    endTime: o.end,
    missedRuns: o.missed === 'run-once' ? 'run_once' : 'skip',
    paused: o.paused,
    template: {
      tenantId: o.tenant,
      payload,
      priority: o.priority,
      ...(o.delay !== undefined ? { delayMs: o.delay } : {}),
      ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
    },
  };
}

const when = (d: Date | undefined): string => d?.toISOString() ?? '-';
const cadence = (s: Schedule): string => s.cron ?? `every ${duration(s.everyMs ?? 0)}`;

export function schedulesTable(schedules: Schedule[]): string {
  if (schedules.length === 0) return '(no schedules)';
  return table(
    ['SCHEDULE', 'CADENCE', 'ZONE', 'TENANT', 'NEXT RUN', 'LAST RUN', 'LAST JOB', 'PAUSED'],
    schedules.map((s) => [
      s.scheduleId,
      cadence(s),
      s.timeZone,
      s.template.tenantId,
      when(s.nextRunTime),
      when(s.lastRunTime),
      s.lastJobId ?? '-',
      s.paused ? 'yes' : 'no',
    ]),
  );
}

/** Pause and resume rewrite the stored schedule with `paused` flipped (a concurrent set wins or loses whole). */
async function setPaused(c: SchedulerClient, queue: string, id: string, paused: boolean) {
  const s = await c.getSchedule(queue, id);
  const { schedule } = await c.upsertSchedule({ ...s, paused });
  return { data: schedule, text: schedulesTable([schedule]) };
}

export function addScheduleCommands(
  program: Command,
  run: Runner,
  fail: (message: string) => never,
): void {
  const schedule = program.command('schedule').description('recurring jobs of a queue');
  schedule
    .command('set <queue> <schedule-id>')
    .description('create or replace a schedule (cron or --every); repeating it changes nothing')
    .requiredOption('--tenant <tenant>', 'tenant id of the jobs')
    .option('--cron <pattern>', '5 fields, or 6 with seconds first, e.g. "0 9 * * 1-5"')
    .option(
      '--every <duration>',
      'fixed interval instead of cron, e.g. 30s, 5m (at least 1s)',
      durationArg,
    )
    .option('--tz <zone>', 'IANA time zone of the cron fields', 'UTC')
    .option('--priority <n>', '0..9, higher first', integer(0, 9), 0)
    .addOption(new Option('--payload <text>', 'payload text').conflicts('payloadFile'))
    .option('--payload-file <path>', 'payload from a file (- for stdin)')
    .option('--max-attempts <n>', 'attempts before a job goes dead (1 or more)', integer(1))
    .option('--delay <duration>', 'each job becomes ready this long after its run', durationArg)
    .option('--start <iso-time>', 'no run before this time', isoTime)
    .option('--end <iso-time>', 'no run after this time', isoTime)
    .addOption(
      new Option('--missed <policy>', 'runs missed while no replica was up')
        .choices(['skip', 'run-once'])
        .default('skip'),
    )
    .option('--paused', 'create it paused', false)
    .action(async (queue: string, id: string, o: SetOptions) => {
      const payload = readPayload(o, fail); // before connecting: a bad file is a usage error
      await run(async (c) => {
        const { schedule: s, created } = await c.upsertSchedule(toOptions(queue, id, o, payload));
        return { data: { schedule: s, created }, text: schedulesTable([s]) };
      })();
    });
  schedule.command('get <queue> <schedule-id>').action(
    run(async (c, queue: string, id: string) => {
      const s = await c.getSchedule(queue, id);
      return { data: s, text: schedulesTable([s]) };
    }),
  );
  schedule
    .command('list <queue>')
    .option('--limit <n>', 'how many (1..1000)', integer(1, 1000), 100)
    .option('--page-token <token>', 'from a previous output')
    .action(
      run(async (c, queue: string, o: { limit: number; pageToken?: string }) => {
        const page = await c.listSchedules(queue, {
          pageSize: o.limit,
          pageToken: o.pageToken,
        });
        const more = page.nextPageToken ? `\nmore: --page-token ${page.nextPageToken}` : '';
        return { data: page, text: schedulesTable(page.schedules) + more };
      }),
    );
  schedule.command('delete <queue> <schedule-id>').action(
    run(async (c, queue: string, id: string) => {
      await c.deleteSchedule(queue, id);
      return { data: { deleted: id }, text: `deleted ${id}` };
    }),
  );
  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    schedule
      .command(`${name} <queue> <schedule-id>`)
      .description(paused ? 'stop firing runs' : 'fire again from the first run after now')
      .action(run((c, queue: string, id: string) => setPaused(c, queue, id, paused)));
  }
}
