/**
 * Record: the last stage of a worker batch (load → plan → apply → settle). It carries out what
 * settle.ts decided (a pure function) — inbox, memory of published statuses, metrics, logs,
 * callbacks — and fails a batch that could not be applied at all.
 */
import type { Logger } from 'pino';
import type { Plan, PublishedAgentStatus } from '../engine';
import type { Inbox, StoredEvent } from '../inbox/inbox';
import type { SalesforceError } from '../salesforce/errors';
import type { Clock } from '../util/clock';
import { caseRefusedEvent } from './cases';
import type { ConnectorMetrics } from './metrics';
import type { LoggedCall, Settlement } from './settle';
import type { ApplyResult } from './unit-of-work';

/** What the worker did with one round: counts of events by fate. */
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

export interface RecordDeps {
  inbox: Inbox;
  metrics: ConnectorMetrics;
  logger: Logger;
  clock: Clock;
  /** The Omni status last published per user (the planner's memory, kept up to date here). */
  publishedAgentStatus: Map<string, PublishedAgentStatus>;
  /** Backoff before a retry (the scheduler's). */
  backoff: (attempts: number) => number;
  maxAttempts: number;
  linkDelayMs: number;
  onCallLogged?: ((call: LoggedCall) => void) | undefined;
  onDeadLetter?: ((callId: string | null, reason: string) => void) | undefined;
}

export class Recorder {
  private readonly warnedAt = new Map<string, number>();
  private publishExhausted = false;

  constructor(private readonly deps: RecordDeps) {}

  /** Carries out a settlement: inbox, memory of published statuses, metrics, logs, callbacks. */
  async record(
    settled: Settlement,
    plan: Plan,
    result: ApplyResult,
    now: number,
    outcome: BatchOutcome,
  ): Promise<void> {
    const { inbox, metrics, logger } = this.deps;
    this.notePublishing(settled);
    for (const { userId, status } of settled.agentStatus) {
      if (status === null) this.deps.publishedAgentStatus.delete(userId);
      else this.deps.publishedAgentStatus.set(userId, status);
    }
    for (const warning of result.warnings) {
      metrics.errors.inc({ kind: 'publish' });
      logger.warn(warning);
    }
    this.warnOnce(plan.warnings ?? [], now);

    await inbox.complete(
      settled.done,
      settled.skipped,
      settled.sync,
      settled.created,
      this.deps.clock.now(),
    );
    await this.deadLetterCases(result.caseRefusals, now);
    if (settled.linksNeeded.length > 0)
      await inbox.addPendingLinks(settled.linksNeeded, now + this.deps.linkDelayMs);
    if (settled.failedReplans.length > 0)
      await inbox.postponeReplan(settled.failedReplans, now + this.deps.backoff(1));
    if (settled.taskReplan.length > 0)
      await inbox.postponeReplan(settled.taskReplan, now + this.deps.backoff(1));
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
    const finishedAt = this.deps.clock.now();
    for (const stored of settled.finished)
      metrics.latency.observe((finishedAt - stored.receivedAt) / 1000);

    for (const { seq, attempts, error } of settled.retry) {
      await inbox.retryLater([seq], now + this.deps.backoff(attempts), error.message);
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

  /**
   * An allocation that is used up is reported (metric, log once, doctor) and clears by itself at
   * the first batch whose events are accepted again.
   */
  private notePublishing(settled: Settlement): void {
    const { metrics, logger } = this.deps;
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
  }

  /**
   * Problems with the inputs (a setting, a missing presence status) come back with every batch:
   * each is logged once every 10 minutes, not at every batch.
   */
  private warnOnce(warnings: readonly string[], now: number): void {
    for (const warning of warnings) {
      const last = this.warnedAt.get(warning);
      if (last !== undefined && now - last < 10 * 60_000) continue;
      if (this.warnedAt.size > 1000) this.warnedAt.clear();
      this.warnedAt.set(warning, now);
      this.deps.logger.warn(warning);
    }
  }

  /**
   * A Case the org refused for good: the call is logged; the Case alone becomes a dead letter (an
   * event of the call that `dead-letters --retry` puts back, see the plan stage).
   */
  private async deadLetterCases(refusals: ApplyResult['caseRefusals'], now: number): Promise<void> {
    const { inbox, metrics, logger, clock } = this.deps;
    for (const { callId, error } of refusals) {
      const event = caseRefusedEvent(callId, error, clock.now());
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
  }

  /** A batch not applied at all: retried later, or dead-lettered after `maxAttempts` for good. */
  async failBatch(
    due: StoredEvent[],
    error: SalesforceError,
    now: number,
    outcome: BatchOutcome,
  ): Promise<void> {
    const { inbox, metrics, logger } = this.deps;
    metrics.errors.inc({ kind: 'batch' });
    const give = due.filter((e) => !error.transient && e.attempts + 1 >= this.deps.maxAttempts);
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
        now + this.deps.backoff(attempts),
        error.message,
      );
    outcome.retried += keep.length;
    logger.warn(
      { errorCode: error.errorCode, transient: error.transient, events: due.length },
      `Batch not applied, will retry: ${error.message}`,
    );
  }
}
