/**
 * `npm run bench:soak` — memory over a long run, connector only.
 *
 * The local org runs in its own process (`aircall-sfv local-org`), the connector in another
 * (`aircall-sfv start`, the production entry point, file inbox), and this process generates the
 * simulated calls chunk by chunk and POSTs them over HTTP (keep-alive connections, one event per
 * request as Aircall sends them). The backlog stays bounded: a chunk is sent only once the inbox
 * holds fewer than `--backlog` chunks' worth of pending events, so the run measures a steady state
 * rather than a queue, while sending, applying and the local org work side by side (sending a
 * chunk only once the previous one is fully applied left each process idle most of the time, and
 * 100,000 calls took hours). The connector's RSS is read from /proc/<pid>/status after every chunk
 * and printed against the calls applied and the time, with its V8 heap and CPU time.
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
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCalls, type WebhookEnvelope } from '../dev/simulator';
import { sleep } from '../src/util/sleep';
import { BIN, launch, type Started } from '../test/helpers/processes';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    chunk: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '8' },
    backlog: { type: 'string', default: '1' },
    'max-mb': { type: 'string', default: '200' },
    'max-growth-mb': { type: 'string', default: '20' },
    warmup: { type: 'string', default: '0.2' },
  },
});
const CALLS = Number(values.calls);
const CHUNK = Number(values.chunk);
const CONCURRENCY = Number(values.concurrency);
const BACKLOG = Number(values.backlog);
const MAX_MB = Number(values['max-mb']);
const MAX_GROWTH_MB = Number(values['max-growth-mb']);
const WARMUP = Number(values.warmup);
const TOKEN = 'soak-token';

const mb = (kb: number) => kb / 1024;

/** Resident set size of one process, in kB (Linux). */
function rssKb(pid: number, line = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${line}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
}

/** CPU time (user + system) of one process, in seconds (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Health {
  inbox: { pending: number; done: number; skipped: number; dead: number };
  pendingLinks?: number;
}

/** One GET on a fresh connection (no idle keep-alive socket the server may be closing). */
function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(text));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function health(url: string): Promise<Health> {
  return JSON.parse(await get(`${url}/healthz`)) as Health;
}

/**
 * The connector's V8 heap in use and reserved (total), and the memory its objects hold outside
 * the V8 heap (external: buffers, native handles), in MB, from its Prometheus metrics
 * (prom-client defaults). With RSS split into anonymous and file-backed pages, these tell where a
 * growth is: live objects (used), V8 keeping freed pages (total − used), native memory (anonymous
 * RSS − total), or the binary's code pages being touched (file-backed).
 */
async function v8Mb(base: string): Promise<{ used: number; total: number; external: number }> {
  const text = await get(`${base}/metrics`);
  const metric = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return {
    used: metric('nodejs_heap_size_used_bytes'),
    total: metric('nodejs_heap_size_total_bytes'),
    external: metric('nodejs_external_memory_bytes'),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One POST; resolves with the status once the answer is read. */
function postOne(url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function post(url: URL, envelopes: readonly WebhookEnvelope[]): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < envelopes.length) {
      const body = JSON.stringify(envelopes[next++]);
      for (;;) {
        const status = await postOne(url, body);
        if (status === 200) break;
        if (status < 500) throw new Error(`webhook refused (${status})`);
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
    const webhookUrl = new URL(`${base}/webhooks/aircall`);
    const cpuAtStart = cpuSeconds(pid);
    console.log(
      `  at start: RSS ${mb(rssKb(pid)).toFixed(0)} MB, V8 heap used ${(await v8Mb(base)).used.toFixed(0)} MB`,
    );
    console.log(
      '      calls sent   events applied   connector RSS   V8 heap used   connector CPU   elapsed' +
        '   RSS anon / file   V8 heap total   external',
    );

    const samples: {
      calls: number;
      events: number;
      rssMb: number;
      heapMb: number;
      seconds: number;
      anonMb: number;
      fileMb: number;
      heapTotalMb: number;
      externalMb: number;
    }[] = [];
    let events = 0;
    /** RSS, heap in use and elapsed time once `calls` calls have been sent. */
    const sampleAt = async (calls: number) => {
      const v8 = await v8Mb(base);
      return {
        calls,
        events,
        rssMb: mb(rssKb(pid)),
        heapMb: v8.used,
        seconds: (performance.now() - started) / 1000,
        anonMb: mb(rssKb(pid, 'RssAnon')),
        fileMb: mb(rssKb(pid, 'RssFile')),
        heapTotalMb: v8.total,
        externalMb: v8.external,
      };
    };
    let lastPrinted = 0;
    const print = (sample: (typeof samples)[number], applied: number) =>
      console.log(
        `  ${sample.calls.toLocaleString('en-US').padStart(14)}   ${applied.toLocaleString('en-US').padStart(14)}   ${sample.rssMb.toFixed(0).padStart(10)} MB   ${sample.heapMb.toFixed(0).padStart(9)} MB   ${(cpuSeconds(pid) - cpuAtStart).toFixed(0).padStart(11)} s   ${sample.seconds.toFixed(0).padStart(5)} s` +
          `   ${sample.anonMb.toFixed(0).padStart(6)} / ${sample.fileMb.toFixed(0).padStart(3)} MB   ${sample.heapTotalMb.toFixed(0).padStart(10)} MB   ${sample.externalMb.toFixed(0).padStart(5)} MB`,
      );
    const applied = (h: Health) => h.inbox.done + h.inbox.skipped + h.inbox.dead;
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
      const distinct = new Set(day.envelopes.map((e) => JSON.stringify(e))).size;
      events += distinct;
      // The next chunk goes once the backlog is under `--backlog` chunks of events (a condition,
      // not a pause): the connector never holds more than about two chunks.
      let h = await health(base);
      while (h.inbox.pending > BACKLOG * distinct) {
        await sleep(50);
        h = await health(base);
      }
      await post(webhookUrl, day.envelopes);
      sent += count;
      const sample = await sampleAt(sent);
      samples.push(sample);
      if (sent - lastPrinted >= Math.max(CHUNK, CALLS / 50) && sent < CALLS) {
        lastPrinted = sent;
        print(sample, applied(await health(base)));
      }
    }
    // The end: everything applied (a condition).
    for (;;) {
      const h = await health(base);
      if (h.inbox.pending === 0) break;
      await sleep(50);
    }
    const last = await sampleAt(CALLS);
    samples.push(last);
    print(last, applied(await health(base)));
    const cpu = cpuSeconds(pid) - cpuAtStart;
    const h = await health(base);
    const after = samples.filter((s) => s.calls > CALLS * WARMUP);
    const perCall = slope(after.map((s) => ({ x: s.calls, y: s.rssMb })));
    const growth = perCall * 100_000;
    const max = Math.max(...samples.map((s) => s.rssMb));
    const heapGrowth = slope(after.map((s) => ({ x: s.calls, y: s.heapMb }))) * 100_000;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `\n${CALLS.toLocaleString('en-US')} calls, ${events.toLocaleString('en-US')} events in ${seconds.toFixed(0)} s; ` +
        `inbox ${JSON.stringify(h.inbox)}; connector CPU ${cpu.toFixed(0)} s (${((cpu / CALLS) * 1000).toFixed(2)} ms per call)`,
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
  } catch (error) {
    // Say whether the connector itself stopped (an out-of-memory error, a crash) or the bench did.
    if (connector) {
      console.error(
        `connector exit code ${connector.child.exitCode ?? 'none (running)'}, signal ${connector.child.signalCode ?? 'none'}; end of its stderr:\n${connector.stderrTail()}`,
      );
    }
    throw error;
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
