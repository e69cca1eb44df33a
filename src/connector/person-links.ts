/**
 * A link set by a person is never overwritten. The engine writes a call's link (and its Task's Who
 * and What) with the call's first write and when its own choice of record changes; between two
 * batches an agent may have changed the link (Change link sets `Linked_By__c`). Before a batch that
 * would re-link calls written by an earlier batch is applied, those calls are read in one query: a
 * call a person linked keeps that link, and a Task the batch creates for it names the person's
 * record. A batch that re-links nothing (nearly all) reads nothing.
 */
import type { CallSyncState, Plan, SObjectFields } from '../engine';
import type { SalesforceClient, SalesforceRecord } from '../salesforce/client';

const VOICE_LINK_FIELDS = [
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

const TASK_LINK_FIELDS = ['WhoId', 'WhatId', 'Who', 'What'] as const;

interface PersonLink {
  Aircall_Call_Id__c: string;
  Contact__c: string | null;
  Lead__c: string | null;
  Account__c: string | null;
  Case__c: string | null;
  Opportunity__c: string | null;
}

const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const carries = (fields: SObjectFields, names: readonly string[]) =>
  names.some((name) => name in fields);

/** The calls of the plan whose link a person may have set since their Aircall Voice was written. */
export function callsToCheck(plan: Plan, previous: ReadonlyMap<string, CallSyncState>): string[] {
  const written = (callId: string) => previous.get(callId)?.aircallVoiceHash !== undefined;
  const calls = new Set<string>();
  for (const w of plan.writes)
    if (
      w.sobject === 'Aircall_Voice__c' &&
      w.callId &&
      written(w.callId) &&
      carries(w.fields, VOICE_LINK_FIELDS)
    )
      calls.add(w.callId);
  // A Task created after an earlier batch wrote the Aircall Voice is not a reason to read: that is
  // nearly every call's last batch (`npm run bench:day` measured +0.44 REST requests per call with
  // Tasks on). A person's link reaches such a Task when the call is re-linked (below) or when the
  // agent saves Change link again once the call has ended (docs/CONFIGURATION.md).
  return [...calls];
}

/** The Task's What for a person's link: the Case or Opportunity the call is on, else the Account. */
function personWhat(link: PersonLink, planned: SObjectFields): SObjectFields {
  // Object Reference "Task": "If WhoId refers to a lead, then WhatId must be empty".
  if (link.Lead__c) return { WhatId: null };
  const what = planned.What as { attributes?: { type?: string } } | undefined;
  const type = what?.attributes?.type;
  if (type === 'Case' || type === 'Opportunity') return { What: planned.What ?? null };
  const id = planned.WhatId;
  if (typeof id === 'string' && (id === link.Case__c || id === link.Opportunity__c))
    return { WhatId: id };
  return { WhatId: link.Case__c ?? link.Opportunity__c ?? link.Account__c };
}

/**
 * Keeps the links people set: reads the calls `callsToCheck` names (one query, none when it names
 * none) and, for each a person linked, drops the link from its Aircall Voice write and gives its
 * call Task the person's Who and What. Returns the number of queries sent (0 or 1).
 */
export async function keepPersonLinks(
  plan: Plan,
  previous: ReadonlyMap<string, CallSyncState>,
  client: SalesforceClient,
): Promise<number> {
  const calls = callsToCheck(plan, previous);
  if (calls.length === 0) return 0;
  const rows = await client.query<PersonLink & SalesforceRecord>(
    `SELECT Aircall_Call_Id__c, Contact__c, Lead__c, Account__c, Case__c, Opportunity__c FROM Aircall_Voice__c WHERE Linked_By__c != null AND Aircall_Call_Id__c IN (${calls.map(soqlString).join(',')})`,
  );
  const linked = new Map(rows.map((r) => [r.Aircall_Call_Id__c, r]));
  if (linked.size === 0) return 1;
  for (const w of plan.writes) {
    if (w.sobject !== 'Aircall_Voice__c' || !w.callId || !linked.has(w.callId)) continue;
    const fields = { ...w.fields };
    for (const name of VOICE_LINK_FIELDS) delete fields[name];
    w.fields = fields;
  }
  for (const t of plan.tasks) {
    const link = t.kind === 'call' ? linked.get(t.callId) : undefined;
    if (!link || !carries(t.fields, TASK_LINK_FIELDS)) continue;
    const fields = { ...t.fields };
    for (const name of TASK_LINK_FIELDS) delete fields[name];
    t.fields = {
      ...fields,
      WhoId: link.Contact__c ?? link.Lead__c,
      ...personWhat(link, t.fields),
    };
  }
  return 1;
}
