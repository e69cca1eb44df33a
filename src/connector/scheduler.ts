/**
 * The worker's scheduler: when the next batch goes out and how long the loop waits meanwhile.
 *
 * - Deadlines (deadline.ts): a batch starts when `batchEvents` events are due, when a call's
 *   revisit is due, or at the earliest deadline among the due events.
 * - Wake-ups: a webhook wakes an idle or holding loop (`wake()`), and one that arrives while the
 *   loop is busy is not lost (the next wait returns at once).
 * - Budget pauses: while the org's API budget is exhausted the worker does not work, and looks at
 *   `/limits` once a minute instead.
 * - Backoff: exponential with equal jitter for events and calls retried later.
 * - The turn: processes sharing a PostgreSQL inbox drain it in turn.
 */
import type { Logger } from 'pino';
import type { Inbox } from '../inbox/inbox';
import type { SalesforceClient } from '../salesforce/client';
import type { Clock } from '../util/clock';
import { sleep, wakeableSleep } from '../util/sleep';
import { earliestDeadline, noHold, type DeadlineOptions } from './deadline';
import type { ConnectorMetrics } from './metrics';

/** Where the worker's time goes (`aircall_worker_seconds_total`). */
export type WorkerPhase =
  'look' | 'turn' | 'claim' | 'plan' | 'apply' | 'settle' | 'housekeeping' | 'idle';

/** Runs `fn`, adding its wall time to the worker's time in `phase` (a metric; the bench reads it). */
export async function timed<T>(
  metrics: ConnectorMetrics,
  phase: WorkerPhase,
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    metrics.workerSeconds.inc({ phase }, (performance.now() - started) / 1000);
  }
}

export interface SchedulerOptions {
  batchEvents: number;
  idleMs: number;
  windowMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  holdMs: number;
  finalMs: number;
  agentMs: number;
}

export interface SchedulerDeps {
  inbox: Pick<Inbox, 'due' | 'callsToReplan' | 'takeTurn'>;
  client: Pick<SalesforceClient, 'budget' | 'limits'>;
  metrics: ConnectorMetrics;
  logger: Logger;
  clock: Clock;
}

export class Scheduler {
  readonly deadlines: DeadlineOptions;
  private wakeUp: (() => void) | null = null;
  /** How many times `wake()` was called (hold() tells a webhook from its own timeout). */
  private wakes = 0;
  /**
   * Set by `wake()` and consumed by `idle()`, so a webhook that arrives while the loop is busy
   * (looking at the inbox) is not missed by the wait that follows.
   */
  private woken = false;
  private lastProbe = 0;
  /** False once the worker stops: a hold ends without its extra batch-window wait. */
  running = false;

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly options: SchedulerOptions,
  ) {
    this.deadlines =
      options.holdMs <= options.windowMs
        ? noHold(options.windowMs)
        : {
            urgentMs: options.windowMs,
            agentMs: Math.min(options.agentMs, options.holdMs),
            holdMs: options.holdMs,
            finalMs: Math.min(options.finalMs, options.holdMs + 10_000),
          };
  }

  wake(): void {
    this.woken = true;
    this.wakes++;
    this.wakeUp?.();
  }

  /** Forgets a wake-up that came before the loop looked at the inbox (it sees that work now). */
  looking(): void {
    this.woken = false;
  }

  /** Waits `ms`, or less when woken (at once when a wake-up came since the last look). */
  async idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    const wait = wakeableSleep(ms, this.deps.clock);
    this.wakeUp = wait.wake;
    await wait.done;
    this.wakeUp = null;
  }

  /** `idle`, counted as idle time. */
  rest(ms: number): Promise<void> {
    return timed(this.deps.metrics, 'idle', () => this.idle(ms));
  }

  /**
   * When the next batch should go out: the earliest deadline among the due events (deadline.ts),
   * now when a batch is full or a call's revisit is due, null when nothing is due.
   */
  async flushAt(now: number): Promise<number | null> {
    const { inbox } = this.deps;
    const due = await inbox.due(now, this.options.batchEvents);
    if (due.length >= this.options.batchEvents) return now;
    const earliest = earliestDeadline(due, this.deadlines);
    if (earliest === null || earliest <= now) return earliest;
    // A call's revisit (e.g. the final VoiceCall PATCH when call.ended never came) is a deadline too.
    if ((await inbox.callsToReplan(now, 1)).length > 0) return now;
    return earliest;
  }

  /** `flushAt`, counted as looking. */
  look(now: number): Promise<number | null> {
    return timed(this.deps.metrics, 'look', () => this.flushAt(now));
  }

  /** Waits until `at` (a flush deadline in the future), or less when a webhook may be urgent. */
  async hold(at: number, now: number): Promise<void> {
    // Held: a webhook wakes the loop (it may be urgent); otherwise look again within idleMs
    // (revisits), or at the deadline. A short wait (the batch window) is not interrupted.
    const wait = at - now;
    const { clock } = this.deps;
    await timed(this.deps.metrics, 'idle', async () => {
      if (wait <= this.options.windowMs) return sleep(wait, { clock });
      const wakes = this.wakes;
      await this.idle(Math.min(wait, Math.max(this.options.idleMs, 1000)));
      // Woken by a webhook: even an urgent event is due only a batch window after it arrived, so
      // the next look waits that long. One look per window instead of one per webhook: a process
      // that is not draining (another has the turn) would otherwise read the due events at every
      // webhook it receives.
      if (this.wakes !== wakes && this.running) await sleep(this.options.windowMs, { clock });
    });
  }

  /**
   * Processes sharing a PostgreSQL inbox drain it in turn: the one whose turn it is looks at the
   * due work of the whole inbox and takes it all, so batches are as large as one process would
   * make them (the org's bill does not grow with the number of processes) and no two workers race
   * for the same due events. A process waits for the turn only when it saw work due, and looks
   * again once it has it: the previous holder may have taken that work. With one process (SQLite)
   * there is no turn (undefined); null: another process kept it.
   */
  async takeTurn(): Promise<{ release(): Promise<void> } | null | undefined> {
    const { inbox } = this.deps;
    if (!inbox.takeTurn) return undefined;
    const waitMs = Math.max(this.options.idleMs, 250);
    return timed(this.deps.metrics, 'turn', () => inbox.takeTurn!(waitMs));
  }

  /** While the API budget is exhausted, look at /limits once a minute instead of working. */
  async budgetAllows(now: number): Promise<boolean> {
    const { client, metrics, logger } = this.deps;
    const budget = client.budget;
    metrics.apiUsage.set(budget.fraction);
    if (budget.state !== 'paused') {
      metrics.apiPaused.set(0);
      return true;
    }
    metrics.apiPaused.set(1);
    if (now - this.lastProbe > 60_000) {
      this.lastProbe = now;
      logger.warn(
        `Paused to protect the org's API allocation: ${budget.describe()}. Events wait in the inbox.`,
      );
      await client.limits().catch(() => undefined);
    }
    return budget.state !== 'paused';
  }

  /** After a batch: slow down while the budget is low, rest while nothing was due. */
  async afterBatch(events: number): Promise<void> {
    const budget = this.deps.client.budget;
    if (budget.state === 'slow') await this.rest(budget.slowDelayMs);
    if (events === 0) await this.rest(this.options.idleMs);
  }

  /** Exponential backoff with "equal jitter": between half and all of base × 2^attempts. */
  backoff(attempts: number): number {
    const base = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.min(attempts, 20),
    );
    return Math.round(base / 2 + Math.random() * (base / 2));
  }
}
