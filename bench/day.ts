/**
 * `npm run bench:day` — the API bill of a realistic business day (also section 6 of `npm run
 * bench`, on a shorter day). Figures printed, nothing asserted.
 *
 * A contact center of `--agents` agents takes `--calls` calls over `--hours` hours: Poisson arrivals,
 * Aircall's event spacing from the simulator (created → ringing → answered within seconds, hang-up
 * minutes later, `call.ended` 30 s after hang-up, recording 45 s after, tags and comments on a
 * share of answered calls over the next minutes, AI results 90–105 s after, agents' wrap-up
 * events). Callers are drawn from `--contacts` Contacts seeded into the local org (so most numbers
 * of the day are new to the connector) plus 30 % unknown numbers.
 *
 * The connector runs as in production — its worker loop, batch window, idle wait, link sweeps,
 * final-PATCH revisits and settings refresh — on a DayClock: time runs at real speed while it works
 * and jumps over idle stretches, and every request to the org adds a modelled round trip
 * (`--request-ms`). Each webhook is ingested at its Aircall timestamp.
 *
 * Printed: REST requests per call by cause (counted per HTTP request as the connector sends them,
 * checked against the local org's own counters), platform event publishes, Telephony API requests
 * per call, the share of an Enterprise org's daily API allocation (100,000 + 1,000 per licence) for
 * 50, 200 and 1,000 agents, and latency on the simulated clock: answer → record visible, hang-up →
 * record visible (unanswered calls), hang-up → final state (the record's call fields and the
 * VoiceCall's final PATCH), and each webhook → its effect committed. Then the naive writer (one
 * search + one write + one Telephony request per event) on the first `--naive-calls` calls.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startConnector } from '../src/connector/connector';
import { ingest } from '../src/connector/ingest';
import type { WorkerOptions } from '../src/connector/worker';
import { SAMPLE_SEED_FILE } from '../dev/local-org/paths';
import {
  DEFAULT_AGENTS,
  generateCalls,
  type SimAgent,
  type SimulatedCall,
  type WebhookEnvelope,
} from '../dev/simulator';
import {
  BUSINESS_HOURS_SOQL,
  HOLIDAYS_SOQL,
  MAPPINGS_SOQL,
  PRESENCE_STATUSES_SOQL,
  SETTINGS_SOQL,
  USERS_SOQL,
} from '../src/connector/context';
import { benchOrg, callKey, fmt, naive } from './common';
import { DayClock } from './day-clock';
import { CAUSES, printDay, type Cause, type DayFigures } from './day-print';

export { printDay, type DayFigures };

const TOKEN = 'bench-token';
const DAY_START = Date.UTC(2026, 0, 5, 8, 0, 0);

export interface DayOptions {
  agents: number;
  calls: number;
  hours: number;
  contacts: number;
  seed: number;
  /** Modelled round trip of each request to the org, in ms of simulated time. */
  requestMs: number;
  naiveCalls: number;
  worker?: WorkerOptions;
  /**
   * Link_To_Open_Case__c and Link_To_Open_Opportunity__c on, with an open Case on every 4th seeded
   * Contact and an open Opportunity (contact role) on every 5th, so the day reads them.
   */
  links?: boolean;
  /** Activity_Task__c = Completed Task: a call Task per logged call, in the same Composite. */
  activityTask?: boolean;
  /**
   * Every 10th seeded Contact's number remembered (Aircall_Number_Link__c, as Change link saves
   * it): the connector reads the links with its one search, so the bill should not move.
   */
  remembered?: boolean;
}

export const DEFAULT_DAY: DayOptions = {
  agents: 50,
  calls: 4000,
  hours: 9,
  contacts: 4000,
  seed: 15,
  requestMs: 150,
  naiveCalls: 400,
};

const CONTEXT_SOQL = new Set([
  SETTINGS_SOQL,
  MAPPINGS_SOQL,
  BUSINESS_HOURS_SOQL,
  HOLIDAYS_SOQL,
  USERS_SOQL,
  PRESENCE_STATUSES_SOQL,
]);

function agentsFor(n: number): SimAgent[] {
  const agents = DEFAULT_AGENTS.slice(0, n);
  for (let i = agents.length + 1; i <= n; i++) {
    agents.push({
      id: 900_200 + i,
      name: `Agent ${i}`,
      email: `agent${i}@aircall-demo.example`,
    });
  }
  return agents;
}

/**
 * The sample seed plus a User per agent and `contacts` Contacts, half French (stored nationally,
 * with MailingCountry France) and half American; returns the seed file and the contacts' numbers
 * as Aircall writes them.
 */
function daySeed(
  dir: string,
  agents: SimAgent[],
  contacts: number,
  links = false,
  remembered = false,
): { file: string; known: string[] } {
  const seed = JSON.parse(readFileSync(SAMPLE_SEED_FILE, 'utf8')) as Record<string, unknown[]>;
  const emails = new Set((seed.User as { Email: string }[]).map((u) => u.Email));
  for (const a of agents) {
    if (emails.has(a.email)) continue;
    const [first, last] = a.name.split(' ');
    seed.User!.push({
      Username: a.email,
      FirstName: first,
      LastName: last,
      Email: a.email,
      Alias: `ag${a.id % 100_000}`.slice(0, 8),
      TimeZoneSidKey: 'Europe/Paris',
      IsActive: true,
    });
  }
  const known: string[] = [];
  const areas = [212, 305, 312, 404, 512, 617, 713, 919];
  for (let i = 0; i < contacts; i++) {
    const n = (10_000_000 + ((i * 7_919_993) % 89_999_999)).toString();
    if (i % 2 === 0) {
      const d = n.match(/../g)!.join(' ');
      seed.Contact!.push({
        FirstName: 'Customer',
        LastName: `FR ${i}`,
        Phone: `06 ${d}`,
        MailingCountry: 'France',
      });
      known.push(`+33 6 ${d}`);
    } else {
      // A valid NANP number: the exchange starts with 2–9.
      const area = areas[i % areas.length]!;
      const exchange = String(200 + ((i * 37) % 700));
      const line = n.slice(-4);
      seed.Contact!.push({
        FirstName: 'Customer',
        LastName: `US ${i}`,
        Phone: `(${area}) ${exchange}-${line}`,
        MailingCountry: 'United States',
      });
      known.push(`+1 ${area}-${exchange}-${line}`);
    }
    if (remembered && i % 10 === 0) {
      const contact = seed.Contact!.at(-1) as Record<string, unknown>;
      contact.$ref = `customer${i}`;
      const e164 = `+${known.at(-1)!.replace(/\D/g, '')}`;
      (seed.Aircall_Number_Link__c ??= []).push({
        Name: e164,
        Phone_Key__c: e164,
        Phone__c: e164,
        Contact__c: `@customer${i}`,
      });
    }
    if (links) {
      const contact = seed.Contact!.at(-1) as Record<string, unknown>;
      contact.$ref = `customer${i}`;
      if (i % 4 === 0)
        (seed.Case ??= []).push({ Subject: `Open case ${i}`, ContactId: `@customer${i}` });
      if (i % 5 === 0) {
        (seed.Opportunity ??= []).push({
          $ref: `deal${i}`,
          Name: `Deal ${i}`,
          StageName: 'Prospecting',
          CloseDate: '2026-12-31',
        });
        (seed.OpportunityContactRole ??= []).push({
          OpportunityId: `@deal${i}`,
          ContactId: `@customer${i}`,
        });
      }
    }
  }
  if (links)
    for (const settings of (seed.Aircall_Settings__c ?? []) as Record<string, unknown>[]) {
      settings.Link_To_Open_Case__c = true;
      settings.Link_To_Open_Opportunity__c = true;
    }
  const file = path.join(dir, 'day-seed.json');
  writeFileSync(file, JSON.stringify(seed));
  return { file, known };
}

export async function businessDay(options: DayOptions): Promise<DayFigures> {
  const wallStarted = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-day-'));
  const agents = agentsFor(options.agents);
  const { file: seedFile, known } = daySeed(
    dir,
    agents,
    options.contacts,
    options.links,
    options.remembered,
  );
  const { envelopes, calls } = generateCalls({
    count: options.calls,
    seed: options.seed,
    token: TOKEN,
    agents,
    startAt: DAY_START / 1000,
    meanIntervalSeconds: (options.hours * 3600) / options.calls,
    numbers: { known },
    duplicateRate: 0.01,
  });
  const { local, org, closeOrg } = await benchOrg(seedFile);
  const clock = new DayClock(DAY_START - 60_000);
  if (options.activityTask) {
    const [settings] = await org.client.create([
      {
        attributes: { type: 'Aircall_Settings__c' },
        Name: 'Settings',
        Activity_Task__c: 'Completed Task',
      },
    ]);
    if (!settings?.success) throw new Error('Could not turn Activity Task on for the bench.');
  }

  // Every REST request, by the cause the connector sent it for.
  const byCause = Object.fromEntries(CAUSES.map((c) => [c, 0])) as Record<Cause, number>;
  let cause: Cause = 'other';
  let publishes = 0;
  let counting = false;
  const client = org.client;
  // A request's modelled round trip moves the clock, unless it overlapped one already modelled
  // (the settings reads go out together, so do a batch's Telephony requests).
  let lastModelled = 0;
  const roundTrip = (ms: number) => {
    if (performance.now() - ms < lastModelled) return;
    clock.advance(options.requestMs);
    lastModelled = performance.now();
  };
  org.client.onRequest((_category, ms) => {
    roundTrip(ms);
    if (counting) byCause[cause]++;
  });
  const query = client.query.bind(client);
  const search = client.search.bind(client);
  const writeCollections = client.writeCollections.bind(client);
  const update = client.update.bind(client);
  const queryMany = client.queryMany.bind(client);
  const queryAll = client.queryAll.bind(client);
  const writeAndRead = client.writeAndRead.bind(client);
  const countPublishes = (writes: Parameters<typeof writeCollections>[0]) => {
    for (const w of writes) {
      if (w.kind !== 'create') continue;
      publishes += w.records.filter((r) => String(r.attributes.type).endsWith('__e')).length;
    }
  };
  Object.assign(client, {
    query: (soql: string) => {
      cause = CONTEXT_SOQL.has(soql)
        ? 'settings/context reads'
        : soql.startsWith('SELECT Id, VendorCallKey FROM VoiceCall')
          ? 'sweeps'
          : 'other';
      return query(soql);
    },
    search: (sosl: string) => {
      cause = 'search';
      return search(sosl);
    },
    writeCollections: (writes: Parameters<typeof writeCollections>[0]) => {
      cause = 'record writes';
      countPublishes(writes);
      return writeCollections(writes);
    },
    // Writes with reads riding in their Composite (open records, people's links): still record
    // writes (one request).
    writeAndRead: (...args: Parameters<typeof writeAndRead>) => {
      cause = 'record writes';
      countPublishes(args[0]);
      return writeAndRead(...args);
    },
    queryMany: (soqls: string[], options?: Parameters<typeof queryMany>[1]) => {
      cause = soqls.some((q) => q.includes('IsClosed = false'))
        ? 'open Cases/Opportunities'
        : soqls.some((q) => q.includes('FROM VoiceCall'))
          ? 'sweeps'
          : 'settings/context reads';
      return queryMany(soqls, options);
    },
    // The numbers agents remembered, read by a sweep that has no VoiceCall query to ride in.
    queryAll: (soql: string) => {
      cause = 'remembered-number reads';
      return queryAll(soql);
    },
    update: (records: Parameters<typeof update>[0]) => {
      cause = 'sweeps';
      return update(records);
    },
  });

  // When each call's effects became visible in the org (simulated time).
  const received = new Map<string, { answered?: number; hungup?: number }>();
  const FINAL_FIELDS = [
    'Status__c',
    'Call_Type__c',
    'Missed_Reason__c',
    'Answered_At__c',
    'Ended_At__c',
    'Ring_Seconds__c',
    'Talk_Seconds__c',
    'Total_Seconds__c',
    'Agent__c',
  ];
  const visible = new Map<
    string,
    { answeredAt?: number; endedAt?: number; finalKey?: string; finalAt?: number; patchAt?: number }
  >();
  // Where an urgent event's time went: the phases of the batch that made its call visible.
  const phasesOf = new Map<string, { urgent: 'answer' | 'hangup'; ms: number[] }>();
  let logged: { callId: string; fields: Record<string, unknown> }[] = [];
  const seen = (callId: string) => {
    let v = visible.get(callId);
    if (!v) visible.set(callId, (v = {}));
    return v;
  };

  const inboxFile = path.join(dir, 'inbox.db');
  const connector = await startConnector({
    org,
    logger: pino({ level: process.env.DAY_DEBUG ? 'warn' : 'silent' }),
    inboxFile,
    tokens: [TOKEN],
    listen: false,
    clock,
    ...(options.worker ? { worker: options.worker } : {}),
    // Visible = the moment the org answered the Composite request that wrote the record (a query
    // would return it from then on); `onCallLogged` comes later, once the batch is settled, and the
    // batch's timings say when its Composite committed.
    onCallLogged: ({ callId, fields }) => logged.push({ callId, fields }),
    onBatchTimings: (t) => {
      const committed = t.committed ?? t.settled;
      for (const { callId, fields } of logged) {
        const v = seen(callId);
        const r = received.get(callId);
        let urgent: 'answer' | 'hangup' | null = null;
        if (fields.Answered_At__c && v.answeredAt === undefined) {
          v.answeredAt = committed;
          urgent = 'answer';
        }
        if (fields.Ended_At__c && v.endedAt === undefined) {
          v.endedAt = committed;
          if (!fields.Answered_At__c) urgent = 'hangup';
        }
        const key = JSON.stringify(FINAL_FIELDS.map((f) => fields[f] ?? null));
        if (key !== v.finalKey) {
          v.finalKey = key;
          v.finalAt = committed;
        }
        const at = urgent === 'answer' ? r?.answered : r?.hungup;
        if (urgent === null || at === undefined) continue;
        phasesOf.set(callId, {
          urgent,
          ms: [
            t.started - at,
            t.loaded - t.started,
            t.planned - t.loaded,
            t.posted - t.planned,
            committed - t.posted,
            t.settled - committed,
          ],
        });
      }
      logged = [];
    },
    onTelephonyRequest: (method, key, ok, ms) => {
      roundTrip(ms);
      if (method === 'PATCH' && ok) seen(key).patchAt ??= clock.now();
    },
  });
  local.resetCounters();
  counting = true;

  const ordered = envelopes
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i)
    .map(({ e }) => e);
  const deps = { inbox: connector.inbox, tokens: [TOKEN], metrics: connector.metrics };
  for (const e of ordered) {
    const at = e.timestamp * 1000;
    await clock.runUntil(at);
    const now = at; // a webhook that came while the connector was busy was still taken at once
    await ingest(e, deps, now);
    if (e.resource === 'call') {
      const r = received.get(callKey(e)) ?? {};
      if (e.event === 'call.answered') r.answered ??= now;
      if (e.event === 'call.hungup') r.hungup ??= now;
      received.set(callKey(e), r);
    }
    connector.worker.wake();
  }
  const last = ordered.at(-1)!.timestamp * 1000;
  await clock.runUntil(last + 10 * 60_000);
  counting = false;
  const counters = local.counters();
  const restCounted = CAUSES.reduce((s, c) => s + byCause[c], 0);
  const restOrg = counters.total - counters.telephony;
  if (restCounted !== restOrg)
    console.log(`    (the org counted ${restOrg} REST requests, the bench ${restCounted})`);
  const pending = await connector.inbox.counts();
  if (pending.pending > 0 || pending.dead > 0)
    console.log(`    (${pending.pending} events still pending, ${pending.dead} dead-lettered)`);

  const answerToVisible: number[] = [];
  const hangupToVisible: number[] = [];
  const hangupToFinal: number[] = [];
  let neverVisible = 0;
  let neverFinal = 0;
  const phases: DayFigures['phases'] = [];
  for (const call of calls) {
    const id = String(call.id);
    const r = received.get(id) ?? {};
    const v = visible.get(id) ?? {};
    if (call.scenario === 'invalid_number') {
      // Only a VoiceCall (no Aircall Voice): final = its PATCH.
      if (r.hungup !== undefined && v.patchAt !== undefined)
        hangupToFinal.push(v.patchAt - r.hungup);
      else neverFinal++;
      continue;
    }
    if (call.answeredAt !== null) {
      if (r.answered !== undefined && v.answeredAt !== undefined) {
        answerToVisible.push(v.answeredAt - r.answered);
        const p = phasesOf.get(id);
        if (p?.urgent === 'answer') phases.push({ ...p, total: v.answeredAt - r.answered });
      } else {
        neverVisible++;
        if (process.env.DAY_DEBUG)
          console.log('never visible', call.scenario, call.events.join(' '), r, v);
      }
    } else if (r.hungup !== undefined && v.endedAt !== undefined) {
      hangupToVisible.push(v.endedAt - r.hungup);
      const p = phasesOf.get(id);
      if (p?.urgent === 'hangup') phases.push({ ...p, total: v.endedAt - r.hungup });
    } else {
      neverVisible++;
      if (process.env.DAY_DEBUG)
        console.log('never visible', call.scenario, call.events.join(' '), r, v);
    }
    if (r.hungup !== undefined && v.finalAt !== undefined && v.patchAt !== undefined)
      hangupToFinal.push(Math.max(v.finalAt, v.patchAt) - r.hungup);
    else neverFinal++;
  }
  await connector.close();
  const tasks = (
    await org.client.query<{ Id: string }>("SELECT Id FROM Task WHERE TaskSubtype = 'Call'")
  ).length;
  const db = new DatabaseSync(inboxFile);
  const rows = db
    .prepare(
      "SELECT finished_at - received_at AS ms FROM events WHERE status IN ('done', 'skipped')",
    )
    .all() as { ms: number }[];
  db.close();
  await closeOrg();
  rmSync(dir, { recursive: true, force: true });

  const naiveCalls: SimulatedCall[] = calls.slice(0, options.naiveCalls);
  const ids = new Set(naiveCalls.map((c) => String(c.id)));
  const naiveEnvelopes: WebhookEnvelope[] = ordered.filter((e) => ids.has(callKey(e)));
  const theirs = await naive(naiveEnvelopes, naiveCalls);

  const sort = (xs: number[]) => xs.sort((a, b) => a - b);
  return {
    tasks,
    calls: calls.length,
    webhooks: envelopes.length,
    rest: restOrg,
    byCause,
    publishes,
    telephony: counters.telephony,
    answerToVisible: sort(answerToVisible),
    hangupToVisible: sort(hangupToVisible),
    hangupToFinal: sort(hangupToFinal),
    webhookToEffect: sort(rows.map((r) => r.ms)),
    neverVisible,
    neverFinal,
    phases,
    naiveRestPerCall: theirs.rest / theirs.calls,
    naiveTelephonyPerCall:
      (theirs.telephonyConnected + theirs.telephonyOther) / Math.max(1, theirs.calls),
    wallSeconds: (performance.now() - wallStarted) / 1000,
  };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string' },
      calls: { type: 'string' },
      hours: { type: 'string' },
      contacts: { type: 'string' },
      seed: { type: 'string' },
      'request-ms': { type: 'string' },
      'naive-calls': { type: 'string' },
      /** `on`: both open-record links on; `both`: the same day with them off, then on. */
      links: { type: 'string' },
      /** Activity Task (call Tasks): `off`, `on`, or `both` (the default: off, then on). */
      tasks: { type: 'string' },
      /** Remembered numbers (every 10th Contact's): `off` (default), `on`, or `both`. */
      remembered: { type: 'string' },
    },
  });
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const options: DayOptions = {
    agents: num(values.agents, DEFAULT_DAY.agents),
    calls: num(values.calls, DEFAULT_DAY.calls),
    hours: num(values.hours, DEFAULT_DAY.hours),
    contacts: num(values.contacts, DEFAULT_DAY.contacts),
    seed: num(values.seed, DEFAULT_DAY.seed),
    requestMs: num(values['request-ms'], DEFAULT_DAY.requestMs),
    naiveCalls: num(values['naive-calls'], DEFAULT_DAY.naiveCalls),
  };
  console.log('A simulated business day (npm run bench:day)');
  const runs =
    values.links === 'both' ? [false, true] : [values.links === 'on' || values.links === 'true'];
  // Call Tasks: by default the same day twice, Activity Task off then on (`--tasks off|on|both`).
  const taskRuns =
    values.tasks === 'on' ? [true] : values.tasks === 'off' ? [false] : [false, true];
  (async () => {
    if (values.remembered === 'on' || values.remembered === 'both') {
      // The same day without and with remembered numbers (Change link), Activity Task off.
      const perCall: number[] = [];
      for (const remembered of values.remembered === 'both' ? [false, true] : [true]) {
        console.log(`  remembered numbers ${remembered ? 'ON (every 10th Contact)' : 'OFF'}:`);
        const run = { ...options, remembered };
        const f = await businessDay(run);
        printDay(run, f);
        perCall.push((f.rest + f.publishes) / f.calls);
      }
      if (perCall.length > 1)
        console.log(
          `  remembered numbers: REST requests per call ${fmt(perCall[0]!, 2)} without → ${fmt(perCall[1]!, 2)} with (read with the batch's one search and the link sweep)`,
        );
      return;
    }
    for (const links of runs) {
      if (runs.length > 1 || links)
        console.log(
          `  links to open Cases and Opportunities ${links ? 'ON (every 4th Contact has an open Case, every 5th an open Opportunity)' : 'OFF'}:`,
        );
      const perCall: number[] = [];
      let tasks = 0;
      for (const activityTask of taskRuns) {
        if (taskRuns.length > 1)
          console.log(`  Activity Task ${activityTask ? 'on (Completed Task)' : 'off'}:`);
        const run = { ...options, links, activityTask };
        const f = await businessDay(run);
        printDay(run, f);
        perCall.push((f.rest + f.publishes) / f.calls);
        if (activityTask) tasks = f.tasks;
      }
      if (taskRuns.length > 1)
        console.log(
          `  call Tasks: ${tasks}; REST requests per call ${fmt(perCall[0]!, 2)} with Tasks off → ${fmt(perCall[1]!, 2)} on (target ≤ 2.6 with Tasks)`,
        );
    }
  })().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
