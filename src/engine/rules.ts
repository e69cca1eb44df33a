/** Single decisions shared by planBatch and explain, so what `explain` says is what the plan does. */
import { createdLabel, type CreatedObject, type CrmObject } from './plan';
import { PICKLIST_VALUES, type PicklistValue } from './picklists';
import type { CallState } from './fold';
import { candidatesFor, describeReading } from './matching';
import { pickMatch } from './pick-match';
import type { CrmCandidate, Destination, KnownRecord, MatchIndex, Settings } from './types';

export type CallType = PicklistValue<'Aircall_Voice__c.Call_Type__c'>;
export type CallStatus = PicklistValue<'Aircall_Voice__c.Status__c'>;

const ABANDONED = new Set(['short_abandoned', 'abandoned_in_ivr', 'abandoned_in_classic']);

/**
 * Call type from the folded state; null while an inbound call is still ringing (it is not missed
 * yet). "Invalid Number" is decided by the planner, which knows whether the dialled number parsed.
 */
export function callTypeOf(state: CallState): CallType | null {
  if (state.answeredAt !== null) return 'Answered';
  if (state.direction === 'outbound') return state.ended ? 'Unanswered Outbound' : null;
  if (state.voicemailLeft || state.voicemail !== null || state.voicemailShortUrl !== null)
    return 'Voicemail';
  if (!state.ended) return null;
  if (state.missedReason !== null && ABANDONED.has(state.missedReason)) return 'Abandoned';
  return 'Missed';
}

export function statusOf(state: CallState): CallStatus {
  if (state.ended) return 'Ended';
  return state.answeredAt !== null ? 'In Progress' : 'Ringing';
}

export function missedReasonOf(state: CallState): { value: string | null; warning: string | null } {
  if (state.missedReason === null || state.answeredAt !== null)
    return { value: null, warning: null };
  const allowed = PICKLIST_VALUES['Aircall_Voice__c.Missed_Reason__c'] as readonly string[];
  if (allowed.includes(state.missedReason)) return { value: state.missedReason, warning: null };
  return {
    value: null,
    warning: `Aircall sent missed_call_reason "${state.missedReason}", which Missed_Reason__c does not list; add it to the picklist to keep it.`,
  };
}

export function toAircallVoice(destination: Destination): boolean {
  return destination === 'Aircall Voice' || destination === 'Both';
}
export function toVoiceCall(destination: Destination): boolean {
  return destination === 'Voice Call' || destination === 'Both';
}

/**
 * The link stored for a recording or voicemail. Aircall's `recording`/`voicemail` MP3 URLs expire
 * after about an hour and the short URLs after about three, so a link saved on a record would be
 * dead by the time anyone opens it; `asset` is a stable, access-controlled Aircall page for the
 * call's media, so it is preferred. The expiring URLs are kept only when no `asset` was sent.
 */
export function mediaLink(state: CallState, kind: 'recording' | 'voicemail'): string | null {
  const has =
    kind === 'recording'
      ? state.recording !== null || state.recordingShortUrl !== null
      : state.voicemail !== null || state.voicemailShortUrl !== null;
  if (!has) return null;
  if (state.asset) return state.asset;
  return kind === 'recording'
    ? (state.recordingShortUrl ?? state.recording)
    : (state.voicemailShortUrl ?? state.voicemail);
}

/** A found record's name as people read it (its Name, else first and last name), or null. */
export function candidateName(c: CrmCandidate): string | null {
  return c.name ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || null);
}

export type LinkDecision = (
  | { kind: 'matched'; record: CrmCandidate; reason: string }
  | { kind: 'known'; sobject: CreatedObject; id: string | null; reason: string }
  | { kind: 'create'; sobject: CreatedObject; reason: string }
  | { kind: 'none'; reason: string }
) & {
  /** Every record the search found for the number, and why each was or was not linked. */
  candidates?: CandidateNote[];
};

/**
 * One record the matcher found for a call's number, as Change link shows it: `Match_Candidates__c`
 * holds a JSON array of these (`o` object, `id`, `n` name, `a` a Contact's Account, `c` chosen,
 * `w` why).
 */
export interface CandidateNote {
  o: CrmObject;
  id: string;
  n: string | null;
  a?: string;
  c: boolean;
  w: string;
}

/** At most this many candidates are kept on the call (the field holds 32,768 characters). */
const MAX_CANDIDATE_NOTES = 20;

function candidateNotes(
  candidates: readonly CrmCandidate[],
  decision: ReturnType<typeof pickMatch>,
): CandidateNote[] {
  return candidates.slice(0, MAX_CANDIDATE_NOTES).map((c) => {
    const how = (c.readings ?? []).map((r) => describeReading(r)).join('; ');
    const chosen = decision.kind === 'matched' && decision.record.id === c.id;
    const linkedAccount =
      decision.kind === 'matched' &&
      decision.record.sobject === 'Account' &&
      c.accountId === decision.record.id;
    const why = chosen
      ? `linked: ${decision.reason}`
      : linkedAccount
        ? `its Account is linked instead: ${decision.reason}`
        : decision.kind === 'matched' && decision.record.sobject !== c.sobject
          ? `not linked: Match Order puts ${decision.record.sobject} first`
          : `not linked: ${decision.reason}`;
    return {
      o: c.sobject,
      id: c.id,
      n: candidateName(c),
      ...(c.accountId ? { a: c.accountId } : {}),
      c: chosen,
      w: how ? `${why} (${how})` : why,
    };
  });
}

const CREATE: Record<Settings['unknownNumberAction'], CreatedObject | null> = {
  'Create Lead': 'Lead',
  'Create Contact': 'Contact',
  'Create Account': 'Account',
  'Create Person Account': 'PersonAccount',
  'Do Nothing': null,
};

/**
 * Why "Create Person Account" cannot create one here (null when it can): the org has no Person
 * Accounts, or no active person record type matches `Person_Account_Record_Type__c`.
 */
export function personAccountProblem(settings: Settings): string | null {
  if (!settings.personAccounts)
    return 'this org has no Person Accounts (Account has no IsPersonAccount field)';
  if (!settings.personRecordTypeId)
    return settings.personAccountRecordType
      ? `no active person record type of Account is "${settings.personAccountRecordType}" (Person_Account_Record_Type__c)`
      : 'the org has no active person record type of Account';
  return null;
}

/**
 * Which CRM record a call with this number is linked to. Records this product created for unknown
 * numbers (`known`, and those planned earlier in the same batch) are reused before anything is
 * created, because the org's search index takes minutes to see a new record: without this, two
 * calls from one new number a few minutes apart would create two Leads (Aircall's duplicate bug).
 */
export function decideLink(
  e164: string | null,
  settings: Settings,
  matches: MatchIndex,
  known: ReadonlyMap<string, KnownRecord>,
  lineCountry?: string | null,
): LinkDecision {
  if (e164 === null)
    return {
      kind: 'none',
      reason: 'the caller id is hidden or not a valid number, so nothing can be matched',
    };
  const found = candidatesFor(matches, e164, lineCountry);
  const decision = pickMatch(found, settings);
  const candidates = candidateNotes(found, decision);
  if (decision.kind === 'matched') {
    const readings = decision.record.readings ?? [];
    const how = readings.length ? ` (${readings.map((r) => describeReading(r)).join('; ')})` : '';
    return { ...decision, reason: `${decision.reason}${how}`, candidates };
  }
  if (decision.kind === 'ambiguous')
    return { kind: 'none', reason: `${decision.reason}, so the call is not linked`, candidates };
  const mine = known.get(e164);
  if (mine) {
    return {
      kind: 'known',
      sobject: mine.sobject,
      id: mine.id ?? null,
      reason: `this product already created a ${createdLabel(mine.sobject)} for ${e164}; it is reused (the search index may not show it yet)`,
    };
  }
  const create = CREATE[settings.unknownNumberAction];
  if (!create)
    return {
      kind: 'none',
      reason: `${decision.reason}, and "If the number does not exist" is "Do Nothing"`,
    };
  const problem = create === 'PersonAccount' ? personAccountProblem(settings) : null;
  if (problem)
    return {
      kind: 'none',
      reason: `${decision.reason}, and "If the number does not exist" is "Create Person Account" but ${problem}`,
    };
  return {
    kind: 'create',
    sobject: create,
    reason: `${decision.reason}; a ${createdLabel(create)} is created ("${settings.unknownNumberAction}")`,
  };
}
