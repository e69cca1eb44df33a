/**
 * `npm run bench` — the connector against the embedded local org, figures printed, nothing asserted.
 *
 *  1. Throughput: N simulated calls (default 10,000, with duplicates and out-of-order delivery)
 *     ingested, then drained: REST requests per logged call, Telephony API requests per connected /
 *     unanswered call, events/s end to end, peak RSS.
 *  2. The same stream through a naive writer (one request per record per event, the way a
 *     per-event integration works) in the same run, on the first `--naive-calls` calls.
 *  3. Latency: webhooks POSTed over HTTP at `--rate` events/s for `--seconds`; p50/p99 from
 *     webhook receipt to the commit of its writes (read from the inbox's timestamps).
 *  4. Sparse traffic.
 *  5. Platform event allocations over a simulated day of a 200-agent center (bench/events.ts,
 *     also `npm run bench:events` alone).
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
import { ingest } from '../src/connector/ingest';
import { DRAIN_WORKER_OPTIONS, drainUntilDone } from '../src/cli/drain';
import { startLocalOrg, type LocalOrg } from '../src/local-org/server';
import {
  PACKAGE_METADATA_DIR,
  SAMPLE_SEED_FILE,
  resolveOrg,
  type OrgTarget,
} from '../src/salesforce/org';
import {
  generateCalls,
  postToUrl,
  type SimulatedCall,
  type WebhookEnvelope,
} from '../src/simulator';
import { parseWebhook, normalizeNumber } from '../src/engine';
import { TelephonyClient } from '../src/salesforce/telephony';
import { eventAllocationsDay } from './events';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    'naive-calls': { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
  },
});
const CALLS = Number(values.calls);
const NAIVE_CALLS = Number(values['naive-calls']);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const TOKEN = 'bench-token';
const silent = pino({ level: 'silent' });

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number, digits = 3) => n.toFixed(digits);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The call an envelope belongs to (call.* events carry `id`, AI events `call_id`). */
function callKey(e: WebhookEnvelope): string {
  const data = e.data as { id?: number | string; call_id?: number | string };
  return String(e.resource === 'call' ? (data.id ?? '') : (data.call_id ?? ''));
}

const connected = (c: SimulatedCall) => c.answeredAt !== null && c.scenario !== 'invalid_number';

/** A fresh seeded local org and the org target the connector uses to reach it. */
async function benchOrg(): Promise<{
  local: LocalOrg;
  org: OrgTarget;
  closeOrg: () => Promise<void>;
}> {
  const local = await startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    seedFile: SAMPLE_SEED_FILE,
  });
  const org = await resolveOrg({
    env: { SF_INSTANCE_URL: local.instanceUrl, SF_ACCESS_TOKEN: local.accessToken },
  });
  const closeOrg = async () => {
    await org.close();
    await local.close();
  };
  return { local, org, closeOrg };
}

interface Figures {
  label: string;
  calls: number;
  events: number;
  seconds: number;
  rest: number;
  telephonyConnected: number;
  telephonyOther: number;
  connectedCalls: number;
  otherCalls: number;
}

function print(f: Figures): void {
  console.log(`  ${f.label}`);
  console.log(
    `    calls ${f.calls}, events ${f.events}, ${fmt(f.seconds, 1)} s → ${fmt(f.events / f.seconds, 0)} events/s end to end`,
  );
  console.log(`    REST requests: ${f.rest} → ${fmt(f.rest / f.calls, 4)} per logged call`);
  console.log(
    `    Telephony requests: ${fmt(f.telephonyConnected / Math.max(1, f.connectedCalls), 2)} per connected call, ` +
      `${fmt(f.telephonyOther / Math.max(1, f.otherCalls), 2)} per unanswered/invalid call`,
  );
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
    ingest(e, { inbox: connector.inbox, tokens: [TOKEN], metrics: connector.metrics });
  await drainUntilDone(connector, { deadlineMs: 60 * 60_000 });
  const seconds = (performance.now() - started) / 1000;
  const counters = local.counters();
  const dead = connector.inbox.counts().dead;
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

/**
 * The naive writer: for every event, search the number, write the Aircall Voice record alone, and
 * call the Telephony API when the call starts and on every later event that changes it.
 */
async function naive(envelopes: WebhookEnvelope[], calls: SimulatedCall[]): Promise<Figures> {
  const { local, org, closeOrg } = await benchOrg();
  const telephonyConfig = org.telephony!;
  const byCall = new Map(calls.map((c) => [String(c.id), c]));
  const telephony = { connected: 0, other: 0 };
  const client = new TelephonyClient(telephonyConfig, (_ms, _ok, _m, key) => {
    const call = byCall.get(key);
    if (call && connected(call)) telephony.connected++;
    else telephony.other++;
  });
  const created = new Set<string>();
  local.resetCounters();
  const started = performance.now();
  for (const envelope of envelopes) {
    const parsed = parseWebhook(envelope);
    if (!parsed.ok || parsed.event.kind !== 'call') continue;
    const data = parsed.event.data;
    const id = String(data.id);
    const e164 = normalizeNumber(data.raw_digits, data.number?.country);
    let leadId: string | undefined;
    if (e164) {
      const found = await org.client.search(
        `FIND {"${e164.slice(1)}"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id), Account(Id)`,
      );
      leadId = found[0]?.Id;
    }
    await org.client.upsert('Aircall_Voice__c', 'Aircall_Call_Id__c', [
      {
        Aircall_Call_Id__c: id,
        Direction__c: data.direction === 'inbound' ? 'Inbound' : 'Outbound',
        Customer_Number__c: e164,
        Started_At__c: new Date(data.started_at * 1000).toISOString(),
        ...(leadId?.startsWith('00Q') ? { Lead__c: leadId } : {}),
      },
    ]);
    const startTime = new Date(data.started_at * 1000).toISOString();
    try {
      if (!created.has(id) && data.direction === 'inbound') {
        created.add(id);
        await client.create({
          callCenterApiName: telephonyConfig.callCenterApiName,
          vendorCallKey: id,
          to: data.number?.digits ?? '',
          from: e164 ?? 'anonymous',
          initiationMethod: 'Inbound',
          startTime,
          participants: [{ participantKey: e164 ?? 'anonymous', type: 'END_USER' }],
        });
      } else {
        await client.update(id, {
          startTime,
          ...(data.ended_at ? { endTime: new Date(data.ended_at * 1000).toISOString() } : {}),
          callType: data.direction === 'inbound' ? 'Inbound' : 'Outbound',
          callCenterApiName: telephonyConfig.callCenterApiName,
          toNumber: e164 ?? '',
          fromNumber: data.number?.digits ?? '',
        });
      }
    } catch {
      // the naive writer ignores failures, as such integrations do
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const counters = local.counters();
  await closeOrg();
  return {
    label: 'naive one-request-per-record writer',
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
      "SELECT finished_at - received_at AS ms FROM events WHERE status IN ('done', 'skipped')",
    )
    .all() as { ms: number }[];
  db.close();
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const loggedCalls = new Set(sent.map((e) => callKey(e))).size;
  console.log(
    `  ${RATE} events/s over HTTP for ${SECONDS} s (${result.sent} webhooks, ${JSON.stringify(result.statuses)})`,
  );
  console.log(
    `    webhook → commit latency: p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${ms[ms.length - 1]} ms`,
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
    for (let due = inbox.nextDueAt(); due !== null && due <= t; due = inbox.nextDueAt()) {
      await worker.drainOnce(Math.max(due, 1));
    }
    const before = restUsed();
    ingest(e, { inbox, tokens: [TOKEN], metrics }, t);
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
  console.log(
    `\n1. Replay of ${calls.length} calls (${envelopes.length} webhook events) into the local org`,
  );
  const ours = await throughput(envelopes, calls);
  print(ours);
  console.log(`    peak RSS (connector + local org in one process): ${mb(peakRss)}`);

  const naiveCalls = calls.slice(0, NAIVE_CALLS);
  const ids = new Set(naiveCalls.map((c) => c.id));
  const naiveEnvelopes = envelopes.filter((e) => ids.has(Number(callKey(e))));
  console.log(
    `\n2. Naive writer on the first ${naiveCalls.length} calls (${naiveEnvelopes.length} events), same machine, same run`,
  );
  const theirs = await naive(naiveEnvelopes, naiveCalls);
  print(theirs);
  console.log(
    `\n   ratio naive / batched: ${fmt(theirs.rest / theirs.calls / (ours.rest / ours.calls), 0)}× REST requests per call, ` +
      `${fmt(ours.events / ours.seconds / (theirs.events / theirs.seconds), 1)}× events/s in favour of the batched connector`,
  );

  console.log(`\n3. Paced delivery`);
  await latency();
  console.log(`\n4. Sparse traffic (worst case for batching)`);
  await sparse(naiveEnvelopes, naiveCalls);
  console.log(`\n5. Platform event allocations: a simulated day of a 200-agent center`);
  eventAllocationsDay();
  console.log(`\npeak RSS over the whole run: ${mb(peakRss)}`);
  console.log(
    'Targets (issue 5): ≤ 0.05 REST requests per call, ≤ 2 Telephony requests per connected call (1 otherwise), p99 ≤ 500 ms at 200 events/s.',
  );
  clearInterval(sampler);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
