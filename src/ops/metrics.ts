/**
 * Prometheus metrics (prom-client), one registry per server (so tests can run several in one process).
 * In cluster mode every worker keeps its own registry and `GET /metrics` answers with the sum over all
 * workers, gathered by the primary (prom-client's AggregatorRegistry over the cluster IPC channel).
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ModerationObserver, Moderator, ModerationResponse, Stage } from '../moderate.js';
import { askPrimary } from './cluster.js';

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics implements ModerationObserver {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly requestDuration: Histogram<'route'>;
  readonly items: Counter<'route' | 'verdict'>;
  readonly categoryHits: Counter<'category' | 'verdict'>;
  readonly stage: Histogram<'stage'>;
  readonly shed: Counter<'reason'>;
  readonly reloads: Counter<'outcome'>;
  readonly auditRecords: Counter<'outcome'>;

  constructor(moderator: Moderator, extra: { inFlight: () => number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'warden_' });
    this.requests = new Counter({
      name: 'warden_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'warden_http_request_duration_seconds',
      help: 'HTTP request duration (headers in to response out) by route',
      labelNames: ['route'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.items = new Counter({
      name: 'warden_moderated_items_total',
      help: 'Moderated texts by route and verdict',
      labelNames: ['route', 'verdict'],
      registers,
    });
    this.categoryHits = new Counter({
      name: 'warden_category_hits_total',
      help: 'Texts with a flag/block in a category, by category and verdict',
      labelNames: ['category', 'verdict'],
      registers,
    });
    this.stage = new Histogram({
      name: 'warden_stage_duration_seconds',
      help: 'Pipeline stage time per request: normalize, match (automaton and rules), model, total',
      labelNames: ['stage'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.shed = new Counter({
      name: 'warden_rejected_requests_total',
      help: 'Requests refused before work: unauthenticated, forbidden, rate_limited, overloaded, timeout',
      labelNames: ['reason'],
      registers,
    });
    this.reloads = new Counter({
      name: 'warden_lexicon_reloads_total',
      help: 'Lexicon reloads by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.auditRecords = new Counter({
      name: 'warden_audit_records_total',
      help: 'Audit records by outcome (written, failed)',
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'warden_lexicon_terms',
      help: 'Patterns in the serving keyword automaton',
      registers,
      aggregator: 'max',
      collect() {
        this.set(moderator.tables.patternCount);
      },
    });
    new Gauge({
      name: 'warden_lexicon_info',
      help: 'The serving lexicon version (value 1)',
      labelNames: ['version'],
      registers,
      aggregator: 'max',
      collect() {
        this.reset();
        this.set({ version: moderator.lexiconVersion }, 1);
      },
    });
    new Gauge({
      name: 'warden_in_flight_requests',
      help: 'Requests being worked on',
      registers,
      collect() {
        this.set(extra.inFlight());
      },
    });
    const stat = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    stat('warden_model_errors_total', 'Classifier calls that failed', () => moderator.stats.modelErrors);
    stat('warden_model_timeouts_total', 'Classifier calls past MODEL_TIMEOUT_MS', () => moderator.stats.modelTimeouts);
    stat('warden_degraded_items_total', 'Texts answered keyword-only (degraded: true)', () => moderator.stats.degraded);
  }

  onStage(stage: Stage, seconds: number): void {
    this.stage.observe({ stage }, seconds);
  }

  /** Counts verdicts and category hits of one answered request. */
  observeResponse(route: string, response: ModerationResponse): void {
    for (const r of response.results) {
      this.items.inc({ route, verdict: r.verdict });
      for (const c of r.categories) this.categoryHits.inc({ category: c.id, verdict: c.verdict });
    }
  }

  /** The exposition text: this process's registry, or the whole cluster's when running as a worker. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (cluster.isWorker && process.send !== undefined) {
      return { contentType: this.registry.contentType, body: await clusterMetrics() };
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** In a cluster worker: let the primary's AggregatorRegistry collect this registry. */
  shareWithCluster(): void {
    if (!cluster.isWorker) return;
    AggregatorRegistry.setRegistries([this.registry]);
    new AggregatorRegistry(); // installs the worker's listener for the primary's metrics requests
  }
}

/** Asks the primary for the aggregated metrics of every worker. */
async function clusterMetrics(): Promise<string> {
  const answer = await askPrimary('metrics-request', 'metrics-result', {}, 5000);
  if (answer.error !== undefined) throw new Error(answer.error);
  return answer.body ?? '';
}
