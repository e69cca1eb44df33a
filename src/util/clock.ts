/**
 * The connector's time: what `now` is and how its timers wait. Production uses the system clock;
 * `npm run bench:day` injects a clock that skips the idle stretches of a simulated business day,
 * so the worker's batch window, idle wait, back-off, link sweeps, final-PATCH revisits and the
 * settings refresh all follow the simulated day without patching globals.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
