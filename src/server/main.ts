/**
 * The composition root: the only module that reads process.env. It builds config, logger, Redis,
 * the domain, the dispatcher and the servers, and wires signals. `startServer` is what tests use
 * to run real servers in-process on port 0.
 */
import type { Server } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { QueueControl } from '../scheduler/control';
import { Dispatcher } from '../scheduler/dispatcher';
import { RedisRateLimiter } from '../scheduler/redis/rate-limiter';
import { RedisJobStore } from '../scheduler/redis/store';
import { RedisWakeSignal } from '../scheduler/redis/wake';
import { DEFAULT_SCHEDULER_OPTIONS, Scheduler } from '../scheduler/scheduler';
import type { TierResolver } from '../scheduler/tiers/resolver';
import { createMongoTierResolver } from '../scheduler/tiers/mongo';
import { StaticTierResolver } from '../scheduler/tiers/static';
import { ConfigError, loadConfig, redactUrl, type Config } from './config';
import {
  bind,
  createGrpcServer,
  HEALTH_SERVICE,
  SCHEDULER_SERVICE,
  shutdownGrpc,
} from './grpc-server';
import { controlHandlers } from './control-handlers';
import { unaryHandlers } from './handlers';
import { HealthService } from './health';
import { startHttpServer, type HttpServer } from './http';
import { LeaseStreams } from './lease-stream';
import { createLogger } from './logger';
import { loadSchedulerPackage, schedulerService } from './proto';
import { Metrics } from './metrics';
import { RedisMonitor } from './readiness';
import { closeRedis, createRedis, waitForReady } from './redis';
import { loadSecurity, type Security } from './security';
import { Dashboard } from './ui/dashboard';

export interface ServerHandle {
  /** The bound gRPC port (useful with GRPC_PORT=0). */
  port: number;
  metricsPort: number;
  /** Graceful stop; safe to call more than once. */
  stop(): Promise<void>;
}

const REDIS_PROBE_MS = 2000;
const STARTUP_REDIS_WAIT_MS = 5000;

/** Everything one server instance runs. */
interface App {
  redis: ReturnType<typeof createRedis>;
  tiers: TierResolver;
  metrics: Metrics;
  health: HealthService;
  wake: RedisWakeSignal;
  dispatcher: Dispatcher;
  streams: LeaseStreams;
  server: Server;
  monitor: RedisMonitor;
  /** The /ui/ pages and their JSON API (undefined with DASHBOARD=off). */
  dashboard: Dashboard | undefined;
  /** Shared with the health callback: once stopping, Redis coming back does not mean SERVING. */
  state: { stopping: boolean };
}

/**
 * Tier source: MongoDB when MONGODB_URI is set (cached, behind a circuit breaker; it connects in
 * the background, so a Mongo outage never blocks start-up), else the static map.
 */
function createTierResolver(config: Config, log: Logger, metrics: Metrics): TierResolver {
  const { uri, database, collection } = config.mongo;
  const { defaultTier, weights } = config.tiers;
  if (uri === undefined)
    return new StaticTierResolver(config.tiers.static, defaultTier, config.tiers.staticConcurrency);
  log.info({ mongo: redactUrl(uri), database, collection }, 'tiers from MongoDB');
  const logger = log.child({ component: 'tier_resolver' });
  return createMongoTierResolver({
    uri,
    database,
    collection,
    defaultTier,
    knownTiers: weights.keys(),
    logger,
    onEvent: metrics.tierObserver(),
  });
}

function createScheduler(
  config: Config,
  redis: App['redis'],
  tiers: TierResolver,
): { scheduler: Scheduler; control: QueueControl } {
  const store = new RedisJobStore(redis, {
    weights: config.tiers.weights,
    backoff: { baseMs: config.store.backoffBaseMs, capMs: config.store.backoffCapMs },
    dedupWindowMs: config.store.dedupWindowMs,
    retentionMs: config.store.retentionMs,
    deadRetentionMs: config.store.deadRetentionMs,
    tierCaps: config.tiers.concurrency,
    tenantCap: config.tiers.tenantConcurrency,
  });
  const limiter = config.rateLimit && new RedisRateLimiter(redis, config.rateLimit);
  const options = { ...DEFAULT_SCHEDULER_OPTIONS, ...config.limits };
  return {
    scheduler: new Scheduler(store, tiers, options, limiter),
    control: new QueueControl(store),
  };
}

function buildApp(
  config: Config,
  log: Logger,
  redis: App['redis'],
  tiers: TierResolver,
  metrics: Metrics,
  { auth }: Security,
): App {
  const { scheduler, control } = createScheduler(config, redis, tiers);
  metrics.watchQueues(scheduler);
  redis.on('error', () => metrics.redisErrors.inc());
  const health = new HealthService([SCHEDULER_SERVICE, HEALTH_SERVICE]);
  const wake = new RedisWakeSignal(redis, log, { onResubscribe: () => dispatcher.notifyAll() });
  const dispatcher = new Dispatcher(scheduler, [wake], log);
  const streams = new LeaseStreams({ scheduler, dispatcher, metrics, log, auth });
  const deps = { scheduler, control, dispatcher, metrics, log, auth };
  const handlers = {
    ...unaryHandlers(deps),
    ...controlHandlers(deps),
    Lease: streams.handle,
  };
  const server = createGrpcServer(config.grpc, handlers, health);
  const dashboard = config.dashboard.enabled
    ? new Dashboard({
        handlers,
        definition: schedulerService(loadSchedulerPackage()),
        auth,
        readOnly: config.dashboard.readOnly,
        tierWeights: config.tiers.weights,
      })
    : undefined;
  const state = { stopping: false };
  const monitor = new RedisMonitor(redis, REDIS_PROBE_MS, log, (up) => {
    metrics.redisUp.set(up ? 1 : 0);
    if (!state.stopping) health.set(up ? 'SERVING' : 'NOT_SERVING');
  });
  return {
    redis,
    tiers,
    metrics,
    health,
    wake,
    dispatcher,
    streams,
    server,
    monitor,
    dashboard,
    state,
  };
}

/** NOT_SERVING first, then no new leases, streams ended, calls drained, connections closed. */
async function stopApp(app: App, http: HttpServer, graceMs: number, log: Logger): Promise<void> {
  app.state.stopping = true;
  log.info({ graceMs }, 'shutting down');
  app.health.set('NOT_SERVING');
  await app.dispatcher.stop();
  await app.streams.closeAll();
  app.health.close();
  if (!(await shutdownGrpc(app.server, graceMs)))
    log.warn('grace period over: cancelled the calls still running');
  app.monitor.stop();
  await Promise.all([app.wake.stop(), http.close(), app.tiers.close()]);
  await closeRedis(app.redis);
  log.info('shut down');
}

export async function startServer(config: Config, log: Logger): Promise<ServerHandle> {
  const redisUrl = redactUrl(config.redis.url);
  log.info({ redis: redisUrl, tiers: Object.fromEntries(config.tiers.weights) }, 'starting');
  const security = loadSecurity(config, log);
  const metrics = new Metrics();
  const redis = createRedis(config.redis); // first: it may throw (REDIS_TLS_CA_FILE unreadable)
  const tiers = createTierResolver(config, log, metrics);
  redis.on('error', (err: Error) => {
    // Bad credentials will not fix themselves: say so where operators look (the error holds no secret).
    if (/^(WRONGPASS|NOAUTH)/.test(err.message)) log.warn({ err }, 'redis refused the credentials');
    else log.debug({ err }, 'redis connection error');
  });
  const redisReady = await waitForReady(redis, STARTUP_REDIS_WAIT_MS);
  if (!redisReady) log.warn({ redis: redisUrl }, 'redis not reachable yet: starting NOT_SERVING');
  const app = buildApp(config, log, redis, tiers, metrics, security);
  // With Redis down the subscription completes in the background once it is back.
  const subscribed = app.wake.start();
  if (redisReady) await subscribed;
  else subscribed.catch((err: unknown) => log.error({ err }, 'wake subscription failed'));
  app.dispatcher.start();
  await app.monitor.start();
  const port = await bind(app.server, config.grpc.port, security.credentials);
  const ready = (): boolean => !app.state.stopping && app.monitor.isUp;
  const http = await startHttpServer(config.metricsPort, app.metrics, ready, log, app.dashboard);
  log.info({ port, metricsPort: http.port }, 'scheduler listening');
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= stopApp(app, http, config.shutdownGraceMs, log));
  return { port, metricsPort: http.port, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const handle = await startServer(config, log);
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'signal received');
    handle.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    // A bad file named by a variable (tokens, TLS) is bad configuration, like a bad variable.
    process.exit(err instanceof ConfigError ? 2 : 1);
  });
}
