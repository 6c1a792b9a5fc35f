/**
 * Channels to the scheduler: one grpc-js client per configured address, picked round-robin, with
 * channel options for long-lived streams and rolling restarts, optional TLS and a bearer token.
 */
import * as grpc from '@grpc/grpc-js';
import { rawClientConstructor, type RawClient } from './proto';

/** TLS material; every field is optional (the system roots verify the server by default). */
export interface TlsOptions {
  /** PEM root certificates to verify the server with, instead of the system's. */
  rootCerts?: Buffer;
  /** PEM private key and certificate chain, for mutual TLS. */
  privateKey?: Buffer;
  certChain?: Buffer;
}

/** Where the scheduler is and how to reach it. */
export interface ConnectionOptions {
  /**
   * One target or several (default `localhost:50051`). A target is `host:port` or any grpc-js
   * target, e.g. `dns:///scheduler.default.svc:50051`, whose addresses are balanced round-robin
   * (use a headless Kubernetes Service). With several targets, calls rotate over them and a
   * retry or a Worker reconnect moves on to the next one.
   */
  address?: string | readonly string[];
  /** `true` for TLS with the system roots, or TLS material. Default: plaintext. */
  tls?: boolean | TlsOptions;
  /** Full control over channel credentials; overrides `tls`. */
  credentials?: grpc.ChannelCredentials;
  /**
   * Sent as `authorization: Bearer <token>` on every call. A function is called per call, so it
   * can return a refreshed token.
   */
  token?: string | (() => string | Promise<string>);
  /** Extra grpc-js channel options, merged over the SDK's defaults. */
  channelOptions?: grpc.ChannelOptions;
}

export const DEFAULT_ADDRESS = 'localhost:50051';

const STATE_RANK: Record<grpc.connectivityState, number> = {
  [grpc.connectivityState.READY]: 0,
  [grpc.connectivityState.IDLE]: 1,
  [grpc.connectivityState.CONNECTING]: 1,
  [grpc.connectivityState.TRANSIENT_FAILURE]: 2,
  [grpc.connectivityState.SHUTDOWN]: 3,
};

/**
 * - round_robin: with a `dns:///` target every resolved replica gets calls (the default,
 *   pick_first, would send everything to one). grpc-js reads it from the service config only.
 * - keepalive: a worker's stream can be silent for long; pings notice a dead replica or a NAT
 *   that dropped the flow. The scheduler's grpc-js server accepts client pings at this rate.
 * - reconnect backoff capped at 5 s (grpc-js default: 120 s), so a restarted replica is used again
 *   promptly; the SDK adds its own jittered backoff on top.
 * - 64 MiB receive limit: a page of dead jobs can carry many payloads of up to 1 MiB.
 */
const DEFAULT_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 5_000,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
};

function channelCredentials(options: ConnectionOptions): grpc.ChannelCredentials {
  if (options.credentials) return options.credentials;
  if (!options.tls) return grpc.credentials.createInsecure();
  const tls = options.tls === true ? {} : options.tls;
  return grpc.credentials.createSsl(tls.rootCerts, tls.privateKey, tls.certChain);
}

/** The channels of one SchedulerClient, shared with the Workers built on it. */
export class Connection {
  private readonly clients: RawClient[];
  private readonly targets: string[];
  private next = 0;

  constructor(private readonly options: ConnectionOptions) {
    const raw = options.address ?? DEFAULT_ADDRESS;
    const addresses = typeof raw === 'string' ? [raw] : [...raw];
    if (addresses.length === 0) throw new Error('address: give at least one target');
    this.targets = addresses;
    const Client = rawClientConstructor();
    const credentials = channelCredentials(options);
    const channelOptions = { ...DEFAULT_CHANNEL_OPTIONS, ...options.channelOptions };
    this.clients = addresses.map((a) => new Client(a, credentials, channelOptions));
  }

  /** How many targets there are. */
  get size(): number {
    return this.clients.length;
  }

  /**
   * The next target's client, round-robin, preferring connected targets over connecting ones and
   * those over failing ones, so that a replica that went away is skipped while others are up.
   */
  pick(): RawClient {
    const n = this.clients.length;
    let best = this.next % n;
    let bestRank = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const index = (this.next + i) % n;
      const client = this.clients[index] as RawClient;
      // true: an idle channel starts connecting, so the next pick may find it ready.
      const rank = STATE_RANK[client.getChannel().getConnectivityState(true)];
      if (rank < bestRank) [best, bestRank] = [index, rank];
    }
    this.next = (best + 1) % n;
    return this.clients[best] as RawClient;
  }

  /**
   * With one target a call waits for it to (re)connect, within its deadline: a restart or a
   * rolling update is ridden out. With several, a call fails fast on a failing target so that a
   * retry or a reconnect can move on to the next one.
   */
  get waitForReady(): boolean {
    return this.clients.length === 1;
  }

  /**
   * Call metadata: the bearer token when one is configured, and wait-for-ready (see above) unless
   * the caller retries on its own and passes `false`.
   */
  async metadata(waitForReady = this.waitForReady): Promise<grpc.Metadata> {
    // grpc-js takes wait-for-ready from the metadata's options, not from the call options.
    const metadata = new grpc.Metadata({ waitForReady });
    const { token } = this.options;
    const value = typeof token === 'function' ? await token() : token;
    if (value) metadata.set('authorization', `Bearer ${value}`);
    return metadata;
  }

  /**
   * Resolves once any target's channel is connected. Rejects, naming the targets, when every
   * target's connection attempt has failed (refused, unresolvable, bad TLS) or at `deadline`
   * (a Date or epoch milliseconds), whichever comes first.
   */
  async untilReady(deadline: Date | number): Promise<void> {
    await Promise.any(this.clients.map((c) => connected(c.getChannel(), deadline))).catch(() => {
      throw new Error(`cannot connect to ${this.targets.join(', ')}`);
    });
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}

/** Follows a channel's state from idle: READY resolves; a failed attempt or the deadline rejects. */
function connected(
  channel: ReturnType<RawClient['getChannel']>,
  deadline: Date | number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const follow = (): void => {
      // true: an idle channel starts connecting.
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY) return resolve();
      if (STATE_RANK[state] >= STATE_RANK[grpc.connectivityState.TRANSIENT_FAILURE]) {
        return reject(new Error(grpc.connectivityState[state]));
      }
      channel.watchConnectivityState(state, deadline, (err) => (err ? reject(err) : follow()));
    };
    follow();
  });
}
