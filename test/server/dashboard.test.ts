/**
 * The Grafana dashboard, the chart's alerts and the KEDA example query only metrics the server
 * exports: the names come from the server's own metrics registry, not from a list kept by hand.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Metrics } from '../../src/server/metrics';

const root = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** Every series name the registry exposes (histograms as their _bucket, _sum and _count). */
async function exportedNames(): Promise<Set<string>> {
  const metrics = new Metrics({ defaultMetrics: false });
  // Registers the scrape-time queue metrics; a source with no queues is never read.
  metrics.watchQueues({
    queues: () => Promise.resolve([]),
    stats: () => Promise.reject(new Error()),
  });
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    // prom-client types it as a numeric enum; at run time it is the name.
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    else names.add(metric.name);
  }
  return names;
}

interface Panel {
  title?: string;
  type: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

/** The metric names a PromQL expression mentions. */
function metricsIn(expr: string): string[] {
  return expr.match(/\bscheduler_[a-z0-9_]+\b/g) ?? [];
}

function assertKnown(what: string, expr: string, known: Set<string>): void {
  const named = metricsIn(expr);
  assert.ok(named.length > 0, `${what} queries no scheduler metric: ${expr}`);
  for (const name of named) assert.ok(known.has(name), `${what}: ${name} is not exported`);
}

describe('the Grafana dashboard', () => {
  const json = read('docs/grafana-dashboard.json');
  const dashboard = JSON.parse(json) as {
    panels: Panel[];
    templating: { list: Array<{ name: string; query?: string | { query: string } }> };
  };

  it('is the same in docs/ and in the chart', () => {
    assert.deepEqual(JSON.parse(read('helm/scheduler/dashboards/scheduler.json')), dashboard);
  });

  it('queries only metrics the server exports, in every panel and variable', async () => {
    const known = await exportedNames();
    const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
    const graphs = panels.filter((p) => p.type !== 'row');
    assert.ok(graphs.length >= 10, 'a dashboard with its panels');
    for (const panel of graphs) {
      assert.ok(panel.targets && panel.targets.length > 0, `${panel.title} has no query`);
      for (const { expr } of panel.targets) assertKnown(`panel "${panel.title}"`, expr, known);
    }
    const queue = dashboard.templating.list.find((v) => v.name === 'queue');
    const query = typeof queue?.query === 'string' ? queue.query : (queue?.query?.query ?? '');
    assertKnown('the queue variable', query, known);
  });
});

describe('the alerts and the KEDA example', () => {
  it('query only metrics the server exports', async () => {
    const known = await exportedNames();
    const rules = read('helm/scheduler/templates/prometheusrule.yaml');
    const exprs = [...rules.matchAll(/^\s*expr: (.*)$/gm)].map((m) => m[1]!);
    assert.equal(exprs.length, 6, 'six alerts');
    for (const expr of exprs) assertKnown('alert', expr, known);
    // Parts of expressions kept in template variables too.
    assertKnown('the alert template', rules, known);
    const keda = read('examples/keda/scaledobject.yaml');
    const [, query] = /^\s*query: (.*)$/m.exec(keda) ?? [];
    assertKnown('the KEDA trigger', query ?? '', known);
  });

  it('catches a metric the server does not export', async () => {
    const known = await exportedNames();
    assert.throws(() => assertKnown('probe', 'rate(scheduler_jobs_vanished_total[5m])', known));
  });
});
