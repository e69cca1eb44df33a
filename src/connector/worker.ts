/**
 * The worker: drains the inbox in micro-batches and turns them into Salesforce records.
 *
 * One batch = up to `batchEvents` due events, through four named stages:
 *   load (load.ts: claim the due events, parse each once) → plan (plan.ts: the calls' events folded
 *   once, matches from matcher.ts, open Cases / Opportunities, one engine plan) → apply
 *   (unit-of-work.ts: Salesforce writes, then aircall-writes.ts: Aircall API writes) → settle
 *   (settle.ts decides each event's fate, a pure function; record.ts carries it out).
 * Beside them, the scheduler (scheduler.ts) decides when a batch goes out and how the loop waits
 * (deadlines, wake-ups, budget pauses, backoff), and housekeeping.ts does what no batch waits for
 * (link sweeps, the org context's refresh). An event is marked done only after its writes succeed;
 * transient failures retry with exponential backoff and jitter, permanent ones are dead-lettered
 * with the Salesforce error text.
 */
import type { Logger } from 'pino';
import { planBatch, type Plan } from '../engine';
import type { Inbox } from '../inbox/inbox';
import type { SalesforceClient } from '../salesforce/client';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';
import type { TelephonyClient } from '../salesforce/telephony';
import { systemClock, type Clock } from '../util/clock';
import type { AircallApi } from '../aircall/api';
import { saveToPhone } from './aircall-writes';
import { OpenRecordCache, parseOpenRecords } from './cases';
import type { OrgContextLoader } from './context';
import { Housekeeping } from './housekeeping';
import { loadBatch, splitBatch } from './load';
import { Matcher } from './matcher';
import { RememberedNumbers } from './remembered';
import type { ConnectorMetrics } from './metrics';
import { BatchPlanner, type PlannedBatch } from './plan';
import { Recorder, type BatchOutcome } from './record';
import { Scheduler, timed, type WorkerPhase } from './scheduler';
import { settle, type LoadedBatch, type LoggedCall } from './settle';
import { applyPlan, type ApplyResult } from './unit-of-work';

export type { BatchOutcome, LoggedCall, WorkerPhase };

export interface WorkerOptions {
  /** Events pulled per batch. Writes are still split into 200-record collection requests. */
  batchEvents?: number;
  /** How long an idle worker waits before looking again (a webhook wakes it sooner). */
  idleMs?: number;
  /**
   * A batch starts when `batchEvents` events are due or when the oldest due event has waited this
   * long, so that under load a batch holds many calls (fewer API requests per call) while an event
   * never waits longer than this. The trade-off is measured by `npm run bench`.
   */
  windowMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Permanent batch-level failures are retried this many times before dead-lettering. */
  maxAttempts?: number;
  matchCacheMs?: number;
  /**
   * How long the match of a call whose record is already written is reused for that call's later
   * events (a new call of the same number uses `matchCacheMs`).
   */
  matchCallMs?: number;
  /**
   * How many number matches are kept in memory (least recently used forgotten first): ≈ 0.7 KB
   * each (one candidate), so the default 5,000 holds ≈ 3.5 MB: the 3 h of calls (`matchCallMs`) of
   * a 50-agent center (≈ 1,300 calls), the last hour or so of a 200-agent one. A match forgotten
   * early costs a search only if its call has a later event, and one search serves a whole batch.
   */
  matchCacheEntries?: number;
  /** Delay before a VoiceCall created by a PATCH is looked up to link its Aircall Voice. */
  linkDelayMs?: number;
  linkRetryMs?: number;
  /**
   * The sweeper runs at most this often (default 60 s), so that many calls share one query: the
   * VoiceCall already points at its Aircall Voice (the PATCH sets it), only the way back waits.
   * Each sweep also reads the numbers agents remembered since the last (remembered.ts): this is how
   * long a remembered number may take to apply.
   */
  linkSweepEveryMs?: number;
  callCenterApiName?: string;
  /**
   * Deadline scheduling (deadline.ts): events that nobody needs at once are held until their
   * deadline, or until an urgent event of any call goes out, so one request carries the writes of
   * many calls. `holdMs` caps how long any event waits (0 = no holding: every event goes out within
   * `windowMs`, as before); `finalMs` is how soon after its hang-up a call reaches its final state;
   * `agentMs` how soon an agent's phone state (ringing, wrap-up, available) is written.
   */
  holdMs?: number;
  finalMs?: number;
  agentMs?: number;
  /**
   * Publish `Aircall_Agent_Status__e` beside each agent phone-state write (for an admin's own flows
   * or triggers; nothing in the package subscribes). Off by default: each is a platform event
   * publish counted against the org's hourly allocation.
   */
  agentStatusEvents?: boolean;
}

/**
 * When each phase of an applied batch ended, on the worker's clock: claimed (the loop decided to
 * flush; the link sweep, if due, runs next), loaded (events claimed), planned (context, search,
 * engine), posted (Telephony POSTs answered), committed (the Composite answered: the records are
 * visible in the org; null without one), settled (Telephony PATCHes sent, inbox updated).
 */
export interface BatchTimings {
  callIds: readonly string[];
  started: number;
  loaded: number;
  planned: number;
  posted: number;
  committed: number | null;
  settled: number;
}

export interface WorkerDeps {
  inbox: Inbox;
  client: SalesforceClient;
  telephony: TelephonyClient | null;
  aircall?: AircallApi | null;
  context: OrgContextLoader;
  metrics: ConnectorMetrics;
  logger: Logger;
  onCallLogged?: (call: LoggedCall) => void;
  onDeadLetter?: (callId: string | null, reason: string) => void;
  /**
   * Told, in-process, of the phone-side events of each applied batch (agent statuses, call
   * updates) — what the presence sync once received by subscribing to the connector's own
   * platform events, which cost one event delivery each.
   */
  onPhoneSide?: (events: Plan['platformEvents']) => void;
  /** Time and timers (default: the system clock; `npm run bench:day` injects a simulated day's). */
  clock?: Clock;
  /** The phases of each applied batch (`npm run bench:day` prints where an answer's time goes). */
  onBatchTimings?: (timings: BatchTimings) => void;
  /**
   * The engine's planner (default `planBatch`). A seam for tests only: no event the webhook schema
   * accepts is known to make the engine throw, so test/connector/call-isolation.test.ts replaces it
   * to reach the per-call PLANNING_FAILED path.
   */
  planBatch?: typeof planBatch;
}

export class Worker {
  private readonly options: Required<WorkerOptions>;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly matcher: Matcher;
  private readonly openRecords = new OpenRecordCache();
  private readonly planner: BatchPlanner;
  private readonly recorder: Recorder;
  private readonly housekeeping: Housekeeping;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly deps: WorkerDeps,
    options: WorkerOptions = {},
  ) {
    this.clock = deps.clock ?? systemClock;
    const o = (this.options = withDefaults(options, deps));
    const { inbox, client, metrics, logger } = deps;
    const clock = this.clock;
    this.scheduler = new Scheduler({ inbox, client, metrics, logger, clock }, o);
    const remembered = new RememberedNumbers(o);
    this.matcher = new Matcher({ client, inbox, remembered }, o);
    this.housekeeping = new Housekeeping({ ...deps, clock, ...o, remembered });
    this.planner = new BatchPlanner({
      inbox,
      client,
      context: deps.context,
      matcher: this.matcher,
      openRecords: this.openRecords,
      callCenterApiName: o.callCenterApiName,
      onStaleContext: () => this.housekeeping.contextExpired(),
      ...(deps.planBatch ? { planBatch: deps.planBatch } : {}),
    });
    this.recorder = new Recorder({
      inbox,
      metrics,
      logger,
      clock,
      publishedAgentStatus: this.planner.publishedAgentStatus,
      backoff: (attempts) => this.scheduler.backoff(attempts),
      maxAttempts: o.maxAttempts,
      linkDelayMs: o.linkDelayMs,
      onCallLogged: deps.onCallLogged,
      onDeadLetter: deps.onDeadLetter,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduler.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.scheduler.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.scheduler.running = false;
    this.wake();
    await this.loop;
  }

  private timed<T>(phase: WorkerPhase, fn: () => Promise<T>): Promise<T> {
    return timed(this.deps.metrics, phase, fn);
  }

  private async run(): Promise<void> {
    const scheduler = this.scheduler;
    while (this.running) {
      scheduler.looking();
      let now = this.clock.now();
      let at = await scheduler.look(now);
      if (at !== null && at > now) {
        await scheduler.hold(at, now);
        continue;
      }
      let turn: { release(): Promise<void> } | null | undefined;
      try {
        turn = await scheduler.takeTurn();
      } catch (error) {
        this.deps.logger.warn(
          { err: error },
          'Could not take the turn to drain the inbox; retrying.',
        );
        await scheduler.rest(this.options.backoffBaseMs);
        continue;
      }
      // Another process kept the turn all along: look again (its batch may have taken our work).
      if (turn === null) continue;
      let outcome: BatchOutcome | null = null;
      try {
        if (turn) {
          now = this.clock.now();
          at = await scheduler.look(now);
          if (at !== null && at > now) continue;
        }
        outcome = await this.drainOnce();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'worker batch failed unexpectedly');
      } finally {
        await turn?.release();
      }
      if (!outcome) {
        outcome = { events: 0, applied: 0, skipped: 0, retried: 0, deadLettered: 0 };
        await scheduler.rest(this.options.backoffBaseMs);
      }
      if (!this.running) break;
      await scheduler.afterBatch(outcome.events);
    }
  }

  /**
   * Processes one batch of due events: load → plan → apply → settle. Exposed for tests and
   * `replay`.
   */
  async drainOnce(now = this.clock.now()): Promise<BatchOutcome> {
    const outcome: BatchOutcome = {
      events: 0,
      applied: 0,
      skipped: 0,
      retried: 0,
      deadLettered: 0,
    };
    if (!(await this.scheduler.budgetAllows(now))) return outcome;
    // The calls this batch (and the link sweep) claims are released at the end whatever happens;
    // on PostgreSQL a process that dies instead leaves them to be taken over when its lease expires.
    try {
      const started = this.clock.now();
      const batch = await this.timed('claim', () =>
        loadBatch(this.deps, now, this.options.batchEvents),
      );
      outcome.events = batch.due.length;
      if (batch.due.length > 0 || batch.replan.length > 0) {
        this.deps.metrics.batchSize.observe(batch.due.length);
        await this.runBatch(batch, now, outcome, { started, loaded: this.clock.now() });
      }
      await this.timed('housekeeping', async () => {
        const linked = await this.housekeeping.run(now);
        if (linked !== undefined) outcome.linked = linked;
      });
      return outcome;
    } finally {
      await this.timed('claim', () => this.deps.inbox.releaseClaims());
    }
  }

  /**
   * Plan → apply → settle one batch. A failure stays with the call that caused it: a call whose
   * events make the engine throw is dead-lettered alone (see plan.ts), and a batch that fails as a
   * whole for a reason that is not transient (the org refused the request itself, an unexpected
   * exception) is split in two and each half applied on its own, down to the one call at fault —
   * so its neighbours are applied, never retried or dead-lettered for it. A transient failure (5xx,
   * row lock, limit, the org down) is the org's, not a call's: the whole batch retries later.
   */
  private async runBatch(
    batch: LoadedBatch,
    now: number,
    outcome: BatchOutcome,
    times?: { started: number; loaded: number },
  ): Promise<void> {
    let planned: PlannedBatch;
    let result: ApplyResult;
    let plannedAt = 0;
    try {
      planned = await this.timed('plan', () => this.planner.plan(batch, now));
      outcome.plan = planned.plan;
      plannedAt = this.clock.now();
      result = await this.timed('apply', () => this.apply(planned));
    } catch (caught) {
      const error = toSalesforceError(caught);
      const halves = error.transient ? null : splitBatch(batch);
      if (halves) {
        this.deps.logger.warn(
          { errorCode: error.errorCode, calls: batch.callIds.length },
          `Batch of ${batch.callIds.length} call(s) not applied (${error.message}); applying it in two halves so that only the call at fault fails.`,
        );
        for (const half of halves) await this.runBatch(half, now, outcome, times);
        return;
      }
      await this.timed('settle', async () => {
        await this.deps.inbox.postponeReplan(batch.replan, now + this.scheduler.backoff(1));
        await this.recorder.failBatch(batch.due, error, now, outcome);
      });
      return;
    }
    const { plan, unplannable } = planned;
    for (const [callId, error] of unplannable) result.failed.set(callId, error);
    this.deps.onPhoneSide?.(plan.platformEvents);
    await this.timed('settle', () =>
      this.recorder.record(settle(batch, plan, result), plan, result, now, outcome),
    );
    if (times && this.deps.onBatchTimings)
      this.deps.onBatchTimings({
        callIds: batch.callIds,
        ...times,
        planned: plannedAt,
        ...result.timings,
        settled: this.clock.now(),
      });
  }

  /**
   * Apply: the plan's Salesforce writes (unit-of-work.ts), with the open-record reads of ringing
   * calls riding in their Composite, then its Aircall API writes (aircall-writes.ts).
   */
  private async apply(planned: PlannedBatch): Promise<ApplyResult> {
    const { plan, previous, prefetch, settings } = planned;
    const result = await applyPlan(plan, previous, {
      client: this.deps.client,
      telephony: this.deps.telephony,
      voiceCalls: this.deps.inbox,
      now: () => this.clock.now(),
      logger: this.deps.logger,
      agentStatusEvents: this.options.agentStatusEvents,
      ...(prefetch ? { reads: prefetch.reads } : {}),
    });
    if (prefetch && result.reads) {
      try {
        const records = parseOpenRecords(prefetch.queries, result.reads);
        this.openRecords.put(prefetch.keys, records, settings, this.clock.now());
      } catch {
        // A read the org refused: those records are read when their call is answered.
      }
    }
    if (this.deps.aircall)
      result.warnings.push(...(await saveToPhone(plan, result.failed, this.deps.aircall)));
    return result;
  }

  /**
   * Forget the agent status last published for a user (15- or 18-character Id), e.g. after they
   * changed their Omni status by hand, so the next phone-side event is published again.
   */
  forgetAgentStatus(userId: string): void {
    const published = this.planner.publishedAgentStatus;
    for (const key of published.keys()) {
      if (key.slice(0, 15) === userId.slice(0, 15)) published.delete(key);
    }
  }

  /** Forget cached matches (e.g. after records were created or merged in the org). */
  async clearMatchCache(): Promise<void> {
    this.openRecords.clear();
    await this.matcher.clear();
  }
}

/** The options with their defaults. */
function withDefaults(options: WorkerOptions, deps: WorkerDeps): Required<WorkerOptions> {
  return {
    batchEvents: options.batchEvents ?? 1000,
    idleMs: options.idleMs ?? 250,
    windowMs: options.windowMs ?? 100,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    backoffMaxMs: options.backoffMaxMs ?? 5 * 60_000,
    maxAttempts: options.maxAttempts ?? 8,
    matchCacheMs: options.matchCacheMs ?? 5 * 60_000,
    matchCallMs: options.matchCallMs ?? 3 * 60 * 60_000,
    matchCacheEntries: options.matchCacheEntries ?? 5_000,
    linkDelayMs: options.linkDelayMs ?? 3000,
    linkRetryMs: options.linkRetryMs ?? 10_000,
    linkSweepEveryMs: options.linkSweepEveryMs ?? 60_000,
    callCenterApiName:
      options.callCenterApiName ?? deps.telephony?.config.callCenterApiName ?? 'Aircall',
    holdMs: options.holdMs ?? 30_000,
    finalMs: options.finalMs ?? 38_000,
    agentMs: options.agentMs ?? 15_000,
    agentStatusEvents: options.agentStatusEvents ?? false,
  };
}

export { SalesforceError };
