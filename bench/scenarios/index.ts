/** The scenarios in the order a run takes them: ceilings first, so every later figure has one. */
import type { Ctx } from '../lib/context';
import type { Section } from '../lib/model';
import { ceilingsScenario } from './ceilings';
import { e2eScenario } from './e2e';
import { enqueueScenario } from './enqueue';
import { latencyScenario } from './latency';
import { memoryScenario } from './memory';
import { priorityScenario } from './priority';
import { scaleScenario } from './scale';

export interface Scenario {
  id: string;
  title: string;
  run(ctx: Ctx): Promise<Omit<Section, 'seconds'>>;
}

export const SCENARIOS: Scenario[] = [
  { id: 'ceilings', title: 'Ceilings: Redis and the transport alone', run: ceilingsScenario },
  { id: 'enqueue', title: 'Enqueue throughput', run: enqueueScenario },
  { id: 'e2e', title: 'End-to-end throughput', run: e2eScenario },
  { id: 'latency', title: 'Delivery latency', run: latencyScenario },
  { id: 'priority', title: 'Priority isolation', run: priorityScenario },
  { id: 'memory', title: 'Redis memory per queued job', run: memoryScenario },
  { id: 'scale', title: 'Scale: queue depth and tenant count', run: scaleScenario },
];
