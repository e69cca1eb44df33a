/**
 * `npm run bench:soak` — memory over a long run, connector only.
 *
 * The local org runs in its own process (`aircall-sfv local-org`), the connector in another
 * (`aircall-sfv start`, the production entry point, file inbox), and this process generates the
 * simulated calls chunk by chunk and POSTs them over HTTP, keeping the connector's backlog small
 * (the next chunk is sent once the inbox has applied the previous one), so the run measures a
 * steady state rather than a queue. The connector's RSS is read from /proc/<pid>/status after every
 * chunk and printed against the calls applied.
 *
 * Fails (exit 1) when the connector's RSS exceeds `--max-mb` (200) at any sample, or when it keeps
 * growing after warm-up: the least-squares slope of RSS against calls applied, over the samples
 * after the first `--warmup` (20 %) of the calls, projects more than `--max-growth-mb` (20 MB) per
 * 100,000 calls.
 *
 *   npm run bench:soak                       # 100,000 calls
 *   npm run bench:soak -- --calls 20000      # a shorter run
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCalls, type WebhookEnvelope } from '../src/simulator';
import { BIN, launch, type Started } from '../test/helpers/processes';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    chunk: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    'max-mb': { type: 'string', default: '200' },
    'max-growth-mb': { type: 'string', default: '20' },
    warmup: { type: 'string', default: '0.2' },
  },
});
const CALLS = Number(values.calls);
const CHUNK = Number(values.chunk);
const CONCURRENCY = Number(values.concurrency);
const MAX_MB = Number(values['max-mb']);
const MAX_GROWTH_MB = Number(values['max-growth-mb']);
const WARMUP = Number(values.warmup);
const TOKEN = 'soak-token';

const mb = (kb: number) => kb / 1024;

/** Resident set size of one process, in kB (Linux). */
function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
}

interface Health {
  inbox: { pending: number; done: number; skipped: number; dead: number };
  pendingLinks?: number;
}

async function health(url: string): Promise<Health> {
  const response = await fetch(`${url}/healthz`);
  return (await response.json()) as Health;
}

/** The connector's V8 heap in use, in MB, from its Prometheus metrics (prom-client defaults). */
async function heapUsedMb(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN) / 1024 / 1024;
}

async function post(url: string, envelopes: readonly WebhookEnvelope[]): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < envelopes.length) {
      const body = JSON.stringify(envelopes[next++]);
      for (;;) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.text();
        if (response.status === 200) break;
        if (response.status < 500) throw new Error(`webhook refused (${response.status})`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
}

/** Least-squares slope of y against x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-soak-'));
  const started = performance.now();
  let org: Started | null = null;
  let connector: Started | null = null;
  try {
    org = launch(
      process.execPath,
      [BIN, 'local-org', '--port', '0', '--json', '--daily-api-limit', '100000000'],
      process.env,
      { keepLines: 10 },
    );
    const ready = JSON.parse(await org.line(/^(\{.*\})$/)) as {
      instanceUrl: string;
      accessToken: string;
    };
    connector = launch(
      process.execPath,
      [
        BIN,
        'start',
        '--port',
        '0',
        '--no-demo',
        '--no-console',
        '--inbox',
        path.join(dir, 'inbox.db'),
      ],
      {
        ...process.env,
        SF_INSTANCE_URL: ready.instanceUrl,
        SF_ACCESS_TOKEN: ready.accessToken,
        AIRCALL_WEBHOOK_TOKENS: TOKEN,
        LOG_LEVEL: 'warn',
      },
      { keepLines: 10 },
    );
    const port = await connector.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//);
    const base = `http://127.0.0.1:${port}`;
    const pid = connector.child.pid!;
    console.log(
      `Soak: ${CALLS.toLocaleString('en-US')} calls in chunks of ${CHUNK}, connector pid ${pid} ` +
        `(local org in pid ${org.child.pid}); RSS is the connector's own.`,
    );
    console.log(`  at start: RSS ${mb(rssKb(pid)).toFixed(0)} MB`);
    console.log('   calls applied   events applied   connector RSS   V8 heap used   elapsed');

    const samples: {
      calls: number;
      events: number;
      rssMb: number;
      heapMb: number;
      seconds: number;
    }[] = [];
    let events = 0;
    let lastPrinted = 0;
    for (let sent = 0, chunk = 0; sent < CALLS; chunk++) {
      const count = Math.min(CHUNK, CALLS - sent);
      const day = generateCalls({
        count,
        seed: chunk + 1,
        token: TOKEN,
        // One chunk after the other on the clock, as a long day would run.
        startAt: Date.UTC(2026, 0, 5, 8, 0, 0) / 1000 + chunk * CHUNK * 25,
        duplicateRate: 0.05,
      });
      events += new Set(day.envelopes.map((e) => JSON.stringify(e))).size;
      await post(`${base}/webhooks/aircall`, day.envelopes);
      sent += count;
      // The next chunk goes once this one is applied (a condition, not a pause).
      for (;;) {
        const h = await health(base);
        if (h.inbox.pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const rssMb = mb(rssKb(pid));
      const heapMb = await heapUsedMb(base);
      const seconds = (performance.now() - started) / 1000;
      samples.push({ calls: sent, events, rssMb, heapMb, seconds });
      if (sent - lastPrinted >= Math.max(CHUNK, CALLS / 50) || sent === CALLS) {
        lastPrinted = sent;
        console.log(
          `  ${sent.toLocaleString('en-US').padStart(14)}   ${events.toLocaleString('en-US').padStart(14)}   ${rssMb.toFixed(0).padStart(10)} MB   ${heapMb.toFixed(0).padStart(9)} MB   ${seconds.toFixed(0).padStart(5)} s`,
        );
      }
    }
    const h = await health(base);
    const after = samples.filter((s) => s.calls > CALLS * WARMUP);
    const perCall = slope(after.map((s) => ({ x: s.calls, y: s.rssMb })));
    const growth = perCall * 100_000;
    const max = Math.max(...samples.map((s) => s.rssMb));
    const heapGrowth = slope(after.map((s) => ({ x: s.calls, y: s.heapMb }))) * 100_000;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `\n${CALLS.toLocaleString('en-US')} calls, ${events.toLocaleString('en-US')} events in ${seconds.toFixed(0)} s; ` +
        `inbox ${JSON.stringify(h.inbox)}`,
    );
    console.log(
      `connector RSS: max ${max.toFixed(0)} MB (limit ${MAX_MB}); after the first ${WARMUP * 100} % of the calls, ` +
        `slope ${growth.toFixed(1)} MB per 100,000 calls (limit ${MAX_GROWTH_MB}); V8 heap used ${heapGrowth.toFixed(1)} MB per 100,000 calls`,
    );
    const failures: string[] = [];
    if (max > MAX_MB) failures.push(`RSS reached ${max.toFixed(0)} MB, over ${MAX_MB} MB`);
    if (growth > MAX_GROWTH_MB)
      failures.push(`RSS keeps growing: ${growth.toFixed(1)} MB per 100,000 calls after warm-up`);
    if (h.inbox.dead > 0) failures.push(`${h.inbox.dead} events dead-lettered`);
    console.log(failures.length === 0 ? 'PASS' : `FAIL: ${failures.join('; ')}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    for (const proc of [connector, org]) {
      if (proc && proc.child.exitCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
