/**
 * `npm run bench:scale` — several connector processes on one PostgreSQL inbox (docs/PERFORMANCE.md and
 * docs/OPERATIONS.md). Starts one throwaway PostgreSQL server (scripts/postgres.ts, fsync on as in
 * production; or DATABASE_URL's server), then for 1, 2 and 4 connector processes — each run with
 * its own local org process and its own schema — posts the same simulated stream through a
 * round-robin sender (the load balancer; a redelivery goes to another instance), and prints events/s
 * end to end (first POST → last event applied) and REST requests per call from the local org's
 * counters. Then the same stream once more with one process SIGKILLed mid-run (not restarted: the
 * others take its calls over when its 30 s leases expire), and every run is compared with the
 * simulator's ground truth (test/faults/ground-truth.ts): lost and duplicated Aircall Voice and
 * VoiceCall records are printed. Nothing is asserted; exits 1 when a run is not exact.
 *
 *   npm run bench:scale                                  # 2,000 calls, 1/2/4 processes, SIGKILL with 2
 *   npm run bench:scale -- --calls 500 --processes 1,2 --kill-processes 4
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../scripts/postgres';
import { printScale, runScale, type ScaleReport } from '../test/faults/scale';
import { withSearchPath } from '../test/inbox/database';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '16' },
    processes: { type: 'string', default: '1,2,4' },
    'kill-processes': { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '16' },
    'duplicate-rate': { type: 'string', default: '0.1' },
    'lease-ms': { type: 'string', default: '30000' },
  },
});

const log = (line: string) => console.log(line);

async function main(): Promise<number> {
  let server: PostgresServer | null = null;
  const base = process.env.DATABASE_URL ?? (server = await startPostgres({ durable: true })).url;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const schemaUrl = async (label: string) => {
    const schema = `scale_${label}_${randomBytes(3).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    return withSearchPath(base, schema);
  };
  const common = {
    calls: Number(values.calls),
    seed: Number(values.seed),
    duplicateRate: Number(values['duplicate-rate']),
    concurrency: Number(values.concurrency),
    leaseMs: Number(values['lease-ms']),
    giveUpMs: 60 * 60_000,
    sampleEveryMs: 100,
    log,
  };
  const reports: ScaleReport[] = [];
  try {
    log(
      `Several connectors on one PostgreSQL ${server ? '(throwaway server, fsync on)' : '(DATABASE_URL)'}: ` +
        `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at the start`,
    );
    for (const processes of values.processes.split(',').map(Number)) {
      const report = await runScale({
        ...common,
        processes,
        inboxUrl: await schemaUrl(`p${processes}`),
      });
      printScale(report, log);
      reports.push(report);
    }
    const killProcesses = Number(values['kill-processes']);
    if (killProcesses >= 2) {
      const report = await runScale({
        ...common,
        processes: killProcesses,
        kill: true,
        inboxUrl: await schemaUrl(`kill${killProcesses}`),
      });
      printScale(report, log);
      reports.push(report);
    }
  } finally {
    await admin.end();
    await server?.stop();
  }
  log('');
  log(
    '| processes | events/s end to end | REST requests per call | Telephony per call | lost | duplicated |',
  );
  log('| --- | --- | --- | --- | --- | --- |');
  for (const r of reports) {
    const c = r.comparison;
    log(
      `| ${r.processes}${r.killed ? ' (one SIGKILLed, not restarted)' : ''} | ${(r.deliveries / r.seconds).toFixed(0)} | ` +
        `${(r.rest / r.calls).toFixed(3)} | ${(r.telephony / r.calls).toFixed(2)} | ` +
        `${c.lostVoices.length + c.lostVoiceCalls.length} | ${c.duplicatedVoices.length + c.duplicatedVoiceCalls.length} |`,
    );
  }
  log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
  return reports.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
