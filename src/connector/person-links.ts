/**
 * A link set by a person is never overwritten. The engine writes a call's link (and its Task's Who
 * and What) with the call's first write and when its own choice of record changes; between two
 * batches an agent may have changed the link (Change link sets `Linked_By__c`).
 *
 * - Before a batch that would re-link calls written by an earlier batch is applied, those calls
 *   are read in one query (`keepPersonLinks`): a call a person linked keeps that link, and its
 *   call Task (and a follow-up Task created or re-linked now) names the person's record. A batch
 *   that re-links nothing (nearly all) reads nothing here.
 * - The batch's write Composite then reads the links of its calls written earlier that it
 *   re-links or writes a call Task's or a new follow-up Task's Who/What for (`personLinkCheck`):
 *   their Aircall Voice records, just before the Aircall Voice upsert, in the request the batch
 *   sends anyway. A person's link it finds is put back by one update (`restoreRecords`), only
 *   where it differs from what the batch wrote: the call Task and the follow-up Task created when
 *   the call ends name the record an agent chose during the call, and a save that reached the org
 *   between the read above and the Composite is restored.
 *
 * The Task create does not take the person's record from the check by a Composite reference
 * (`@{c0.Contact__c}`): a reference to a null value fails its whole subrequest, the batch's other
 * Tasks with it (a call linked to nobody, or to a Lead, has one), and a reference cannot choose
 * between the person's link and the connector's, nor apply the Task's What rule.
 */
import type { CallSyncState, Plan, SObjectFields, TaskWrite } from '../engine';
import type { CompositeCheck, SalesforceClient, SalesforceRecord } from '../salesforce/client';

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

export interface PersonLink {
  Aircall_Call_Id__c: string;
  Contact__c: string | null;
  Lead__c: string | null;
  Account__c: string | null;
  Case__c: string | null;
  Opportunity__c: string | null;
}

/** The link fields an agent's Change link saves, read back to restore them. */
interface SavedLink extends PersonLink {
  Linked_By__c: string | null;
  Match_Reason__c: string | null;
  Match_Candidates__c: string | null;
}

const CHECKED_FIELDS = [
  'Aircall_Call_Id__c',
  'Linked_By__c',
  'Contact__c',
  'Lead__c',
  'Account__c',
  'Case__c',
  'Opportunity__c',
  'Match_Reason__c',
  'Match_Candidates__c',
] as const;

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
  // A Task created after an earlier batch wrote the Aircall Voice is not a reason to read here:
  // that is nearly every call's last batch (a query of its own cost +0.44 REST requests per call
  // in `npm run bench:day` with Tasks on). Its Who and What are checked in the batch's write
  // Composite instead (`personLinkCheck`), at no request of its own.
  return [...calls];
}

/**
 * The Who and What a Task write names the call's record with: in its fields (a call Task on
 * creation and on re-links, a follow-up Task on re-links), or in its create-only fields (a
 * follow-up Task when the call that opens it ends). Null: the write names no record (a close, an
 * owner change).
 */
function linkFields(t: TaskWrite): SObjectFields | null {
  if (t.kind === 'close-follow-up') return null;
  if (carries(t.fields, TASK_LINK_FIELDS)) return t.fields;
  return carries(t.createOnly, TASK_LINK_FIELDS) ? t.createOnly : null;
}

/** The Task fields without their Who and What, with the person's link's instead. */
function withPersonLink(fields: SObjectFields, link: PersonLink): SObjectFields {
  const rest = { ...fields };
  for (const name of TASK_LINK_FIELDS) delete rest[name];
  return { ...rest, WhoId: link.Contact__c ?? link.Lead__c, ...personWhat(link, fields) };
}

/** The Task's What for a person's link: the Case or Opportunity the call is on, else the Account. */
export function personWhat(link: PersonLink, planned: SObjectFields): SObjectFields {
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
    const link = linked.get(t.callId);
    if (!link || !linkFields(t)) continue;
    if (carries(t.fields, TASK_LINK_FIELDS)) t.fields = withPersonLink(t.fields, link);
    if (carries(t.createOnly, TASK_LINK_FIELDS)) t.createOnly = withPersonLink(t.createOnly, link);
  }
  return 1;
}

/** A Composite write of the batch as `personLinkCheck` and `restoreRecords` need it. */
export interface WrittenVoice {
  callId: string;
  fields: SObjectFields;
}

/**
 * What the batch's write Composite reads just before its Aircall Voice upsert: the links of the
 * calls written by an earlier batch whose Aircall Voice write re-links them or whose call Task
 * write (or follow-up Task create) carries a Who or What. Their Aircall Voice records by Id
 * (`previous` knows them), a subrequest each that takes none of the Composite's 5 collection or
 * query places; or one query for the people's links among them (when an Id is not known, or they
 * are too many). Null when there is none.
 */
export function personLinkCheck(
  voices: readonly WrittenVoice[],
  tasks: readonly TaskWrite[],
  previous: ReadonlyMap<string, CallSyncState>,
): Omit<CompositeCheck, 'before'> | null {
  const calls = new Set<string>();
  const written = (callId: string) => previous.get(callId)?.aircallVoiceHash !== undefined;
  for (const v of voices)
    if (written(v.callId) && carries(v.fields, VOICE_LINK_FIELDS)) calls.add(v.callId);
  for (const t of tasks) if (linkFields(t) && written(t.callId)) calls.add(t.callId);
  if (calls.size === 0) return null;
  const ids = [...calls].map((callId) => previous.get(callId)?.aircallVoiceId);
  const keys = [...calls].map(soqlString).join(',');
  return {
    ...(ids.every((id) => id !== undefined)
      ? { records: { sobject: 'Aircall_Voice__c', ids, fields: CHECKED_FIELDS } }
      : {}),
    soql: `SELECT ${CHECKED_FIELDS.join(', ')} FROM Aircall_Voice__c WHERE Linked_By__c != null AND Aircall_Call_Id__c IN (${keys})`,
  };
}

/** Whether the Task write names the record `who` / `what` name (a reference never does). */
function taskNames(fields: SObjectFields, who: SObjectFields, what: SObjectFields): boolean {
  if ('Who' in fields || (fields.WhoId ?? null) !== (who.WhoId ?? null)) return false;
  if ('What' in what) return true; // the call's Case or Opportunity, as written
  return !('What' in fields) && (fields.WhatId ?? null) === (what.WhatId ?? null);
}

/**
 * The records that put back the people's links the check found, where the batch wrote something
 * else: the Aircall Voice records whose write re-linked them (the values read just before it), and
 * the call Tasks and new follow-up Tasks written with another Who or What. `voiceId` / `taskId` give the records' Ids (null
 * when the write failed: nothing to put back). Empty, nearly always.
 */
export function restoreRecords(
  rows: readonly SalesforceRecord[],
  voices: readonly WrittenVoice[],
  tasks: readonly TaskWrite[],
  voiceId: (callId: string) => string | null,
  taskId: (callId: string, kind: 'call' | 'follow-up') => string | null,
): (Record<string, unknown> & { attributes: { type: string }; Id: string })[] {
  const linked = new Map(
    rows.flatMap((r) => {
      const row = r as unknown as SavedLink;
      return row.Linked_By__c ? [[row.Aircall_Call_Id__c, row] as const] : [];
    }),
  );
  const out: (Record<string, unknown> & { attributes: { type: string }; Id: string })[] = [];
  for (const v of voices) {
    const link = linked.get(v.callId);
    const id = voiceId(v.callId);
    if (!link || !id || !carries(v.fields, VOICE_LINK_FIELDS)) continue;
    out.push({
      attributes: { type: 'Aircall_Voice__c' },
      Id: id,
      Contact__c: link.Contact__c,
      Lead__c: link.Lead__c,
      Account__c: link.Account__c,
      Match_Reason__c: link.Match_Reason__c,
      Match_Candidates__c: link.Match_Candidates__c,
    });
  }
  for (const t of tasks) {
    const link = linked.get(t.callId);
    const named = linkFields(t);
    if (!link || !named || t.kind === 'close-follow-up') continue;
    const id = taskId(t.callId, t.kind);
    if (!id) continue;
    const who = { WhoId: link.Contact__c ?? link.Lead__c };
    const what = personWhat(link, named);
    if (taskNames(named, who, what)) continue;
    out.push({
      attributes: { type: 'Task' },
      Id: id,
      ...who,
      ...('What' in what ? {} : what),
    });
  }
  return out;
}
