/**
 * A call's VoiceCall through the Telephony Integration REST API (see planner.ts for the paths):
 * the POST of a live inbound call, the final PATCH (which creates the VoiceCall when no POST did),
 * a recording that arrives after it, and the transcript (as a file on the Aircall Voice when the
 * field cannot hold it, and on the VoiceCall once complete).
 */
import {
  agentOfCall,
  iso,
  transcriptFileName,
  transcriptKeyOf,
  transcriptMessages,
} from './call-fields';
import type { BatchContext, CallContext } from './call-plan';
import type { CallState } from './fold';
import type { CallSyncState, TelephonyUpdateBody } from './plan';
import { toVoiceCall } from './rules';

/** If `call.ended` never comes (it normally follows hang-up by ~30 s), close the VoiceCall anyway. */
export const FINAL_PATCH_GRACE_SECONDS = 180;

/** An invalid number dialled: only a VoiceCall, only once the call has ended. */
export function planInvalidNumber(
  { input, plan }: BatchContext,
  callId: string,
  state: CallState,
  prev: CallSyncState,
  next: CallSyncState,
  customer: { raw: string },
  lineE164: string | null,
): void {
  if (!state.ended) return;
  if (!prev.telephonyCreated) {
    const body: TelephonyUpdateBody = {
      callCenterApiName: input.callCenterApiName,
      callType: 'Outbound',
      toNumber: customer.raw,
      ...(lineE164 ? { fromNumber: lineE164 } : {}),
      startTime: iso(state.startedAt)!,
      endTime: iso(state.endedAt ?? state.startedAt)!,
      isActiveCall: false,
      disconnectReason: { value: 'Invalid Number', isError: true },
    };
    plan.telephony.push({
      kind: 'update',
      callId,
      vendorCallKey: callId,
      body,
      linkAircallVoice: false,
    });
  }
  next.telephonyCreated = true;
  next.telephonyCompleted = true;
}

export function planVoiceCall(b: BatchContext, c: CallContext): void {
  const { input, plan, settings, sfUser } = b;
  const { callId, state, prev, next, customer, lineE164, durations, finalDue, connected } = c;
  const { hasCase, openCaseId, recordingLink, voicemailLink, transcriptStore } = c;
  // VoiceCall.
  const from =
    customer.kind === 'valid'
      ? customer.e164
      : customer.kind === 'invalid'
        ? customer.raw
        : 'anonymous';
  const vcMedia =
    (toVoiceCall(settings.recordingDestination) ? recordingLink : null) ??
    (toVoiceCall(settings.voicemailDestination) ? voicemailLink : null);
  if (state.direction === 'inbound' && !prev.telephonyCreated && !state.ended) {
    plan.telephony.push({
      kind: 'create',
      callId,
      vendorCallKey: callId,
      body: {
        callCenterApiName: input.callCenterApiName,
        vendorCallKey: callId,
        to: lineE164 ?? '',
        from,
        initiationMethod: 'Inbound',
        startTime: iso(state.startedAt)!,
        participants: [{ participantKey: from, type: 'END_USER' }],
      },
    });
    next.telephonyCreated = true;
  }
  if (finalDue) {
    const body: TelephonyUpdateBody = {
      startTime: iso(state.startedAt)!,
      endTime: iso(state.endedAt ?? state.startedAt)!,
      ...(state.answeredAt !== null ? { acceptTime: iso(state.answeredAt)! } : {}),
      ...(durations ? { agentInteractionDuration: durations.talkSeconds } : {}),
      // Holds as Aircall reported them (call.hold / call.unhold); transfers have no field here.
      numberOfHolds: state.journey.holdCount,
      totalHoldDuration: state.journey.holdSeconds,
      longestHoldDuration: state.journey.longestHoldSeconds,
      ...(agentOfCall(state, sfUser) ? { agent: agentOfCall(state, sfUser)! } : {}),
      isActiveCall: false,
      callAttributes: JSON.stringify({}),
    };
    if (vcMedia) {
      body.recordingLocation = vcMedia;
      if (durations && durations.talkSeconds > 0 && vcMedia === recordingLink)
        body.totalRecordingDuration = durations.talkSeconds;
      next.voiceCallRecording = vcMedia;
    }
    if (!next.telephonyCreated) {
      // This PATCH creates the VoiceCall (outbound calls, or calls first seen after they ended).
      body.callCenterApiName = input.callCenterApiName;
      body.callType = state.direction === 'inbound' ? 'Inbound' : 'Outbound';
      body.fromNumber = state.direction === 'inbound' ? from : (lineE164 ?? '');
      body.toNumber = state.direction === 'inbound' ? (lineE164 ?? '') : from;
    }
    // The VoiceCall's related record is the call's Case: callAttributes carries VoiceCall fields,
    // RelatedRecordId among them (docs/PLATFORM.md, "Cases and Opportunities").
    const relatedCase = openCaseId ?? (hasCase ? 'created' : undefined);
    plan.telephony.push({
      kind: 'update',
      callId,
      vendorCallKey: callId,
      body,
      linkAircallVoice: true,
      ...(relatedCase ? { relatedCase } : {}),
    });
    next.telephonyCreated = true;
    next.telephonyCompleted = true;
    delete next.finalPatchDueAt;
  } else if (prev.telephonyCompleted && vcMedia && prev.voiceCallRecording !== vcMedia) {
    // The recording became available after the final PATCH (call.comm_assets_generated).
    const body: TelephonyUpdateBody = { recordingLocation: vcMedia };
    if (durations && durations.talkSeconds > 0 && vcMedia === recordingLink)
      body.totalRecordingDuration = durations.talkSeconds;
    plan.telephony.push({
      kind: 'update',
      callId,
      vendorCallKey: callId,
      body,
      linkAircallVoice: false,
    });
    next.voiceCallRecording = vcMedia;
  }

  // The full transcript, as a file on the Aircall Voice, when the field cannot hold it.
  const transcriptKey = state.transcript ? transcriptKeyOf(state.transcript) : null;
  if (
    connected &&
    transcriptStore &&
    !transcriptStore.fits &&
    transcriptKey &&
    prev.transcriptFile !== transcriptKey
  ) {
    (plan.files ??= []).push({
      callId,
      title: transcriptFileName(callId),
      text: transcriptStore.full,
      transcriptKey,
    });
    next.transcriptFile = transcriptKey;
  }
  // The transcript on the VoiceCall, once it is complete (its start and end times are what the
  // Telephony API checks each utterance's time against), and once per transcript.
  if (
    state.transcript &&
    transcriptKey &&
    next.telephonyCompleted &&
    prev.transcriptSent !== transcriptKey &&
    state.transcript.lines.length > 0
  ) {
    plan.telephony.push({
      kind: 'transcript',
      callId,
      vendorCallKey: callId,
      transcriptKey,
      messages: transcriptMessages(callId, state, transcriptKey, sfUser),
    });
    next.transcriptSent = transcriptKey;
  }

  if (state.ended && !next.telephonyCompleted && state.endedAt !== null) {
    next.finalPatchDueAt = iso(state.endedAt + FINAL_PATCH_GRACE_SECONDS)!;
  }
}
