/**
 * The AUTH_TOKENS_FILE: a JSON array of entries (docs/security.md), read once at start-up.
 * Tokens are stored only as sha256 digests, so the file (a Kubernetes Secret, say) never holds
 * a usable credential. Anything wrong stops start-up with a message naming the variable, the
 * entry and the rule, never falling back to "no authentication".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config';
import { PATTERN, SCOPES, type Scope } from './grant';

export interface TokenEntry {
  name: string;
  /** sha256 of the token, 32 bytes. */
  digest: Buffer;
  scopes: Scope[];
  queues: string[];
  tenants: string[];
}

const patterns = (what: string): z.ZodType<string[]> =>
  z
    .array(z.string().regex(PATTERN, `each ${what} must be *, a name, or a prefix ending in *`))
    .min(1, `must list at least one ${what} (use ["*"] for all)`);

const entrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._:@-]{1,64}$/, 'must match [A-Za-z0-9._:@-]{1,64}'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of sha256(token)'),
  scopes: z
    .array(z.enum(SCOPES, { error: `each scope must be one of ${SCOPES.join(', ')}` }))
    .min(1, 'must list at least one scope'),
  queues: patterns('queue'),
  tenants: patterns('tenant'),
});

const fileSchema = z.array(entrySchema).min(1, 'must list at least one token');

/** Parses the file's text; `source` names it in messages. */
export function parseTokens(text: string, source: string): TokenEntry[] {
  const fail = (problem: string): never => {
    throw new ConfigError(`AUTH_TOKENS_FILE (${source}): ${problem}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8 quotes part of the text after a comma: leave it out of logs.
    const reason = err instanceof Error ? (err.message.split(',')[0] ?? '') : '';
    return fail(`not valid JSON (${reason})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? `at ${issue.path.join('.')}: ` : '';
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return fail(`${at}${missing ? 'is required' : issue.message}`);
  }
  const entries = parsed.data.map((e) => ({ ...e, digest: Buffer.from(e.sha256, 'hex') }));
  const names = new Set<string>();
  const digests = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) fail(`token name ${e.name} appears twice`);
    if (digests.has(e.sha256.toLowerCase())) fail(`token ${e.name} has the same sha256 as another`);
    names.add(e.name);
    digests.add(e.sha256.toLowerCase());
  }
  return entries.map(({ name, digest, scopes, queues, tenants }) => ({
    name,
    digest,
    scopes,
    queues,
    tenants,
  }));
}

export function loadTokens(file: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(`AUTH_TOKENS_FILE (${file}): cannot read it (${reason})`);
  }
  return parseTokens(text, file);
}
