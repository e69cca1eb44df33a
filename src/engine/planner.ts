/**
 * planBatch: a batch of Aircall calls (plus agent events) in, one plan out. Pure and linear in the
 * batch: every lookup is a Map, nothing is compared pairwise.
 *
 * VoiceCall paths (Telephony Integration REST API, Service Cloud Voice developer guide):
 * - inbound, seen while live: POST /voiceCalls at connect ("only in a real-time context"), then one
 *   PATCH when Aircall has completed the call (`call.ended`) with times, recording and the link to
 *   Aircall Voice;
 * - outbound: POST only takes initiationMethod Inbound or Transfer, so the VoiceCall is created by
 *   the PATCH, which the guide documents as able to "create a voice call even after the call has
 *   ended" (for calls no VoiceCall was created for). The sObject API is not used: VoiceCall fields'
 *   writability there is not documented for partner telephony, and it would bypass the conversation
 *   the Telephony API sets up;
 * - calls first seen already ended (backfill, replay, late delivery) and invalid numbers: the same
 *   single PATCH. The guide warns against repeating that PATCH, so the final one is sent once
 *   (`telephonyCompleted`); only a recording that arrives afterwards gets one more, recording-only
 *   PATCH.
 */
import type { AircallUserRef, UserEvent } from '../aircall/schemas';
import { checkBusinessHours, selectCalendar, type BusinessHoursVerdict } from './business-hours';
import {
  callPath,
  journeyLines,
  storedTranscript,
  transferLines,
  type Transcript,
} from './conversation';
import { eventKey, shortHash } from './events';
import { durationsOf, foldCall, type CallState } from './fold';
import { classifyNumber, normalizeNumber } from './matching';
import { reportFields } from './report-fields';
import {
  createdKeyField,
  createdLabel,
  createdSObject,
  PERSON_ACCOUNT_KEY,
  type AgentStatusEvent,
  type CallSyncState,
  type CreatedObject,
  type Plan,
  type SObjectFields,
  type TelephonyUpdateBody,
  type TranscriptMessage,
  type VoiceUpdateEvent,
} from './plan';
import {
  callTypeOf,
  decideLink,
  mediaLink,
  missedReasonOf,
  statusOf,
  toAircallVoice,
  toVoiceCall,
  type LinkDecision,
} from './rules';
import { DEFAULT_PHONE_TO_OMNI, defaultOmniStatus } from './presence';
import { chooseOpenLinks, indexOpenRecords } from './open-records';
import { CASE_ORIGIN, callerName, caseContent, caseParties, supplied, wantsCase } from './cases';
import {
  activityDate,
  callCategoryOf,
  callDisposition,
  clipText,
  closingNote,
  decideLogging,
  followUpDescription,
  followUpsClosedBy,
  isInternalCall,
  taskDescription,
  taskSubject,
  taskWhat,
  taskWho,
  wordsFor,
} from './activity';
import type {
  BatchInput,
  KnownRecord,
  PhoneEvent,
  PresenceStatus,
  PublishedAgentStatus,
  Settings,
  StatusMapping,
} from './types';

/** If `call.ended` never comes (it normally follows hang-up by ~30 s), close the VoiceCall anyway. */
export const FINAL_PATCH_GRACE_SECONDS = 180;

/** Text(255) fields of Aircall_Voice__c: a longer value would make the whole upsert fail
 * (STRING_TOO_LONG), so it is cut with an ellipsis instead. */
function clip(value: string | null, max = 255): string | null {
  if (value === null || value.length <= max) return value;
  return `${value.slice(0, max - 1)}…`;
}

/** Assigned_To__c is text: the assignee's name and e-mail, readable without a User lookup. */
function personLabel(user: AircallUserRef | null): string | null {
  if (!user) return null;
  const name = user.name?.trim() || null;
  const email = user.email?.trim() || null;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? (user.id !== undefined ? `Aircall user ${String(user.id)}` : null);
}

const iso = (seconds: number | null): string | null =>
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

function changeOf(newEvents: readonly string[], first: boolean): string {
  if (first) return 'created';
  const changes = [...new Set(newEvents.map((e) => CHANGE_OF[e] ?? 'updated'))].sort();
  return changes.length ? changes.join(',') : 'updated';
}

export { DEFAULT_PHONE_TO_OMNI };

const USER_EVENT_PHONE: Partial<Record<UserEvent['event'], PhoneEvent>> = {
  'user.opened.v2': 'Available',
  'user.connected.v2': 'Available',
  'user.wut_end.v2': 'Available',
  'user.wut_start.v2': 'After-Call Work',
};

/** What agentStatus needs besides the event: the batch's rules and where warnings go. */
interface PresenceRules {
  settings: Settings;
  mappings: readonly StatusMapping[];
  statuses: readonly PresenceStatus[] | undefined;
  warnings: Set<string>;
}

/** The Omni status a phone state sets, or null (no rule, or no such status in the org: warned). */
function omniStatusFor(phoneEvent: PhoneEvent, rules: PresenceRules): string | null {
  if (rules.settings.omniMappingMode === 'Default') {
    if (!rules.statuses) return DEFAULT_PHONE_TO_OMNI[phoneEvent];
    const resolved = defaultOmniStatus(phoneEvent, rules.statuses);
    if ('status' in resolved) return resolved.status;
    const events =
      phoneEvent === 'Available' ? 'Available' : 'Ringing, In Call and After-Call Work';
    rules.warnings.add(
      `This org has no Omni-Channel presence status named ${resolved.missing}, so ${events} on the phone ` +
        "do not change the rep's Omni-Channel status. Create one in Setup > Presence Statuses, or set " +
        'Omni-Channel status mapping to Custom in Aircall Settings and map these phone events to an existing status.',
    );
    return null;
  }
  const rule = rules.mappings.find(
    (m) => m.direction === 'Phone to Omni' && m.phoneEvent === phoneEvent,
  );
  return rule ? rule.omniStatus : null;
}

function nameParts(
  state: CallState,
  e164: string,
): { firstName: string | null; lastName: string; company: string | null } {
  const c = state.aircallContact;
  return {
    firstName: c?.firstName ?? null,
    // LastName is required on Lead and Contact; the number keeps the record findable until renamed.
    lastName: c?.lastName ?? `Caller ${e164}`,
    company: c?.company ?? null,
  };
}

/**
 * Who owns a record created for an unknown number (`Created_Record_Owner__c`): the agent who took or
 * made the call (the integration user when there is none, e.g. a missed call, or they have no
 * Salesforce user), the integration user (the connector's own user: no OwnerId is sent), or the
 * org's lead assignment rules (Leads only: Contacts and Accounts have no assignment rules, so they
 * stay with the integration user).
 */
export function createdRecordOwner(
  sobject: CreatedObject,
  settings: Settings,
  agentId: string | null,
): { ownerId: string | null; assignmentRules: boolean; reason: string } {
  switch (settings.createdRecordOwner) {
    case 'Agent Who Handled The Call':
      return agentId
        ? {
            ownerId: agentId,
            assignmentRules: false,
            reason: `the agent who handled the call (User ${agentId})`,
          }
        : {
            ownerId: null,
            assignmentRules: false,
            reason: 'the integration user: no agent with a Salesforce user handled the call',
          };
    case 'Assignment Rules':
      return sobject === 'Lead'
        ? { ownerId: null, assignmentRules: true, reason: "the org's active lead assignment rule" }
        : {
            ownerId: null,
            assignmentRules: false,
            reason: `the integration user: a ${createdLabel(sobject)} has no assignment rules`,
          };
    default:
      return { ownerId: null, assignmentRules: false, reason: 'the integration user' };
  }
}

/** Where a created record keeps the Lead Source setting (a person's is `PersonLeadSource`). */
const LEAD_SOURCE_FIELD: Record<CreatedObject, string> = {
  Lead: 'LeadSource',
  Contact: 'LeadSource',
  Account: 'AccountSource',
  PersonAccount: 'PersonLeadSource',
};

function crmCreateFields(
  sobject: CreatedObject,
  state: CallState,
  e164: string,
  settings: Settings,
): SObjectFields {
  const n = nameParts(state, e164);
  if (sobject === 'PersonAccount')
    // Named like a Contact; `Name` is the org's to build from the person's names.
    return {
      RecordTypeId: settings.personRecordTypeId ?? null,
      [PERSON_ACCOUNT_KEY]: e164,
      Phone: e164,
      LastName: n.lastName,
      ...(n.firstName ? { FirstName: n.firstName } : {}),
    };
  const base: SObjectFields = { Aircall_Phone_Key__c: e164, Phone: e164 };
  if (sobject === 'Account')
    return { ...base, Name: n.company ?? [n.firstName, n.lastName].filter(Boolean).join(' ') };
  const person: SObjectFields = {
    ...base,
    LastName: n.lastName,
    ...(n.firstName ? { FirstName: n.firstName } : {}),
  };
  // Company is required on Lead.
  return sobject === 'Lead' ? { ...person, Company: n.company ?? `Unknown (${e164})` } : person;
}

/**
 * `Match_Reason__c`: why the call is linked to its record (or not), for admins' reports. It starts
 * with "Matched:", "Created for this number:" or "Not linked:". A record created for the number is
 * described the same way whether this plan creates it or an earlier one did, so how events were
 * split into batches does not change the Aircall Voice.
 */
function matchReason(link: LinkDecision, e164: string | null): string {
  switch (link.kind) {
    case 'matched':
      return `Matched: ${link.reason}`;
    case 'known':
    case 'create':
      return `Created for this number: no Contact, Lead or Account had ${e164 ?? 'it'}, so a ${createdLabel(link.sobject)} with ${createdKeyField(link.sobject)} ${e164 ?? ''} was created for it`;
    case 'none':
      return `Not linked: ${link.reason}`;
  }
}

function linkFields(link: LinkDecision, e164: string | null): SObjectFields {
  const fields: SObjectFields = { Account__c: null, Contact__c: null, Lead__c: null };
  switch (link.kind) {
    case 'matched':
      fields[`${link.record.sobject}__c`] = link.record.id;
      if (link.record.sobject === 'Contact' && link.record.accountId)
        fields.Account__c = link.record.accountId;
      // A Person Account links its person contact too.
      if (link.record.personContactId) fields.Contact__c = link.record.personContactId;
      break;
    case 'known':
    case 'create':
      if (link.sobject === 'PersonAccount') {
        // The Account by its Id once known, else by its key; its person contact by the contact's
        // own key (the same value: the `__pc` field is that contact's field).
        if (link.kind === 'known' && link.id) fields.Account__c = link.id;
        else if (e164) {
          delete fields.Account__c;
          fields.Account__r = { [PERSON_ACCOUNT_KEY]: e164 };
        }
        if (e164) {
          delete fields.Contact__c;
          fields.Contact__r = { Aircall_Phone_Key__c: e164 };
        }
      } else if (link.kind === 'known' && link.id) fields[`${link.sobject}__c`] = link.id;
      else if (e164) {
        // Linked through the external id: the record may be created by this very plan (step 1).
        delete fields[`${link.sobject}__c`];
        fields[`${link.sobject}__r`] = { Aircall_Phone_Key__c: e164 };
      }
      break;
    case 'none':
      break;
  }
  return fields;
}

/**
 * The record this product chose for a call, as one key: its Id, or the number of the record
 * created for it (known by its external id until its Id is learned), or none.
 */
function linkKeyOf(link: LinkDecision, e164: string | null): string {
  switch (link.kind) {
    case 'matched':
      return `${link.record.sobject}:${link.record.id}`;
    case 'known':
    case 'create':
      return `${link.sobject}:${e164 ?? ''}`;
    case 'none':
      return 'none';
  }
}

/** The link of a call: what an agent may set through Change link, and the matcher's candidates. */
const LINK_FIELDS = [
  'Account__c',
  'Contact__c',
  'Lead__c',
  'Account__r',
  'Contact__r',
  'Lead__r',
  'Match_Reason__c',
  'Match_Candidates__c',
  'Linked_By__c',
] as const;

function withoutLink(fields: SObjectFields): SObjectFields {
  const out = { ...fields };
  for (const name of LINK_FIELDS) delete out[name];
  return out;
}

function withoutTaskLink(fields: SObjectFields): SObjectFields {
  const { WhoId: _who, WhatId: _what, Who: _w, What: _t, ...rest } = fields;
  return rest;
}

type UserMatcher = (user: AircallUserRef | null | undefined) => string | null;

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
function agentOfCall(state: CallState, sfUser: UserMatcher): string | null {
  if (state.direction === 'inbound' && state.answeredAt === null && state.ended) return null;
  return sfUser(state.agent);
}

export function transcriptFileName(callId: string): string {
  return `Transcript ${callId}.txt`;
}

function transcriptKeyOf(transcript: Transcript): string {
  return shortHash({ id: transcript.id, lines: transcript.lines });
}

/** The Aircall Voice fields of the conversation: transcript, holds, transfers, path. */
function conversationFields(
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
function transcriptMessages(
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

export function planBatch(input: BatchInput): Plan & { warnings: string[] } {
  const { settings } = input;
  const plan: Plan & { warnings: string[] } = {
    writes: [],
    telephony: [],
    platformEvents: [],
    aircallContacts: [],
    tasks: [],
    skipped: [],
    sync: [],
    warnings: [],
  };
  const words = wordsFor(input.language);
  const closing = new Set<string>();
  const warnings = new Set<string>();
  const sfUser = userMatcher(input.users);

  const calendar = selectCalendar(input.businessHours, settings.businessHoursId);
  if (
    !calendar &&
    (settings.logCalls === 'Business Hours Only' || settings.businessHoursId !== null)
  ) {
    warnings.add(
      settings.businessHoursId
        ? `Business hours ${settings.businessHoursId} were not found; every call is logged until Business_Hours_Id__c names an active BusinessHours record.`
        : 'Log Calls is "Business Hours Only" but the org has no default business hours; every call is logged until one is set in Setup > Business Hours.',
    );
  }
  // Records created for unknown numbers, by E.164: those created earlier plus those this plan creates.
  const known = new Map<string, KnownRecord>(input.known);
  const presenceRules: PresenceRules = {
    settings,
    mappings: input.statusMappings,
    statuses: input.presenceStatuses,
    warnings,
  };
  const savedNumbers = new Set<string>();
  const openIndex = input.openRecords ? indexOpenRecords(input.openRecords) : null;
  const linksWanted = settings.linkToOpenCase || settings.linkToOpenOpportunity;

  const calls = [...input.calls].sort((a, b) =>
    a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0,
  );
  // Folded first so two calls of one new number are planned in start order, whatever the batch order.
  const folded = calls
    .map((call) => ({ call, state: foldCall(call.callId, call.events) }))
    .sort((a, b) => (a.state?.startedAt ?? 0) - (b.state?.startedAt ?? 0));
  // The account's own lines: those the connector knows and those of this batch's calls, so a call
  // between two of them is known as internal.
  const lines = new Set<string>(input.aircallLines ?? []);
  for (const { state } of folded) {
    const line = state ? normalizeNumber(state.lineDigits, state.lineCountry) : null;
    if (line) lines.add(line);
  }

  for (const { call, state } of folded) {
    const prev: CallSyncState = call.sync ?? { telephonyCreated: false, telephonyCompleted: false };
    const next: CallSyncState = { ...prev };
    plan.sync.push({ callId: call.callId, state: next });
    if (prev.skippedReason) {
      plan.skipped.push({ key: call.callId, reason: prev.skippedReason });
      continue;
    }
    if (!state) continue; // only AI events so far: wait for the call itself.

    const verdict: BusinessHoursVerdict | null = calendar
      ? checkBusinessHours(state.startedAt * 1000, calendar)
      : null;
    const outside = verdict !== null && !verdict.inside;
    const nothingWritten = !prev.telephonyCreated && prev.aircallVoiceHash === undefined;
    if (settings.logCalls === 'Business Hours Only' && outside && nothingWritten) {
      next.skippedReason = `Not logged: the call started ${verdict.reason}, and Log Calls is "Business Hours Only".`;
      plan.skipped.push({ key: call.callId, reason: next.skippedReason });
      continue;
    }

    const seenBefore = new Set(prev.seen ?? []);
    const newEvents = state.seen.filter((e) => !seenBefore.has(e));
    next.seen = state.seen;
    const customer = classifyNumber(state.rawDigits, state.lineCountry);
    const e164 = customer.kind === 'valid' ? customer.e164 : null;
    const lineE164 = normalizeNumber(state.lineDigits, state.lineCountry) ?? state.lineDigits;
    const durations = durationsOf(state);
    // The call's final state is known: Aircall completed it, or the grace after hang-up is over.
    const settled =
      state.ended &&
      (state.complete ||
        (state.endedAt !== null &&
          input.now.getTime() / 1000 - state.endedAt >= FINAL_PATCH_GRACE_SECONDS));
    const finalDue = settled && !prev.telephonyCompleted;

    // Invalid number dialled: only a VoiceCall, only once the call has ended.
    if (state.direction === 'outbound' && customer.kind === 'invalid') {
      if (!state.ended) continue;
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
          callId: call.callId,
          vendorCallKey: call.callId,
          body,
          linkAircallVoice: false,
        });
      }
      next.telephonyCreated = true;
      next.telephonyCompleted = true;
      continue;
    }

    // The Aircall Voice (and a record for an unknown caller) is written once the call connects, or
    // ends without connecting (when a call connects, both records are created), not while it only
    // rings: on sparse traffic each ringing event would otherwise cost a REST
    // request of its own. Nothing is lost by waiting: the next plan folds every event of the call,
    // and the hash stays unset so that plan writes the record.
    const connected =
      state.answeredAt !== null || state.ended || state.seen.includes('call.answered');

    // Which CRM record the call belongs to.
    const link = decideLink(e164, settings, input.matches, known, state.numberCountry);
    const type = callTypeOf(state);
    const category = callCategoryOf(state.direction, type);
    // The per-call-type rules and the two filters (activity.ts): a call they leave out gets no
    // Aircall Voice, no Task and no record for its number; its VoiceCall follows Log Calls only.
    const logging = decideLogging({
      settings,
      category,
      matched: link.kind === 'matched' || link.kind === 'known',
      internal: isInternalCall(e164, lineE164, lines),
      alreadyLogged: prev.aircallVoiceHash !== undefined,
    });
    if (!logging.log) {
      next.notLoggedReason = `Not logged: ${logging.rule.replace(/^not logged: /, '')}.`;
      plan.skipped.push({ key: call.callId, reason: next.notLoggedReason });
    } else delete next.notLoggedReason;
    if (logging.log && connected && link.kind === 'create' && e164 !== null) {
      known.set(e164, { sobject: link.sobject });
      const owner = createdRecordOwner(link.sobject, settings, agentOfCall(state, sfUser));
      plan.writes.push({
        sobject: createdSObject(link.sobject),
        ...(link.sobject === 'PersonAccount' ? { externalIdField: PERSON_ACCOUNT_KEY } : {}),
        fields: {
          ...crmCreateFields(link.sobject, state, e164, settings),
          ...(owner.ownerId ? { OwnerId: owner.ownerId } : {}),
          ...(settings.createdLeadSource
            ? {
                [LEAD_SOURCE_FIELD[link.sobject]]: settings.createdLeadSource,
              }
            : {}),
        },
        callId: call.callId,
        // Lead assignment rules run on the create only when the admin chose them (the REST API's
        // Sforce-Auto-Assign header); otherwise the owner above stays.
        ...(link.sobject === 'Lead' ? { assignmentRules: owner.assignmentRules } : {}),
      });
    }

    if ((state.agent?.email || state.agent?.id !== undefined) && !sfUser(state.agent)) {
      warnings.add(
        `Aircall user ${personLabel(state.agent) ?? ''} matches no active Salesforce user by Aircall user id or e-mail; their calls are logged without Agent__c until a User has Aircall_User_Id__c ${String(state.agent?.id ?? '')} or the same e-mail.`,
      );
    }
    const missed = missedReasonOf(state);
    if (missed.warning) warnings.add(missed.warning);
    const transcriptStore = state.transcript
      ? storedTranscript(state.transcript, transcriptFileName(call.callId))
      : null;
    const recordingLink = mediaLink(state, 'recording');
    const voicemailLink = mediaLink(state, 'voicemail');
    // The caller's open Case / Opportunity: chosen once, when the Aircall Voice is first written
    // with the open records read (open-records.ts), then kept.
    const chosen =
      prev.openLinks ??
      (linksWanted && openIndex ? chooseOpenLinks(link, settings, openIndex) : undefined);
    const openCaseId = chosen?.caseId ?? null;
    // A Case of its own for an unanswered inbound call (cases.ts), unless it is on an open Case.
    const hasCase =
      prev.caseHash !== undefined ||
      (logging.log &&
        state.direction === 'inbound' &&
        settled &&
        wantsCase(settings.createCaseFor, type) &&
        openCaseId === null &&
        prev.caseRefused === undefined);
    const caseLink: SObjectFields = openCaseId
      ? { Case__c: openCaseId }
      : hasCase
        ? prev.caseId
          ? { Case__c: prev.caseId }
          : { Case__r: { Aircall_Call_Id__c: call.callId } }
        : {};
    const fields: SObjectFields = {
      Aircall_Call_Id__c: call.callId,
      Direction__c: state.direction === 'inbound' ? 'Inbound' : 'Outbound',
      Call_Type__c: type,
      Status__c: statusOf(state),
      Missed_Reason__c: missed.value,
      Started_At__c: iso(state.startedAt),
      Answered_At__c: iso(state.answeredAt),
      Ended_At__c: state.ended ? iso(state.endedAt) : null,
      Ring_Seconds__c: durations?.ringSeconds ?? null,
      Talk_Seconds__c: durations?.talkSeconds ?? null,
      Total_Seconds__c: durations?.totalSeconds ?? null,
      Customer_Number__c: e164,
      Aircall_Number__c: lineE164,
      Aircall_Line_Name__c: clip(state.lineName),
      Aircall_Line_Country__c:
        state.numberCountry && /^[A-Z]{2}$/.test(state.numberCountry) ? state.numberCountry : null,
      Agent__c: agentOfCall(state, sfUser),
      ...linkFields(link, e164),
      ...caseLink,
      ...(chosen?.opportunityId ? { Opportunity__c: chosen.opportunityId } : {}),
      Match_Reason__c: clip(matchReason(link, e164)),
      Match_Candidates__c: link.candidates?.length ? JSON.stringify(link.candidates) : null,
      Recording_Url__c: toAircallVoice(settings.recordingDestination) ? recordingLink : null,
      Voicemail_Url__c: toAircallVoice(settings.voicemailDestination) ? voicemailLink : null,
      Aircall_Link__c: state.directLink,
      Tags__c: clip(state.tags.length ? state.tags.join('; ') : null),
      Comments__c: clip(
        state.comments.length
          ? state.comments.map((c) => (c.by ? `${c.by}: ${c.content}` : c.content)).join('\n')
          : null,
        32768,
      ),
      Assigned_To__c: clip(personLabel(state.assignedTo)),
      AI_Summary__c: clip(state.aiSummary, 32768),
      AI_Sentiment__c: state.aiSentiment,
      AI_Topics__c: clip(state.aiTopics.length ? state.aiTopics.join('; ') : null),
      AI_Action_Items__c: clip(
        state.aiActionItems.length ? state.aiActionItems.join('\n') : null,
        32768,
      ),
      Outside_Business_Hours__c: outside,
      ...reportFields(state, calendar?.timeZone ?? null),
      ...conversationFields(state, transcriptStore),
    };
    // Last_Event_At__c moves with every event; it is left out of the hash so an event that changes
    // nothing visible does not cost a write. A record this product created is hashed by its phone
    // key, not by how it is referenced, so learning its Id later does not force a rewrite either.
    const linkIdentity =
      (link.kind === 'known' || link.kind === 'create') && e164 ? `${link.sobject}:${e164}` : null;
    // The created Case is hashed as such, whether written by its external id or (later) its Id.
    const hashed =
      hasCase && !openCaseId ? { ...fields, Case__c: null, Case__r: 'created' } : fields;
    const hash = shortHash(
      linkIdentity
        ? {
            ...hashed,
            Account__c: null,
            Contact__c: null,
            Lead__c: null,
            Lead__r: null,
            Contact__r: null,
            Account__r: null,
            link: linkIdentity,
          }
        : hashed,
    );
    const voiceChanged = logging.log && connected && hash !== prev.aircallVoiceHash;
    // The link (and its reason) goes out with the call's first write and again only when this
    // product's own choice of record changes: a link an agent set in the meantime (Change link,
    // Linked_By__c) is not overwritten by the call's later events, whenever they are applied.
    const linkKey = linkKeyOf(link, e164);
    const writeLink = prev.aircallVoiceHash === undefined || linkKey !== prev.linkKey;
    if (voiceChanged) {
      plan.writes.push({
        sobject: 'Aircall_Voice__c',
        fields: {
          ...(writeLink ? fields : withoutLink(fields)),
          Last_Event_At__c: iso(state.lastEventAt),
        },
        callId: call.callId,
      });
      next.aircallVoiceHash = hash;
      next.linkKey = linkKey;
      if (chosen) next.openLinks = chosen;
      const event: VoiceUpdateEvent = {
        sobject: 'Aircall_Voice_Update__e',
        callId: call.callId,
        change: changeOf(newEvents, prev.aircallVoiceHash === undefined),
      };
      plan.platformEvents.push(event);
    }

    if (hasCase && connected) {
      const content = caseContent({
        type: type ?? 'Missed',
        caller: callerName(
          link,
          state,
          e164 ?? (customer.kind === 'invalid' ? customer.raw : null),
        ),
        number: e164,
        voicemailLink,
        callLink: state.directLink,
        summary: state.aiSummary,
        transcript: transcriptStore?.full ?? null,
        language: input.caseLanguage ?? 'en',
      });
      const caseHash = shortHash(content.description);
      if (prev.caseHash === undefined) {
        plan.writes.push({
          sobject: 'Case',
          callId: call.callId,
          fields: {
            Aircall_Call_Id__c: call.callId,
            Origin: CASE_ORIGIN,
            Subject: content.subject,
            Description: content.description,
            SuppliedPhone: supplied(state, e164),
            ...caseParties(link, e164),
            ...(settings.caseOwnerId ? { OwnerId: settings.caseOwnerId } : {}),
          },
          assignmentRules: settings.caseOwnerId === null,
        });
      } else if (caseHash !== prev.caseHash) {
        // Only the Description: the Subject, status and owner are the agents' from now on.
        plan.writes.push({
          sobject: 'Case',
          callId: call.callId,
          fields: { Aircall_Call_Id__c: call.callId, Description: content.description },
          assignmentRules: false,
        });
      }
      next.caseHash = caseHash;
    }

    // The call's Task on the Activity timeline, once the call has ended (its outcome and duration
    // are known), then whenever what it shows changes (comments, tags, AI data, assignment).
    if (logging.log && state.ended && type !== null) {
      const date = activityDate(state.startedAt, state.lineTimeZone);
      const who = { ...taskWho(fields), ...taskWhat(fields) };
      const voiceRef = { Aircall_Voice__r: { Aircall_Call_Id__c: call.callId } };
      if (settings.activityTask === 'Completed Task') {
        const agentId = typeof fields.Agent__c === 'string' ? fields.Agent__c : null;
        const taskFields: SObjectFields = {
          Subject: taskSubject(
            settings.taskSubjectTemplate,
            {
              direction: state.direction,
              type,
              number: e164 ?? (customer.kind === 'invalid' ? customer.raw : null),
              line: state.lineName,
              agent: state.agent?.name ?? null,
            },
            words,
          ),
          Type: 'Call',
          CallType: state.direction === 'inbound' ? 'Inbound' : 'Outbound',
          CallDurationInSeconds: durations?.talkSeconds ?? 0,
          CallObject: call.callId,
          CallDisposition: callDisposition(type, missed.value),
          Status: 'Completed',
          ActivityDate: date,
          Description: taskDescription(state, e164, {
            recording: recordingLink,
            voicemail: voicemailLink,
          }),
          ...who,
          ...(agentId ? { OwnerId: agentId } : {}),
          ...voiceRef,
        };
        const taskHash = shortHash(
          linkIdentity
            ? {
                ...taskFields,
                Who: null,
                What: null,
                WhoId: null,
                WhatId: null,
                link: linkIdentity,
              }
            : taskFields,
        );
        if (taskHash !== prev.taskHash) {
          // Who and What as for the Aircall Voice: on creation, then only when this product's
          // choice of record changes (an agent's Change link keeps them).
          const taskLink = prev.taskHash === undefined || prev.taskLinkKey !== linkKey;
          plan.tasks.push({
            callId: call.callId,
            kind: 'call',
            fields: taskLink ? taskFields : withoutTaskLink(taskFields),
            createOnly: { TaskSubtype: 'Call' },
          });
          next.taskHash = taskHash;
          next.taskLinkKey = linkKey;
        }
      }
      if (logging.followUp && category) {
        // Owned by the assignee Aircall names, else the agent, else the owner set in settings
        // (else the integration user, who creates it).
        const owner =
          sfUser(state.assignedTo) ??
          (typeof fields.Agent__c === 'string' ? fields.Agent__c : null) ??
          settings.followUpOwnerId;
        const ownerFields: SObjectFields = owner ? { OwnerId: owner } : {};
        const followUpHash = shortHash({ owner });
        if (prev.followUpHash === undefined) {
          plan.tasks.push({
            callId: call.callId,
            kind: 'follow-up',
            fields: ownerFields,
            opens: { e164, category, openedAt: state.endedAt ?? state.startedAt },
            createOnly: {
              TaskSubtype: 'Task',
              Type: 'Call',
              Subject: clipText(words.followUp.replace('{number}', e164 ?? customer.kind), 255),
              Status: 'Not Started',
              ActivityDate: date,
              Description: followUpDescription(
                call.callId,
                category,
                e164,
                settings.callbackWindowHours,
              ),
              Aircall_Follow_Up_For__c: call.callId,
              ...who,
              ...voiceRef,
            },
          });
        } else if (followUpHash !== prev.followUpHash) {
          plan.tasks.push({
            callId: call.callId,
            kind: 'follow-up',
            fields: ownerFields,
            createOnly: {},
          });
        }
        next.followUpHash = followUpHash;
      }
    }
    // An answered call with a number that has an open follow-up closes it (within the window).
    if (state.answeredAt !== null && e164) {
      const closes = followUpsClosedBy(
        input.openFollowUps?.get(e164),
        call.callId,
        state.answeredAt,
        settings.callbackWindowHours,
      );
      for (const open of closes) {
        if (closing.has(open.callId)) continue;
        closing.add(open.callId);
        plan.tasks.push({
          callId: call.callId,
          kind: 'close-follow-up',
          followUpOf: open.callId,
          taskId: open.taskId,
          fields: {
            Status: 'Completed',
            Description: closingNote(open, call.callId, state.answeredAt),
          },
          createOnly: {},
        });
      }
    }

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
        callId: call.callId,
        vendorCallKey: call.callId,
        body: {
          callCenterApiName: input.callCenterApiName,
          vendorCallKey: call.callId,
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
        callId: call.callId,
        vendorCallKey: call.callId,
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
        callId: call.callId,
        vendorCallKey: call.callId,
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
        callId: call.callId,
        title: transcriptFileName(call.callId),
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
        callId: call.callId,
        vendorCallKey: call.callId,
        transcriptKey,
        messages: transcriptMessages(call.callId, state, transcriptKey, sfUser),
      });
      next.transcriptSent = transcriptKey;
    }

    if (state.ended && !next.telephonyCompleted && state.endedAt !== null) {
      next.finalPatchDueAt = iso(state.endedAt + FINAL_PATCH_GRACE_SECONDS)!;
    }

    // Save to phone: push the matched Salesforce record to Aircall's contacts, once per call, when
    // Aircall does not already know the caller.
    if (
      settings.saveToPhone &&
      !prev.savedToPhone &&
      link.kind === 'matched' &&
      e164 &&
      !state.aircallContact
    ) {
      if (!savedNumbers.has(e164)) {
        savedNumbers.add(e164);
        const r = link.record;
        plan.aircallContacts.push({
          callId: call.callId,
          number: e164,
          ...(r.firstName ? { firstName: r.firstName } : {}),
          ...(r.lastName
            ? { lastName: r.lastName }
            : r.name && (r.sobject !== 'Account' || r.personContactId)
              ? { lastName: r.name }
              : {}),
          // A Person Account is a person: no company.
          ...(r.sobject === 'Account' && !r.personContactId && r.name
            ? { companyName: r.name }
            : r.company
              ? { companyName: r.company }
              : {}),
          salesforceId: r.id,
        });
      }
      next.savedToPhone = true;
    }

    // Agent presence from this call's new events, only while they still describe the present.
    const agentId = sfUser(state.agent);
    if (agentId && !state.ended) {
      const phoneEvent: PhoneEvent | null = newEvents.includes('call.answered')
        ? 'In Call'
        : newEvents.includes('call.ringing_on_agent') && state.answeredAt === null
          ? 'Ringing'
          : null;
      if (phoneEvent)
        agentStatus(plan, agentId, phoneEvent, `call ${call.callId}`, presenceRules, call.callId);
    }
  }

  planUserEvents(plan, input, sfUser, presenceRules);
  dropRepeatedAgentStatus(plan, input.publishedAgentStatus);
  plan.warnings = [...warnings];
  return plan;
}

/** Where each rep's status event sits in a plan, so a later state replaces it in O(1). */
const agentIndexes = new WeakMap<Plan, Map<string, number>>();

function agentStatus(
  plan: Plan & { warnings: string[] },
  userId: string,
  phoneEvent: PhoneEvent,
  cause: string,
  rules: PresenceRules,
  callId?: string,
): boolean {
  const omniStatus = omniStatusFor(phoneEvent, rules);
  if (!omniStatus) return false;
  let agentIndex = agentIndexes.get(plan);
  if (!agentIndex) agentIndexes.set(plan, (agentIndex = new Map<string, number>()));
  const existing = agentIndex.get(userId) ?? -1;
  const event: AgentStatusEvent = {
    sobject: 'Aircall_Agent_Status__e',
    userId,
    omniStatus,
    phoneEvent,
    reason: `${phoneEvent} (${cause})`,
    ...(callId !== undefined ? { callId } : {}),
  };
  if (existing >= 0) plan.platformEvents[existing] = event;
  else agentIndex.set(userId, plan.platformEvents.push(event) - 1);
  return true;
}

/**
 * A rep's status event that would publish the status they were last given is left out (each one
 * is a REST request, and Omni would not change). A call's Ringing / In Call is kept when it is for
 * another call than the last one published: it is what tells the presence sync the rep is on a
 * call, so their Omni changes meanwhile are not copied to Aircall.
 */
function dropRepeatedAgentStatus(
  plan: Plan,
  published: ReadonlyMap<string, PublishedAgentStatus> | undefined,
): void {
  if (!published?.size) return;
  plan.platformEvents = plan.platformEvents.filter((e) => {
    if (e.sobject !== 'Aircall_Agent_Status__e') return true;
    const last = published.get(e.userId);
    if (!last || last.omniStatus.toLowerCase() !== e.omniStatus.toLowerCase()) return true;
    return e.callId !== undefined && e.callId !== last.callId;
  });
}

/** user.*.v2 events: only each rep's latest state in the batch is published (it is what Omni should show). */
function planUserEvents(
  plan: Plan & { warnings: string[] },
  input: BatchInput,
  sfUser: (user: AircallUserRef | null | undefined) => string | null,
  rules: PresenceRules,
): void {
  const unique = new Map<string, UserEvent>();
  for (const e of input.userEvents) unique.set(eventKey(e), e);
  const events = [...unique.entries()].sort(
    ([ka, a], [kb, b]) => a.timestamp - b.timestamp || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  const latest = new Map<string, { key: string; event: UserEvent; phoneEvent: PhoneEvent }>();
  for (const [key, event] of events) {
    const phoneEvent = USER_EVENT_PHONE[event.event];
    if (!phoneEvent) {
      plan.skipped.push({
        key,
        reason: `${event.event} has no phone-side status to send to Omni-Channel.`,
      });
      continue;
    }
    const userId = sfUser(event.data);
    if (!userId) {
      plan.skipped.push({
        key,
        reason: `Aircall user ${String(event.data.id)} (${event.data.email ?? 'no e-mail'}) matches no Salesforce user by e-mail; give both the same e-mail address.`,
      });
      continue;
    }
    const previous = latest.get(userId);
    if (previous)
      plan.skipped.push({
        key: previous.key,
        reason: `superseded by a later ${event.event} of the same user in this batch.`,
      });
    latest.set(userId, { key, event, phoneEvent });
  }
  for (const [userId, { key, event, phoneEvent }] of latest) {
    if (!agentStatus(plan, userId, phoneEvent, event.event, rules)) {
      plan.skipped.push({
        key,
        reason:
          rules.settings.omniMappingMode === 'Default'
            ? `the org has no Omni-Channel status for "${phoneEvent}" in Default mapping (see the plan's warnings).`
            : `no "Phone to Omni" status mapping for "${phoneEvent}"; add one in Aircall Settings or switch Omni mapping to Default.`,
      });
    }
  }
}
