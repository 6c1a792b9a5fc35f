/**
 * Runs the example producers and workers (Python, Go, TypeScript) as child processes. The Python
 * and Go ones come from scripts/examples.sh, which builds them (cached after the first run).
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(__dirname, '..', '..');

export interface Examples {
  python: string;
  goBin: string;
}

/** Builds the examples (idempotent) and says where they are. */
export async function setupExamples(): Promise<Examples> {
  const script = join(ROOT, 'scripts', 'examples.sh');
  const { stdout } = await promisify(execFile)('bash', [script, '--print-env'], {
    timeout: 600_000,
  });
  const vars = new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const python = vars.get('EXAMPLES_PYTHON');
  const goBin = vars.get('EXAMPLES_GO_BIN');
  if (!python || !goBin) throw new Error(`scripts/examples.sh printed no paths:\n${stdout}`);
  return { python, goBin };
}

export type Language = 'python' | 'go' | 'typescript';
/** `watch` is in Python only (examples/python/watch.py). */
export type Role = 'producer' | 'worker' | 'watch';

/** One line a worker prints per job it handled. */
export interface HandledJob {
  id: string;
  tenant: string;
  tier: string;
  priority: number;
  attempt: number;
  result: 'ack' | 'nack';
}

function command(examples: Examples, lang: Language, role: Role): string[] {
  if (lang === 'python') return [examples.python, join(ROOT, 'examples', 'python', `${role}.py`)];
  if (role === 'watch') throw new Error(`no ${lang} watch example`);
  if (lang === 'go') return [join(examples.goBin, role)];
  return [process.execPath, '--import', 'tsx', join(ROOT, 'examples', 'typescript', `${role}.ts`)];
}

/** A running example: the JSON lines it printed so far, and how it ended. */
export interface RunningExample {
  lines: Array<Record<string, unknown>>;
  /** Resolves with the lines once it exits 0; rejects, with its stderr, otherwise. */
  done: Promise<Array<Record<string, unknown>>>;
  signal(name: NodeJS.Signals): void;
}

/** Starts one example; it is killed if it outlives `timeoutMs`. */
export function startExample(
  examples: Examples,
  lang: Language,
  role: Role,
  options: { args?: string[]; env: Record<string, string>; timeoutMs?: number },
): RunningExample {
  const [file, ...args] = command(examples, lang, role);
  const child = spawn(file!, [...args, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(lines);
      else reject(new Error(`${lang} ${role} exited with ${code ?? signal}:\n${stderr}`));
    });
  });
  return { lines, done, signal: (name) => child.kill(name) };
}

/** Runs one example to its end and returns the JSON lines it printed. */
export function runExample(
  examples: Examples,
  lang: Language,
  role: Role,
  options: { args?: string[]; env: Record<string, string>; timeoutMs?: number },
): Promise<Array<Record<string, unknown>>> {
  return startExample(examples, lang, role, options).done;
}
