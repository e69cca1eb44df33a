/**
 * The Telephony API steps of a unit of work (unit-of-work.ts): the POSTs that create the VoiceCalls
 * of calls that are starting (before the batch's Composite, so their Aircall Voice can point at
 * them) and the PATCHes that complete them (after it). One request per call, a few in parallel;
 * the Telephony API is not counted in the org's REST allocation.
 */
import type { Plan, TelephonyOp } from '../engine';
import { ErrorCode } from '../errors/catalogue';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';
import { fitTelephonyBody } from './fit';
import { findVoiceCalls } from './links';
import type { CallProgress } from './progress';
import type { UnitOfWorkDeps } from './unit-of-work';

interface TelephonyContext {
  deps: UnitOfWorkDeps;
  progress: CallProgress;
  /** Calls whose Case the org refused in this batch (their VoiceCall points at no Case). */
  refusedCases: ReadonlySet<string>;
}

/**
 * 1. VoiceCalls of calls that are starting, so their Aircall Voice can point at them. A POST that
 * succeeded is never sent again: each is noted in the inbox before it is sent and its VoiceCall id
 * as soon as it answers (before the Composite, which may fail, and before the events are settled,
 * which a crash may prevent). A call whose earlier POST was sent but never answered is looked up
 * by VendorCallKey first (one SOQL for all of them; only after a failure or a crash).
 */
export async function postVoiceCalls(
  plan: Plan,
  deps: UnitOfWorkDeps,
  progress: CallProgress,
  concurrency: number,
): Promise<void> {
  const { failed, fail, stateOf } = progress;
  const ctx: TelephonyContext = { deps, progress, refusedCases: new Set() };
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
  await mapLimit(toPost, concurrency, (op) => runTelephony(op, ctx));
  const known = creates.flatMap((op) => {
    const id = stateOf(op.callId).voiceCallId;
    return id && !failed.has(op.callId) ? [{ callId: op.callId, voiceCallId: id }] : [];
  });
  await deps.voiceCalls.recordVoiceCalls(known, now());
}

/** 3. VoiceCall updates (end of call, recording, link to Aircall Voice, related Case). */
export async function patchVoiceCalls(
  plan: Plan,
  deps: UnitOfWorkDeps,
  progress: CallProgress,
  refusedCases: ReadonlySet<string>,
  concurrency: number,
): Promise<void> {
  const ctx: TelephonyContext = { deps, progress, refusedCases };
  await mapLimit(
    plan.telephony.filter((op) => op.kind === 'update'),
    concurrency,
    (op) => runTelephony(op, ctx),
  );
}

async function runTelephony(op: TelephonyOp, ctx: TelephonyContext): Promise<void> {
  const { deps, progress, refusedCases } = ctx;
  const { failed, fail, stateOf } = progress;
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
}

export async function mapLimit<T>(
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
