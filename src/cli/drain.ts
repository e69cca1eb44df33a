/** Runs the worker until every event is applied, skipped or dead-lettered (replay, retry, backfill). */
import type { Connector } from '../connector/connector';

import type { WorkerOptions } from '../connector/worker';
import { sleep } from '../util/sleep';

/** Worker settings for commands that drain and exit (replay, dead-letters --retry, backfill):
 * no batching window, short backoff, VoiceCall links resolved right away. */
export const DRAIN_WORKER_OPTIONS: WorkerOptions = {
  backoffBaseMs: 200,
  backoffMaxMs: 10_000,
  windowMs: 0,
  linkDelayMs: 0,
  linkRetryMs: 500,
  linkSweepEveryMs: 0,
};

export interface DrainProgress {
  finished: number;
  total: number;
}

export async function drainUntilDone(
  connector: Connector,
  options: { deadlineMs: number; onProgress?: (p: DrainProgress) => void; total?: number },
): Promise<{ timedOut: boolean }> {
  const started = Date.now();
  for (;;) {
    const outcome = await connector.worker.drainOnce();
    const counts = await connector.inbox.counts();
    options.onProgress?.({
      finished: counts.done + counts.skipped + counts.dead,
      total: options.total ?? counts.done + counts.skipped + counts.dead + counts.pending,
    });
    const links = await connector.inbox.pendingLinkCount();
    if (counts.pending === 0 && links === 0) return { timedOut: false };
    if (Date.now() - started > options.deadlineMs) return { timedOut: true };
    if (outcome.events === 0 && !outcome.linked) {
      const next = (await connector.inbox.nextDueAt()) ?? Date.now() + 100;
      await sleep(Math.max(20, Math.min(next - Date.now(), 1000)));
    }
  }
}

/** A one-line progress bar on a terminal; silent otherwise. */
export function progressBar(stream: NodeJS.WriteStream, label: string): (p: DrainProgress) => void {
  if (!stream.isTTY) return () => {};
  return ({ finished, total }) => {
    const width = 30;
    const ratio = total > 0 ? Math.min(1, finished / total) : 1;
    const filled = Math.round(ratio * width);
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${finished}/${total}`,
    );
    if (finished >= total) stream.write('\n');
  };
}
