/**
 * The CRM side of a call's records: the fields of a record created for an unknown number and who
 * owns it, the Aircall Voice's link to its Lead, Contact or Account (and why), and the key of the
 * record this product chose, by which a link an agent changed is left alone.
 */
import type { CallState } from './fold';
import {
  createdKeyField,
  createdLabel,
  PERSON_ACCOUNT_KEY,
  type CreatedObject,
  type SObjectFields,
} from './plan';
import type { LinkDecision } from './rules';
import type { Settings } from './types';

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
export const LEAD_SOURCE_FIELD: Record<CreatedObject, string> = {
  Lead: 'LeadSource',
  Contact: 'LeadSource',
  Account: 'AccountSource',
  PersonAccount: 'PersonLeadSource',
};

export function crmCreateFields(
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
export function matchReason(link: LinkDecision, e164: string | null): string {
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

export function linkFields(link: LinkDecision, e164: string | null): SObjectFields {
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
export function linkKeyOf(link: LinkDecision, e164: string | null): string {
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

export function withoutLink(fields: SObjectFields): SObjectFields {
  const out = { ...fields };
  for (const name of LINK_FIELDS) delete out[name];
  return out;
}

export function withoutTaskLink(fields: SObjectFields): SObjectFields {
  const { WhoId: _who, WhatId: _what, Who: _w, What: _t, ...rest } = fields;
  return rest;
}
