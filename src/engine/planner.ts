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
 *
 * The steps of one call beside it: the records created for unknown numbers and the links
 * (record-links.ts), the Case and Tasks (plan-activity.ts), the VoiceCall and transcript
 * (plan-telephony.ts), the rep's Omni status (agent-status.ts).
 */
import { checkBusinessHours, selectCalendar, type BusinessHoursVerdict } from './business-hours';
import { storedTranscript } from './conversation';
import { shortHash } from './events';
import { durationsOf, foldCall } from './fold';
import { classifyNumber, normalizeNumber } from './matching';
import { reportFields } from './report-fields';
import {
  createdSObject,
  PERSON_ACCOUNT_KEY,
  type CallSyncState,
  type Plan,
  type SObjectFields,
  type VoiceUpdateEvent,
} from './plan';
import {
  callTypeOf,
  candidateName,
  decideLink,
  mediaLink,
  missedReasonOf,
  statusOf,
  toAircallVoice,
} from './rules';
import { DEFAULT_PHONE_TO_OMNI } from './presence';
import { chooseOpenLinks, indexOpenRecords } from './open-records';
import { wantsCase } from './cases';
import { callCategoryOf, decideLogging, isInternalCall, wordsFor } from './activity';
import {
  agentStatus,
  dropRepeatedAgentStatus,
  planUserEvents,
  type PresenceRules,
} from './agent-status';
import {
  agentOfCall,
  changeOf,
  clip,
  conversationFields,
  iso,
  personLabel,
  transcriptFileName,
  userMatcher,
} from './call-fields';
import type { BatchContext, CallContext } from './call-plan';
import { planCase, planTasks } from './plan-activity';
import { FINAL_PATCH_GRACE_SECONDS, planInvalidNumber, planVoiceCall } from './plan-telephony';
import {
  createdRecordOwner,
  crmCreateFields,
  LEAD_SOURCE_FIELD,
  linkFields,
  linkKeyOf,
  matchReason,
  withoutLink,
} from './record-links';
import type { BatchInput, KnownRecord, PhoneEvent } from './types';

export { DEFAULT_PHONE_TO_OMNI, FINAL_PATCH_GRACE_SECONDS };
export { createdRecordOwner } from './record-links';
export { transcriptFileName, userMatcher } from './call-fields';

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
  const b: BatchContext = { input, settings, plan, words, sfUser, closing };

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
    .map((call) => ({
      call,
      state: call.state !== undefined ? call.state : foldCall(call.callId, call.events),
    }))
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

    if (state.direction === 'outbound' && customer.kind === 'invalid') {
      planInvalidNumber(b, call.callId, state, prev, next, customer, lineE164);
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

    const c: CallContext = {
      callId: call.callId,
      state,
      prev,
      next,
      customer,
      e164,
      lineE164,
      durations,
      finalDue,
      connected,
      link,
      type,
      category,
      logging,
      missed,
      transcriptStore,
      recordingLink,
      voicemailLink,
      openCaseId,
      hasCase,
      fields,
      linkIdentity,
      linkKey,
    };
    planCase(b, c);
    planTasks(b, c);
    planVoiceCall(b, c);

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
      // Who the call is with, for the agent's utility bar: it shows the caller while the phone
      // rings, before the call's Aircall Voice is written (on answer), at no request of its own.
      const caller = {
        number: e164,
        name: link.kind === 'matched' ? clip(candidateName(link.record)) : null,
      };
      if (phoneEvent)
        agentStatus(
          plan,
          agentId,
          phoneEvent,
          `call ${call.callId}`,
          presenceRules,
          call.callId,
          caller,
        );
    }
  }

  planUserEvents(plan, input, sfUser, presenceRules);
  dropRepeatedAgentStatus(plan, input.publishedAgentStatus);
  plan.warnings = [...warnings];
  return plan;
}
