/**
 * Applies one engine Plan to the org with as few requests as the APIs allow:
 *
 *   1. Telephony API POSTs for the VoiceCalls of calls that are starting (one per call, real time;
 *      the Telephony API is not counted in the org's REST allocation);
 *   2. ONE Composite request carrying the sObject Collections writes of the whole batch, in order:
 *      records created for unknown numbers (upsert by Aircall_Phone_Key__c), Cases, Aircall Voice
 *      records (upsert by Aircall_Call_Id__c, pointing at those records by external id and at
 *      their VoiceCall), call Tasks, agent phone states and, when asked, agent status events;
 *   3. Telephony API PATCHes (end of call, recording, link to the Aircall Voice record), then
 *      transcripts.
 *
 * Each step is its own module: telephony-writes.ts (1, 3), record-writes.ts (2), transcripts.ts.
 * The batch's Aircall API writes (Save to phone) are a separate step after this one
 * (aircall-writes.ts).
 *
 * Failures are tracked per call, so a bad record fails its own call and never the other 199.
 */
import type { Logger } from 'pino';
import type { CallSyncState, Plan } from '../engine';
import type { CreatedRecord, Inbox } from '../inbox/inbox';
import type { SalesforceClient, SalesforceRecord } from '../salesforce/client';
import type { SalesforceError } from '../salesforce/errors';
import type { TelephonyClient } from '../salesforce/telephony';
import { CallProgress } from './progress';
import { writeRecords } from './record-writes';
import { patchVoiceCalls, postVoiceCalls } from './telephony-writes';
import { saveTranscriptFiles, sendTranscripts } from './transcripts';

export { TRANSCRIPT_CALLS_PER_REQUEST, TRANSCRIPT_MESSAGES_PER_CALL } from './transcripts';

/** The defined entries of `values` (sync states are JSON: an undefined key is no value). */
function withoutUndefined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

export interface ApplyResult {
  /** Calls whose writes failed, with the first error. */
  failed: Map<string, SalesforceError>;
  /**
   * Calls whose records were written but whose Task (call Task, follow-up) was not: a refusal for
   * good is the call's Task dead letter, a transient failure re-plans the call later. Never in
   * `failed`: a refused Task does not stop its call, nor any other.
   */
  taskFailed: Map<string, SalesforceError>;
  /** New sync state per call: the plan's for calls that succeeded, the partial progress for failed ones. */
  sync: Map<string, CallSyncState>;
  /** E.164 → record created for an unknown number. */
  created: Map<string, CreatedRecord>;
  /** Aircall Voice records whose VoiceCall was created by a PATCH and must be linked later. */
  linksNeeded: { callId: string; aircallVoiceId: string }[];
  /** False when some platform events of the batch were not published (a refresh or status lost). */
  eventsPublished: boolean;
  /** True when the org refused an event for its hourly publishing allocation (LIMIT_EXCEEDED). */
  publishLimitExceeded: boolean;
  /** Non-fatal problems (platform events, Aircall contacts), for logs and metrics. */
  warnings: string[];
  /**
   * Cases the org refused for good (a required field, a validation rule): the call is logged
   * without its Case, and the worker dead-letters the Case alone (retryable from the CLI).
   */
  caseRefusals: { callId: string; error: SalesforceError }[];
  /**
   * The answers to `deps.reads`, in order, when they rode on the batch's write Composite; null when
   * they were not sent (no write, or no room left in its last request).
   */
  reads?: (SalesforceRecord[] | SalesforceError)[] | null;
  /**
   * When (on `deps.now`) the Telephony POSTs had answered and when the Composite committed (null
   * when the batch had none): the phases of a batch, for `npm run bench:day`.
   */
  timings: { posted: number; committed: number | null };
}

export interface UnitOfWorkDeps {
  client: SalesforceClient;
  telephony: TelephonyClient | null;
  /**
   * Where each Telephony `POST /voiceCalls` is noted durably before it is sent and its VoiceCall id
   * as soon as it answers (the inbox), so that no retry or restart POSTs a call twice.
   */
  voiceCalls: Pick<Inbox, 'recordVoiceCalls'> &
    Partial<Pick<Inbox, 'recordTasks' | 'closeFollowUps'>>;
  /** Time for those notes (default: the system clock). */
  now?: () => number;
  logger: Logger;
  /** Parallel Telephony API requests (each call is its own request). */
  telephonyConcurrency?: number;
  /** Publish `Aircall_Agent_Status__e` beside the agent phone states (default: no). */
  agentStatusEvents?: boolean;
  /**
   * SOQL queries to send with the batch's write Composite if they fit in it (no request of their
   * own): the open Cases / Opportunities of calls still ringing (see the worker).
   */
  reads?: readonly string[];
}

export async function applyPlan(
  plan: Plan,
  previous: ReadonlyMap<string, CallSyncState>,
  deps: UnitOfWorkDeps,
): Promise<ApplyResult> {
  const progress = new CallProgress(previous);
  const { failed, fail, stateOf } = progress;
  const now = deps.now ?? Date.now;
  const concurrency = deps.telephonyConcurrency ?? 8;

  // 1. VoiceCalls of calls that are starting (telephony-writes.ts).
  await postVoiceCalls(plan, deps, progress, concurrency);
  const posted = now();

  // 2. Every record write of the batch in one Composite request (record-writes.ts).
  const written = await writeRecords(plan, previous, deps, progress);
  const { created, taskFailed, caseRefusals, refusedCases, reads, committed } = written;

  // 3. VoiceCall updates (end of call, recording, link to Aircall Voice).
  await patchVoiceCalls(plan, deps, progress, refusedCases, concurrency);

  // 3a. Transcripts too long for Transcript__c, in full as files on their Aircall Voice (one
  // sObject Collections create for the batch: it takes blob fields as base64, up to 37.5 MB of
  // base64 per request — REST API Developer Guide, "Insert or Update Blob Data").
  await saveTranscriptFiles(plan, deps, stateOf, failed, fail);

  // 3b. Transcripts of complete VoiceCalls, once per transcript.
  await sendTranscripts(plan, deps, stateOf, failed, fail, concurrency);

  // A VoiceCall created by the PATCH of an ended call (outbound, missed, invalid) comes back
  // without its id, and the Telephony API applies PATCHes asynchronously: the Aircall Voice →
  // VoiceCall side of the link is left to the link sweeper (links.ts), which fills many at once a
  // few seconds later. The other side (VoiceCall.Aircall_Voice__c) is set by the PATCH itself.
  const linksNeeded = [...new Set(plan.sync.map((s) => s.callId))].flatMap((callId) => {
    const state = stateOf(callId);
    return !failed.has(callId) &&
      state.telephonyCreated &&
      !state.voiceCallId &&
      state.aircallVoiceId
      ? [{ callId, aircallVoiceId: state.aircallVoiceId }]
      : [];
  });

  const sync = new Map<string, CallSyncState>();
  for (const { callId, state } of plan.sync) {
    const done = stateOf(callId);
    const before = previous.get(callId);
    sync.set(
      callId,
      failed.has(callId)
        ? done
        : {
            ...state,
            voiceCallId: done.voiceCallId ?? state.voiceCallId,
            aircallVoiceId: done.aircallVoiceId ?? state.aircallVoiceId,
            ...((done.caseId ?? state.caseId) ? { caseId: done.caseId ?? state.caseId } : {}),
            ...withoutUndefined({
              taskId: done.taskId ?? state.taskId,
              followUpTaskId: done.followUpTaskId ?? state.followUpTaskId,
              // A Task not written keeps the hash it had, so the next plan writes it again.
              ...(taskFailed.has(callId)
                ? {
                    taskHash: before?.taskHash,
                    followUpHash: before?.followUpHash,
                    taskLinkKey: before?.taskLinkKey,
                    followUpLinkKey: before?.followUpLinkKey,
                  }
                : {}),
            }),
          },
    );
    if (taskFailed.has(callId)) {
      const kept = sync.get(callId)!;
      if (before?.taskHash === undefined) delete kept.taskHash;
      if (before?.followUpHash === undefined) delete kept.followUpHash;
      if (before?.taskLinkKey === undefined) delete kept.taskLinkKey;
      if (before?.followUpLinkKey === undefined) delete kept.followUpLinkKey;
    }
    const refusal = caseRefusals.find((r) => r.callId === callId);
    if (refusal && !failed.has(callId)) {
      // Logged without its Case: the Case is planned again only when its dead letter is retried.
      const kept = sync.get(callId)!;
      kept.caseRefused = refusal.error.message;
      delete kept.caseHash;
    }
  }
  for (const [callId, state] of progress.states) if (!sync.has(callId)) sync.set(callId, state);
  return {
    failed,
    taskFailed,
    sync,
    created,
    linksNeeded,
    eventsPublished: written.eventsPublished,
    publishLimitExceeded: written.publishLimitExceeded,
    warnings: written.warnings,
    caseRefusals: caseRefusals.filter((r) => !failed.has(r.callId)),
    reads,
    timings: { posted, committed },
  };
}
