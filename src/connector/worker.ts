/**
 * The worker: drains the inbox in micro-batches and turns them into Salesforce records.
 *
 * One batch = up to `batchEvents` due events. For the calls they touch it loads every stored event
 * (the fold is order-independent, so late or duplicated deliveries are harmless), matches the
 * batch's phone numbers with one SOSL (numbers seen in the last minute come from a cache), asks the
 * engine for one plan, and applies it through the unit of work. An event is marked done only after
 * its writes succeed; transient failures retry with exponential backoff and jitter, permanent ones
 * are dead-lettered with the Salesforce error text.
 *
 * A batch is four steps: load (the inbox's due events) → plan (context, matches, engine) → apply
 * (unit-of-work.ts) → settle (settle.ts, a pure function deciding each event's fate), which the
 * worker then records in the inbox, metrics and logs.
 */
import type { Logger } from 'pino';
import {
  parseWebhook,
  buildSearches,
  candidatesFor,
  consumeSearch,
  mergeCandidates,
  normalizeNumber,
  type NumberToSearch,
  planBatch,
  type AircallEvent,
  type CallSyncState,
  type Plan,
  type CrmCandidate,
  type MatchIndex,
  type PublishedAgentStatus,
  foldCall,
  needsOpenRecords,
  openRecordKeys,
  caseLanguageOf,
  type OpenRecords,
  type Settings,
} from '../engine';
import type { AiEvent, CallEvent, UserEvent } from '../aircall';
import type { Inbox, StoredEvent } from '../inbox/inbox';
import {
  caseRefusedEvent,
  OpenRecordCache,
  openRecordQueries,
  parseOpenRecords,
  readOpenRecords,
  type OpenRecordKeys,
} from './cases';
import type { SalesforceClient } from '../salesforce/client';
import { CASE_REFUSED_EVENT, ErrorCode, TASK_EVENT } from '../errors/catalogue';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';
import type { TelephonyClient } from '../salesforce/telephony';
import type { AircallApi } from '../aircall/api';
import type { OrgContextLoader } from './context';
import type { ConnectorMetrics } from './metrics';
import { AircallLines } from './lines';
import { sweepLinks } from './links';
import { settle, type LoadedBatch, type LoggedCall, type Settlement } from './settle';
import { applyPlan, type ApplyResult } from './unit-of-work';
import { systemClock, type Clock } from '../util/clock';
import { earliestDeadline, noHold, type DeadlineOptions } from './deadline';
import { RecentMap } from '../util/recent-map';
import { sleep, wakeableSleep } from '../util/sleep';

export type { LoggedCall };

/** Open-record queries riding on a batch's write Composite, and the records they are about. */
interface Prefetch {
  keys: OpenRecordKeys;
  queries: ReturnType<typeof openRecordQueries>;
  reads: string[];
}

/** Where processes sharing an inbox note the last link sweep (`Inbox.sharedState`). */
const SWEEP_KEY = 'link-sweep';

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

/** Where the worker's time goes (`aircall_worker_seconds_total`). */
export type WorkerPhase =
  'look' | 'turn' | 'claim' | 'plan' | 'apply' | 'settle' | 'housekeeping' | 'idle';

export interface BatchOutcome {
  events: number;
  applied: number;
  skipped: number;
  retried: number;
  deadLettered: number;
  /** Aircall Voice records linked to their VoiceCall by the sweeper in this round. */
  linked?: number;
  plan?: Plan;
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
  private readonly matchCache: RecentMap<string, { candidates: CrmCandidate[]; at: number }>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private lastProbe = 0;
  private lastSweep = 0;
  /** The last sweep left due links behind (a backlog): the next batch sweeps again. */
  private linksBehind = false;
  private readonly warnedAt = new Map<string, number>();
  private publishExhausted = false;
  /**
   * The Omni status last published per Salesforce user (phone → Omni), so a phone event that
   * leaves it unchanged costs no request. In memory only: after a restart the first event of each
   * rep is published again, which is harmless (Omni already shows that status).
   */
  private readonly publishedAgentStatus = new Map<string, PublishedAgentStatus>();
  /** The account's own Aircall lines (lines.ts): internal calls are known across restarts. */
  private readonly aircallLines: AircallLines;
  /** The open Cases / Opportunities last read per matched record (cases.ts). */
  private readonly openRecords = new OpenRecordCache();
  private readonly clock: Clock;

  constructor(
    private readonly deps: WorkerDeps,
    options: WorkerOptions = {},
  ) {
    this.clock = deps.clock ?? systemClock;
    this.aircallLines = new AircallLines(deps.client);
    this.options = {
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
    this.matchCache = new RecentMap(this.options.matchCacheEntries);
    this.deadlines =
      this.options.holdMs <= this.options.windowMs
        ? noHold(this.options.windowMs)
        : {
            urgentMs: this.options.windowMs,
            agentMs: Math.min(this.options.agentMs, this.options.holdMs),
            holdMs: this.options.holdMs,
            finalMs: Math.min(this.options.finalMs, this.options.holdMs + 10_000),
          };
  }

  private readonly deadlines: DeadlineOptions;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakes++;
    this.wakeUp?.();
  }

  /** How many times `wake()` was called (hold() tells a webhook from its own timeout). */
  private wakes = 0;

  /** Set by `wake()` and consumed by `idle()`, so a webhook that arrives while the loop is busy
   * (looking at the inbox) is not missed by the wait that follows. */
  private woken = false;

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    const wait = wakeableSleep(ms, this.clock);
    this.wakeUp = wait.wake;
    await wait.done;
    this.wakeUp = null;
  }

  /**
   * When the next batch should go out: the earliest deadline among the due events (deadline.ts),
   * now when a batch is full or a call's revisit is due, null when nothing is due.
   */
  private async flushAt(now: number): Promise<number | null> {
    const { inbox } = this.deps;
    const due = await inbox.due(now, this.options.batchEvents);
    if (due.length >= this.options.batchEvents) return now;
    const earliest = earliestDeadline(due, this.deadlines);
    if (earliest === null || earliest <= now) return earliest;
    // A call's revisit (e.g. the final VoiceCall PATCH when call.ended never came) is a deadline too.
    if ((await inbox.callsToReplan(now, 1)).length > 0) return now;
    return earliest;
  }

  /** Runs `fn`, adding its wall time to the worker's time in `phase` (a metric; the bench reads it). */
  private async timed<T>(phase: WorkerPhase, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.deps.metrics.workerSeconds.inc({ phase }, (performance.now() - started) / 1000);
    }
  }

  /** Waits until `at` (a flush deadline in the future), or less when a webhook may be urgent. */
  private async hold(at: number, now: number): Promise<void> {
    // Held: a webhook wakes the loop (it may be urgent); otherwise look again within idleMs
    // (revisits), or at the deadline. A short wait (the batch window) is not interrupted.
    const wait = at - now;
    await this.timed('idle', async () => {
      if (wait <= this.options.windowMs) return sleep(wait, { clock: this.clock });
      const wakes = this.wakes;
      await this.idle(Math.min(wait, Math.max(this.options.idleMs, 1000)));
      // Woken by a webhook: even an urgent event is due only a batch window after it arrived, so
      // the next look waits that long. One look per window instead of one per webhook: a process
      // that is not draining (another has the turn) would otherwise read the due events at every
      // webhook it receives.
      if (this.wakes !== wakes && this.running)
        await sleep(this.options.windowMs, { clock: this.clock });
    });
  }

  /**
   * Processes sharing a PostgreSQL inbox drain it in turn: the one whose turn it is looks at the
   * due work of the whole inbox and takes it all, so batches are as large as one process would
   * make them (the org's bill does not grow with the number of processes) and no two workers race
   * for the same due events. A process waits for the turn only when it saw work due, and looks
   * again once it has it: the previous holder may have taken that work. With one process (SQLite)
   * there is no turn.
   */
  private async takeTurn(): Promise<{ release(): Promise<void> } | null | undefined> {
    const { inbox } = this.deps;
    if (!inbox.takeTurn) return undefined;
    const waitMs = Math.max(this.options.idleMs, 250);
    return this.timed('turn', () => inbox.takeTurn!(waitMs));
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let now = this.clock.now();
      let at = await this.timed('look', () => this.flushAt(now));
      if (at !== null && at > now) {
        await this.hold(at, now);
        continue;
      }
      let turn: { release(): Promise<void> } | null | undefined;
      try {
        turn = await this.takeTurn();
      } catch (error) {
        this.deps.logger.warn(
          { err: error },
          'Could not take the turn to drain the inbox; retrying.',
        );
        await this.timed('idle', () => this.idle(this.options.backoffBaseMs));
        continue;
      }
      // Another process kept the turn all along: look again (its batch may have taken our work).
      if (turn === null) continue;
      let outcome: BatchOutcome | null = null;
      try {
        if (turn) {
          now = this.clock.now();
          at = await this.timed('look', () => this.flushAt(now));
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
        await this.timed('idle', () => this.idle(this.options.backoffBaseMs));
      }
      if (!this.running) break;
      const budget = this.deps.client.budget;
      if (budget.state === 'slow') await this.timed('idle', () => this.idle(budget.slowDelayMs));
      if (outcome.events === 0) await this.timed('idle', () => this.idle(this.options.idleMs));
    }
  }

  /** While the API budget is exhausted, look at /limits once a minute instead of working. */
  private async budgetAllows(now: number): Promise<boolean> {
    const budget = this.deps.client.budget;
    this.deps.metrics.apiUsage.set(budget.fraction);
    if (budget.state !== 'paused') {
      this.deps.metrics.apiPaused.set(0);
      return true;
    }
    this.deps.metrics.apiPaused.set(1);
    if (now - this.lastProbe > 60_000) {
      this.lastProbe = now;
      this.deps.logger.warn(
        `Paused to protect the org's API allocation: ${budget.describe()}. Events wait in the inbox.`,
      );
      await this.deps.client.limits().catch(() => undefined);
    }
    return budget.state !== 'paused';
  }

  private backoff(attempts: number): number {
    const base = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.min(attempts, 20),
    );
    return Math.round(base / 2 + Math.random() * (base / 2)); // "equal jitter"
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
    if (!(await this.budgetAllows(now))) return outcome;
    // The calls this batch (and the link sweep) claims are released at the end whatever happens;
    // on PostgreSQL a process that dies instead leaves them to be taken over when its lease expires.
    try {
      return await this.drainClaimed(now, outcome);
    } finally {
      await this.timed('claim', () => this.deps.inbox.releaseClaims());
    }
  }

  private async drainClaimed(now: number, outcome: BatchOutcome): Promise<BatchOutcome> {
    const started = this.clock.now();
    const batch = await this.timed('claim', () => this.load(now));
    outcome.events = batch.due.length;
    if (batch.due.length > 0 || batch.replan.length > 0) {
      this.deps.metrics.batchSize.observe(batch.due.length);
      await this.runBatch(batch, now, outcome, { started, loaded: this.clock.now() });
    }
    await this.timed('housekeeping', () => this.housekeeping(now, outcome));
    return outcome;
  }

  /** Whether the last batch was planned with an expired org context (refreshed after it). */
  private contextStale = false;

  /**
   * What no batch waits for, done after its writes: the link sweep (at most once every
   * `linkSweepEveryMs`) and the refresh of an org context that expired (the batch used the old one,
   * see `OrgContextLoader.forBatch`). Before, both ran ahead of the batch's writes and made an
   * answer wait for up to three more round trips (`npm run bench:day` measured where the time went).
   */
  private async housekeeping(now: number, outcome: BatchOutcome): Promise<void> {
    if (this.contextStale) {
      this.contextStale = false;
      await this.deps.context.get(this.clock.now()).catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, 'Org context refresh failed; retried at next batch.');
      });
    }
    if (!(await this.sweepDue(now))) return;
    const swept = await sweepLinks(
      this.deps.inbox,
      this.deps.client,
      this.deps.logger,
      now,
      this.options.linkRetryMs,
    );
    outcome.linked = swept.linked;
    this.linksBehind = swept.more;
    await this.deps.inbox.sharedState
      ?.put(SWEEP_KEY, { more: swept.more }, now)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'Could not note the link sweep in the inbox.'),
      );
  }

  /**
   * Whether the link sweep is due: at most once every `linkSweepEveryMs` for the whole
   * deployment (processes sharing an inbox note the last sweep there, so N processes do not sweep N
   * times), or at once while the last one left due links behind.
   */
  private async sweepDue(now: number): Promise<boolean> {
    if (!this.linksBehind && now - this.lastSweep < this.options.linkSweepEveryMs) return false;
    const shared = this.deps.inbox.sharedState;
    if (shared) {
      // This process's own last sweep is never later than the deployment's: only read the shared
      // one when its own says a sweep is due.
      const last = await shared.get(SWEEP_KEY).catch(() => null);
      if (last && now - last.at < this.options.linkSweepEveryMs) {
        const more = (last.value as { more?: unknown } | null)?.more === true;
        this.lastSweep = Math.max(this.lastSweep, last.at);
        this.linksBehind = more;
        if (!more) return false;
      }
    }
    this.lastSweep = now;
    return true;
  }

  /**
   * Plan → apply → settle one batch. A failure stays with the call that caused it: a call whose
   * events make the engine throw is dead-lettered alone (see plan), and a batch that fails as a
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
    let plan: Plan;
    let result: ApplyResult;
    let unplannable: Map<string, SalesforceError>;
    let plannedAt = 0;
    try {
      const planned = await this.timed('plan', () => this.plan(batch, now));
      plan = planned.plan;
      unplannable = planned.unplannable;
      outcome.plan = plan;
      plannedAt = this.clock.now();
      result = await this.timed('apply', () =>
        applyPlan(plan, planned.previous, {
          client: this.deps.client,
          telephony: this.deps.telephony,
          voiceCalls: this.deps.inbox,
          now: () => this.clock.now(),
          aircall: this.deps.aircall,
          logger: this.deps.logger,
          agentStatusEvents: this.options.agentStatusEvents,
          ...(planned.prefetch ? { reads: planned.prefetch.reads } : {}),
        }),
      );
      if (planned.prefetch && result.reads) {
        const { keys, queries } = planned.prefetch;
        try {
          this.openRecords.put(
            keys,
            parseOpenRecords(queries, result.reads),
            planned.settings,
            this.clock.now(),
          );
        } catch {
          // A read the org refused: those records are read when their call is answered.
        }
      }
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
        await this.deps.inbox.postponeReplan(batch.replan, now + this.backoff(1));
        await this.failBatch(batch.due, error, now, outcome);
      });
      return;
    }
    for (const [callId, error] of unplannable) result.failed.set(callId, error);
    this.deps.onPhoneSide?.(plan.platformEvents);
    await this.timed('settle', () =>
      this.record(settle(batch, plan, result), plan, result, now, outcome),
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

  /** Load: the due events and the calls to revisit, sorted into call events and the rest. */
  private async load(now: number): Promise<LoadedBatch> {
    const claimed = await this.deps.inbox.claimDue(now, this.options.batchEvents);
    const { replan } = claimed;
    // An event of a call that the webhook schema no longer accepts (stored by an older version,
    // before a check such as the 4000-12-31 limit on times existed) is dead-lettered with the
    // reason, alone: it never reaches the engine, and its call's other events are applied.
    const invalid = new Map<string, number[]>();
    const due = claimed.events.filter((stored) => {
      if (stored.callId === null || stored.name === TASK_EVENT) return true;
      const parsed = parseWebhook(stored.body);
      if (parsed.ok) return true;
      invalid.set(parsed.error, [...(invalid.get(parsed.error) ?? []), stored.seq]);
      return false;
    });
    for (const [reason, seqs] of invalid) {
      const message = `Event no longer valid: ${reason}`;
      await this.deps.inbox.deadLetter(seqs, message, ErrorCode.INVALID_EVENT, now);
      this.deps.metrics.errors.inc({ kind: 'permanent' });
      this.deps.metrics.applied.inc({ outcome: 'dead_lettered' }, seqs.length);
      this.deps.logger.error(`Dead-lettered ${seqs.length} event(s): ${message}`);
    }
    const callIds = [
      ...new Set([
        ...due.map((e) => e.callId).filter((id): id is string => id !== null),
        ...replan,
      ]),
    ];
    const userEvents: UserEvent[] = [];
    const unusedSeqs: number[] = [];
    const userSeqs: number[] = [];
    for (const stored of due) {
      if (stored.callId !== null) continue;
      const event = parseStored(stored);
      if (event?.kind === 'user') {
        userEvents.push(event);
        userSeqs.push(stored.seq);
      } else unusedSeqs.push(stored.seq);
    }
    return { due, replan, callIds, userEvents, userSeqs, unusedSeqs };
  }

  /** Plan: every stored event of the batch's calls, the org's context and matches → one plan. */
  private async plan(
    batch: LoadedBatch,
    now: number,
  ): Promise<{
    plan: Plan;
    previous: Map<string, CallSyncState>;
    /** Calls whose events made the engine throw, left out of the plan (dead-lettered). */
    unplannable: Map<string, SalesforceError>;
    /** Open-record reads to send with the batch's writes (calls still ringing), or null. */
    prefetch: Prefetch | null;
    settings: Settings;
  }> {
    const { inbox } = this.deps;
    const { context, stale } = await this.deps.context.forBatch(now);
    if (stale) this.contextStale = true;
    const [eventsByCall, previous] = await Promise.all([
      inbox.eventsOfCalls(batch.callIds),
      inbox.syncStates(batch.callIds),
    ]);
    // A Case dead letter retried from the CLI is due again: its call plans its Case once more.
    const caseRetries = new Set(
      batch.due.filter((e) => e.name === CASE_REFUSED_EVENT && e.callId).map((e) => e.callId),
    );
    for (const callId of caseRetries) {
      const state = callId ? previous.get(callId) : undefined;
      if (callId && state?.caseRefused) {
        const retried = { ...state };
        delete retried.caseRefused;
        previous.set(callId, retried);
      }
    }
    const calls = batch.callIds.map((callId) => ({
      callId,
      events: (eventsByCall.get(callId) ?? [])
        .map(parseStored)
        .filter(
          (e): e is CallEvent | AiEvent => e !== null && (e.kind === 'call' || e.kind === 'ai'),
        ),
      sync: previous.get(callId),
    }));
    // A call whose record is written keeps the match it was written with for its whole life
    // (hang-up, recording, tags and AI results come minutes later): no second search for it.
    const numbers = calls.flatMap((c) =>
      numbersOf(c.callId, c.events).map((n) => ({
        ...n,
        written: c.sync?.aircallVoiceHash !== undefined,
      })),
    );
    // Only the records created for this batch's numbers: the table keeps every number ever created
    // for, and reading it whole at every batch cost time and memory in proportion to the history
    // (the 100,000-call soak's RSS kept growing with it).
    const e164s = [...new Set(numbers.flatMap((n) => normalizeNumber(n.raw, n.country) ?? []))];
    for (const call of calls)
      for (const e of call.events) {
        if (e.kind !== 'call' || !e.data.number?.digits) continue;
        const line = normalizeNumber(e.data.number.digits, e.data.number.country ?? null);
        if (line) this.aircallLines.add(line);
      }
    if (context.settings.skipInternalCalls) await this.aircallLines.load();
    // Open follow-up Tasks of the batch's numbers, so an answered call back closes them.
    const [matches, known, openFollowUps] = await Promise.all([
      this.match(numbers, context.settings, now),
      inbox.createdRecords(e164s),
      context.settings.callbackWindowHours > 0 ? inbox.openFollowUps(e164s) : new Map(),
    ]);
    // The open Cases / Opportunities of the records matched by the calls that still have to choose
    // theirs. Only calls whose Aircall Voice this plan writes for the first time choose (a call that
    // still rings is written later). What a batch read while the call rang (riding on its write
    // Composite, see `prefetch`) is used; the rest is read now, in one Composite for the batch.
    const settings = context.settings;
    const openKeysOf = (of: typeof calls) =>
      openRecordKeys(
        of.flatMap((c) =>
          numbersOf(c.callId, c.events).flatMap((n) => {
            const e164 = normalizeNumber(n.raw, n.country);
            return e164 ? (matches.get(e164) ?? []) : [];
          }),
        ),
      );
    const undecided = calls.filter((c) => needsOpenRecords(c.sync, settings));
    const choosing = undecided.filter((c) => connectedCall(c.callId, c.events));
    let openRecords: OpenRecords | undefined;
    if (choosing.length > 0) {
      const keys = openKeysOf(choosing);
      const missing = this.openRecords.missing(keys, settings, now);
      if (missing.contactIds.length + missing.accountIds.length > 0)
        this.openRecords.put(
          missing,
          await readOpenRecords(this.deps.client, missing, settings),
          settings,
          now,
        );
      openRecords = this.openRecords.get(keys, settings);
    }
    // Calls still ringing: their records' open Cases / Opportunities ride on this batch's write
    // Composite when there is room in it, so that their answer costs no read.
    const ringing = undecided.filter((c) => !choosing.includes(c));
    const prefetchKeys = this.openRecords.missing(openKeysOf(ringing), settings, now);
    const prefetchQueries = openRecordQueries(prefetchKeys, settings);
    const reads = [
      ...prefetchQueries.cases,
      ...prefetchQueries.opportunities,
      ...prefetchQueries.roles,
    ];
    const prefetch =
      reads.length > 0 ? { keys: prefetchKeys, queries: prefetchQueries, reads } : null;
    const input = {
      calls,
      userEvents: batch.userEvents,
      settings: context.settings,
      statusMappings: context.statusMappings,
      businessHours: context.businessHours,
      matches,
      users: context.users,
      known: new Map(
        [...known].map(([e164, r]) => [e164, { sobject: r.sobject, id: r.id ?? undefined }]),
      ),
      callCenterApiName: this.options.callCenterApiName,
      now: new Date(now),
      presenceStatuses: context.presenceStatuses,
      publishedAgentStatus: this.publishedAgentStatus,
      language: context.language,
      aircallLines: this.aircallLines.all,
      openFollowUps,
      openRecords,
      caseLanguage: caseLanguageOf(context.language),
    };
    const unplannable = new Map<string, SalesforceError>();
    const planBatchOf = this.deps.planBatch ?? planBatch;
    try {
      return { plan: planBatchOf(input), previous, unplannable, prefetch, settings };
    } catch (batchError) {
      // Some call's events make the engine throw (a value the schema let through and the engine
      // cannot use): find which by planning each call alone, and plan the batch without them.
      for (const call of calls) {
        try {
          planBatchOf({ ...input, calls: [call], userEvents: [] });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          unplannable.set(
            call.callId,
            new SalesforceError(
              `The events of call ${call.callId} could not be planned (${reason}); the other calls of the batch are applied.`,
              ErrorCode.PLANNING_FAILED,
              false,
            ),
          );
        }
      }
      if (unplannable.size === 0) throw batchError;
      const rest = calls.filter((c) => !unplannable.has(c.callId));
      return {
        plan: planBatchOf({ ...input, calls: rest }),
        previous,
        unplannable,
        prefetch,
        settings,
      };
    }
  }

  /** Carries out a settlement: inbox, memory of published statuses, metrics, logs, callbacks. */
  private async record(
    settled: Settlement,
    plan: Plan,
    result: ApplyResult,
    now: number,
    outcome: BatchOutcome,
  ): Promise<void> {
    const { inbox, metrics, logger } = this.deps;
    // An allocation that is used up is reported (metric, log once, doctor) and clears by itself
    // at the first batch whose events are accepted again.
    if (settled.publishAllocation === 'exhausted' && !this.publishExhausted) {
      logger.warn(
        'The org refuses platform event publishes (hourly publishing allocation used up, LIMIT_EXCEEDED): ' +
          'calls are still logged; agent status events resume when the allocation refills.',
      );
    } else if (settled.publishAllocation === 'accepted' && this.publishExhausted) {
      logger.info('Platform event publishes are accepted again.');
    }
    if (settled.publishAllocation !== null) {
      this.publishExhausted = settled.publishAllocation === 'exhausted';
      metrics.eventPublishExhausted.set(this.publishExhausted ? 1 : 0);
    }
    for (const { userId, status } of settled.agentStatus) {
      if (status === null) this.publishedAgentStatus.delete(userId);
      else this.publishedAgentStatus.set(userId, status);
    }
    for (const warning of result.warnings) {
      metrics.errors.inc({ kind: 'publish' });
      logger.warn(warning);
    }
    // Problems with the inputs (a setting, a missing presence status) come back with every batch:
    // each is logged once every 10 minutes, not at every batch.
    for (const warning of plan.warnings ?? []) {
      const last = this.warnedAt.get(warning);
      if (last !== undefined && now - last < 10 * 60_000) continue;
      if (this.warnedAt.size > 1000) this.warnedAt.clear();
      this.warnedAt.set(warning, now);
      logger.warn(warning);
    }

    await inbox.complete(
      settled.done,
      settled.skipped,
      settled.sync,
      settled.created,
      this.clock.now(),
    );
    // A Case the org refused for good: the call is logged; the Case alone becomes a dead letter
    // (an event of the call that `dead-letters --retry` puts back, see plan()).
    for (const { callId, error } of result.caseRefusals) {
      const event = caseRefusedEvent(callId, error, this.clock.now());
      await inbox.add(event);
      const stored = (await inbox.eventsOfCalls([callId]))
        .get(callId)
        ?.find((e) => e.key === event.key);
      const message = `The Case of call ${callId} was refused by the org (${error.message}); the call is logged without it. Fix the cause (a required field, a validation rule), then run: aircall-sfv dead-letters --retry`;
      if (stored) await inbox.deadLetter([stored.seq], message, error.errorCode, now);
      metrics.errors.inc({ kind: 'permanent' });
      logger.error({ callId, errorCode: error.errorCode }, message);
      this.deps.onDeadLetter?.(callId, message);
    }
    if (settled.linksNeeded.length > 0)
      await inbox.addPendingLinks(settled.linksNeeded, now + this.options.linkDelayMs);
    if (settled.failedReplans.length > 0)
      await inbox.postponeReplan(settled.failedReplans, now + this.backoff(1));
    if (settled.taskReplan.length > 0)
      await inbox.postponeReplan(settled.taskReplan, now + this.backoff(1));
    // A Task the org refused: its own dead letter, the call stays logged (its events are done).
    for (const { callId, error } of settled.taskDead) {
      await inbox.deadLetterTask(callId, error.message, error.errorCode, now);
      metrics.errors.inc({ kind: 'permanent' });
      logger.error({ callId, errorCode: error.errorCode }, `Task dead-lettered: ${error.message}`);
    }
    outcome.applied += settled.done.length;
    outcome.skipped += settled.skipped.length;
    metrics.applied.inc({ outcome: 'applied' }, settled.done.length);
    metrics.applied.inc({ outcome: 'skipped' }, settled.skipped.length);
    const finishedAt = this.clock.now();
    for (const stored of settled.finished)
      metrics.latency.observe((finishedAt - stored.receivedAt) / 1000);

    for (const { seq, attempts, error } of settled.retry) {
      await inbox.retryLater([seq], now + this.backoff(attempts), error.message);
      metrics.errors.inc({ kind: 'transient' });
      outcome.retried++;
    }
    for (const { error, seqs, callId } of settled.dead) {
      await inbox.deadLetter(seqs, error.message, error.errorCode, now);
      metrics.errors.inc({ kind: 'permanent' });
      metrics.applied.inc({ outcome: 'dead_lettered' }, seqs.length);
      outcome.deadLettered += seqs.length;
      logger.error(
        { callId, errorCode: error.errorCode },
        `Dead-lettered ${seqs.length} event(s): ${error.message}`,
      );
      this.deps.onDeadLetter?.(callId, error.message);
    }
    if (this.deps.onCallLogged)
      for (const call of settled.loggedCalls) this.deps.onCallLogged(call);
  }

  private async failBatch(
    due: StoredEvent[],
    error: SalesforceError,
    now: number,
    outcome: BatchOutcome,
  ): Promise<void> {
    const { inbox, metrics, logger } = this.deps;
    metrics.errors.inc({ kind: 'batch' });
    const give = due.filter((e) => !error.transient && e.attempts + 1 >= this.options.maxAttempts);
    const keep = due.filter((e) => !give.includes(e));
    if (give.length > 0) {
      await inbox.deadLetter(
        give.map((e) => e.seq),
        error.message,
        error.errorCode,
        now,
      );
      outcome.deadLettered += give.length;
      metrics.applied.inc({ outcome: 'dead_lettered' }, give.length);
    }
    const attempts = Math.max(0, ...keep.map((e) => e.attempts));
    if (keep.length > 0)
      await inbox.retryLater(
        keep.map((e) => e.seq),
        now + this.backoff(attempts),
        error.message,
      );
    outcome.retried += keep.length;
    logger.warn(
      { errorCode: error.errorCode, transient: error.transient, events: due.length },
      `Batch not applied, will retry: ${error.message}`,
    );
  }

  /**
   * As few SOSL statements as the search-text limit allows for the batch's uncached numbers; results
   * cached by number, line country and Default Country (a record without a country is read in the
   * line's country when no Default Country is set, so the same caller on two lines may differ).
   */
  private async match(
    numbers: (NumberToSearch & { written?: boolean })[],
    settings: Parameters<typeof buildSearches>[1],
    now: number,
  ): Promise<MatchIndex> {
    const index: MatchIndex = new Map();
    const missing: NumberToSearch[] = [];
    const seen = new Set<string>();
    const keyOf = (e164: string, n: NumberToSearch) =>
      `${e164}|${n.country ?? ''}|${settings.defaultCountry ?? ''}`;
    for (const n of numbers) {
      const e164 = normalizeNumber(n.raw, n.country);
      if (!e164) continue;
      const key = keyOf(e164, n);
      if (seen.has(key)) continue;
      seen.add(key);
      const cached = this.matchCache.get(key);
      const maxAge = n.written ? this.options.matchCallMs : this.options.matchCacheMs;
      if (cached && now - cached.at < maxAge) mergeCandidates(index, e164, cached.candidates);
      else missing.push(n);
    }
    // Several processes on one PostgreSQL inbox share what each searched: the next batch of a call
    // may run in another process, and must not search its number again.
    const shared = this.deps.inbox.sharedMatches;
    if (shared && missing.length > 0) {
      const keys = new Map<string, NumberToSearch & { written?: boolean }>();
      for (const n of missing) keys.set(keyOf(normalizeNumber(n.raw, n.country)!, n), n);
      const longest = Math.max(this.options.matchCacheMs, this.options.matchCallMs);
      const hits = await shared.get([...keys.keys()], now, longest);
      for (const [key, hit] of hits) {
        const n = keys.get(key)!;
        const maxAge = n.written ? this.options.matchCallMs : this.options.matchCacheMs;
        if (now - hit.at >= maxAge) {
          hits.delete(key);
          continue;
        }
        const candidates = hit.candidates as CrmCandidate[];
        mergeCandidates(index, normalizeNumber(n.raw, n.country)!, candidates);
        this.matchCache.set(key, { candidates, at: hit.at });
      }
      missing.splice(
        0,
        missing.length,
        ...missing.filter((n) => !hits.has(keyOf(normalizeNumber(n.raw, n.country)!, n))),
      );
    }
    const searchedNow: { key: string; candidates: CrmCandidate[] }[] = [];
    // buildSearches keeps each SOSL under Salesforce's 4,000-character search-text limit.
    for (const { sosl, terms } of buildSearches(missing, settings)) {
      const found = consumeSearch(await this.deps.client.search(sosl), missing, settings);
      const searched = new Set(terms.map((t) => t.e164));
      for (const n of missing) {
        const e164 = normalizeNumber(n.raw, n.country);
        if (!e164 || !searched.has(e164)) continue;
        const candidates = candidatesFor(found, e164, n.country);
        mergeCandidates(index, e164, candidates);
        this.matchCache.set(keyOf(e164, n), { candidates, at: now });
        searchedNow.push({ key: keyOf(e164, n), candidates });
      }
    }
    if (shared && searchedNow.length > 0)
      await shared.put(
        searchedNow,
        now,
        now - Math.max(this.options.matchCacheMs, this.options.matchCallMs),
      );
    return index;
  }

  /**
   * Forget the agent status last published for a user (15- or 18-character Id), e.g. after they
   * changed their Omni status by hand, so the next phone-side event is published again.
   */
  forgetAgentStatus(userId: string): void {
    for (const key of this.publishedAgentStatus.keys()) {
      if (key.slice(0, 15) === userId.slice(0, 15)) this.publishedAgentStatus.delete(key);
    }
  }

  /** Forget cached matches (e.g. after records were created or merged in the org). */
  async clearMatchCache(): Promise<void> {
    this.matchCache.clear();
    this.openRecords.clear();
    await this.deps.inbox.sharedMatches?.clear();
  }
}

/**
 * A batch in two halves by call (the events that belong to no call go with the first), or null
 * when it holds a single call or only events of no call.
 */
function splitBatch(batch: LoadedBatch): [LoadedBatch, LoadedBatch] | null {
  if (
    batch.callIds.length < 2 &&
    (batch.callIds.length === 0 || batch.due.every((e) => e.callId !== null))
  ) {
    return null;
  }
  const middle = Math.ceil(batch.callIds.length / 2);
  const parts =
    batch.callIds.length < 2
      ? [[], batch.callIds]
      : [batch.callIds.slice(0, middle), batch.callIds.slice(middle)];
  const [first, second] = parts.map((ids, i): LoadedBatch => {
    const calls = new Set(ids);
    const withoutCall = i === 0;
    return {
      due: batch.due.filter((e) => (e.callId === null ? withoutCall : calls.has(e.callId))),
      replan: batch.replan.filter((id) => calls.has(id)),
      callIds: [...ids],
      userEvents: withoutCall ? batch.userEvents : [],
      userSeqs: withoutCall ? batch.userSeqs : [],
      unusedSeqs: withoutCall ? batch.unusedSeqs : [],
    };
  }) as [LoadedBatch, LoadedBatch];
  return [first, second];
}

/** Whether the call's Aircall Voice is written by a plan now: it connected, or ended unanswered. */
function connectedCall(callId: string, events: readonly (CallEvent | AiEvent)[]): boolean {
  const state = foldCall(callId, events);
  return (
    state !== null &&
    (state.answeredAt !== null || state.ended || state.seen.includes('call.answered'))
  );
}

function parseStored(stored: StoredEvent): AircallEvent | null {
  const parsed = parseWebhook(stored.body);
  return parsed.ok ? parsed.event : null;
}

/**
 * The number the engine will link the call by: the fold's (src/engine/fold.ts), so that what is
 * searched is what the planner looks up. Taking the last stored snapshot instead let one call id
 * whose events name different numbers (a sender that reuses ids, a hostile one) be planned with a
 * number nobody searched: "no Contact, Lead or Account has this number", and a Lead created for a
 * number that has records, which then changed the record later calls from it were linked to. The
 * fold hashes each event once (cached on the parsed event), so the planner's fold reuses it.
 */
function numbersOf(callId: string, events: readonly (CallEvent | AiEvent)[]): NumberToSearch[] {
  const state = foldCall(callId, events);
  if (!state?.rawDigits) return [];
  const numbers: NumberToSearch[] = [{ raw: state.rawDigits, country: state.numberCountry }];
  // The planner reads the number in `lineCountry` (the line's country, else the caller's
  // country_code_a2): when that gives another E.164, search that one too.
  if (
    normalizeNumber(state.rawDigits, state.lineCountry) !==
    normalizeNumber(state.rawDigits, state.numberCountry)
  )
    numbers.push({ raw: state.rawDigits, country: state.lineCountry });
  return numbers;
}

export { SalesforceError };
