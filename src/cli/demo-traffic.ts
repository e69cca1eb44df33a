/**
 * Demo traffic for `npm start`: the Aircall simulator's realistic calls, posted to the connector's
 * webhook URL as Aircall would, on a clock that runs `speedup` times faster than real time (a
 * five-minute call plays in under a minute), plus the fake Aircall REST API for "save to phone".
 */
import type { WebhookEnvelope } from '../../dev/simulator';

export interface DemoTraffic {
  aircallApiUrl: string;
  aircallApiId: string;
  aircallApiToken: string;
  send(webhookUrl: string): void;
  close(): Promise<void>;
}

export async function startDemoTraffic(options: {
  token: string;
  callsPerMinute: number;
  speedup?: number;
}): Promise<DemoTraffic> {
  // The simulator is a stand-in (dev/): loaded when the demo starts, never by a production start.
  const { generateCalls, startFakeAircall } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../dev/simulator') as typeof import('../../dev/simulator');
  const aircall = await startFakeAircall({});
  const speedup = options.speedup ?? 6;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<unknown>>();

  const post = (url: string, envelope: WebhookEnvelope) => {
    const p = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  return {
    aircallApiUrl: aircall.url,
    aircallApiId: aircall.apiId,
    aircallApiToken: aircall.apiToken,
    send(webhookUrl) {
      const wallStart = Date.now();
      const simStart = Math.floor(wallStart / 1000);
      let seed = simStart % 100_000;
      let nextStart = simStart;
      const queue: WebhookEnvelope[] = [];
      let first = true;
      const refill = () => {
        const batch = (startAt: number) =>
          generateCalls({
            count: 20,
            seed,
            startAt,
            token: options.token,
            meanIntervalSeconds: (60 / Math.max(1, options.callsPerMinute)) * speedup,
            duplicateRate: 0.05,
            outOfOrderRate: 0.05,
          });
        let { envelopes, calls } = batch(nextStart);
        if (first) {
          // The first call starts at once rather than after a random interval (about 5 s of wall
          // time on average): someone who just typed `npm start` sees a call in the console
          // without waiting. The same seed gives the same calls, so the batch is generated again
          // that much earlier.
          first = false;
          const wait = (calls[0]?.startedAt ?? nextStart) - nextStart;
          if (wait > 0) ({ envelopes, calls } = batch(nextStart - wait));
        }
        seed++;
        nextStart = Math.max(nextStart, ...envelopes.map((e) => e.timestamp)) + 1;
        queue.push(...envelopes);
        queue.sort((a, b) => a.timestamp - b.timestamp);
      };
      const tick = () => {
        if (stopped) return;
        const simNow = simStart + ((Date.now() - wallStart) / 1000) * speedup;
        if (queue.length < 50) refill();
        while (queue.length > 0 && (queue[0]?.timestamp ?? Infinity) <= simNow)
          post(webhookUrl, queue.shift()!);
        timer = setTimeout(tick, 250);
      };
      tick();
    },
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      await aircall.close();
    },
  };
}
