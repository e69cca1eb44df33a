/**
 * Transcripts of a unit of work (unit-of-work.ts), after the VoiceCalls are complete: the messages
 * through the Telephony API, and a transcript too long for its field as a file on the call's
 * Aircall Voice.
 */
import type { CallSyncState, Plan, TelephonyOp } from '../engine';
import { ErrorCode } from '../errors/catalogue';
import { firstError, type RecordResult } from '../salesforce/client';
import { toSalesforceError, type SalesforceError } from '../salesforce/errors';
import { mapLimit } from './telephony-writes';
import type { UnitOfWorkDeps } from './unit-of-work';

/**
 * "Create Transcripts in Bulk" takes "up to 5 different voice calls at a time", and "each voice call
 * included in the payload can have up to 5 transcripts (also called conversation entries)"
 * (Salesforce Voice with Telephony Providers Implementation Guide, "Create Transcripts in Bulk").
 */
export const TRANSCRIPT_CALLS_PER_REQUEST = 5;
export const TRANSCRIPT_MESSAGES_PER_CALL = 5;

type TranscriptOp = Extract<TelephonyOp, { kind: 'transcript' }>;

/** Full transcripts as text files (ContentVersion) published on their Aircall Voice records. */
export async function saveTranscriptFiles(
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
export async function sendTranscripts(
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
