/**
 * Applies one engine Plan to the org with as few requests as the APIs allow:
 *
 *   1. Telephony API POSTs for the VoiceCalls of calls that are starting (one per call, real time;
 *      the Telephony API is not counted in the org's REST allocation);
 *   2. ONE Composite request carrying the sObject Collections writes of the whole batch, in order:
 *      records created for unknown numbers (upsert by Aircall_Phone_Key__c), Aircall Voice records
 *      (upsert by Aircall_Call_Id__c, pointing at those records by external id and at their
 *      VoiceCall), and the Aircall_Voice_Update__e events that refresh open record pages;
 *   3. Telephony API PATCHes (end of call, recording, link to the Aircall Voice record).
 *
 * Failures are tracked per call, so a bad record fails its own call and never the other 199.
 */
import type { Logger } from 'pino';
import {
  agentStatusFields,
  createdKeyField,
  createdObjectOf,
  createdSObject,
  EXTERNAL_ID,
  type CallSyncState,
  type CreatedObject,
  type Plan,
  type AgentStatusEvent,
  type RecordWrite,
  type TelephonyOp,
} from '../engine';
import type { CreatedRecord, Inbox } from '../inbox/inbox';
import { ErrorCode } from '../errors/catalogue';
import {
  firstError,
  type CollectionWrite,
  type RecordResult,
  type SalesforceClient,
  type SalesforceRecord,
} from '../salesforce/client';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';
import type { TelephonyClient } from '../salesforce/telephony';
import { fitRecord, fitTelephonyBody } from './fit';
import { findVoiceCalls } from './links';
import { prepareTasks } from './tasks';

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

const CREATED_OBJECTS: CreatedObject[] = ['Lead', 'Contact', 'Account', 'PersonAccount'];

/**
 * "Create Transcripts in Bulk" takes "up to 5 different voice calls at a time", and "each voice call
 * included in the payload can have up to 5 transcripts (also called conversation entries)"
 * (Salesforce Voice with Telephony Providers Implementation Guide, "Create Transcripts in Bulk").
 */
export const TRANSCRIPT_CALLS_PER_REQUEST = 5;
export const TRANSCRIPT_MESSAGES_PER_CALL = 5;

type TranscriptOp = Extract<TelephonyOp, { kind: 'transcript' }>;

/** Full transcripts as text files (ContentVersion) published on their Aircall Voice records. */
async function saveTranscriptFiles(
  plan: Plan,
  deps: UnitOfWorkDeps,
  stateOf: (callId: string) => CallSyncState,
  failed: ReadonlyMap<string, SalesforceError>,
  fail: (callId: string, error: SalesforceError) => void,
): Promise<void> {
  const files = (plan.files ?? []).filter((f) => {
    const state = stateOf(f.callId);
    return (
      !failed.has(f.callId) && state.aircallVoiceId && state.transcriptFile !== f.transcriptKey
    );
  });
  if (files.length === 0) return;
  try {
    const results = await deps.client.create(
      files.map((f) => ({
        attributes: { type: 'ContentVersion' },
        Title: f.title,
        PathOnClient: f.title,
        VersionData: Buffer.from(f.text, 'utf8').toString('base64'),
        FirstPublishLocationId: stateOf(f.callId).aircallVoiceId,
        Description: `Full transcript of Aircall call ${f.callId}: longer than the Transcript field.`,
      })),
    );
    files.forEach((f, i) => {
      const result = results[i] ?? missingResult();
      if (result.success) stateOf(f.callId).transcriptFile = f.transcriptKey;
      else fail(f.callId, firstError(result));
    });
  } catch (error) {
    for (const f of files) fail(f.callId, toSalesforceError(error));
  }
}

/**
 * Sends the plan's transcripts: each call's messages in chronological runs of 5, up to 5 calls per
 * request, a call's runs in order. A call is marked sent (`transcriptSent`) only once every run was
 * accepted; a retry resends the same message ids, which the API keeps unique per conversation.
 */
async function sendTranscripts(
  plan: Plan,
  deps: UnitOfWorkDeps,
  stateOf: (callId: string) => CallSyncState,
  failed: ReadonlyMap<string, SalesforceError>,
  fail: (callId: string, error: SalesforceError) => void,
  concurrency: number,
): Promise<void> {
  const ops = plan.telephony.filter(
    (op): op is TranscriptOp =>
      op.kind === 'transcript' &&
      !failed.has(op.callId) &&
      stateOf(op.callId).telephonyCompleted &&
      stateOf(op.callId).transcriptSent !== op.transcriptKey,
  );
  if (ops.length === 0) return;
  const telephony = deps.telephony;
  if (!telephony) return; // reported by the VoiceCall ops of the same calls
  const groups: TranscriptOp[][] = [];
  for (let i = 0; i < ops.length; i += TRANSCRIPT_CALLS_PER_REQUEST)
    groups.push(ops.slice(i, i + TRANSCRIPT_CALLS_PER_REQUEST));
  await mapLimit(groups, concurrency, async (group) => {
    const rounds = Math.max(
      ...group.map((op) => Math.ceil(op.messages.length / TRANSCRIPT_MESSAGES_PER_CALL)),
    );
    for (let round = 0; round < rounds; round++) {
      const entries = group
        .filter((op) => !failed.has(op.callId))
        .map((op) => ({
          op,
          messages: op.messages.slice(
            round * TRANSCRIPT_MESSAGES_PER_CALL,
            (round + 1) * TRANSCRIPT_MESSAGES_PER_CALL,
          ),
        }))
        .filter((e) => e.messages.length > 0);
      if (entries.length === 0) break;
      try {
        const refused = await telephony.createTranscripts(
          entries.map((e) => ({ vendorCallKey: e.op.vendorCallKey, messages: e.messages })),
        );
        for (const e of entries) {
          const error = refused.get(e.op.vendorCallKey);
          if (error) fail(e.op.callId, error);
        }
      } catch (error) {
        for (const e of entries) fail(e.op.callId, toSalesforceError(error));
      }
    }
    for (const op of group)
      if (!failed.has(op.callId)) stateOf(op.callId).transcriptSent = op.transcriptKey;
  });
}

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function mergeCallAttributes(existing: string | undefined, extra: Record<string, string>): string {
  let parsed: Record<string, unknown> = {};
  if (existing) {
    try {
      parsed = JSON.parse(existing) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
  }
  return JSON.stringify({ ...parsed, ...extra });
}

const missingResult = (): RecordResult => ({
  success: false,
  errors: [
    {
      statusCode: ErrorCode.UNKNOWN_EXCEPTION,
      message: 'No result returned for this record.',
      fields: [],
    },
  ],
});

export async function applyPlan(
  plan: Plan,
  previous: ReadonlyMap<string, CallSyncState>,
  deps: UnitOfWorkDeps,
): Promise<ApplyResult> {
  const failed = new Map<string, SalesforceError>();
  const warnings: string[] = [];
  const created = new Map<string, CreatedRecord>();
  let eventsPublished = true;
  let publishLimitExceeded = false;
  // Progress per call, started from what was already written; completed from plan.sync at the end.
  const progress = new Map<string, CallSyncState>();
  const stateOf = (callId: string): CallSyncState => {
    let state = progress.get(callId);
    if (!state) {
      state = { telephonyCreated: false, telephonyCompleted: false, ...previous.get(callId) };
      progress.set(callId, state);
    }
    return state;
  };
  const fail = (callId: string, error: SalesforceError) => {
    if (!failed.has(callId)) failed.set(callId, error);
  };

  const runTelephony = async (op: TelephonyOp) => {
    if (failed.has(op.callId)) return;
    if (!deps.telephony) {
      fail(
        op.callId,
        new SalesforceError(
          'The Telephony Integration API is not configured: set SCV_TELEPHONY_URL, SCV_CALL_CENTER_API_NAME and SCV_PRIVATE_KEY_FILE.',
          ErrorCode.TELEPHONY_NOT_CONFIGURED,
          false,
        ),
      );
      return;
    }
    const state = stateOf(op.callId);
    const shapes = deps.client.fieldShapes;
    try {
      if (op.kind === 'create') {
        if (state.telephonyCreated) return; // a retry after a partial failure: it exists already
        try {
          state.voiceCallId = await deps.telephony.create(fitTelephonyBody(op.body, shapes));
        } catch (error) {
          // Refused for good (e.g. DUPLICATE_VALUE: a VoiceCall with this VendorCallKey exists,
          // created by an earlier POST whose answer was lost): the VoiceCall found by its
          // VendorCallKey is this call's. A transient failure is retried, and looked up then.
          const refused = toSalesforceError(error);
          if (refused.transient) throw refused;
          const found = await findVoiceCalls(deps.client, [op.vendorCallKey]);
          const id = found.get(op.vendorCallKey);
          if (!id) throw refused;
          deps.logger.info(
            { callId: op.callId, errorCode: refused.errorCode },
            `VoiceCall of call ${op.callId} already exists (${id}): used instead of a second one.`,
          );
          state.voiceCallId = id;
        }
        state.telephonyCreated = true;
        delete state.voiceCallPosted;
      } else if (op.kind === 'update') {
        const body = { ...fitTelephonyBody(op.body, shapes) };
        if (op.linkAircallVoice && state.aircallVoiceId) {
          // VoiceCall.Aircall_Voice__c, in the org's names (the Telephony API is not translated by the client).
          body.callAttributes = mergeCallAttributes(body.callAttributes, {
            [deps.client.names.field('VoiceCall', 'Aircall_Voice__c')]: state.aircallVoiceId,
          });
        }
        // The VoiceCall's related record is the call's Case (a standard field, set through
        // callAttributes like the custom one; docs/PLATFORM.md, "Cases and Opportunities").
        const relatedCase =
          op.relatedCase === 'created'
            ? refusedCases.has(op.callId)
              ? undefined
              : state.caseId
            : op.relatedCase;
        if (relatedCase)
          body.callAttributes = mergeCallAttributes(body.callAttributes, {
            RelatedRecordId: relatedCase,
          });
        await deps.telephony.update(op.vendorCallKey, body);
        state.telephonyCreated = true;
        if (body.endTime) state.telephonyCompleted = true;
      }
    } catch (error) {
      fail(op.callId, toSalesforceError(error));
    }
  };
  const concurrency = deps.telephonyConcurrency ?? 8;

  // 1. VoiceCalls of calls that are starting, so their Aircall Voice can point at them. A POST that
  // succeeded is never sent again: each is noted in the inbox before it is sent and its VoiceCall id
  // as soon as it answers (before the Composite below, which may fail, and before the events are
  // settled, which a crash may prevent). A call whose earlier POST was sent but never answered is
  // looked up by VendorCallKey first (one SOQL for all of them; only after a failure or a crash).
  const creates = plan.telephony.filter(
    (op) => op.kind === 'create' && !stateOf(op.callId).telephonyCreated,
  );
  const uncertain = creates.filter((op) => stateOf(op.callId).voiceCallPosted);
  if (uncertain.length > 0) {
    try {
      const found = await findVoiceCalls(
        deps.client,
        uncertain.map((op) => op.vendorCallKey),
      );
      for (const op of uncertain) {
        const id = found.get(op.vendorCallKey);
        if (!id) continue;
        const state = stateOf(op.callId);
        state.voiceCallId = id;
        state.telephonyCreated = true;
        delete state.voiceCallPosted;
      }
    } catch (error) {
      for (const op of uncertain) fail(op.callId, toSalesforceError(error));
    }
  }
  const now = deps.now ?? Date.now;
  const toPost = creates.filter(
    (op) => !failed.has(op.callId) && !stateOf(op.callId).telephonyCreated,
  );
  await deps.voiceCalls.recordVoiceCalls(
    toPost.map((op) => ({ callId: op.callId, voiceCallId: null })),
    now(),
  );
  await mapLimit(toPost, concurrency, runTelephony);
  const known = creates.flatMap((op) => {
    const id = stateOf(op.callId).voiceCallId;
    return id && !failed.has(op.callId) ? [{ callId: op.callId, voiceCallId: id }] : [];
  });
  await deps.voiceCalls.recordVoiceCalls(known, now());
  const posted = now();

  // 2. Every record write of the batch in one Composite request, each value fitted to its field's
  // length (a record for an unknown number keeps the full values in its Description).
  const shapes = deps.client.fieldShapes;
  // A record for an unknown number goes even when the call that carries it failed above (its
  // VoiceCall POST): the batch's other calls from that number point at it by its external id, and
  // would otherwise be refused for good (INVALID_FIELD) for the other call's failure. It is an
  // upsert by the number, so the failed call's retry finds it rather than creating a second one.
  // One upsert per kind of created record: a Person Account is an Account upserted by its person
  // contact's key (`Aircall_Phone_Key__pc`), a business Account by its own.
  const crmWrites = CREATED_OBJECTS.map((created) => ({
    created,
    sobject: createdSObject(created),
    key: createdKeyField(created),
    writes: plan.writes
      .filter((w) => createdObjectOf(w) === created)
      .map((w) => ({
        ...w,
        fields: fitRecord(w.sobject, w.fields, shapes, { keepWholeIn: 'Description' }).fields,
      })),
  })).filter((g) => g.writes.length > 0);
  // Cases for missed calls and voicemails, upserted by Aircall_Call_Id__c before the Aircall Voice
  // records that point at them by that external id. Assignment rules are the REST API's default
  // (`Sforce-Auto-Assign` absent = TRUE, "Assignment Rule Header", REST API Developer Guide), so
  // every Case write says which it wants, on its own subrequest (a Composite subrequest takes its
  // own `httpHeaders`, "Composite Request Body"): TRUE only to create a Case with no chosen owner.
  const caseWrites = plan.writes
    .filter((w) => w.sobject === 'Case' && !failed.has(w.callId))
    .map((w) => ({ ...w, fields: fitRecord(w.sobject, w.fields, shapes).fields }));
  const caseRefusals: ApplyResult['caseRefusals'] = [];
  const refusedCases = new Set<string>();
  const voiceWrites: RecordWrite[] = plan.writes
    .filter((w) => w.sobject === 'Aircall_Voice__c' && !failed.has(w.callId))
    .map((w) => {
      const voiceCallId = stateOf(w.callId).voiceCallId;
      const fields =
        voiceCallId && !('Voice_Call__c' in w.fields)
          ? { ...w.fields, Voice_Call__c: voiceCallId }
          : w.fields;
      return { ...w, fields: fitRecord(w.sobject, fields, shapes).fields };
    });
  // Task writes (tasks.ts): updated by Id, looked up when a create's answer may be lost, created
  // otherwise; carried by the same Composite, after the Aircall Voice records they point at.
  const taskFailed = new Map<string, SalesforceError>();
  const { recordTasks, closeFollowUps } = deps.voiceCalls;
  const taskOps = plan.tasks
    .filter((op) => !failed.has(op.callId))
    .map((op) => ({
      ...op,
      fields: fitRecord('Task', op.fields, shapes).fields,
      createOnly: fitRecord('Task', op.createOnly, shapes).fields,
    }));
  const tasks =
    taskOps.length > 0 && recordTasks && closeFollowUps
      ? await prepareTasks(taskOps, stateOf, taskFailed, {
          client: deps.client,
          inbox: {
            recordTasks: recordTasks.bind(deps.voiceCalls),
            closeFollowUps: closeFollowUps.bind(deps.voiceCalls),
          },
          now,
        })
      : null;
  type EventRecord = Record<string, unknown> & { attributes: { type: string } };
  // Aircall_Voice_Update__e is no longer published: record pages re-read their own record while
  // the call is live, and the presence sync hears of call ends in-process (see applyPlan's caller).
  // Each agent's phone state is upserted on their Aircall_Agent_State__c, which the Omni-Channel
  // utility bar reads; Aircall_Agent_Status__e is published beside it only when the connector is
  // asked to (`agentStatusEvents`, for an admin's own flows or triggers): nothing in the package
  // subscribes, and each event is a publish counted against the org's hourly allocation.
  const agentEvents = plan.platformEvents.filter(
    (e): e is AgentStatusEvent => e.sobject === 'Aircall_Agent_Status__e',
  );
  const events: EventRecord[] = (deps.agentStatusEvents ? agentEvents : []).map((e) => ({
    attributes: { type: e.sobject },
    ...agentStatusFields(e),
  }));
  const changedAt = new Date().toISOString();
  const agentStates = agentEvents.map((e) => ({
    User_Key__c: e.userId,
    User__c: e.userId,
    Phone_Event__c: e.phoneEvent,
    Call_Id__c: e.callId ?? null,
    Changed_At__c: changedAt,
  }));
  // Each collection write carries the code that reads its own results, so no result is found by
  // counting which writes happened to be present in this batch.
  const pending: { write: CollectionWrite; read: (results: readonly RecordResult[]) => void }[] =
    [];
  const voiceAgain: RecordWrite[] = [];
  const resultAt = (results: readonly RecordResult[], i: number) => results[i] ?? missingResult();
  /** Records for unknown numbers the org refused in this batch: `Lead:+33…` → which call, why. */
  const refusedRecords = new Map<
    string,
    { sobject: CreatedObject; key: string; callId: string; error: SalesforceError }
  >();
  const refusedRecordOf = (write: RecordWrite) => {
    for (const created of CREATED_OBJECTS) {
      const ref = write.fields[`${createdSObject(created)}__r`] as
        Record<string, unknown> | undefined;
      const key = ref?.[createdKeyField(created)];
      const refused = typeof key === 'string' ? refusedRecords.get(`${created}:${key}`) : undefined;
      if (refused && refused.callId !== write.callId) return refused;
    }
    return undefined;
  };
  // Leads say whether the org's lead assignment rule may run, as Cases do: the REST API runs it by
  // default, which would reassign a Lead the settings give to the agent or the integration user.
  const crmGroups = crmWrites.flatMap(
    (
      g,
    ): ((typeof crmWrites)[number] & {
      headers?: Record<string, string>;
    })[] =>
      g.sobject === 'Lead'
        ? [true, false]
            .map((assign) => ({
              ...g,
              writes: g.writes.filter((w) => (w.assignmentRules ?? false) === assign),
              headers: { 'Sforce-Auto-Assign': assign ? 'TRUE' : 'FALSE' },
            }))
            .filter((sub) => sub.writes.length > 0)
        : [g],
  );
  for (const group of crmGroups) {
    pending.push({
      write: {
        kind: 'upsert',
        sobject: group.sobject,
        externalIdField: group.key,
        records: group.writes.map((w) => w.fields),
        ...(group.headers ? { headers: group.headers } : {}),
      },
      read: (results) =>
        group.writes.forEach((write, i) => {
          const result = resultAt(results, i);
          const key = write.fields[group.key] as string;
          if (result.success) {
            created.set(key, { sobject: group.created, id: result.id ?? null });
            return;
          }
          const error = firstError(result);
          refusedRecords.set(`${group.created}:${key}`, {
            sobject: group.created,
            key,
            callId: write.callId,
            error,
          });
          fail(write.callId, error);
        }),
    });
  }
  for (const assign of [true, false]) {
    const group = caseWrites.filter((w) => (w.assignmentRules ?? false) === assign);
    if (group.length === 0) continue;
    pending.push({
      write: {
        kind: 'upsert',
        sobject: 'Case',
        externalIdField: EXTERNAL_ID.Case,
        records: group.map((w) => w.fields),
        headers: { 'Sforce-Auto-Assign': assign ? 'TRUE' : 'FALSE' },
      },
      read: (results) =>
        group.forEach((write, i) => {
          const result = resultAt(results, i);
          if (result.success) {
            if (result.id) stateOf(write.callId).caseId = result.id;
            return;
          }
          const error = firstError(result);
          // The org is busy or down: the call waits and retries with its Case. Refused for good:
          // the call is logged without it (see the Aircall Voice below) and the Case alone is
          // dead-lettered by the worker.
          if (error.transient) fail(write.callId, error);
          else {
            refusedCases.add(write.callId);
            caseRefusals.push({ callId: write.callId, error });
          }
        }),
    });
  }
  if (voiceWrites.length > 0) {
    pending.push({
      write: {
        kind: 'upsert',
        sobject: 'Aircall_Voice__c',
        externalIdField: EXTERNAL_ID.Aircall_Voice__c,
        records: voiceWrites.map((w) => w.fields),
      },
      read: (results) =>
        voiceWrites.forEach((write, i) => {
          const result = resultAt(results, i);
          if (result.success && result.id) {
            stateOf(write.callId).aircallVoiceId = result.id;
            return;
          }
          // Pointing at its own Case, which the org refused: written again without it below.
          if (refusedCases.has(write.callId) && write.fields.Case__r) {
            voiceAgain.push(write);
            return;
          }
          // Linked by external id to a record another call of this batch was to create (read
          // above, as the CRM writes come first), and the org refused that record: this call did
          // nothing wrong. It is retried (and then creates the record itself), never dead-lettered
          // for the other call's value.
          const refused = refusedRecordOf(write);
          fail(
            write.callId,
            refused
              ? new SalesforceError(
                  `The ${refused.sobject} for ${refused.key} was refused with call ${refused.callId} (${refused.error.message}); this call is retried on its own.`,
                  ErrorCode.LINKED_RECORD_REFUSED,
                  true,
                )
              : firstError(result),
          );
        }),
    });
  }
  if (tasks) pending.push(...tasks.writes);
  // A lost phone state or status event is not a lost call (the records are written), so it is
  // logged only; the rep's next state is written whatever it is (see the worker).
  if (agentStates.length > 0) {
    pending.push({
      write: {
        kind: 'upsert',
        sobject: 'Aircall_Agent_State__c',
        externalIdField: 'User_Key__c',
        records: agentStates,
      },
      read: (results) => {
        const bad = agentStates.map((_, i) => resultAt(results, i)).filter((r) => !r.success);
        if (bad.length === 0) return;
        eventsPublished = false;
        warnings.push(
          `${bad.length} agent phone state(s) not written: ${firstError(bad[0]!).message}`,
        );
      },
    });
  }
  if (events.length > 0) {
    pending.push({
      write: { kind: 'create', records: events },
      read: (results) => {
        const bad = events.map((_, i) => resultAt(results, i)).filter((r) => !r.success);
        if (bad.length === 0) return;
        eventsPublished = false;
        publishLimitExceeded = bad.some(
          (r) => r.errors[0]?.statusCode === ErrorCode.LIMIT_EXCEEDED,
        );
        warnings.push(
          `${bad.length} platform event(s) not published: ${firstError(bad[0]!).message}`,
        );
      },
    });
  }
  let committed: number | null = null;
  let reads: ApplyResult['reads'] = null;
  if (pending.length > 0) {
    const writes = pending.map((p) => p.write);
    let results: RecordResult[][];
    if (deps.reads && deps.reads.length > 0)
      ({ results, reads } = await deps.client.writeAndRead(writes, deps.reads));
    else results = await deps.client.writeCollections(writes);
    pending.forEach((p, i) => p.read(results[i] ?? []));
    committed = now();
  }
  // The Aircall Voice records whose Case the org refused, without the Case: one more request, only
  // when a Case was refused.
  if (voiceAgain.length > 0) {
    const again = voiceAgain.map((w) => {
      const fields = { ...w.fields };
      delete fields.Case__r;
      return { ...w, fields };
    });
    const [results = []] = await deps.client.writeCollections([
      {
        kind: 'upsert',
        sobject: 'Aircall_Voice__c',
        externalIdField: EXTERNAL_ID.Aircall_Voice__c,
        records: again.map((w) => w.fields),
      },
    ]);
    again.forEach((write, i) => {
      const result = resultAt(results, i);
      if (result.success && result.id) stateOf(write.callId).aircallVoiceId = result.id;
      else fail(write.callId, firstError(result));
    });
  }
  await tasks?.finish();
  // A call that failed is retried whole (its Tasks with it): its Task errors are not its own.
  for (const callId of taskFailed.keys()) if (failed.has(callId)) taskFailed.delete(callId);

  // 3. VoiceCall updates (end of call, recording, link to Aircall Voice).
  await mapLimit(
    plan.telephony.filter((op) => op.kind === 'update'),
    concurrency,
    runTelephony,
  );

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
                ? { taskHash: before?.taskHash, followUpHash: before?.followUpHash }
                : {}),
            }),
          },
    );
    if (taskFailed.has(callId)) {
      const kept = sync.get(callId)!;
      if (before?.taskHash === undefined) delete kept.taskHash;
      if (before?.followUpHash === undefined) delete kept.followUpHash;
    }
    const refusal = caseRefusals.find((r) => r.callId === callId);
    if (refusal && !failed.has(callId)) {
      // Logged without its Case: the Case is planned again only when its dead letter is retried.
      const kept = sync.get(callId)!;
      kept.caseRefused = refusal.error.message;
      delete kept.caseHash;
    }
  }
  for (const [callId, state] of progress) if (!sync.has(callId)) sync.set(callId, state);
  return {
    failed,
    taskFailed,
    sync,
    created,
    linksNeeded,
    eventsPublished,
    publishLimitExceeded,
    warnings,
    caseRefusals: caseRefusals.filter((r) => !failed.has(r.callId)),
    reads,
    timings: { posted, committed },
  };
}
