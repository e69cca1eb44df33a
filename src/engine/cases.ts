/**
 * Cases for missed calls and voicemails (`Create_Case_For__c`): an inbound call nobody answered
 * gets one Case, created once its final state is known (Aircall's `call.ended`, or the grace
 * period after hang-up), so a call first seen as missed and then found to carry a voicemail is
 * never written as both. The Case is upserted by `Case.Aircall_Call_Id__c`, so retries, replays and
 * crashes never make a second one; later events (the voicemail link, Aircall's AI summary or
 * transcript) rewrite its Description only, never what an agent may have changed since.
 *
 * A call linked to the caller's open Case (`Link_To_Open_Case__c`) gets no new Case: it shows on
 * the Case the customer already has.
 */
import type { CallState } from './fold';
import { caseText, type CaseLanguage } from './case-text';
import { PERSON_ACCOUNT_KEY, type SObjectFields } from './plan';
import type { CallType, LinkDecision } from './rules';
import type { CreateCaseFor } from './types';

/** Case.Origin of the Cases created (a standard value of the Origin picklist). */
export const CASE_ORIGIN = 'Phone';

/** Description is a Long Text Area of 32,000 characters (Object Reference, "Case"). */
const DESCRIPTION_MAX = 32000;
const SUBJECT_MAX = 255;

const WANTS: Record<CreateCaseFor, ReadonlySet<CallType>> = {
  None: new Set(),
  'Missed Calls': new Set<CallType>(['Missed', 'Abandoned']),
  Voicemails: new Set<CallType>(['Voicemail']),
  Both: new Set<CallType>(['Missed', 'Abandoned', 'Voicemail']),
};

/** Whether a call of this type gets a Case under this setting (inbound calls only). */
export function wantsCase(setting: CreateCaseFor, type: CallType | null): boolean {
  return type !== null && WANTS[setting].has(type);
}

/** Who called, for people: the linked record's name, else Aircall's contact, else the number. */
export function callerName(link: LinkDecision, state: CallState, number: string | null): string {
  if (link.kind === 'matched') {
    const r = link.record;
    const person = [r.firstName, r.lastName].filter(Boolean).join(' ');
    if (person) return person;
    if (r.name) return r.name;
  }
  const c = state.aircallContact;
  const aircall = [c?.firstName, c?.lastName].filter(Boolean).join(' ') || c?.company;
  if (aircall) return aircall;
  return number ?? 'anonymous';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface CaseContent {
  subject: string;
  description: string;
}

/** Subject and Description of the Case of a call, in the org's language. */
export function caseContent(input: {
  type: CallType;
  caller: string;
  number: string | null;
  voicemailLink: string | null;
  callLink: string | null;
  summary: string | null;
  transcript: string | null;
  language: CaseLanguage;
}): CaseContent {
  const { language } = input;
  const subject = caseText(
    input.type === 'Voicemail' ? 'Aircall_Case_Subject_Voicemail' : 'Aircall_Case_Subject_Missed',
    language,
    input.caller,
  );
  const lines = [
    caseText(
      'Aircall_Case_Caller',
      language,
      input.number && input.number !== input.caller
        ? `${input.caller} (${input.number})`
        : input.caller,
    ),
  ];
  if (input.voicemailLink)
    lines.push(caseText('Aircall_Case_Voicemail_Link', language, input.voicemailLink));
  if (input.callLink) lines.push(caseText('Aircall_Case_Call_Link', language, input.callLink));
  const sections = [lines.join('\n')];
  if (input.summary)
    sections.push(`${caseText('Aircall_Case_Summary', language)}\n${input.summary}`);
  if (input.transcript)
    sections.push(`${caseText('Aircall_Case_Transcript', language)}\n${input.transcript}`);
  return {
    subject: clip(subject, SUBJECT_MAX),
    description: clip(sections.join('\n\n'), DESCRIPTION_MAX),
  };
}

/** The person and account the Case is about, from the call's link (by external id when created). */
export function caseParties(link: LinkDecision, e164: string | null): SObjectFields {
  switch (link.kind) {
    case 'matched': {
      const r = link.record;
      if (r.sobject === 'Contact')
        return { ContactId: r.id, ...(r.accountId ? { AccountId: r.accountId } : {}) };
      if (r.sobject === 'Account') return { AccountId: r.id };
      return {};
    }
    case 'known':
    case 'create':
      if (link.sobject === 'Lead') return {};
      if (link.sobject === 'PersonAccount') {
        // The person contact by its own key (the Account's `__pc` key is that contact's field).
        if (!e164) return link.kind === 'known' && link.id ? { AccountId: link.id } : {};
        return {
          ...(link.kind === 'known' && link.id
            ? { AccountId: link.id }
            : { Account: { [PERSON_ACCOUNT_KEY]: e164 } }),
          Contact: { Aircall_Phone_Key__c: e164 },
        };
      }
      if (link.kind === 'known' && link.id)
        return link.sobject === 'Contact' ? { ContactId: link.id } : { AccountId: link.id };
      return e164 ? { [link.sobject]: { Aircall_Phone_Key__c: e164 } } : {};
    case 'none':
      return {};
  }
}

export function supplied(state: CallState, e164: string | null): string | null {
  if (e164) return e164;
  const raw = state.rawDigits?.trim();
  return raw && raw.length <= 40 ? raw : null;
}
