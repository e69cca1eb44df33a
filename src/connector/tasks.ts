/**
 * Task writes (call Tasks and follow-up Tasks), made idempotent the way VoiceCall POSTs are.
 *
 * A Task cannot be upserted by an external id: its key, `CallObject`, is a plain string field
 * (Object Reference "Task": Create, Filter, Group, Nillable, Sort, Update; no idLookup), and the
 * package does not rely on an External ID custom field on Activity. So, per call:
 *
 * - a Task whose id is known (the inbox's `task_id` / `follow_up_task_id`) is updated by Id;
 * - a create whose answer may have been lost (noted in `task_posted_at` before it was sent, id never
 *   recorded: a crash, a Composite that failed, another PostgreSQL worker that took the call over)
 *   is first looked up by `CallObject` (call Task) or `Aircall_Follow_Up_For__c` (follow-up), one
 *   SOQL for the whole batch, only then;
 * - otherwise the create is noted in the inbox, then sent.
 *
 * Creates and updates ride in the batch's one Composite request, after the Aircall Voice upsert
 * (they point at it by its external id). A Task the org refuses (a validation rule, a required
 * custom field, a trigger) never fails its call: the call is logged, and the Task failure is
 * reported apart (a dead letter of its own, retryable).
 */
import type { CallSyncState, TaskWrite } from '../engine';
import type { SyncStateStore, TaskNote } from '../inbox/inbox';
import { ErrorCode } from '../errors/catalogue';
import {
  firstError,
  type CollectionWrite,
  type RecordResult,
  type SalesforceClient,
} from '../salesforce/client';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';

type TaskRecord = Record<string, unknown> & { attributes: { type: string } };

const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The Composite writes of a batch's Tasks, and what to do once it has answered. */
export interface TaskBatch {
  writes: { write: CollectionWrite; read: (results: readonly RecordResult[]) => void }[];
  /** Records the Task ids learnt (durably) and closes the follow-ups that were closed. */
  finish(): Promise<void>;
}

export interface TaskDeps {
  client: SalesforceClient;
  inbox: Pick<SyncStateStore, 'recordTasks' | 'closeFollowUps'>;
  now: () => number;
}

/**
 * Prepares the plan's Task writes of calls that have not failed. `stateOf` is the unit of work's
 * progress per call (ids learnt here are written into it); `taskFailed` receives each call whose
 * Task write failed, transiently or for good.
 */
export async function prepareTasks(
  ops: readonly TaskWrite[],
  stateOf: (callId: string) => CallSyncState,
  taskFailed: Map<string, SalesforceError>,
  deps: TaskDeps,
): Promise<TaskBatch> {
  const failTask = (callId: string, error: SalesforceError) => {
    if (!taskFailed.has(callId)) taskFailed.set(callId, error);
  };
  /** Task ids of close-follow-up ops, by the call they follow up. */
  const followUpIds = new Map<string, string>();
  const idOf = (op: TaskWrite): string | undefined => {
    if (op.kind === 'call') return stateOf(op.callId).taskId;
    if (op.kind === 'follow-up') return stateOf(op.callId).followUpTaskId;
    return op.taskId ?? followUpIds.get(op.followUpOf ?? '');
  };
  const uncertain = ops.filter((op) => {
    if (idOf(op)) return false;
    if (op.kind === 'call') return stateOf(op.callId).taskPosted === true;
    if (op.kind === 'follow-up') return stateOf(op.callId).followUpPosted === true;
    return true; // a follow-up to close whose id was never recorded
  });
  const learnt: TaskNote[] = [];
  if (uncertain.length > 0) {
    const calls = uncertain.filter((op) => op.kind === 'call').map((op) => op.callId);
    const followUps = uncertain
      .filter((op) => op.kind !== 'call')
      .map((op) => (op.kind === 'follow-up' ? op.callId : op.followUpOf!));
    const where = [
      ...(calls.length
        ? [`(TaskSubtype = 'Call' AND CallObject IN (${calls.map(soqlString).join(',')}))`]
        : []),
      ...(followUps.length
        ? [`Aircall_Follow_Up_For__c IN (${followUps.map(soqlString).join(',')})`]
        : []),
    ].join(' OR ');
    try {
      const rows = await deps.client.query<{
        Id: string;
        CallObject: string | null;
        Aircall_Follow_Up_For__c: string | null;
        TaskSubtype: string | null;
      }>(
        `SELECT Id, CallObject, TaskSubtype, Aircall_Follow_Up_For__c FROM Task WHERE ${where} ORDER BY CreatedDate`,
      );
      for (const row of rows) {
        if (row.Aircall_Follow_Up_For__c) {
          const callId = row.Aircall_Follow_Up_For__c;
          if (followUpIds.has(callId)) continue; // the oldest one is the call's
          followUpIds.set(callId, row.Id);
          const state = stateOf(callId);
          if (uncertain.some((op) => op.kind === 'follow-up' && op.callId === callId)) {
            state.followUpTaskId = row.Id;
            delete state.followUpPosted;
            learnt.push({ callId, kind: 'follow-up', taskId: row.Id });
          }
        } else if (row.CallObject && row.TaskSubtype === 'Call') {
          const state = stateOf(row.CallObject);
          if (state.taskId) continue;
          state.taskId = row.Id;
          delete state.taskPosted;
          learnt.push({ callId: row.CallObject, kind: 'call', taskId: row.Id });
        }
      }
    } catch (error) {
      const refused = toSalesforceError(error);
      for (const op of uncertain) failTask(op.callId, refused);
    }
  }

  const creates: { op: TaskWrite; record: TaskRecord }[] = [];
  const updates: { op: TaskWrite; record: TaskRecord & { Id: string } }[] = [];
  const closed: string[] = [];
  for (const op of ops) {
    if (taskFailed.has(op.callId)) continue;
    const id = idOf(op);
    if (id) {
      updates.push({ op, record: { attributes: { type: 'Task' }, Id: id, ...op.fields } });
    } else if (op.kind === 'close-follow-up') {
      // Its follow-up Task was never created (refused, or never sent): nothing to close.
      closed.push(op.followUpOf!);
    } else {
      creates.push({
        op,
        record: { attributes: { type: 'Task' }, ...op.createOnly, ...op.fields },
      });
    }
  }
  // Noted before they are sent: a create whose answer is lost is looked up, never sent twice.
  await deps.inbox.recordTasks(
    creates.map(({ op }) => ({
      callId: op.callId,
      kind: op.kind === 'call' ? 'call' : 'follow-up',
      taskId: null,
      ...(op.opens ? { followUp: op.opens } : {}),
    })),
    deps.now(),
  );

  const resultAt = (results: readonly RecordResult[], i: number): RecordResult =>
    results[i] ?? {
      success: false,
      errors: [
        {
          statusCode: ErrorCode.UNKNOWN_EXCEPTION,
          message: 'No result returned for this Task.',
          fields: [],
        },
      ],
    };
  const refusal = (op: TaskWrite, result: RecordResult): SalesforceError => {
    const error = firstError(result);
    const what =
      op.kind === 'call'
        ? `The call Task of call ${op.callId}`
        : op.kind === 'follow-up'
          ? `The follow-up Task of call ${op.callId}`
          : `Closing the follow-up Task of call ${op.followUpOf ?? ''} (called back by call ${op.callId})`;
    return new SalesforceError(
      `${what} was refused by the org: ${error.message}${error.transient ? '' : ' The call itself is logged. Fix the rule or field the message names, then retry with `aircall-sfv dead-letters --retry`.'}`,
      error.errorCode,
      error.transient,
    );
  };
  const writes: TaskBatch['writes'] = [];
  if (creates.length > 0)
    writes.push({
      write: { kind: 'create', records: creates.map((c) => c.record) },
      read: (results) =>
        creates.forEach(({ op }, i) => {
          const result = resultAt(results, i);
          if (!result.success || !result.id) {
            failTask(op.callId, refusal(op, result));
            return;
          }
          const state = stateOf(op.callId);
          if (op.kind === 'call') {
            state.taskId = result.id;
            delete state.taskPosted;
          } else {
            state.followUpTaskId = result.id;
            delete state.followUpPosted;
          }
          learnt.push({
            callId: op.callId,
            kind: op.kind === 'call' ? 'call' : 'follow-up',
            taskId: result.id,
          });
        }),
    });
  if (updates.length > 0)
    writes.push({
      write: { kind: 'update', records: updates.map((u) => u.record) },
      read: (results) =>
        updates.forEach(({ op }, i) => {
          const result = resultAt(results, i);
          if (!result.success) failTask(op.callId, refusal(op, result));
          else if (op.kind === 'close-follow-up') closed.push(op.followUpOf!);
        }),
    });

  return {
    writes,
    finish: async () => {
      await deps.inbox.recordTasks(learnt, deps.now());
      if (closed.length > 0) await deps.inbox.closeFollowUps(closed, deps.now());
    },
  };
}
