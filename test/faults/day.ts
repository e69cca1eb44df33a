/**
 * The fault day: a simulated day of Aircall calls (20 % of deliveries duplicated, the order
 * shuffled) POSTed over HTTP to a real connector process (`aircall-sfv start`) that is SIGKILLed at
 * random moments and restarted on the same inbox file, while the local org (in this process)
 * answers with injected 503s, row locks, request-limit errors, partial collection failures and one
 * full outage. The sender behaves like Aircall: anything but a 2xx, or no answer, is sent again
 * until it is acknowledged. Then the org is compared with the simulator's ground truth.
 *
 * Kills are triggered by progress (the n-th acknowledged webhook, the n-th applied event), never by
 * elapsed time, so the run means the same on a busy machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeadLetter } from '../../src/inbox/inbox';
import { SqliteInbox } from '../../src/inbox/sqlite';
import { prng, type FaultConfig } from '../../dev/local-org/faults';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { generateCalls, type WebhookEnvelope } from '../../dev/simulator';
import { BIN, launch, waitFor, type Started } from '../helpers/processes';
import { compareWithGroundTruth, isExact, type Comparison } from './ground-truth';

export const FAULT_TOKEN = 'fault-day-token';

/** The org faults of a hostile day: 10 % 503s, 5 % row locks, 1 % partial failures, 2 % request limits. */
export const HOSTILE_ORG_FAULTS: FaultConfig = {
  serviceUnavailableRate: 0.1,
  lockRowRate: 0.05,
  partialFailureRate: 0.01,
  requestLimitRate: 0.02,
};

export interface FaultDayOptions {
  calls: number;
  seed: number;
  /** SIGKILLs of the connector: half while webhooks arrive, half while the backlog is applied. */
  kills: number;
  duplicateRate: number;
  faults: FaultConfig;
  /** Length of the one full outage of the org, set when a third of the webhooks are acknowledged. */
  outageMs: number;
  /** Webhooks in flight at once. */
  concurrency: number;
  /** Safety net for the whole run (a hung process), not a timing assertion. */
  giveUpMs: number;
  log: (line: string) => void;
}

export interface DeadLetterReason {
  reason: string;
  events: number;
  calls: number;
}

export interface FaultDayReport {
  options: Omit<FaultDayOptions, 'log'>;
  deliveries: number;
  uniqueEvents: number;
  /** Webhooks answered 200 (first time or duplicate). */
  acknowledged: number;
  /** Attempts that got no answer or a non-2xx (sent again). */
  resent: number;
  /** 4xx answers: a simulator envelope must never be refused. */
  refused: { status: number; body: string }[];
  kills: number;
  /** Requests the org answered with an injected fault, and all requests. */
  orgRequests: number;
  seconds: number;
  comparison: Comparison;
  deadLetters: DeadLetterReason[];
  /** Dead letters are all caused by faults here: the simulated traffic is valid. */
  ok: boolean;
}

interface Connector {
  proc: Started;
  url: string;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** `count` distinct sorted positions in [from, to). */
function positions(count: number, from: number, to: number, random: () => number): number[] {
  const set = new Set<number>();
  while (set.size < Math.min(count, to - from)) set.add(from + Math.floor(random() * (to - from)));
  return [...set].sort((a, b) => a - b);
}

async function health(url: string): Promise<{
  pending: number;
  done: number;
  skipped: number;
  dead: number;
  pendingLinks?: number;
} | null> {
  try {
    const response = await fetch(`${url}/healthz`);
    const body = (await response.json()) as {
      inbox: { pending: number; done: number; skipped: number; dead: number };
      pendingLinks?: number;
    };
    return { ...body.inbox, pendingLinks: body.pendingLinks };
  } catch {
    return null;
  }
}

export async function runFaultDay(options: FaultDayOptions): Promise<FaultDayReport> {
  const { log } = options;
  const started = performance.now();
  const random = prng(options.seed * 7919 + 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-faults-'));
  const inboxFile = path.join(dir, 'inbox.db');
  const { envelopes, calls } = generateCalls({
    count: options.calls,
    seed: options.seed,
    token: FAULT_TOKEN,
    duplicateRate: options.duplicateRate,
  });
  const deliveries = shuffle([...envelopes], random);
  const uniqueEvents = new Set(envelopes.map((e) => JSON.stringify(e))).size;
  log(
    `${calls.length} calls, ${deliveries.length} deliveries (${uniqueEvents} distinct events, ` +
      `${Math.round(options.duplicateRate * 100)} % duplicated, shuffled)`,
  );

  const org: LocalOrg = await startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    seedFile: SAMPLE_SEED_FILE,
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SF_INSTANCE_URL: org.instanceUrl,
    SF_ACCESS_TOKEN: org.accessToken,
    AIRCALL_WEBHOOK_TOKENS: FAULT_TOKEN,
    LOG_LEVEL: 'warn',
  };
  delete env.AIRCALL_API_ID;
  delete env.AIRCALL_API_TOKEN;

  let current: Connector | null = null;
  let ready: Promise<Connector>;
  const startConnector = async (): Promise<Connector> => {
    const proc = launch(
      process.execPath,
      [BIN, 'start', '--port', '0', '--no-demo', '--no-console', '--inbox', inboxFile],
      env,
      { keepLines: 200 },
    );
    const port = await proc.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//);
    current = { proc, url: `http://127.0.0.1:${port}` };
    return current;
  };
  let kills = 0;
  const kill = async (why: string): Promise<void> => {
    const victim = await ready;
    let restarted!: (c: Connector) => void;
    ready = new Promise((resolve) => (restarted = resolve));
    victim.proc.child.kill('SIGKILL');
    await victim.proc.exited;
    kills++;
    log(`  SIGKILL ${kills} (${why})`);
    restarted(await startConnector());
  };

  const report: Omit<FaultDayReport, 'comparison' | 'deadLetters' | 'ok' | 'seconds'> = {
    options: { ...options, log: undefined } as Omit<FaultDayOptions, 'log'>,
    deliveries: deliveries.length,
    uniqueEvents,
    acknowledged: 0,
    resent: 0,
    refused: [],
    kills: 0,
    orgRequests: 0,
  };
  const killsWhileSending = Math.ceil(options.kills / 2);
  const killsWhileApplying = options.kills - killsWhileSending;
  const sendKills = positions(killsWhileSending, 1, deliveries.length, random);
  const outageAt = Math.floor(deliveries.length / 3);
  const giveUpAt = Date.now() + options.giveUpMs;

  try {
    ready = startConnector();
    await ready;
    org.setFaults({ ...options.faults, seed: options.seed });

    // Deliver: `concurrency` senders take the next envelope; each is sent until it gets a 2xx.
    let next = 0;
    let killing: Promise<void> = Promise.resolve();
    const deliver = async (envelope: WebhookEnvelope): Promise<void> => {
      const body = JSON.stringify(envelope);
      for (;;) {
        if (Date.now() > giveUpAt) throw new Error('gave up: a webhook was never acknowledged');
        const { url } = await ready;
        try {
          const response = await fetch(`${url}/webhooks/aircall`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          const text = await response.text();
          if (response.status === 200) return;
          if (response.status >= 400 && response.status < 500) {
            report.refused.push({ status: response.status, body: text });
            return;
          }
        } catch {
          // killed under us: Aircall would retry, and so do we once it is back
        }
        report.resent++;
        await killing;
      }
    };
    const sender = async (): Promise<void> => {
      while (next < deliveries.length) {
        const envelope = deliveries[next++]!;
        await deliver(envelope);
        report.acknowledged++;
        if (report.acknowledged === outageAt) {
          log(`  org outage of ${options.outageMs} ms`);
          org.setFaults({ ...options.faults, seed: options.seed + 1, outageMs: options.outageMs });
        }
        if (sendKills.length > 0 && report.acknowledged >= sendKills[0]!) {
          sendKills.shift();
          killing = killing.then(() =>
            kill(`after ${report.acknowledged} of ${deliveries.length} webhooks acknowledged`),
          );
          await killing;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, () => sender()));
    log(`  every webhook acknowledged (${report.resent} sent again)`);

    // Apply the backlog, killing the connector at random points of the progress.
    // The kill points are spread over what is left to apply when the last webhook is in; each
    // waits until the restarted connector has applied something, so it lands while it works.
    const applyKills = positions(killsWhileApplying, 5, 95, random).map((p) => p / 100);
    let atRestart: number | null = null;
    let backlogFrom: number | null = null;
    for (;;) {
      const c = await ready;
      const h = await health(c.url);
      if (h) {
        const finished = h.done + h.skipped + h.dead;
        backlogFrom ??= finished;
        atRestart ??= finished;
        const threshold =
          applyKills.length > 0
            ? backlogFrom + applyKills[0]! * Math.max(0, uniqueEvents - backlogFrom)
            : Infinity;
        if (finished >= threshold && (finished > atRestart || h.pending === 0)) {
          applyKills.shift();
          await kill(`after ${finished} of ${uniqueEvents} events applied`);
          atRestart = null;
          continue;
        }
        if (h.pending === 0 && (h.pendingLinks ?? 0) === 0 && applyKills.length === 0) break;
      }
      if (Date.now() > giveUpAt) throw new Error(`gave up: inbox still ${JSON.stringify(h)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Links are resolved by a sweeper a few seconds after the VoiceCall PATCH: wait for every
    // Aircall Voice to point at its VoiceCall, as long as the inbox says links are pending.
    await waitFor(
      'the VoiceCall links',
      async () => ((await health((await ready).url))?.pendingLinks ?? 0) === 0,
      Math.max(0, giveUpAt - Date.now()),
    );
  } catch (error) {
    await org.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    const last = current as Connector | null;
    if (last && last.proc.child.exitCode === null) {
      last.proc.child.kill('SIGTERM');
      await last.proc.exited;
    }
  }
  org.setFaults({});
  report.kills = kills;
  report.orgRequests = org.counters().total;

  const comparison = await compareWithGroundTruth(
    { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion },
    calls,
  );
  const inbox = new SqliteInbox(inboxFile);
  let dead: DeadLetter[];
  try {
    dead = await inbox.deadLetters();
  } finally {
    await inbox.close();
  }
  await org.close();
  rmSync(dir, { recursive: true, force: true });
  const byReason = new Map<string, { events: number; calls: Set<string> }>();
  for (const d of dead) {
    // Grouped by error with the numbers (call keys, phone numbers) taken out.
    const reason = `${d.errorCode ?? 'ERROR'}: ${d.reason.replace(/\+?\d{4,}/g, 'N')}`;
    const entry = byReason.get(reason) ?? { events: 0, calls: new Set<string>() };
    entry.events++;
    if (d.callId) entry.calls.add(d.callId);
    byReason.set(reason, entry);
  }
  const deadLetters = [...byReason].map(([reason, e]) => ({
    reason,
    events: e.events,
    calls: e.calls.size,
  }));
  return {
    ...report,
    seconds: (performance.now() - started) / 1000,
    comparison,
    deadLetters,
    ok:
      isExact(comparison) &&
      deadLetters.length === 0 &&
      report.refused.length === 0 &&
      kills >= options.kills,
  };
}

export function printFaultDay(r: FaultDayReport, out: (line: string) => void): void {
  const c = r.comparison;
  const sample = (ids: string[]) =>
    ids.length ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})` : '';
  out(`Fault day: ${r.options.calls} calls, seed ${r.options.seed}, ${r.seconds.toFixed(0)} s`);
  out(
    `  deliveries ${r.deliveries} (${r.uniqueEvents} distinct), acknowledged ${r.acknowledged}, sent again ${r.resent}, refused ${r.refused.length}`,
  );
  out(
    `  connector SIGKILLs ${r.kills}; org requests ${r.orgRequests} with faults ${JSON.stringify(r.options.faults)} and a ${r.options.outageMs} ms outage`,
  );
  out(`  calls expected           ${c.calls} (${c.voicesExpected} with an Aircall Voice)`);
  out(
    `  logged                   Aircall Voice ${c.voicesLogged}, VoiceCall ${c.voiceCallsLogged}`,
  );
  out(
    `  lost                     Aircall Voice ${c.lostVoices.length}${sample(c.lostVoices)}, VoiceCall ${c.lostVoiceCalls.length}${sample(c.lostVoiceCalls)}`,
  );
  out(
    `  duplicated               Aircall Voice ${c.duplicatedVoices.length}${sample(c.duplicatedVoices)}, VoiceCall ${c.duplicatedVoiceCalls.length}${sample(c.duplicatedVoiceCalls)}, Leads ${c.duplicatedLeads.length}${sample(c.duplicatedLeads)}`,
  );
  out(`  records for no call      ${c.unexpected.length}${sample(c.unexpected)}`);
  const byField = new Map<string, number>();
  for (const w of c.wrong) byField.set(w.field, (byField.get(w.field) ?? 0) + 1);
  out(
    `  wrong fields             ${c.wrong.length}${byField.size ? ` (${[...byField].map(([f, n]) => `${f} ${n}`).join(', ')})` : ''}`,
  );
  const shown = new Set<string>();
  for (const w of c.wrong.filter((x) => !shown.has(x.field) && shown.add(x.field)))
    out(
      `    call ${w.callId} ${w.field}: expected ${JSON.stringify(w.expected)}, got ${JSON.stringify(w.actual)}`,
    );
  out(`  dead letters             ${r.deadLetters.reduce((s, d) => s + d.events, 0)} events`);
  for (const d of r.deadLetters) out(`    ${d.events} events of ${d.calls} calls: ${d.reason}`);
  for (const x of r.refused.slice(0, 3)) out(`  refused ${x.status}: ${x.body}`);
  out(r.ok ? 'PASS: nothing lost, nothing duplicated, nothing wrong, no dead letter' : 'FAIL');
}
