/**
 * The values planBatch writes that are read off a call: texts cut to their field, people's labels,
 * times, what a platform event announces, the agent's Salesforce user, and the conversation
 * (transcript, holds, transfers) as fields and as Telephony API transcript messages.
 */
import type { AircallUserRef } from '../aircall/schemas';
import {
  callPath,
  journeyLines,
  storedTranscript,
  transferLines,
  type Transcript,
} from './conversation';
import { shortHash } from './events';
import type { CallState } from './fold';
import type { SObjectFields, TranscriptMessage } from './plan';
import type { BatchInput } from './types';

/** Text(255) fields of Aircall_Voice__c: a longer value would make the whole upsert fail
 * (STRING_TOO_LONG), so it is cut with an ellipsis instead. */
export function clip(value: string | null, max = 255): string | null {
  if (value === null || value.length <= max) return value;
  return `${value.slice(0, max - 1)}…`;
}

/** Assigned_To__c is text: the assignee's name and e-mail, readable without a User lookup. */
export function personLabel(user: AircallUserRef | null): string | null {
  if (!user) return null;
  const name = user.name?.trim() || null;
  const email = user.email?.trim() || null;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? (user.id !== undefined ? `Aircall user ${String(user.id)}` : null);
}

export const iso = (seconds: number | null): string | null =>
  seconds === null ? null : new Date(seconds * 1000).toISOString();

/** Which change a platform event announces, from the event names new since the last plan. */
const CHANGE_OF: Record<string, string> = {
  'call.created': 'created',
  'call.ringing_on_agent': 'ringing',
  'call.answered': 'answered',
  'call.hungup': 'ended',
  'call.ended': 'ended',
  'call.voicemail_left': 'voicemail',
  'call.comm_assets_generated': 'recording',
  'call.tagged': 'tagged',
  'call.untagged': 'tagged',
  'call.commented': 'commented',
  'call.assigned': 'assigned',
  'call.transferred': 'transferred',
  'call.archived': 'archived',
  'summary.created': 'ai',
  'sentiment.created': 'ai',
  'topics.created': 'ai',
  'action_item.created': 'ai',
  'transcription.created': 'ai',
};

export function changeOf(newEvents: readonly string[], first: boolean): string {
  if (first) return 'created';
  const changes = [...new Set(newEvents.map((e) => CHANGE_OF[e] ?? 'updated'))].sort();
  return changes.length ? changes.join(',') : 'updated';
}

export type UserMatcher = (user: AircallUserRef | null | undefined) => string | null;

/**
 * Aircall user → Salesforce User: `User.Aircall_User_Id__c` first (it holds whatever the two
 * e-mail addresses say), then the same e-mail address.
 */
export function userMatcher(users: BatchInput['users']): UserMatcher {
  const byEmail = new Map<string, string>();
  const byAircallId = new Map<string, string>();
  for (const u of users) {
    if (u.Email) byEmail.set(u.Email.toLowerCase(), u.Id);
    if (u.AircallUserId) byAircallId.set(String(u.AircallUserId).trim(), u.Id);
  }
  return (user) => {
    if (!user) return null;
    const byId = user.id !== undefined ? byAircallId.get(String(user.id)) : undefined;
    if (byId) return byId;
    return user.email ? (byEmail.get(user.email.toLowerCase()) ?? null) : null;
  };
}

/**
 * The agent who took or made the call: an inbound call nobody answered rang on agents but was
 * taken by none (Aircall's final snapshot has no user; the ringing events had one).
 */
export function agentOfCall(state: CallState, sfUser: UserMatcher): string | null {
  if (state.direction === 'inbound' && state.answeredAt === null && state.ended) return null;
  return sfUser(state.agent);
}

export function transcriptFileName(callId: string): string {
  return `Transcript ${callId}.txt`;
}

export function transcriptKeyOf(transcript: Transcript): string {
  return shortHash({ id: transcript.id, lines: transcript.lines });
}

/** The Aircall Voice fields of the conversation: transcript, holds, transfers, path. */
export function conversationFields(
  state: CallState,
  transcript: ReturnType<typeof storedTranscript> | null,
): SObjectFields {
  const j = state.journey;
  return {
    Transcript__c: transcript?.field ?? null,
    Hold_Count__c: j.holdCount,
    Hold_Seconds__c: j.holdSeconds,
    Transfer_Count__c: j.transfers.filter((t) => t.outcome !== 'failed').length,
    Transfers__c: clip(transferLines(j, state.startedAt), 32768),
    Call_Path__c: clip(callPath(j)),
    Call_Journey__c: clip(journeyLines(j, state.startedAt), 32768),
  };
}

/**
 * The transcript as "Create Transcripts in Bulk" messages. Aircall counts utterance times from the
 * start of the recording, which starts when the call is answered; each time is kept within the
 * VoiceCall's start and end, as the API creates only utterances whose time falls between them.
 */
export function transcriptMessages(
  callId: string,
  state: CallState,
  transcriptKey: string,
  sfUser: UserMatcher,
): TranscriptMessage[] {
  const startMs = state.startedAt * 1000;
  const endMs = (state.endedAt ?? state.startedAt) * 1000;
  const base = (state.answeredAt ?? state.startedAt) * 1000;
  const within = (ms: number) => Math.min(endMs, Math.max(startMs, Math.round(ms)));
  return (state.transcript?.lines ?? []).map((line, i) => {
    const at = within(base + line.offset * 1000);
    const until = Math.max(at, within(base + (line.end ?? line.offset) * 1000));
    const userId =
      line.speaker === 'agent'
        ? sfUser(
            line.aircallUserId !== null
              ? (state.people.get(line.aircallUserId) ?? { id: line.aircallUserId })
              : state.agent,
          )
        : null;
    const sender: TranscriptMessage['senderType'] =
      line.speaker === 'customer' ? 'END_USER' : userId ? 'HUMAN_AGENT' : 'VIRTUAL_AGENT';
    return {
      messageId: `${callId}-${transcriptKey}-${i}`,
      participantId: sender === 'HUMAN_AGENT' ? userId! : `${callId}${sender}`,
      senderType: sender,
      startTime: at,
      endTime: until,
      content: line.text,
    };
  });
}
