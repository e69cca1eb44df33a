/**
 * Change link without the DOM: the choices it offers (the records the matcher found, search
 * results, no link) and the fields it saves on the Aircall Voice, the call Task, its open follow-up
 * Task and the VoiceCall.
 */
import { gql } from 'lightning/graphql';

export type LinkObject = 'Contact' | 'Lead' | 'Account';

/** A record the call can be linked to. */
export interface LinkTarget {
  sobject: LinkObject;
  id: string;
  name: string;
  /** A Contact's Account, linked with it (as the connector links a matched Contact). */
  accountId: string | null;
}

/** One option of the list: a record, with why the matcher did or did not link it. */
export interface LinkOption {
  value: string;
  target: LinkTarget;
  label: string;
  why: string;
  chosen: boolean;
}

const OBJECTS: readonly LinkObject[] = ['Contact', 'Lead', 'Account'];

export function optionValue(target: LinkTarget): string {
  return `${target.sobject}:${target.id}`;
}

/**
 * The records in Match_Candidates__c (JSON written by the connector: `o` object, `id`, `n` name,
 * `a` Account, `c` linked, `w` why). Anything unreadable is left out.
 */
export function parseCandidates(
  json: string,
  typeLabels: Record<LinkObject, string>,
): LinkOption[] {
  let list: unknown;
  try {
    list = JSON.parse(json || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const c = item as {
      o?: unknown;
      id?: unknown;
      n?: unknown;
      a?: unknown;
      c?: unknown;
      w?: unknown;
    };
    if (!OBJECTS.includes(c.o as LinkObject) || typeof c.id !== 'string') return [];
    const target: LinkTarget = {
      sobject: c.o as LinkObject,
      id: c.id,
      name: typeof c.n === 'string' && c.n ? c.n : c.id,
      accountId: typeof c.a === 'string' ? c.a : null,
    };
    return [
      {
        value: optionValue(target),
        target,
        label: `${target.name} · ${typeLabels[target.sobject]}`,
        why: typeof c.w === 'string' ? c.w : '',
        chosen: c.c === true,
      },
    ];
  });
}

/**
 * The record linked now as an option (`value` is `Contact:003…`), when the records found do not
 * offer it: a record a person chose from the search, or one the connector linked by another rule.
 */
export function currentOption(
  value: string,
  name: string,
  accountId: string,
  found: readonly LinkOption[],
  typeLabels: Record<LinkObject, string>,
): LinkOption | null {
  const [sobject = '', id = ''] = value.split(':');
  if (!OBJECTS.includes(sobject as LinkObject) || !id) return null;
  if (found.some((o) => o.value === value)) return null;
  const target: LinkTarget = {
    sobject: sobject as LinkObject,
    id,
    name: name || id,
    accountId: sobject === 'Contact' && accountId ? accountId : null,
  };
  return {
    value,
    target,
    label: `${target.name} · ${typeLabels[target.sobject]}`,
    why: '',
    chosen: true,
  };
}

interface Value<T> {
  value: T | null;
}
interface Edges<N> {
  edges: { node: N }[];
}

/** Contacts, Leads (not converted) and Accounts whose name contains the search text. */
export const SEARCH_QUERY = gql`
  query changeLinkSearch($term: String) {
    uiapi {
      query {
        Contact(first: 10, where: { Name: { like: $term } }, orderBy: { Name: { order: ASC } }) {
          edges {
            node {
              Id
              Name {
                value
              }
              AccountId {
                value
              }
            }
          }
        }
        Lead(
          first: 10
          where: { and: [{ Name: { like: $term } }, { IsConverted: { eq: false } }] }
          orderBy: { Name: { order: ASC } }
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
            }
          }
        }
        Account(first: 10, where: { Name: { like: $term } }, orderBy: { Name: { order: ASC } }) {
          edges {
            node {
              Id
              Name {
                value
              }
            }
          }
        }
      }
    }
  }
`;
export const SEARCH_OPERATION = 'changeLinkSearch';

export interface SearchData {
  uiapi: {
    query: {
      Contact?: Edges<{ Id: string; Name: Value<string>; AccountId?: Value<string> }>;
      Lead?: Edges<{ Id: string; Name: Value<string> }>;
      Account?: Edges<{ Id: string; Name: Value<string> }>;
    };
  };
}

/** The `like` pattern of a search text, or undefined (no search) below two characters. */
export function searchTerm(text: string): string | undefined {
  const t = text.trim().replace(/[%_]/g, '');
  return t.length >= 2 ? `%${t}%` : undefined;
}

/**
 * The search results as options. A Person Account comes back twice, as an Account and as its
 * person contact (same name, the contact's AccountId): it is offered once, as the person contact
 * with its account, which links both as the connector links a matched Person Account.
 */
export function searchOptions(
  data: SearchData | undefined,
  typeLabels: Record<LinkObject | 'PersonAccount', string>,
): LinkOption[] {
  const q = data?.uiapi.query;
  if (!q) return [];
  const accountNames = new Map(
    (q.Account?.edges ?? []).map(({ node }) => [node.Id, node.Name.value]),
  );
  const persons = new Set<string>();
  for (const { node } of q.Contact?.edges ?? []) {
    const accountId = node.AccountId?.value;
    if (accountId && accountNames.has(accountId) && accountNames.get(accountId) === node.Name.value)
      persons.add(accountId);
  }
  return OBJECTS.flatMap((sobject) =>
    (q[sobject]?.edges ?? []).flatMap(({ node }) => {
      if (sobject === 'Account' && persons.has(node.Id)) return [];
      const accountId = (node as { AccountId?: Value<string> }).AccountId?.value ?? null;
      const target: LinkTarget = {
        sobject,
        id: node.Id,
        name: node.Name.value ?? node.Id,
        accountId,
      };
      const person = sobject === 'Contact' && accountId !== null && persons.has(accountId);
      return [
        {
          value: optionValue(target),
          target,
          label: `${target.name} · ${typeLabels[person ? 'PersonAccount' : sobject]}`,
          why: '',
          chosen: false,
        },
      ];
    }),
  );
}

/**
 * The call's Task (by its call id), its open follow-up Task (a call-back to do, by
 * `Aircall_Follow_Up_For__c`; open is `IsClosed = false`, which the org derives from the Task's
 * Status — an org may add closed statuses besides `Completed`, which the connector sets) and the
 * agent's name, read in one query.
 */
export const CONTEXT_QUERY = gql`
  query changeLinkContext($callId: String, $userId: ID, $number: String) {
    uiapi {
      query {
        Aircall_Number_Link__c: Aircall_Number_Link__c(
          first: 1
          where: { Phone_Key__c: { eq: $number } }
        ) {
          edges {
            node {
              Id
            }
          }
        }
        Task(first: 1, where: { CallObject: { eq: $callId } }) {
          edges {
            node {
              Id
            }
          }
        }
        FollowUp: Task(
          first: 1
          where: {
            and: [{ Aircall_Follow_Up_For__c: { eq: $callId } }, { IsClosed: { eq: false } }]
          }
        ) {
          edges {
            node {
              Id
            }
          }
        }
        User(first: 1, where: { Id: { eq: $userId } }) {
          edges {
            node {
              Id
              Name {
                value
              }
            }
          }
        }
      }
    }
  }
`;
export const CONTEXT_OPERATION = 'changeLinkContext';

export interface ContextData {
  uiapi: {
    query: {
      Aircall_Number_Link__c?: Edges<{ Id: string }>;
      Task?: Edges<{ Id: string }>;
      FollowUp?: Edges<{ Id: string }>;
      User?: Edges<{ Id: string; Name: Value<string> }>;
    };
  };
}

/** The API names of the fields saved (schema imports: namespaced by the platform). */
export interface LinkFieldNames {
  account: string;
  contact: string;
  lead: string;
  matchReason: string;
  linkedBy: string;
}

/** `Linked by Ana Agent on 2026-09-28` (English, like every Match Reason: reports filter on it). */
export function linkReason(userName: string, now: Date): string {
  return `Linked by ${userName} on ${now.toISOString().slice(0, 10)}`;
}

/** The Aircall Voice's link fields for a choice (null: no link). */
export function voiceFields(
  recordId: string,
  target: LinkTarget | null,
  names: LinkFieldNames,
  user: { id: string; name: string },
  now: Date,
): Record<string, unknown> {
  return {
    Id: recordId,
    [names.contact]: target?.sobject === 'Contact' ? target.id : null,
    [names.lead]: target?.sobject === 'Lead' ? target.id : null,
    [names.account]:
      target?.sobject === 'Account'
        ? target.id
        : target?.sobject === 'Contact'
          ? target.accountId
          : null,
    [names.matchReason]: linkReason(user.name, now),
    [names.linkedBy]: user.id,
  };
}

/**
 * The Who and What of the call Task and of its open follow-up Task, as the connector sets them (activity.ts): the Contact or Lead; the
 * Case or Opportunity the call is on stays its What, else the Account. A Lead takes no What
 * (Object Reference, "Task": "If WhoId refers to a lead, then WhatId must be empty").
 */
export function taskFields(
  taskId: string,
  target: LinkTarget | null,
  hasCaseOrOpportunity: boolean,
): Record<string, unknown> {
  const who = target && target.sobject !== 'Account' ? target.id : null;
  const fields: Record<string, unknown> = { Id: taskId, WhoId: who };
  if (target?.sobject === 'Lead') fields.WhatId = null;
  else if (!hasCaseOrOpportunity)
    fields.WhatId = target?.sobject === 'Account' ? target.id : (target?.accountId ?? null);
  return fields;
}

/** The API names of a remembered number's fields (schema imports). */
export interface NumberLinkNames {
  name: string;
  key: string;
  phone: string;
  contact: string;
  lead: string;
  account: string;
}

/**
 * "Remember for this number": the fields of the number's Aircall_Number_Link__c, pointing at the
 * record chosen (`Id` when the number already has one, which is then pointed elsewhere).
 */
export function numberLinkFields(
  number: string,
  target: LinkTarget,
  names: NumberLinkNames,
  existingId?: string,
): Record<string, unknown> {
  return {
    ...(existingId ? { Id: existingId } : { [names.name]: number, [names.key]: number }),
    [names.phone]: number,
    [names.contact]: target.sobject === 'Contact' ? target.id : null,
    [names.lead]: target.sobject === 'Lead' ? target.id : null,
    [names.account]: target.sobject === 'Account' ? target.id : null,
  };
}
