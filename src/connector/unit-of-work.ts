/**
 * Applies one engine Plan to the org with as few requests as the APIs allow: one sObject
 * Collections upsert per object per 200 records, Telephony API calls only where a VoiceCall is
 * created or finished, one platform-event publish per batch. Failures are tracked per call, so a
 * bad record fails its own call and never the other 199.
 */
import type { Logger } from 'pino';
import {
  EXTERNAL_ID,
  type CallSyncState,
  type CrmObject,
  type Plan,
  type RecordWrite,
  type TelephonyOp,
} from '../engine/plan';
import type { CreatedRecord } from '../inbox/inbox';
import { firstError, type SalesforceClient } from '../salesforce/client';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';
import type { TelephonyClient } from '../salesforce/telephony';
import type { AircallApi } from './aircall-api';

export interface ApplyResult {
  /** Calls whose writes failed, with the first error. */
  failed: Map<string, SalesforceError>;
  /** New sync state per call: the plan's for calls that succeeded, the partial progress for failed ones. */
  sync: Map<string, CallSyncState>;
  /** E.164 → record created for an unknown number. */
  created: Map<string, CreatedRecord>;
  /** Aircall Voice records whose VoiceCall was created by a PATCH and must be linked later. */
  linksNeeded: { callId: string; aircallVoiceId: string }[];
  /** Non-fatal problems (platform events, Aircall contacts), for logs and metrics. */
  warnings: string[];
}

export interface UnitOfWorkDeps {
  client: SalesforceClient;
  telephony: TelephonyClient | null;
  aircall?: AircallApi | null;
  logger: Logger;
  /** Parallel Telephony API requests (each call is its own request). */
  telephonyConcurrency?: number;
}

const CRM_OBJECTS: CrmObject[] = ['Lead', 'Contact', 'Account'];

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

export async function applyPlan(
  plan: Plan,
  previous: ReadonlyMap<string, CallSyncState>,
  deps: UnitOfWorkDeps,
): Promise<ApplyResult> {
  const failed = new Map<string, SalesforceError>();
  const warnings: string[] = [];
  const created = new Map<string, CreatedRecord>();
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

  const upsertGroup = async (sobject: RecordWrite['sobject'], writes: RecordWrite[]) => {
    const live = writes.filter((w) => !failed.has(w.callId));
    if (live.length === 0) return [];
    const results = await deps.client.upsert(
      sobject,
      EXTERNAL_ID[sobject],
      live.map((w) => w.fields),
    );
    return live.map((write, i) => ({ write, result: results[i] }));
  };

  // 1. Records for unknown numbers, so Aircall Voice can point at them by external id.
  for (const sobject of CRM_OBJECTS) {
    const writes = plan.writes.filter((w) => w.sobject === sobject);
    for (const { write, result } of await upsertGroup(sobject, writes)) {
      const key = write.fields[EXTERNAL_ID[sobject]] as string;
      if (result?.success) created.set(key, { sobject, id: result.id ?? null });
      else
        fail(
          write.callId,
          result ? firstError(result) : new SalesforceError('No result returned', 'UNKNOWN', true),
        );
    }
  }

  // 2. VoiceCalls of calls that are starting.
  const telephonyOps = plan.telephony;
  const runTelephony = async (op: TelephonyOp) => {
    if (failed.has(op.callId)) return;
    if (!deps.telephony) {
      fail(
        op.callId,
        new SalesforceError(
          'The Telephony Integration API is not configured: set SCV_TELEPHONY_URL, SCV_CALL_CENTER_API_NAME and SCV_PRIVATE_KEY_FILE.',
          'TELEPHONY_NOT_CONFIGURED',
          false,
        ),
      );
      return;
    }
    const state = stateOf(op.callId);
    try {
      if (op.kind === 'create') {
        if (state.telephonyCreated) return; // a retry after a partial failure: it exists already
        state.voiceCallId = await deps.telephony.create(op.body);
        state.telephonyCreated = true;
      } else {
        const body = { ...op.body };
        if (op.linkAircallVoice && state.aircallVoiceId) {
          body.callAttributes = mergeCallAttributes(body.callAttributes, {
            Aircall_Voice__c: state.aircallVoiceId,
          });
        }
        await deps.telephony.update(op.vendorCallKey, body);
        state.telephonyCreated = true;
        if (body.endTime) state.telephonyCompleted = true;
      }
    } catch (error) {
      fail(op.callId, toSalesforceError(error));
    }
  };
  const concurrency = deps.telephonyConcurrency ?? 8;
  await mapLimit(
    telephonyOps.filter((op) => op.kind === 'create'),
    concurrency,
    runTelephony,
  );

  // 3. Aircall Voice records, linked to their VoiceCall.
  const voiceWrites = plan.writes
    .filter((w) => w.sobject === 'Aircall_Voice__c')
    .map((w) => {
      const voiceCallId = stateOf(w.callId).voiceCallId;
      return voiceCallId && !('Voice_Call__c' in w.fields)
        ? { ...w, fields: { ...w.fields, Voice_Call__c: voiceCallId } }
        : w;
    });
  for (const { write, result } of await upsertGroup('Aircall_Voice__c', voiceWrites)) {
    if (result?.success && result.id) stateOf(write.callId).aircallVoiceId = result.id;
    else
      fail(
        write.callId,
        result ? firstError(result) : new SalesforceError('No result returned', 'UNKNOWN', true),
      );
  }

  // 4. VoiceCall updates (end of call, recording, link to Aircall Voice).
  await mapLimit(
    telephonyOps.filter((op) => op.kind === 'update'),
    concurrency,
    runTelephony,
  );

  // 4b. A VoiceCall created by the PATCH of an ended call (outbound, missed, invalid) comes back
  // without its id. The Telephony API applies PATCHes asynchronously, so the VoiceCall may not be
  // visible yet: the Aircall Voice → VoiceCall side of the link is left to the link sweeper
  // (links.ts), which fills many at once a few seconds later. The other side
  // (VoiceCall.Aircall_Voice__c) is set by the PATCH itself.
  const linksNeeded = [...new Set(plan.sync.map((s) => s.callId))].flatMap((callId) => {
    const state = stateOf(callId);
    return !failed.has(callId) &&
      state.telephonyCreated &&
      !state.voiceCallId &&
      state.aircallVoiceId
      ? [{ callId, aircallVoiceId: state.aircallVoiceId }]
      : [];
  });

  // 5. One publish for the batch so open record pages refresh. A lost refresh is cosmetic: the
  // records are written, so a publish failure is logged, not retried.
  type EventRecord = Record<string, unknown> & { attributes: { type: string } };
  const events = plan.platformEvents.flatMap((e): EventRecord[] => {
    if (e.sobject === 'Aircall_Voice_Update__e') {
      if (failed.has(e.callId)) return [];
      return [
        {
          attributes: { type: e.sobject },
          Aircall_Voice_Id__c: stateOf(e.callId).aircallVoiceId ?? null,
          Call_Id__c: e.callId,
          Change__c: e.change,
        },
      ];
    }
    return [
      {
        attributes: { type: e.sobject },
        User_Id__c: e.userId,
        Omni_Status__c: e.omniStatus,
        Reason__c: e.reason,
      },
    ];
  });
  if (events.length > 0) {
    try {
      const results = await deps.client.create(events);
      const bad = results.filter((r) => !r.success);
      if (bad.length > 0)
        warnings.push(
          `${bad.length} platform event(s) not published: ${firstError(bad[0]!).message}`,
        );
    } catch (error) {
      warnings.push(`Platform events not published: ${toSalesforceError(error).message}`);
    }
  }

  // 6. Save to phone: push matched or created records to Aircall contacts.
  if (deps.aircall && plan.aircallContacts.length > 0) {
    for (const contact of plan.aircallContacts) {
      if (failed.has(contact.callId)) continue;
      try {
        await deps.aircall.saveContact(contact);
      } catch (error) {
        warnings.push(
          `Aircall contact for ${contact.number} not saved: ${(error as Error).message}`,
        );
      }
    }
  }

  const sync = new Map<string, CallSyncState>();
  for (const { callId, state } of plan.sync) {
    const done = stateOf(callId);
    sync.set(
      callId,
      failed.has(callId)
        ? done
        : {
            ...state,
            voiceCallId: done.voiceCallId ?? state.voiceCallId,
            aircallVoiceId: done.aircallVoiceId ?? state.aircallVoiceId,
          },
    );
  }
  for (const [callId, state] of progress) if (!sync.has(callId)) sync.set(callId, state);
  return { failed, sync, created, linksNeeded, warnings };
}
