/**
 * Settle: the last step of a worker batch (load → plan → apply → settle). Given the batch's stored
 * events, the engine's plan and what the unit of work reported, it decides the fate of every event
 * and what the worker records — without I/O, clocks or randomness, so it is unit-tested without an
 * org (test/connector/settle.test.ts). The worker then carries the settlement out (inbox, metrics,
 * logs, callbacks) in src/connector/record.ts.
 */
import type { AircallEvent, UserEvent } from '../aircall';
import {
  createdKeyField,
  createdLabel,
  createdObjectOf,
  type CallSyncState,
  type Plan,
  type PublishedAgentStatus,
} from '../engine';
import { TASK_EVENT } from '../errors/catalogue';
import type { CreatedRecord, StoredEvent } from '../inbox/inbox';
import type { SalesforceError } from '../salesforce/errors';
import type { ApplyResult } from './unit-of-work';

/** What one batch took from the inbox (the "load" step). */
export interface LoadedBatch {
  /** Due events of the batch, in inbox order. */
  due: StoredEvent[];
  /** Calls the engine asked to revisit (final VoiceCall PATCH when call.ended never came). */
  replan: string[];
  /** Every call the batch touches: those of the due events, then the revisited ones. */
  callIds: string[];
  /** Due user events (agent availability) and their seqs, done once the batch is applied. */
  userEvents: UserEvent[];
  userSeqs: number[];
  /** Seqs of due events that belong to no call and are not user events: skipped. */
  unusedSeqs: number[];
  /** The due events as parsed by the load step (seq → event), so that none is parsed twice. */
  parsed?: ReadonlyMap<number, AircallEvent>;
}

export interface LoggedCall {
  callId: string;
  fields: Record<string, unknown>;
  createdRecord?: { sobject: string; e164: string };
}

export interface Settlement {
  /** Events whose writes succeeded. */
  done: number[];
  /** Events that needed no write (skipped by the plan, or of no use). */
  skipped: number[];
  /** Events of calls that failed transiently: retried after a backoff that grows with `attempts`. */
  retry: { seq: number; attempts: number; error: SalesforceError }[];
  /** Events of calls that failed permanently, grouped by error (one dead-letter entry each). */
  dead: { error: SalesforceError; seqs: number[]; callId: string | null }[];
  /** Sync state per call to store with the completion. */
  sync: { callId: string; state: CallSyncState }[];
  created: Map<string, CreatedRecord>;
  linksNeeded: ApplyResult['linksNeeded'];
  /** Revisited calls that failed: postponed, not tried again in a tight loop. */
  failedReplans: string[];
  /** Events that reached their end (not retried nor dead-lettered), for the latency histogram. */
  finished: StoredEvent[];
  /**
   * The Omni status now known as published per user; `null` forgets it (after a failed publish the
   * rep's next status is sent whatever it is, so Omni is not left on an old one).
   */
  agentStatus: { userId: string; status: PublishedAgentStatus | null }[];
  /**
   * What this batch says of the hourly platform-event publishing allocation: `exhausted` when the
   * org refused an event with LIMIT_EXCEEDED, `accepted` when agent status events were published,
   * `null` when it says nothing.
   */
  publishAllocation: 'exhausted' | 'accepted' | null;
  /** Aircall Voice records written, for `onCallLogged`. */
  loggedCalls: LoggedCall[];
  /** Calls whose Task the org refused for good: one Task dead letter each (the call is logged). */
  taskDead: { callId: string; error: SalesforceError }[];
  /** Calls whose Task failed transiently (and had no Task dead letter being retried): re-planned later. */
  taskReplan: string[];
}

export function settle(batch: LoadedBatch, plan: Plan, result: ApplyResult): Settlement {
  const publishAllocation = result.publishLimitExceeded
    ? 'exhausted'
    : result.eventsPublished &&
        plan.platformEvents.some((e) => e.sobject === 'Aircall_Agent_Status__e')
      ? 'accepted'
      : null;

  const agentStatus: Settlement['agentStatus'] = [];
  for (const e of plan.platformEvents) {
    if (e.sobject !== 'Aircall_Agent_Status__e') continue;
    agentStatus.push({
      userId: e.userId,
      status: result.eventsPublished
        ? { omniStatus: e.omniStatus, callId: e.callId ?? null, phoneEvent: e.phoneEvent }
        : null,
    });
  }

  // Sort the batch's events by the fate of their call.
  const skippedKeys = new Set(plan.skipped.map((s) => s.key));
  const done: number[] = [...batch.userSeqs];
  const skipped: number[] = [...batch.unusedSeqs];
  const retrySeqs = new Set<number>();
  const deadSeqs = new Set<number>();
  const retry: Settlement['retry'] = [];
  const deadByError = new Map<SalesforceError, number[]>();
  const taskReplan = new Set<string>();
  for (const stored of batch.due) {
    if (stored.callId === null) continue;
    const error = result.failed.get(stored.callId);
    // The event standing for a refused Task (retried from the dead letters) follows the Task.
    const taskError = stored.name === TASK_EVENT ? result.taskFailed.get(stored.callId) : undefined;
    if (!error && taskError) {
      if (taskError.transient) {
        retry.push({ seq: stored.seq, attempts: stored.attempts, error: taskError });
        retrySeqs.add(stored.seq);
      } else deadSeqs.add(stored.seq); // dead-lettered again by the worker's deadLetterTask
      continue;
    }
    if (!error) {
      if (skippedKeys.has(stored.callId) || skippedKeys.has(stored.key)) skipped.push(stored.seq);
      else done.push(stored.seq);
    } else if (error.transient) {
      retry.push({ seq: stored.seq, attempts: stored.attempts, error });
      retrySeqs.add(stored.seq);
    } else {
      deadByError.set(error, [...(deadByError.get(error) ?? []), stored.seq]);
      deadSeqs.add(stored.seq);
    }
  }
  const dead = [...deadByError].map(([error, seqs]) => ({
    error,
    seqs,
    callId: batch.due.find((e) => e.seq === seqs[0])?.callId ?? null,
  }));

  const createdByCall = new Map(
    plan.writes.flatMap((w) => {
      const created = createdObjectOf(w);
      return created
        ? [
            [
              w.callId,
              {
                sobject: createdLabel(created),
                e164: w.fields[createdKeyField(created)] as string,
              },
            ] as const,
          ]
        : [];
    }),
  );
  const loggedCalls: LoggedCall[] = [];
  for (const write of plan.writes) {
    if (write.sobject !== 'Aircall_Voice__c' || result.failed.has(write.callId)) continue;
    loggedCalls.push({
      callId: write.callId,
      fields: write.fields,
      createdRecord: createdByCall.get(write.callId),
    });
  }

  const taskDead: Settlement['taskDead'] = [];
  for (const [callId, error] of result.taskFailed) {
    if (!error.transient) taskDead.push({ callId, error });
    else if (!batch.due.some((e) => e.callId === callId && e.name === TASK_EVENT))
      taskReplan.add(callId);
  }

  return {
    done,
    skipped,
    retry,
    dead,
    taskDead,
    taskReplan: [...taskReplan],
    sync: [...result.sync].map(([callId, state]) => ({ callId, state })),
    created: result.created,
    linksNeeded: result.linksNeeded,
    failedReplans: batch.replan.filter((callId) => result.failed.has(callId)),
    finished: batch.due.filter((e) => !retrySeqs.has(e.seq) && !deadSeqs.has(e.seq)),
    agentStatus,
    publishAllocation,
    loggedCalls,
  };
}
