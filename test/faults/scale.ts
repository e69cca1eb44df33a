/**
 * Several connector processes on one PostgreSQL inbox, as they run in production: the
 * local org in its own process (`aircall-sfv local-org`), N connector processes
 * (`aircall-sfv start --inbox postgres://…`, each on its own port) and, in this process, a
 * round-robin sender playing the load balancer and Aircall: every delivery goes to the next
 * instance, a redelivery (a duplicate of the stream, or a retry after no answer / a non-2xx) goes
 * to a different instance than the previous attempt, and an instance that refuses connections is
 * taken out of the rotation (the balancer's health check).
 *
 * One run: a simulated stream (duplicates included) is POSTed, the inbox is watched until every
 * event is applied and every VoiceCall link resolved, then the org is compared with the simulator's
 * ground truth (test/faults/ground-truth.ts). With `kill`, one connector is SIGKILLed once half the
 * webhooks are acknowledged and it holds claims on calls (a batch in flight); it is not restarted,
 * so the other processes must take its calls over when its leases expire.
 *
 * End to end is from the first POST to the last event applied (the newest `finished_at` in the
 * inbox). REST requests come from the local org's own counters (reset just before the first POST,
 * so the connectors' start-up reads are not counted; their settings refreshes during the run are).
 * Every wait is for a condition; `giveUpMs` is only a safety net for a hung process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { prng } from '../../dev/local-org/faults';
import { generateCalls, type WebhookEnvelope } from '../../dev/simulator';
import { sleep } from '../../src/util/sleep';
import { BIN, launch, type Started } from '../helpers/processes';
import { compareWithGroundTruth, isExact, type Comparison, type OrgAccess } from './ground-truth';

export const SCALE_TOKEN = 'scale-token';

export interface ScaleOptions {
  /** A PostgreSQL URL for this run alone (a fresh database or schema: the tables are created). */
  inboxUrl: string;
  processes: number;
  calls: number;
  seed: number;
  duplicateRate: number;
  /** Webhooks in flight at once. */
  concurrency: number;
  /** SIGKILL one connector mid-run (not restarted). */
  kill?: boolean;
  /** The claim lease of every connector (`--inbox-lease-ms`; default 30 s, the production default). */
  leaseMs?: number;
  /** Safety net for the whole run (a hung process), not a timing assertion. */
  giveUpMs: number;
  /**
   * Sample the database's busy sessions (pg_stat_activity) every this many ms during the run, to
   * show what the processes wait for (the bench); 0 or absent: no sampling.
   */
  sampleEveryMs?: number;
  log: (line: string) => void;
}

export interface ScaleReport {
  processes: number;
  calls: number;
  deliveries: number;
  uniqueEvents: number;
  acknowledged: number;
  /** Attempts that got no answer or a non-2xx, sent again to another instance. */
  resent: number;
  refused: { status: number; body: string }[];
  /** First POST → last event applied. */
  seconds: number;
  /** First POST → last webhook acknowledged (how long the stream took to arrive). */
  sendSeconds: number;
  /** First POST → every VoiceCall link resolved as well (the sweep runs a few seconds later). */
  secondsWithLinks: number;
  /** REST requests (everything but the Telephony API) and Telephony API requests during the run. */
  rest: number;
  telephony: number;
  /** Events applied by each process (from the applied events' claims is not kept: by webhooks). */
  webhooksPerProcess: number[];
  /** What each process's worker did, from its /metrics at the end (null for a killed one). */
  workers: (WorkerFigures | null)[];
  /** Busy database sessions seen by the sampler, most frequent first (empty without sampling). */
  database: { what: string; samples: number }[];
  /** How many times the sampler looked. */
  databaseSamples: number;
  /** The most connections one connector process held at once, as the sampler saw (by process). */
  connections: number[];
  killed: null | {
    pid: number;
    afterAcknowledged: number;
    /** Calls (or call-less events) it held claims on when it was killed. */
    claimsHeld: number;
    /** Seconds from the SIGKILL until none of its claims was left unexpired or untaken. */
    takeoverSeconds: number | null;
  };
  comparison: Comparison;
  deadLetters: { reason: string; events: number }[];
  ok: boolean;
}

export interface WorkerFigures {
  batches: number;
  events: number;
  /** Seconds by phase (`aircall_worker_seconds_total`). */
  seconds: Record<string, number>;
  /** Salesforce requests by category (`aircall_salesforce_requests_total`). */
  requests: Record<string, number>;
}

/** The figures of one connector's Prometheus text that the report shows. */
export function workerFigures(text: string): WorkerFigures {
  const figures: WorkerFigures = { batches: 0, events: 0, seconds: {}, requests: {} };
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{([^}]*)\})? ([\d.e+-]+)$/.exec(line);
    if (!m) continue;
    const [, name, labels = '', raw] = m;
    const value = Number(raw);
    const label = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(labels)?.[1] ?? '';
    if (name === 'aircall_batch_events_count') figures.batches = value;
    else if (name === 'aircall_batch_events_sum') figures.events = value;
    else if (name === 'aircall_worker_seconds_total') figures.seconds[label('phase')] = value;
    else if (name === 'aircall_salesforce_requests_total') {
      const category = label('category');
      figures.requests[category] = (figures.requests[category] ?? 0) + value;
    }
  }
  return figures;
}

interface Instance {
  index: number;
  proc: Started;
  url: string;
  pid: number;
  down: boolean;
  webhooks: number;
}

/** Runs `fn` until it returns a value; polls every `everyMs`. */
async function until<T>(
  what: string,
  deadline: number,
  fn: () => Promise<T | undefined>,
  everyMs = 50,
): Promise<T> {
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The local org alone in its own process (its state file goes to a temporary folder). */
async function startOrgProcess(dir: string): Promise<{ proc: Started; org: OrgAccess }> {
  const proc = launch(process.execPath, [BIN, 'local-org', '--port', '0', '--json'], process.env, {
    cwd: dir,
    keepLines: 50,
  });
  const line = await proc.line(/^(\{.*"instanceUrl".*\})$/);
  const { instanceUrl, accessToken } = JSON.parse(line) as {
    instanceUrl: string;
    accessToken: string;
  };
  return { proc, org: { instanceUrl, accessToken, apiVersion: '66.0' } };
}

interface Counters {
  total: number;
  telephony: number;
}

async function orgCounters(org: OrgAccess, reset = false): Promise<Counters> {
  const response = await fetch(`${org.instanceUrl}/local/counters${reset ? '/reset' : ''}`, {
    method: reset ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${org.accessToken}` },
  });
  if (!response.ok) throw new Error(`local org counters: ${response.status}`);
  return (await response.json()) as Counters;
}

/** Replaces the local org's injected faults (latency, 503s, limits): POST /local/faults. */
async function orgFaults(org: OrgAccess, config: { latencyMs?: number }): Promise<void> {
  const response = await fetch(`${org.instanceUrl}/local/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (!response.ok) throw new Error(`local org faults: ${response.status}`);
}

async function stop(proc: Started): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  await proc.exited;
}

export async function runScale(options: ScaleOptions): Promise<ScaleReport> {
  const { log } = options;
  const deadline = Date.now() + options.giveUpMs;
  const random = prng(options.seed * 31 + options.processes);
  const { envelopes, calls } = generateCalls({
    count: options.calls,
    seed: options.seed,
    token: SCALE_TOKEN,
    duplicateRate: options.duplicateRate,
  });
  const uniqueEvents = new Set(envelopes.map((e) => JSON.stringify(e))).size;
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-scale-'));
  const db = new pg.Pool({ connectionString: options.inboxUrl, max: 2 });
  db.on('error', () => undefined);
  const { proc: orgProc, org } = await startOrgProcess(dir);
  const instances: Instance[] = [];
  const sampling = { on: false };
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SF_INSTANCE_URL: org.instanceUrl,
      SF_ACCESS_TOKEN: org.accessToken,
      AIRCALL_WEBHOOK_TOKENS: SCALE_TOKEN,
      AIRCALL_INBOX_LEASE_MS: String(options.leaseMs ?? 30_000),
      LOG_LEVEL: 'warn',
    };
    delete env.AIRCALL_API_ID;
    delete env.AIRCALL_API_TOKEN;
    delete env.DATABASE_URL;
    // Started one after the other: the first creates the tables (the others would wait on its lock).
    for (let index = 0; index < options.processes; index++) {
      const proc = launch(
        process.execPath,
        [BIN, 'start', '--port', '0', '--no-demo', '--no-console', '--inbox', options.inboxUrl],
        env,
        { keepLines: 100 },
      );
      const port = await proc.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//);
      instances.push({
        index,
        proc,
        url: `http://127.0.0.1:${port}`,
        pid: proc.child.pid ?? 0,
        down: false,
        webhooks: 0,
      });
    }
    log(
      `  ${options.processes} connector process(es) on ${instances.map((i) => i.url.split(':')[2]).join(', ')}; ` +
        `${calls.length} calls, ${envelopes.length} deliveries (${uniqueEvents} distinct events)`,
    );
    await orgCounters(org, true);

    const report = {
      acknowledged: 0,
      resent: 0,
      refused: [] as { status: number; body: string }[],
    };
    // The load balancer: round robin over the instances that answer; a redelivery goes elsewhere.
    let turn = Math.floor(random() * instances.length);
    const lastInstance = new Map<string, number>();
    const pick = (avoid: number | undefined): Instance => {
      const alive = instances.filter((i) => !i.down);
      if (alive.length === 0) throw new Error('no connector instance left');
      for (let k = 0; k < instances.length; k++) {
        const candidate = instances[turn++ % instances.length]!;
        if (candidate.down) continue;
        if (candidate.index === avoid && alive.length > 1) continue;
        return candidate;
      }
      return alive[0]!;
    };
    const deliver = async (envelope: WebhookEnvelope): Promise<void> => {
      const body = JSON.stringify(envelope);
      for (;;) {
        if (Date.now() > deadline) throw new Error('gave up: a webhook was never acknowledged');
        const target = pick(lastInstance.get(body));
        lastInstance.set(body, target.index);
        try {
          const response = await fetch(`${target.url}/webhooks/aircall`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          const text = await response.text();
          if (response.status === 200) {
            target.webhooks++;
            return;
          }
          if (response.status >= 400 && response.status < 500) {
            report.refused.push({ status: response.status, body: text });
            return;
          }
        } catch {
          // No answer: the balancer takes a dead instance out of the rotation.
          if (target.proc.child.exitCode !== null || target.proc.child.signalCode !== null)
            target.down = true;
        }
        report.resent++;
      }
    };

    const kill: { report: ScaleReport['killed'] } = { report: null };
    let killing: Promise<void> = Promise.resolve();
    const killAt = options.kill ? Math.floor(envelopes.length / 2) : Infinity;
    let sendingDone = false;
    const killer = async (): Promise<void> => {
      // Once half the webhooks are in: the victim is the process that holds claims (a batch in
      // flight; the processes take turns draining the whole inbox, so which one it is cannot be
      // known in advance). The org answers slowly meanwhile, so a batch holds its claims long
      // enough to be seen whatever the machine's speed; the wait goes on after the last webhook
      // while events are still pending. Claim owners are `host:pid:random` (src/inbox/postgres.ts).
      await orgFaults(org, { latencyMs: 400 });
      let victim: Instance | undefined;
      let held = 0;
      for (;;) {
        if (Date.now() > deadline) throw new Error('gave up: no process ever held a claim');
        const { rows } = await db.query<{ owner: string; n: string }>(
          'SELECT owner, COUNT(*) AS n FROM claims WHERE expires_at > clock_timestamp() GROUP BY owner',
        );
        for (const row of rows) {
          const pid = Number(/:(\d+):[^:]*$/.exec(row.owner)?.[1]);
          const holder = instances.find((i) => i.pid === pid && !i.down);
          if (holder && Number(row.n) > 0) {
            victim = holder;
            held = Number(row.n);
          }
        }
        if (victim) break;
        if (sendingDone) {
          const pending = await db.query<{ n: string }>(
            "SELECT COUNT(*) AS n FROM events WHERE status = 'pending'",
          );
          if (Number(pending.rows[0]?.n ?? 0) === 0) break;
        }
        await sleep(5);
      }
      // No claim seen before the work ran out: the last process is killed holding none (the
      // report says so, and the test fails on it).
      victim ??= instances[instances.length - 1]!;
      const owner = `%:${victim.pid}:%`;
      victim.proc.child.kill('SIGKILL');
      await victim.proc.exited;
      victim.down = true;
      await orgFaults(org, {});
      const killedAt = performance.now();
      kill.report = {
        pid: victim.pid,
        afterAcknowledged: report.acknowledged,
        claimsHeld: held,
        takeoverSeconds: null,
      };
      log(
        `  SIGKILL of connector ${victim.index + 1} (pid ${victim.pid}) after ${report.acknowledged} of ` +
          `${envelopes.length} webhooks acknowledged, holding claims on ${held} call(s); not restarted`,
      );
      // Its claims are taken over (the row changes owner) once their lease has expired.
      void until('the takeover', deadline, async () => {
        const left = await db.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM claims c WHERE owner LIKE $1 AND EXISTS (
             SELECT 1 FROM events e WHERE COALESCE(e.call_id, '#' || e.seq) = c.key
             AND e.status = 'pending')`,
          [owner],
        );
        return Number(left.rows[0]?.n ?? 0) === 0 ? true : undefined;
      }).then(
        () => {
          if (kill.report) kill.report.takeoverSeconds = (performance.now() - killedAt) / 1000;
        },
        () => undefined,
      );
    };

    // What the busy sessions of the database are doing, sampled while the run lasts.
    const database = new Map<string, number>();
    const connections = new Map<number, number>();
    let databaseSamples = 0;
    sampling.on = options.sampleEveryMs !== undefined && options.sampleEveryMs > 0;
    const sampler = (async () => {
      while (sampling.on) {
        const { rows } = await db
          .query<{ what: string }>(
            `SELECT state || ' ' || COALESCE(wait_event_type || ':' || wait_event, 'on CPU') || ' ' ||
               regexp_replace(left(query, 70), '[[:space:]]+', ' ', 'g') AS what
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND backend_type = 'client backend' AND state NOT IN ('idle')`,
          )
          .catch(() => ({ rows: [] as { what: string }[] }));
        databaseSamples++;
        for (const { what } of rows) database.set(what, (database.get(what) ?? 0) + 1);
        // Connections by process: src/inbox/postgres-db.ts names them `aircall-sfv <pid>@<host>`.
        const held = await db
          .query<{ pid: string; n: string }>(
            `SELECT split_part(split_part(application_name, ' ', 2), '@', 1) AS pid, COUNT(*) AS n
             FROM pg_stat_activity WHERE application_name LIKE 'aircall-sfv %' GROUP BY 1`,
          )
          .catch(() => ({ rows: [] as { pid: string; n: string }[] }));
        for (const { pid, n } of held.rows)
          connections.set(Number(pid), Math.max(connections.get(Number(pid)) ?? 0, Number(n)));
        await sleep(options.sampleEveryMs ?? 100);
      }
    })();

    let next = 0;
    const firstPostAt = Date.now();
    const started = performance.now();
    const sender = async (): Promise<void> => {
      while (next < envelopes.length) {
        const envelope = envelopes[next++]!;
        await deliver(envelope);
        report.acknowledged++;
        if (report.acknowledged === killAt) killing = killer();
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, () => sender()));
    sendingDone = true;
    const sendSeconds = (performance.now() - started) / 1000;
    await killing;
    log(`  every webhook acknowledged (${report.resent} sent again to another instance)`);

    // Every event applied (nothing pending), then the newest finished_at is the end.
    const end = await until(
      'every event applied',
      deadline,
      async () => {
        const row = (
          await db.query<{ pending: string; last: string | null }>(
            `SELECT COUNT(*) FILTER (WHERE status = 'pending') AS pending, MAX(finished_at) AS last
             FROM events`,
          )
        ).rows[0];
        return row && Number(row.pending) === 0 ? Number(row.last) : undefined;
      },
      20,
    );
    const seconds = (end - firstPostAt) / 1000;
    await until('the VoiceCall links', deadline, async () => {
      const row = (await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM pending_links'))
        .rows[0];
      return Number(row?.n ?? 1) === 0 ? true : undefined;
    });
    const secondsWithLinks = (performance.now() - started) / 1000;
    sampling.on = false;
    await sampler;
    const counters = await orgCounters(org);
    const killed = kill.report;
    if (killed) {
      await until('the takeover figure', deadline, () =>
        Promise.resolve(killed.takeoverSeconds === null ? undefined : true),
      );
    }
    const comparison = await compareWithGroundTruth(org, calls);
    const dead = await db.query<{ reason: string; n: string }>(
      `SELECT COALESCE(error_code, 'ERROR') || ': ' || COALESCE(last_error, '') AS reason, COUNT(*) AS n
       FROM events WHERE status = 'dead' GROUP BY 1 ORDER BY 2 DESC`,
    );
    const deadLetters = dead.rows.map((r) => ({ reason: r.reason, events: Number(r.n) }));
    const workers = await Promise.all(
      instances.map(async (i) => {
        if (i.down) return null;
        const response = await fetch(`${i.url}/metrics`).catch(() => null);
        return response?.ok ? workerFigures(await response.text()) : null;
      }),
    );
    return {
      processes: options.processes,
      calls: calls.length,
      deliveries: envelopes.length,
      uniqueEvents,
      ...report,
      seconds,
      sendSeconds,
      secondsWithLinks,
      rest: counters.total - counters.telephony,
      telephony: counters.telephony,
      webhooksPerProcess: instances.map((i) => i.webhooks),
      workers,
      database: [...database]
        .map(([what, samples]) => ({ what, samples }))
        .sort((a, b) => b.samples - a.samples),
      databaseSamples,
      // The CLI re-executes itself (same pid, execve): the pid launched is the connector's.
      connections: instances.map((i) => connections.get(i.pid) ?? 0),
      killed,
      comparison,
      deadLetters,
      ok:
        isExact(comparison) &&
        deadLetters.length === 0 &&
        report.refused.length === 0 &&
        (!options.kill || killed !== null),
    };
  } finally {
    sampling.on = false;
    for (const instance of instances) await stop(instance.proc);
    await stop(orgProc);
    await db.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printScale(r: ScaleReport, out: (line: string) => void): void {
  const c = r.comparison;
  const sample = (ids: string[]) =>
    ids.length ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})` : '';
  out(
    `  ${r.processes} process(es)${r.killed ? ', one SIGKILLed' : ''}: ${r.deliveries} webhooks in ` +
      `${r.seconds.toFixed(1)} s → ${(r.deliveries / r.seconds).toFixed(0)} events/s end to end ` +
      `(first POST → last event applied; last webhook acknowledged at ${r.sendSeconds.toFixed(1)} s, ` +
      `links resolved at ${r.secondsWithLinks.toFixed(1)} s)`,
  );
  out(
    `    REST requests ${r.rest} → ${(r.rest / r.calls).toFixed(3)} per call; Telephony API ${r.telephony} → ` +
      `${(r.telephony / r.calls).toFixed(2)} per call; webhooks per process ${r.webhooksPerProcess.join(' / ')}; ` +
      `sent again ${r.resent}`,
  );
  if (r.killed) {
    out(
      `    killed pid ${r.killed.pid} after ${r.killed.afterAcknowledged} webhooks, holding ${r.killed.claimsHeld} claim(s); ` +
        `its calls taken over ${r.killed.takeoverSeconds === null ? '—' : `${r.killed.takeoverSeconds.toFixed(1)} s`} after the SIGKILL`,
    );
  }
  out(
    `    ground truth: ${c.calls} calls; Aircall Voice ${c.voicesLogged}/${c.voicesExpected}, VoiceCall ${c.voiceCallsLogged}/${c.calls}; ` +
      `lost ${c.lostVoices.length} + ${c.lostVoiceCalls.length}${sample([...c.lostVoices, ...c.lostVoiceCalls])}, ` +
      `duplicated ${c.duplicatedVoices.length} + ${c.duplicatedVoiceCalls.length}${sample([...c.duplicatedVoices, ...c.duplicatedVoiceCalls])} ` +
      `(Aircall Voice + VoiceCall), duplicated Leads ${c.duplicatedLeads.length}, records for no call ${c.unexpected.length}, ` +
      `wrong fields ${c.wrong.length}, dead letters ${r.deadLetters.reduce((s, d) => s + d.events, 0)}`,
  );
  r.workers.forEach((w, i) => {
    if (!w) return;
    const phases = Object.entries(w.seconds)
      .filter(([, s]) => s >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([phase, s]) => `${phase} ${s.toFixed(1)}`)
      .join(', ');
    const requests = Object.entries(w.requests)
      .map(([category, n]) => `${category} ${n}`)
      .join(', ');
    out(
      `    process ${i + 1}: ${w.batches} batches, ${w.events} events (${w.batches ? (w.events / w.batches).toFixed(1) : '0'} per batch); ` +
        `worker seconds: ${phases || 'none'}; requests: ${requests || 'none'}`,
    );
  });
  if (r.databaseSamples > 0) {
    out(
      `    connections to PostgreSQL per process, most seen at once: ${r.connections.join(' / ')}`,
    );
    out(
      `    database, ${r.databaseSamples} samples of its busy sessions (state, wait, statement):`,
    );
    for (const d of r.database.slice(0, 6))
      out(`      ${(d.samples / r.databaseSamples).toFixed(2)} × ${d.what}`);
  }
  for (const w of c.wrong.slice(0, 3))
    out(
      `      call ${w.callId} ${w.field}: expected ${JSON.stringify(w.expected)}, got ${JSON.stringify(w.actual)}`,
    );
  for (const d of r.deadLetters.slice(0, 3)) out(`      dead: ${d.events} × ${d.reason}`);
  for (const x of r.refused.slice(0, 3)) out(`      refused ${x.status}: ${x.body}`);
}
