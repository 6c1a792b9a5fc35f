/**
 * Entry point of a worker child process (see procs.ts spawnWorker): runs one LoadWorker and
 * prints every history event as a JSON line on stdout. Configured by WORKER_CONFIG (JSON:
 * `{addresses, options}`). SIGTERM finishes the jobs held and exits; SIGKILL is the point.
 */
import type { HistoryEvent } from './history';
import { LoadWorker, type WorkerOptions } from './load-worker';
import { Endpoints } from './rpc';

interface WorkerConfig {
  addresses: string[];
  options: WorkerOptions;
}

const config = JSON.parse(process.env.WORKER_CONFIG ?? '{}') as WorkerConfig;
const endpoints = new Endpoints(config.addresses);
const emit = (event: HistoryEvent | { ready: true }): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
const worker = new LoadWorker(endpoints, config.options, emit);
worker.start();
emit({ ready: true });

process.once('SIGTERM', () => {
  void worker.stop().then(() => {
    endpoints.close();
    process.exit(0);
  });
});
