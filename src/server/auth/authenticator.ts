/**
 * Who is calling: `authorization: Bearer <token>` metadata checked against the hashed tokens of
 * AUTH_TOKENS_FILE, and which scope each RPC needs. Only SchedulerService goes through here:
 * grpc.health.v1.Health and reflection stay open, because kubelet probes send no credentials.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { SchedulerError } from '../../scheduler/errors';
import { Grant, type Scope } from './grant';
import type { TokenEntry } from './tokens-file';

export interface Authenticator {
  /** False when AUTH_TOKENS_FILE is unset: every caller gets Grant.ALL. */
  readonly enabled: boolean;
  /** The caller's grant, checked for the method's scope; throws UNAUTHENTICATED or PERMISSION_DENIED. */
  authorize(metadata: Metadata, method: string): Grant;
}

/** The scope each RPC needs (see grant.ts for what each scope means). */
export const METHOD_SCOPES: Readonly<Record<string, Scope | readonly Scope[]>> = {
  Enqueue: 'enqueue',
  EnqueueBatch: 'enqueue',
  Lease: 'lease',
  Ack: 'lease',
  Nack: 'lease',
  ExtendLease: 'lease',
  ReportProgress: 'lease',
  GetJob: 'read',
  WatchJob: 'read',
  GetQueueStats: 'read',
  ListJobs: 'read',
  ListDeadJobs: 'read',
  ListQueues: 'read',
  CancelJob: 'admin',
  RedriveDeadJobs: 'admin',
  PauseQueue: 'admin',
  ResumeQueue: 'admin',
  UpdateJob: 'admin',
  PromoteJob: 'admin',
  CancelJobs: 'admin',
  PurgeDeadJobs: 'admin',
  UpsertSchedule: 'schedule',
  DeleteSchedule: 'schedule',
  GetSchedule: ['schedule', 'read'],
  ListSchedules: ['schedule', 'read'],
};

export const OPEN_ACCESS: Authenticator = {
  enabled: false,
  authorize: () => Grant.ALL,
};

const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/i;

function unauthenticated(message: string): SchedulerError {
  return new SchedulerError('unauthenticated', message);
}

export class TokenAuthenticator implements Authenticator {
  readonly enabled = true;
  private readonly entries: Array<{ digest: Buffer; grant: Grant }>;

  constructor(entries: readonly TokenEntry[]) {
    this.entries = entries.map((e) => ({
      digest: e.digest,
      grant: new Grant(e.name, new Set(e.scopes), e.queues, e.tenants),
    }));
  }

  authorize(metadata: Metadata, method: string): Grant {
    const grant = this.authenticate(metadata);
    // A method missing from the table is one nobody granted: deny rather than allow.
    const scope = METHOD_SCOPES[method];
    if (!scope) throw new SchedulerError('permission_denied', `${method} is not grantable`);
    grant.requireScope(scope, method);
    return grant;
  }

  private authenticate(metadata: Metadata): Grant {
    const values = metadata.get('authorization');
    if (values.length === 0)
      throw unauthenticated('missing credentials: send metadata "authorization: Bearer <token>"');
    const match = values.length === 1 ? BEARER.exec(String(values[0])) : null;
    if (!match)
      throw unauthenticated('malformed authorization metadata: expected one "Bearer <token>"');
    const grant = this.lookup(createHash('sha256').update(match[1]!).digest());
    if (!grant) throw unauthenticated('unknown token');
    return grant;
  }

  /**
   * Compares the digest with every entry, in constant time and without stopping at a match, so
   * timing tells nothing about which tokens exist (comparing digests also hides the length).
   */
  private lookup(digest: Buffer): Grant | undefined {
    let found: Grant | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.digest)) found = entry.grant;
    }
    return found;
  }
}
