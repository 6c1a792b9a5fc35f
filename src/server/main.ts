/**
 * The composition root: the only module that reads process.env. It builds config, logger, Redis,
 * the domain, the dispatcher, the upkeep timer and the servers, and wires signals. `startServer`
 * is what tests use to run real servers in-process on port 0.
 */
import type { Server } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { QueueControl } from '../scheduler/control';
import { Dispatcher } from '../scheduler/dispatcher';
import { RedisRateLimiter } from '../scheduler/redis/rate-limiter';
import { RedisScheduleStore } from '../scheduler/redis/schedule-store';
import { RedisJobStore } from '../scheduler/redis/store';
import { RedisJobEvents } from '../scheduler/redis/job-events';
import { JobWatchers } from '../scheduler/job-watch';
import { RedisWakeSignal } from '../scheduler/redis/wake';
import { DEFAULT_SCHEDULER_OPTIONS, Scheduler } from '../scheduler/scheduler';
import { ScheduleRunner } from '../scheduler/schedules/runner';
import { Schedules } from '../scheduler/schedules/service';
import { Upkeep } from '../scheduler/upkeep';
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
import { scheduleHandlers } from './schedule-handlers';
import { HealthService } from './health';
import { startHttpServer, type HttpServer } from './http';
import { LeaseStreams } from './lease-stream';
import { WatchStreams } from './watch-job';
import { createLogger } from './logger';
import { loadSchedulerPackage, schedulerService } from './proto';
import { Metrics } from './metrics';
import { RedisMonitor } from './readiness';
import { closeRedis, createRedis, waitForReady } from './redis';
import { loadSecurity, type Security } from './security';
import type { Tracing } from './tracing';
import { startTracing } from './tracing-sdk';
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
  events: RedisJobEvents;
  dispatcher: Dispatcher;
  runner: ScheduleRunner;
  upkeep: Upkeep;
  streams: LeaseStreams;
  watches: WatchStreams;
  server: Server;
  monitor: RedisMonitor;
  /** The /ui/ pages and their JSON API (undefined with DASHBOARD=off). */
  dashboard: Dashboard | undefined;
  tracing: Tracing;
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

/** Schedules: the service behind the RPCs and the runner that fires them on this replica. */
function createSchedules(
  config: Config,
  redis: App['redis'],
  tiers: TierResolver,
  metrics: Metrics,
  notify: (queue: string) => void,
  log: Logger,
): { schedules: Schedules; runner: ScheduleRunner } {
  const store = new RedisScheduleStore(redis, {
    weights: config.tiers.weights,
    tierCaps: config.tiers.concurrency,
    maxPerQueue: config.schedules.maxPerQueue,
    dedupWindowMs: config.store.dedupWindowMs,
  });
  const schedules = new Schedules(store, { ...DEFAULT_SCHEDULER_OPTIONS, ...config.limits });
  const runner = new ScheduleRunner(
    store,
    tiers,
    metrics.runObserver(notify),
    log.child({ component: 'schedule_runner' }),
    {
      missedRunGraceMs: config.schedules.missedRunGraceMs,
      defaultMaxAttempts: config.limits.defaultMaxAttempts,
    },
  );
  return { schedules, runner };
}

function createScheduler(
  config: Config,
  redis: App['redis'],
  tiers: TierResolver,
): { scheduler: Scheduler; control: QueueControl; store: RedisJobStore } {
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
    store,
  };
}

function buildApp(
  config: Config,
  log: Logger,
  redis: App['redis'],
  tiers: TierResolver,
  metrics: Metrics,
  { auth }: Security,
  tracing: Tracing,
): App {
  const { scheduler, control, store } = createScheduler(config, redis, tiers);
  const upkeep = new Upkeep(store, log.child({ component: 'upkeep' }), {}, (outcome) =>
    metrics.upkeepRuns.inc({ outcome }),
  );
  metrics.watchQueues(scheduler);
  metrics.setTierWeights(config.tiers.weights);
  redis.on('error', () => metrics.redisErrors.inc());
  const health = new HealthService([SCHEDULER_SERVICE, HEALTH_SERVICE]);
  const wake = new RedisWakeSignal(redis, log, { onResubscribe: () => dispatcher.notifyAll() });
  const dispatcher = new Dispatcher(scheduler, [wake], log);
  const events = new RedisJobEvents(redis, log);
  const streams = new LeaseStreams({
    scheduler,
    dispatcher,
    events,
    metrics,
    log,
    auth,
    tracing,
    openTimeoutMs: config.grpc.leaseOpenTimeoutMs,
  });
  const watchers = new JobWatchers((id) => scheduler.getJob(id), events, config.maxWatchers);
  const watches = new WatchStreams({ scheduler, watchers, metrics, log, auth });
  const notify = (queue: string): void => dispatcher.notify(queue);
  const { schedules, runner } = createSchedules(config, redis, tiers, metrics, notify, log);
  const deps = { scheduler, control, schedules, dispatcher, metrics, log, auth, tracing };
  const handlers = {
    ...unaryHandlers(deps),
    ...scheduleHandlers(deps),
    ...controlHandlers(deps),
    Lease: streams.handle,
    WatchJob: watches.handle,
  };
  // The contract, parsed once: the gRPC server and the dashboard's JSON bridge share it.
  const definition = schedulerService(loadSchedulerPackage());
  const server = createGrpcServer(config.grpc, handlers, health, definition);
  const dashboard = config.dashboard.enabled
    ? new Dashboard({
        handlers,
        definition,
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
    events,
    dispatcher,
    runner,
    upkeep,
    streams,
    watches,
    server,
    monitor,
    dashboard,
    tracing,
    state,
  };
}

/** NOT_SERVING first, then no new leases, streams ended, calls drained, connections closed. */
async function stopApp(app: App, http: HttpServer, graceMs: number, log: Logger): Promise<void> {
  app.state.stopping = true;
  log.info({ graceMs }, 'shutting down');
  app.health.set('NOT_SERVING');
  await Promise.all([app.dispatcher.stop(), app.runner.stop(), app.upkeep.stop()]);
  app.watches.closeAll();
  await app.streams.closeAll();
  app.health.close();
  if (!(await shutdownGrpc(app.server, graceMs)))
    log.warn('grace period over: cancelled the calls still running');
  app.monitor.stop();
  await Promise.all([app.wake.stop(), app.events.stop(), http.close(), app.tiers.close()]);
  await closeRedis(app.redis);
  await app.tracing.shutdown(); // last: it exports the spans of the calls drained above
  log.info('shut down');
}

/**
 * @param tracing where spans go; by default what config.tracing (the OTEL_* variables) says.
 *   Tests pass one on an in-memory exporter.
 */
export async function startServer(
  config: Config,
  log: Logger,
  tracing: Tracing = startTracing(config.tracing, log),
): Promise<ServerHandle> {
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
  const app = buildApp(config, log, redis, tiers, metrics, security, tracing);
  // With Redis down the subscription completes in the background once it is back.
  const subscribed = app.wake.start();
  if (redisReady) await subscribed;
  else subscribed.catch((err: unknown) => log.error({ err }, 'wake subscription failed'));
  app.dispatcher.start();
  app.runner.start();
  app.upkeep.start();
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
