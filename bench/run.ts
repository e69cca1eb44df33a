/**
 * `npm run bench` — the connector against the embedded local org, figures printed, nothing asserted.
 *
 *  1. Throughput: N simulated calls (default 10,000, with duplicates and out-of-order delivery)
 *     ingested, then drained: REST requests per logged call, Telephony API requests per connected /
 *     unanswered call, events/s end to end, peak RSS.
 *  2. The same stream through a naive writer (one request per record per event, the way a
 *     per-event integration works) in the same run, on the first `--naive-calls` calls.
 *  3. Latency: webhooks POSTed over HTTP at `--rate` events/s for `--seconds`; p50/p99 from
 *     webhook receipt to the commit of its writes (read from the inbox's timestamps), for all events
 *     and split into the urgent ones (answer, hang-up of an unanswered call) and the ones deadline
 *     scheduling may hold (src/connector/deadline.ts; `--hold-ms 0` turns holding off).
 *  4. Sparse traffic.
 *  5. Platform event allocations over a simulated day of a 200-agent center (bench/events.ts,
 *     also `npm run bench:events` alone).
 *  6. The API bill of a business day on a simulated clock (bench/day.ts), its first hour; the
 *     whole day is `npm run bench:day`.
 *
 * `--only 1,3` runs only the sections named (here replay and paced delivery); `--calls`, `--rate`,
 * `--seconds` and `--naive-calls` size them.
 *
 * The local org runs in this process, so RSS includes it; request counts come from the org's own
 * per-category counters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startConnector } from '../src/connector/connector';
import { deadlineOf } from '../src/connector/deadline';
import { EVENT_COLUMNS, toEvent, type EventRow } from '../src/inbox/rows';
import { ingest } from '../src/connector/ingest';
import { DRAIN_WORKER_OPTIONS, drainUntilDone } from '../src/cli/drain';
import {
  generateCalls,
  postToUrl,
  type SimulatedCall,
  type WebhookEnvelope,
} from '../dev/simulator';
import { benchOrg, callKey, connected, fmt, naive, print, type Figures } from './common';
import { businessDay, DEFAULT_DAY, printDay } from './day';
import { eventAllocationsDay } from './events';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    'naive-calls': { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    /** Paced section: the worker's hold window (default: the connector's, 30 s; 0 = never held). */
    'hold-ms': { type: 'string' },
    /** Sections to run, e.g. `--only 1,3` (replay and paced delivery); all when absent. */
    only: { type: 'string' },
  },
});
const ONLY = values.only === undefined ? null : new Set(values.only.split(',').map(Number));
const runs = (section: number) => ONLY === null || ONLY.has(section);
const CALLS = Number(values.calls);
const NAIVE_CALLS = Number(values['naive-calls']);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const HOLD_MS = values['hold-ms'] === undefined ? undefined : Number(values['hold-ms']);
const TOKEN = 'bench-token';
const silent = pino({ level: 'silent' });

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Deadlines under which only an urgent event is due on arrival (the others are due much later). */
const NOTHING_HELD_FOR_LONG = { urgentMs: 0, agentMs: 1e12, holdMs: 1e12, finalMs: 1e12 };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function throughput(envelopes: WebhookEnvelope[], calls: SimulatedCall[]): Promise<Figures> {
  const { local, org, closeOrg } = await benchOrg();
  const byCall = new Map(calls.map((c) => [String(c.id), c]));
  const telephony = { connected: 0, other: 0 };
  const connector = await startConnector({
    org,
    logger: silent,
    inboxFile: ':memory:',
    tokens: [TOKEN],
    listen: false,
    runWorker: false,
    worker: DRAIN_WORKER_OPTIONS,
    onTelephonyRequest: (_m, key) => {
      const call = byCall.get(key);
      if (call && connected(call)) telephony.connected++;
      else telephony.other++;
    },
  });
  local.resetCounters();
  const started = performance.now();
  for (const e of envelopes)
    await ingest(e, { inbox: connector.inbox, tokens: [TOKEN], metrics: connector.metrics });
  await drainUntilDone(connector, { deadlineMs: 60 * 60_000 });
  const seconds = (performance.now() - started) / 1000;
  const counters = local.counters();
  const dead = (await connector.inbox.counts()).dead;
  if (dead > 0) console.log(`    (${dead} events dead-lettered!)`);
  await connector.close();
  await closeOrg();
  return {
    label: 'batched connector (this product)',
    calls: calls.length,
    events: envelopes.length,
    seconds,
    rest: counters.total - counters.telephony,
    telephonyConnected: telephony.connected,
    telephonyOther: telephony.other,
    connectedCalls: calls.filter(connected).length,
    otherCalls: calls.filter((c) => !connected(c)).length,
  };
}

async function latency(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-bench-'));
  const inboxFile = path.join(dir, 'inbox.db');
  const { local, org, closeOrg } = await benchOrg();
  const connector = await startConnector({
    org,
    logger: silent,
    inboxFile,
    tokens: [TOKEN],
    port: 0,
    worker: HOLD_MS === undefined ? {} : { holdMs: HOLD_MS },
  });
  const wanted = RATE * SECONDS;
  const { envelopes } = generateCalls({
    count: Math.ceil(wanted / 4) + 50,
    seed: 99,
    token: TOKEN,
  });
  const sent = envelopes.sort((a, b) => a.timestamp - b.timestamp).slice(0, wanted);
  local.resetCounters();
  const result = await postToUrl(sent, `${connector.url}/webhooks/aircall`, {
    ratePerSecond: RATE,
    concurrency: 32,
  });
  await drainUntilDone(connector, { deadlineMs: 120_000 });
  const counters = local.counters();
  await connector.close();
  const db = new DatabaseSync(inboxFile);
  const rows = db
    .prepare(
      `SELECT ${EVENT_COLUMNS}, finished_at - received_at AS ms FROM events WHERE status IN ('done', 'skipped')`,
    )
    .all() as unknown as (EventRow & { ms: number })[];
  db.close();
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  // The events deadline scheduling sends within the batch window (an answer, the hang-up of an
  // unanswered call: what a user waits for) and the ones it may hold for a later request.
  const urgent = (row: EventRow) =>
    deadlineOf(toEvent(row), NOTHING_HELD_FOR_LONG) === row.received_at;
  const sortedMs = (list: (EventRow & { ms: number })[]) =>
    list.map((r) => r.ms).sort((a, b) => a - b);
  const atOnce = sortedMs(rows.filter(urgent));
  const held = sortedMs(rows.filter((r) => !urgent(r)));
  const loggedCalls = new Set(sent.map((e) => callKey(e))).size;
  console.log(
    `  ${RATE} events/s over HTTP for ${SECONDS} s (${result.sent} webhooks, ${JSON.stringify(result.statuses)})`,
  );
  console.log(
    `    webhook → commit latency: p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${ms[ms.length - 1]} ms`,
  );
  console.log(
    `      of which urgent (answers, unanswered hang-ups; sent within the batch window): ${atOnce.length}, p50 ${percentile(atOnce, 50)} ms, p99 ${percentile(atOnce, 99)} ms`,
  );
  console.log(
    `      the others (${HOLD_MS === 0 ? 'not held: --hold-ms 0' : 'held until the next urgent batch or their deadline'}): ${held.length}, p50 ${percentile(held, 50)} ms, p99 ${percentile(held, 99)} ms`,
  );
  console.log(
    `    REST requests at this pace: ${counters.total - counters.telephony} → ${fmt((counters.total - counters.telephony) / loggedCalls, 4)} per call touched`,
  );
  const { total: _t, telephony: _tel, ...byCategory } = counters;
  const batches = (await connector.metrics.batchSize.get()).values.find(
    (v) => v.metricName === 'aircall_batch_events_count',
  )?.value;
  console.log(`    by category: ${JSON.stringify(byCategory)}, worker batches: ${batches}`);
  await closeOrg();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The opposite extreme: a quiet contact center, where events arrive one by one. The stream is
 * replayed on its own clock (each event at its Aircall timestamp, every due event applied before
 * the next arrives), so no two events share a batch. Prints what each kind of event costs.
 */
async function sparse(envelopes: WebhookEnvelope[], calls: SimulatedCall[]): Promise<void> {
  const { local, org, closeOrg } = await benchOrg();
  const connector = await startConnector({
    org,
    logger: silent,
    inboxFile: ':memory:',
    tokens: [TOKEN],
    listen: false,
    runWorker: false,
    worker: { ...DRAIN_WORKER_OPTIONS, linkSweepEveryMs: 60_000 },
  });
  await connector.context.get();
  local.resetCounters();
  const { inbox, worker, metrics } = connector;
  const byEvent = new Map<string, number>();
  const restUsed = () => {
    const c = local.counters();
    return c.total - c.telephony;
  };
  for (const e of [...envelopes].sort((a, b) => a.timestamp - b.timestamp)) {
    const t = e.timestamp * 1000;
    for (
      let due = await inbox.nextDueAt();
      due !== null && due <= t;
      due = await inbox.nextDueAt()
    ) {
      await worker.drainOnce(Math.max(due, 1));
    }
    const before = restUsed();
    await ingest(e, { inbox, tokens: [TOKEN], metrics }, t);
    await worker.drainOnce(t);
    byEvent.set(e.event, (byEvent.get(e.event) ?? 0) + restUsed() - before);
  }
  await drainUntilDone(connector, { deadlineMs: 60_000 });
  const counters = local.counters();
  const rest = counters.total - counters.telephony;
  console.log(
    `  ${calls.length} calls, ${envelopes.length} events, each alone in its batch: ` +
      `${fmt(rest / calls.length, 2)} REST requests per call, ` +
      `${fmt(counters.telephony / calls.length, 2)} Telephony requests per call`,
  );
  const top = [...byEvent].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(
    `    REST per call by event: ${top.map(([k, v]) => `${k} ${fmt(v / calls.length, 2)}`).join(', ')}`,
  );
  await connector.close();
  await closeOrg();
}

async function main(): Promise<void> {
  console.log(`Generating ${CALLS} simulated calls (10% duplicate deliveries, 10% out of order)…`);
  const { envelopes, calls } = generateCalls({
    count: CALLS,
    seed: 7,
    token: TOKEN,
    duplicateRate: 0.1,
    outOfOrderRate: 0.1,
  });
  let ours: Figures | null = null;
  if (runs(1)) {
    console.log(
      `\n1. Replay of ${calls.length} calls (${envelopes.length} webhook events) into the local org`,
    );
    ours = await throughput(envelopes, calls);
    print(ours);
    console.log(`    peak RSS (connector + local org in one process): ${mb(peakRss)}`);
  }

  const naiveCalls = calls.slice(0, NAIVE_CALLS);
  const ids = new Set(naiveCalls.map((c) => c.id));
  const naiveEnvelopes = envelopes.filter((e) => ids.has(Number(callKey(e))));
  if (runs(2)) {
    console.log(
      `\n2. Naive writer on the first ${naiveCalls.length} calls (${naiveEnvelopes.length} events), same machine, same run`,
    );
    const theirs = await naive(naiveEnvelopes, naiveCalls);
    print(theirs);
    if (ours)
      console.log(
        `\n   ratio naive / batched: ${fmt(theirs.rest / theirs.calls / (ours.rest / ours.calls), 0)}× REST requests per call, ` +
          `${fmt(ours.events / ours.seconds / (theirs.events / theirs.seconds), 1)}× events/s in favour of the batched connector`,
      );
  }

  if (runs(3)) {
    console.log(`\n3. Paced delivery`);
    await latency();
  }
  if (runs(4)) {
    console.log(`\n4. Sparse traffic (worst case for batching)`);
    await sparse(naiveEnvelopes, naiveCalls);
  }
  if (runs(5)) {
    console.log(`\n5. Platform event allocations: a simulated day of a 200-agent center`);
    eventAllocationsDay();
  }
  if (runs(6)) {
    const day = { ...DEFAULT_DAY, calls: 450, hours: 1, naiveCalls: 100 };
    console.log(
      `\n6. The API bill of a business day, shortened to its first hour (the whole day: npm run bench:day)`,
    );
    printDay(day, await businessDay(day));
  }
  console.log(`\npeak RSS over the whole run: ${mb(peakRss)}`);
  console.log(
    'Targets: ≤ 0.05 REST requests per call, ≤ 2 Telephony requests per connected call (1 otherwise), p99 ≤ 500 ms at 200 events/s.',
  );
  clearInterval(sampler);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
