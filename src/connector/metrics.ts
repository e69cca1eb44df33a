/** Prometheus metrics of one connector (a registry per instance, so tests can run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestCategory } from '../salesforce/client';

export class ConnectorMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({
    name: 'aircall_webhooks_received_total',
    help: 'Webhook deliveries, by result (accepted, duplicate, rejected, draining).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly applied = new Counter({
    name: 'aircall_events_finished_total',
    help: 'Events the worker finished, by outcome (applied, skipped, dead_lettered).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'aircall_inbox_pending_events',
    help: 'Events stored and not yet applied.',
    registers: [this.registry],
  });
  readonly deadLetters = new Gauge({
    name: 'aircall_dead_letters',
    help: 'Events in the dead-letter table (see `aircall-sfv dead-letters`).',
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'aircall_batch_events',
    help: 'Events per worker batch.',
    buckets: [1, 5, 10, 25, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });
  readonly workerSeconds = new Counter({
    name: 'aircall_worker_seconds_total',
    help:
      'Wall time the worker spent, by phase: look (is work due?), turn (waiting for the turn of the ' +
      'processes sharing a PostgreSQL inbox), claim (claim and release calls), plan, apply (Salesforce ' +
      'writes), settle (inbox updates), housekeeping (link sweep, settings refresh), idle.',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: 'aircall_salesforce_requests_total',
    help: 'Requests sent to Salesforce, by category (query, search, composite, rest, telephony) and result.',
    labelNames: ['category', 'ok'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'aircall_errors_total',
    help: 'Errors, by kind (transient, permanent, batch, publish, aircall_api).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'aircall_webhook_to_commit_seconds',
    help: 'Time from webhook receipt to the commit of its Salesforce writes.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly apiUsage = new Gauge({
    name: 'aircall_salesforce_api_usage_ratio',
    help: "Fraction of the org's 24-hour API allocation used (from Sforce-Limit-Info).",
    registers: [this.registry],
  });
  readonly apiPaused = new Gauge({
    name: 'aircall_salesforce_api_paused',
    help: '1 while the connector holds back because the org API allocation is nearly used up.',
    registers: [this.registry],
  });
  readonly eventPublishExhausted = new Gauge({
    name: 'aircall_platform_event_publish_exhausted',
    help: '1 while the org refuses platform event publishes (hourly allocation used up, LIMIT_EXCEEDED); calls are still logged.',
    registers: [this.registry],
  });

  readonly streamReplayGaps = new Counter({
    name: 'aircall_stream_replay_gaps_total',
    help: "Times a stored replay id was past the org's retention window: the changes after it were read as current state instead.",
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  countRequest(category: RequestCategory, ok: boolean): void {
    this.apiRequests.inc({ category, ok: String(ok) });
  }
}
