/**
 * The code base's one `sleep`: resolves after `ms` milliseconds. `unref` lets the process exit while
 * it waits (a reconnect pause must not keep a stopping process alive).
 *
 * A wait that something else may cut short (the worker's idle wait, which a webhook ends) is a
 * `wakeableSleep`. Both wait on the system clock unless given another (`clock.ts`).
 */
import { systemClock, type Clock } from './clock';

export function sleep(ms: number, options: { unref?: boolean; clock?: Clock } = {}): Promise<void> {
  return new Promise<void>((resolve) => {
    if (options.clock) {
      options.clock.setTimeout(resolve, Math.max(0, ms));
      return;
    }
    const timer = setTimeout(resolve, Math.max(0, ms));
    if (options.unref) timer.unref();
  });
}

/** A sleep that `wake()` ends early (an idle loop that new work, or a stop, should interrupt). */
export function wakeableSleep(
  ms: number,
  clock: Clock = systemClock,
): { done: Promise<void>; wake: () => void } {
  let wake: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    const timer = clock.setTimeout(() => wake(), Math.max(0, ms));
    wake = () => {
      clock.clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}
