/**
 * Renders RESULTS.md: machine, targets, an automatic reading of where we lose (with the CPU
 * split as evidence), then each scenario's table and where its CPU went.
 */
import { cpuUsPerJob, formatValue } from './format';
import type { Machine } from './machine';
import { ratio, type Row, type Sample, type Section } from './model';
import { FULL_ROUNDS } from './options';
import { readingLines } from './reading';
import { formatMeasured, type TargetResult } from './targets';

export interface RunInfo {
  mode: 'quick' | 'full';
  startedAt: Date;
  seconds: number;
  serverFrom: string;
  command: string;
  /** 1-minute load average when the scenarios started and when they ended. */
  load: [number, number];
}

function cell(sample: Sample | undefined, unit: string): string {
  if (!sample) return '—';
  return `${formatValue(sample.value, unit)}${sample.partial ? ' (partial)' : ''}`;
}

function ratioCell(row: Row, peer: 'bull' | 'nats' = 'bull'): string {
  const r = ratio(row, peer);
  if (r === undefined) return '—';
  const good = row.better === 'higher' ? r >= 1 : row.better === 'lower' ? r <= 1 : undefined;
  return `${r.toFixed(2)}x${good === undefined ? '' : good ? '' : ' ▼'}`;
}

/** Reference figures (ceilings) have no BullMQ side: one figure column. */
function referenceTable(section: Section): string[] {
  const lines = ['| measurement | unit | figure | note |', '| --- | --- | ---: | --- |'];
  for (const row of section.rows) {
    lines.push(`| ${row.label} | ${row.unit} | ${cell(row.ours, row.unit)} | ${row.note ?? ''} |`);
  }
  return lines;
}

function figuresTable(section: Section): string[] {
  if (section.rows.every((row) => row.better === 'none' && !row.bull))
    return referenceTable(section);
  const withNats = section.rows.some((row) => row.nats);
  const lines = withNats
    ? [
        '| measurement | unit | ours | BullMQ | us/BullMQ | NATS JetStream | us/NATS | note |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
      ]
    : [
        '| measurement | unit | ours | BullMQ | us/BullMQ | note |',
        '| --- | --- | ---: | ---: | ---: | --- |',
      ];
  for (const row of section.rows) {
    const nats = withNats ? `${cell(row.nats, row.unit)} | ${ratioCell(row, 'nats')} | ` : '';
    lines.push(
      `| ${row.label} | ${row.unit} | ${cell(row.ours, row.unit)} | ${cell(row.bull, row.unit)} ` +
        `| ${ratioCell(row)} | ${nats}${row.note ?? ''} |`,
    );
  }
  return lines;
}

function costLine(label: string, system: string, s: Sample): string {
  const { cpu, redis } = s;
  if (!cpu) return '';
  const us = (share: number): string => formatValue(cpuUsPerJob(share, s.value), 'µs');
  const script = redis && s.jobs ? formatValue(redis.scriptUsec / s.jobs, 'µs') : '—';
  return (
    `| ${label} | ${system} | ${cpu.bench.toFixed(0)} % | ${cpu.server.toFixed(0)} % | ` +
    `${cpu.redis.toFixed(0)} % | ${cpu.other.toFixed(0)} % | ` +
    `${us(cpu.bench)} / ${us(cpu.server)} / ${us(cpu.redis)} | ${script} |`
  );
}

function costTable(section: Section): string[] {
  const rows = section.rows.filter(
    (r) => r.unit === 'jobs/s' && (r.ours?.cpu || r.bull?.cpu || r.nats?.cpu),
  );
  if (rows.length === 0) return [];
  const lines = [
    '',
    'Where the CPU went: share of one core for the bench process (load generator, and BullMQ ' +
      'itself), the server (for NATS, nats-server), Redis, and every other process on the ' +
      'machine (not ours: a high ' +
      'figure means the run was disturbed); µs of CPU per job (bench / server / Redis); µs per ' +
      'job inside Lua scripts (Redis INFO commandstats).',
    '',
    '| measurement | system | bench | server | Redis | other | CPU µs/job | script µs/job |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    if (row.ours?.cpu) lines.push(costLine(row.label, 'ours', row.ours));
    if (row.bull?.cpu) lines.push(costLine(row.label, 'BullMQ', row.bull));
    if (row.nats?.cpu) lines.push(costLine(row.label, 'NATS', row.nats));
  }
  return lines;
}

function sectionLines(section: Section, n: number): string[] {
  const lines = [`## ${n}. ${section.title}`, '', section.method, ''];
  if (section.error) lines.push(`**Failed:** \`${section.error}\``, '');
  if (section.rows.length > 0) lines.push(...figuresTable(section), ...costTable(section));
  if (section.notes.length > 0) lines.push('', ...section.notes.map((note) => `- ${note}`));
  lines.push('', `_(${section.seconds.toFixed(0)} s)_`, '');
  return lines;
}

function machineLines(m: Machine): string[] {
  return [
    '## Machine',
    '',
    '| CPU | cores | memory | OS | Node | Redis | BullMQ | grpc-js | ioredis |',
    '| --- | ---: | ---: | --- | --- | --- | --- | --- | --- |',
    `| ${m.cpu} | ${m.cores} | ${m.memoryGiB} GiB | ${m.os} | ${m.node} | ${m.redis} | ` +
      `${m.bullmq} | ${m.grpcJs} | ${m.ioredis} |`,
    '',
    'Everything ran on this one machine: redis-server (one private instance, persistence off), ' +
      'the scheduler as a child process, and the load generator, which is also where BullMQ ' +
      'runs (it is a library: its "server" is Redis itself).',
    '',
  ];
}

function targetLines(targets: TargetResult[]): string[] {
  const mark = (met: boolean | undefined): string =>
    met === undefined ? 'not measured' : met ? 'met' : '**not met**';
  return [
    '## Targets',
    '',
    '| target | goal | measured | |',
    '| --- | --- | ---: | --- |',
    ...targets.map((t) => `| ${t.name} | ${t.goal} | ${formatMeasured(t)} | ${mark(t.met)} |`),
    '',
  ];
}

export function renderResults(
  run: RunInfo,
  machine: Machine,
  sections: Section[],
  targets: TargetResult[],
): string {
  const modeLine =
    run.mode === 'quick'
      ? '**Quick mode** (`--quick`): smaller queues (50,000 to 100,000 instead of 1,000,000 jobs), ' +
        'shorter loops and one round per scenario. Read the figures as indicative; the full mode ' +
        `reports medians of ${FULL_ROUNDS} rounds at the sizes the targets name.`
      : '**Full mode**: the sizes the targets name; short scenarios report the median of ' +
        `${FULL_ROUNDS} alternating rounds.`;
  return [
    '# Benchmark results',
    '',
    `Generated by \`${run.command}\` on ${run.startedAt.toISOString()} in ` +
      `${run.seconds.toFixed(0)} s; scheduler run from ${run.serverFrom}. ` +
      'Regenerate with the same command; see docs/benchmarks.md for what each scenario measures.',
    '',
    modeLine,
    '',
    `Load average (1 min) ${run.load[0].toFixed(2)} at the start and ${run.load[1].toFixed(2)} ` +
      `at the end, on ${machine.cores} cores: other work on this machine (other test suites) ` +
      'competes with the bench, and the "other" CPU column of each table shows how much it took ' +
      'during that measurement.',
    '',
    ...machineLines(machine),
    ...targetLines(targets),
    '## Reading: where we lose, and why',
    '',
    ...readingLines(sections, machine.cores),
    '',
    ...sections.flatMap((s, i) => sectionLines(s, i + 1)),
  ].join('\n');
}
