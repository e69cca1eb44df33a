/** Delivery of a simulated stream: NDJSON (for `aircall-sfv replay`) or HTTP POSTs like Aircall's. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { WebhookEnvelope } from './generate';
import { sleep } from '../../src/util/sleep';

/** Writes one envelope per line to a file path or a stream (the stream is left open). */
export async function writeNdjson(
  envelopes: Iterable<WebhookEnvelope>,
  target: string | Writable,
): Promise<number> {
  const out = typeof target === 'string' ? createWriteStream(target, { encoding: 'utf8' }) : target;
  let n = 0;
  for (const env of envelopes) {
    if (!out.write(`${JSON.stringify(env)}\n`)) await once(out, 'drain');
    n++;
  }
  if (typeof target === 'string') {
    out.end();
    await once(out, 'finish');
  }
  return n;
}

export interface PostResult {
  sent: number;
  /** HTTP status → count. */
  statuses: Record<string, number>;
  /** Requests that failed before an HTTP answer (connection refused, timeout). */
  networkErrors: number;
  elapsedMs: number;
}

/**
 * POSTs each envelope as Aircall does (JSON body, 5 s timeout), at `ratePerSecond` events per second
 * (0 = as fast as `concurrency` allows). Failures are counted, not retried: the caller decides.
 */
export async function postToUrl(
  envelopes: readonly WebhookEnvelope[],
  url: string,
  opts: { ratePerSecond?: number; concurrency?: number; timeoutMs?: number } = {},
): Promise<PostResult> {
  const rate = opts.ratePerSecond ?? 0;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const result: PostResult = { sent: 0, statuses: {}, networkErrors: 0, elapsedMs: 0 };
  const started = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= envelopes.length) return;
      if (rate > 0) {
        const due = started + (i * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
      }
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Aircall-Simulator/1.0' },
          body: JSON.stringify(envelopes[i]),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        });
        await res.arrayBuffer();
        result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
      } catch {
        result.networkErrors++;
      }
      result.sent++;
    }
  };
  await Promise.all(
    Array.from({ length: rate > 0 ? Math.min(concurrency, Math.ceil(rate)) : concurrency }, worker),
  );
  result.elapsedMs = Date.now() - started;
  return result;
}
