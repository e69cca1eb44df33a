/**
 * `npm run bench:durability` — what it costs to make a webhook's 200 mean "on disk".
 *
 * The same webhook server (src/connector/ingest.ts) on a SQLite inbox file, in a child process,
 * takes the same webhooks from 50 concurrent senders (this process) in three configurations, one
 * after the other in one run:
 *
 *   before       synchronous=NORMAL, one commit per webhook: a power loss or OS crash can roll back
 *                webhooks already answered 200 (the WAL is only synced at checkpoints);
 *   FULL alone   synchronous=FULL, one commit (one fsync) per webhook;
 *   after        synchronous=FULL with group commit (src/inbox/group-commit.ts): the webhooks that
 *                arrive during one fsync share the next one. This is what the connector runs.
 *
 * Prints webhooks/s, the answer latency p50/p99 and the mean group size; checks every webhook was
 * stored exactly once. Figures only, nothing asserted about speed; compare the ratios, which hold
 * on a given disk (fsync costs microseconds on a laptop SSD with write cache, milliseconds on a
 * network disk).
 *
 *   npm run bench:durability -- [--webhooks 2000] [--senders 50]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildIngestServer } from '../src/connector/ingest';
import { ConnectorMetrics } from '../src/connector/metrics';
import { SqliteInbox } from '../src/inbox/sqlite';
import { eventKey, parseWebhook } from '../src/engine';
import { generateCalls, type WebhookEnvelope } from '../dev/simulator';

const TOKEN = 'bench-token';
const MODES = {
  before: {
    synchronous: 'NORMAL',
    maxGroup: 1,
    label: 'before: synchronous=NORMAL, one commit per webhook',
  },
  full: { synchronous: 'FULL', maxGroup: 1, label: 'synchronous=FULL, one commit per webhook' },
  after: { synchronous: 'FULL', maxGroup: 1000, label: 'after: synchronous=FULL + group commit' },
} as const;
type Mode = keyof typeof MODES;

const { values } = parseArgs({
  options: {
    webhooks: { type: 'string', default: '2000' },
    senders: { type: 'string', default: '50' },
    serve: { type: 'string' },
    file: { type: 'string' },
  },
});

/** Child process: the webhook server on an inbox file, in one mode; prints its URL, then stats on stdin close. */
async function serve(mode: Mode, file: string): Promise<void> {
  const config = MODES[mode];
  const inbox = new SqliteInbox(file, { synchronous: config.synchronous });
  let commits = 0;
  let events = 0;
  const app = buildIngestServer({
    inbox,
    tokens: [TOKEN],
    metrics: new ConnectorMetrics(),
    logger: pino({ level: 'silent' }),
    groupCommit: {
      maxGroup: config.maxGroup,
      onCommit: (n) => {
        commits++;
        events += n;
      },
    },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    const stored = inbox.store.counts().pending;
    process.stdout.write(`${JSON.stringify({ commits, events, stored })}\n`);
    void app.close().then(() => {
      inbox.store.close();
      process.exit(0);
    });
  });
}

interface Figures {
  mode: Mode;
  perSecond: number;
  p50: number;
  p99: number;
  commits: number;
  stored: number;
  non200: number;
}

async function run(mode: Mode, envelopes: WebhookEnvelope[], senders: number): Promise<Figures> {
  const dir = mkdtempSync(path.join(process.cwd(), '.bench-durability-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', __filename, '--serve', mode, '--file', path.join(dir, 'inbox.db')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let pending = '';
  const nextLine = () =>
    new Promise<string>((resolve) => {
      const check = () => {
        if (lines.length > 0) return resolve(lines.shift()!);
        child.stdout.once('data', check);
      };
      check();
    });
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  const url = `${await nextLine()}/webhooks/aircall`;
  const latencies: number[] = [];
  let non200 = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (;;) {
        const i = next++;
        if (i >= envelopes.length) return;
        const t = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(envelopes[i]),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 200) non200++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  child.stdin.end();
  const stats = JSON.parse(await nextLine()) as { commits: number; stored: number };
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    mode,
    perSecond: envelopes.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    commits: stats.commits,
    stored: stats.stored,
    non200,
  };
}

async function main(): Promise<void> {
  const total = Number(values.webhooks);
  const senders = Number(values.senders);
  // Unique events only (no redeliveries), so "stored" must equal the number sent.
  const all = generateCalls({ count: Math.ceil(total / 4), token: TOKEN, seed: 14 }).envelopes;
  const seen = new Set<string>();
  const envelopes = all
    .filter((e) => {
      const parsed = parseWebhook(e);
      const k = parsed.ok ? eventKey(parsed.event) : JSON.stringify(e);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .slice(0, total);
  console.log(
    `Durability cost: ${envelopes.length} webhooks, ${senders} concurrent senders over HTTP, inbox file under ${process.cwd()}`,
  );
  const results: Figures[] = [];
  for (const mode of Object.keys(MODES) as Mode[]) {
    const f = await run(mode, envelopes, senders);
    results.push(f);
    console.log(`  ${MODES[mode].label}`);
    console.log(
      `    ${f.perSecond.toFixed(0)} webhooks/s, answer p50 ${f.p50.toFixed(1)} ms / p99 ${f.p99.toFixed(1)} ms, ` +
        `${f.commits} commits (${(envelopes.length / f.commits).toFixed(1)} webhooks per commit), ` +
        `stored ${f.stored}/${envelopes.length}${f.non200 ? `, ${f.non200} non-200 answers!` : ''}`,
    );
  }
  const by = (m: Mode) => results.find((r) => r.mode === m)!.perSecond;
  console.log(
    `  after / before: ${(by('after') / by('before')).toFixed(2)}× the throughput; ` +
      `FULL without group commit: ${(by('full') / by('before')).toFixed(2)}×`,
  );
}

if (values.serve) void serve(values.serve as Mode, values.file ?? ':memory:');
else void main();
