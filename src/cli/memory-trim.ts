/**
 * Gives V8's spare heap pages back to the system now and then, so a connector that is never idle
 * does not keep the high-water mark of its busiest minute (docs/RELIABILITY.md, "Soak").
 *
 * After a full collection V8 keeps the pages it emptied in a pool for later allocations, outside
 * the heap size it reports (`heapTotal`); it returns them only when its memory reducer runs, which
 * happens once the process is idle for a while. A connector at a real contact center's pace is idle
 * most of the time, so that happens by itself; one that is always busy (a large center, a backlog
 * after an outage, the 100,000-call soak) is not. The "last resort" collection V8 offers through
 * `--expose-gc` (`gc({ flavor: 'last-resort' })`) compacts the heap and releases the pool: measured
 * on a synthetic heap, 320 → 58 pages, 133 → 66 MB resident, in 185 ms; in the soak each run gives
 * back 5–12 MB. (What made the soak's memory grow with its length was elsewhere: every batch read
 * every record ever created for an unknown number; see `Worker.plan`.)
 *
 * It runs on the main thread between two tasks (`execution: 'async'`) every `everyMs` (default
 * 5 minutes: at most 0.1 % of the time); with no `gc` function (the connector started without
 * `--expose-gc`, e.g. `AIRCALL_SFV_NODE_TUNING=off` or embedded in tests) it does nothing.
 */
type GcWithOptions = (options: {
  type: 'major';
  execution: 'async';
  flavor: 'last-resort';
}) => Promise<void>;

export interface MemoryTrim {
  stop(): void;
}

export function startMemoryTrim(
  everyMs: number,
  logger: { debug(fields: object, message: string): void },
  gc: unknown = (globalThis as { gc?: unknown }).gc,
): MemoryTrim {
  if (everyMs <= 0 || typeof gc !== 'function') {
    logger.debug({ everyMs, gc: typeof gc }, 'Memory trim off');
    return { stop: () => undefined };
  }
  const collect = gc as GcWithOptions;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const before = process.memoryUsage.rss();
    const started = performance.now();
    void Promise.resolve(collect({ type: 'major', execution: 'async', flavor: 'last-resort' }))
      .then(() =>
        logger.debug(
          {
            rssBeforeMb: Math.round(before / 1_048_576),
            rssAfterMb: Math.round(process.memoryUsage.rss() / 1_048_576),
            ms: Math.round(performance.now() - started),
          },
          'Memory trimmed',
        ),
      )
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
