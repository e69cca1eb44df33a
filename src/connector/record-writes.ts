/**
 * The Salesforce record writes of a unit of work (unit-of-work.ts): every record write of the batch
 * in ONE Composite request (sObject Collections, in order): records created for unknown numbers
 * (upsert by their phone key), Cases (upsert by Aircall_Call_Id__c), Aircall Voice records (upsert
 * by Aircall_Call_Id__c, pointing at those records by external id and at their VoiceCall), Tasks,
 * agent phone states and platform events. Results are read per record, so a bad record fails its
 * own call and never the other 199.
 */
import {
  agentStatusFields,
  type CallSyncState,
  createdKeyField,
  createdObjectOf,
  createdSObject,
  EXTERNAL_ID,
  type AgentStatusEvent,
  type CreatedObject,
  type Plan,
  type RecordWrite,
  type TaskWrite,
} from '../engine';
import { ErrorCode } from '../errors/catalogue';
import type { CreatedRecord } from '../inbox/inbox';
import {
  firstError,
  type CollectionWrite,
  type RecordResult,
  type SalesforceRecord,
} from '../salesforce/client';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';
import { fitRecord } from './fit';
import { personLinkCheck, restoreRecords } from './person-links';
import type { CallProgress } from './progress';
import { prepareTasks } from './tasks';
import type { ApplyResult, UnitOfWorkDeps } from './unit-of-work';

const CREATED_OBJECTS: CreatedObject[] = ['Lead', 'Contact', 'Account', 'PersonAccount'];

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

export interface RecordsWritten {
  created: Map<string, CreatedRecord>;
  taskFailed: Map<string, SalesforceError>;
  caseRefusals: ApplyResult['caseRefusals'];
  /** Calls whose Case the org refused for good (logged without it). */
  refusedCases: Set<string>;
  eventsPublished: boolean;
  publishLimitExceeded: boolean;
  warnings: string[];
  reads: (SalesforceRecord[] | SalesforceError)[] | null;
  /** When the Composite answered (null without one). */
  committed: number | null;
}

/**
 * 2. Every record write of the batch in one Composite request, each value fitted to its field's
 * length (a record for an unknown number keeps the full values in its Description).
 */
export async function writeRecords(
  plan: Plan,
  previous: ReadonlyMap<string, CallSyncState>,
  deps: UnitOfWorkDeps,
  progress: CallProgress,
): Promise<RecordsWritten> {
  const { failed, fail, stateOf } = progress;
  const now = deps.now ?? Date.now;
  const created = new Map<string, CreatedRecord>();
  const warnings: string[] = [];
  let eventsPublished = true;
  let publishLimitExceeded = false;
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
  // A state-only change (same Omni status, new phone state) updates the state record, no event.
  const published = deps.agentStatusEvents ? agentEvents.filter((e) => !e.stateOnly) : [];
  const events: EventRecord[] = published.map((e) => ({
    attributes: { type: e.sobject },
    ...agentStatusFields(e),
  }));
  const changedAt = new Date().toISOString();
  const agentStates = agentEvents.map((e) => ({
    User_Key__c: e.userId,
    User__c: e.userId,
    Phone_Event__c: e.phoneEvent,
    Call_Id__c: e.callId ?? null,
    // Who the call is with, shown by the utility bar while it rings; cleared with the call.
    Caller_Number__c: e.caller?.number ?? null,
    Caller_Name__c: e.caller?.name ?? null,
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
  // The people's links of calls an earlier batch wrote, read just before their Aircall Voice (or,
  // without one, their Task) is written, in this Composite (person-links.ts).
  const toCheck = personLinkCheck(voiceWrites, taskOps, previous);
  const checkAt = pending.findIndex(
    (p) =>
      (p.write.kind === 'upsert' && p.write.sobject === 'Aircall_Voice__c') ||
      tasks?.writes.includes(p),
  );
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
  let checked: SalesforceRecord[] | SalesforceError | null = null;
  if (pending.length > 0) {
    const writes = pending.map((p) => p.write);
    const check = toCheck && checkAt >= 0 ? { ...toCheck, before: checkAt } : undefined;
    let results: RecordResult[][];
    if ((deps.reads && deps.reads.length > 0) || check)
      ({ results, reads, checked } = await deps.client.writeAndRead(
        writes,
        deps.reads ?? [],
        check,
      ));
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
  await restorePersonLinks(checked, voiceWrites, taskOps, deps, progress, taskFailed, warnings);
  await tasks?.finish();
  // A call that failed is retried whole (its Tasks with it): its Task errors are not its own.
  for (const callId of taskFailed.keys()) if (failed.has(callId)) taskFailed.delete(callId);
  return {
    created,
    taskFailed,
    caseRefusals,
    refusedCases,
    eventsPublished,
    publishLimitExceeded,
    warnings,
    reads,
    committed,
  };
}

/**
 * Puts back the people's links the batch's Composite found where it wrote something else (one
 * update request, only then): a call Task created after an agent changed the link during the call,
 * an Aircall Voice (and its Task) re-linked while the agent's save was on its way. A Task refused
 * transiently is re-planned with its link, and checked again. An Aircall Voice refused is logged:
 * the person's values were only in this read (a retry would read the connector's values back).
 */
async function restorePersonLinks(
  checked: SalesforceRecord[] | SalesforceError | null,
  voiceWrites: readonly RecordWrite[],
  taskOps: readonly TaskWrite[],
  deps: UnitOfWorkDeps,
  progress: CallProgress,
  taskFailed: Map<string, SalesforceError>,
  warnings: string[],
): Promise<void> {
  if (checked === null) return;
  const { failed, stateOf } = progress;
  if (checked instanceof SalesforceError) {
    warnings.push(
      `The links people set on this batch's calls could not be read (${checked.message}): a call Task created now may name the connector's match rather than theirs.`,
    );
    return;
  }
  if (checked.length === 0) return;
  const ids = new Map<string, string>();
  const records = restoreRecords(
    checked,
    voiceWrites,
    taskOps,
    (callId) => (failed.has(callId) ? null : (stateOf(callId).aircallVoiceId ?? null)),
    (callId, kind) =>
      failed.has(callId) || taskFailed.has(callId)
        ? null
        : ((kind === 'call' ? stateOf(callId).taskId : stateOf(callId).followUpTaskId) ?? null),
  );
  if (records.length === 0) return;
  for (const w of voiceWrites) ids.set(stateOf(w.callId).aircallVoiceId ?? '', w.callId);
  const followUps = new Set<string>();
  for (const t of taskOps) {
    ids.set(stateOf(t.callId).taskId ?? '', t.callId);
    const followUp = stateOf(t.callId).followUpTaskId;
    if (followUp) {
      ids.set(followUp, t.callId);
      followUps.add(followUp);
    }
  }
  let results: readonly RecordResult[] = [];
  let whole: SalesforceError | null = null;
  try {
    [results = []] = await deps.client.writeCollections([{ kind: 'update', records }]);
  } catch (error) {
    whole = toSalesforceError(error);
  }
  records.forEach((record, i) => {
    const result = results[i];
    if (!whole && result?.success) return;
    const error = whole ?? firstError(result ?? missingResult());
    const callId = ids.get(record.Id) ?? '';
    const put = new SalesforceError(
      `The link a person set on call ${callId} could not be put back on its ${record.attributes.type} ${record.Id}: ${error.message}`,
      error.errorCode,
      error.transient,
    );
    // A follow-up Task is not retried: the retry of one created in this batch (nearly every one
    // put back) would not send its link again, as it is sent on creation and on re-links only.
    if (error.transient && record.attributes.type === 'Task' && !followUps.has(record.Id)) {
      if (!taskFailed.has(callId)) taskFailed.set(callId, put);
    } else warnings.push(put.message);
  });
}
