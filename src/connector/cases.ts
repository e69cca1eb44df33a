/**
 * The connector's side of Cases and Opportunities: reading the open ones of a batch's matched
 * records (one Composite request for the batch, its queries chunked by Ids), and the inbox event
 * that stands for a Case the org refused, so it is listed and retried like any dead letter.
 *
 * "Open" is what the org says: `Case.IsClosed` follows the Case's Status (each CaseStatus value is
 * closed or not), `Opportunity.IsClosed` its StageName (each OpportunityStage) — Object Reference,
 * "Case", "CaseStatus", "Opportunity", "OpportunityStage".
 */
import type { OpenCase, OpenOpportunity, OpenRecords, Settings } from '../engine';
import type { NewEvent } from '../inbox/inbox';
import { CASE_REFUSED_EVENT } from '../errors/catalogue';
import type { SalesforceClient, SalesforceRecord } from '../salesforce/client';
import type { SalesforceError } from '../salesforce/errors';

/** Ids per `IN (…)` list: 300 Ids keep a query's URL far below the org's 16,384-byte limit. */
const IDS_PER_QUERY = 300;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const list = (ids: readonly string[]) =>
  ids.map((id) => `'${id.replace(/[^A-Za-z0-9]/g, '')}'`).join(',');

/** The SOQL that reads the open Cases and Opportunities of these records (exported for tests). */
export function openRecordQueries(
  keys: { contactIds: readonly string[]; accountIds: readonly string[] },
  settings: Pick<Settings, 'linkToOpenCase' | 'linkToOpenOpportunity'>,
): { cases: string[]; opportunities: string[]; roles: string[] } {
  const cases: string[] = [];
  const opportunities: string[] = [];
  const roles: string[] = [];
  if (settings.linkToOpenCase) {
    for (const ids of chunk(keys.contactIds, IDS_PER_QUERY))
      cases.push(
        `SELECT Id, ContactId, AccountId, LastModifiedDate FROM Case WHERE IsClosed = false AND ContactId IN (${list(ids)})`,
      );
    for (const ids of chunk(keys.accountIds, IDS_PER_QUERY))
      cases.push(
        `SELECT Id, ContactId, AccountId, LastModifiedDate FROM Case WHERE IsClosed = false AND AccountId IN (${list(ids)})`,
      );
  }
  if (settings.linkToOpenOpportunity) {
    for (const ids of chunk(keys.accountIds, IDS_PER_QUERY))
      opportunities.push(
        `SELECT Id, AccountId, LastModifiedDate FROM Opportunity WHERE IsClosed = false AND AccountId IN (${list(ids)})`,
      );
    for (const ids of chunk(keys.contactIds, IDS_PER_QUERY))
      roles.push(
        `SELECT ContactId, OpportunityId, Opportunity.AccountId, Opportunity.LastModifiedDate FROM OpportunityContactRole WHERE Opportunity.IsClosed = false AND ContactId IN (${list(ids)})`,
      );
  }
  return { cases, opportunities, roles };
}

/**
 * The open Cases and Opportunities of these records, in as few requests as the Composite resource
 * allows (`queryMany`: up to 5 queries per request; a batch's records usually fit one). A query the
 * org refuses fails the batch (it retries), so no call is linked from a partial answer.
 */
export async function readOpenRecords(
  client: SalesforceClient,
  keys: { contactIds: readonly string[]; accountIds: readonly string[] },
  settings: Pick<Settings, 'linkToOpenCase' | 'linkToOpenOpportunity'>,
): Promise<OpenRecords> {
  const q = openRecordQueries(keys, settings);
  const all = [...q.cases, ...q.opportunities, ...q.roles];
  if (all.length === 0) return { cases: [], opportunities: [] };
  const answers = await client.queryMany(all);
  const rows = (from: number, count: number): SalesforceRecord[] =>
    answers.slice(from, from + count).flatMap((answer) => {
      if (!Array.isArray(answer)) throw answer;
      return answer;
    });
  const cases = new Map<string, OpenCase>();
  for (const r of rows(0, q.cases.length)) {
    const id = r.Id as string;
    cases.set(id, {
      id,
      contactId: (r.ContactId as string | null) ?? null,
      accountId: (r.AccountId as string | null) ?? null,
      lastModifiedDate: r.LastModifiedDate as string,
    });
  }
  const opportunities = new Map<string, OpenOpportunity>();
  for (const r of rows(q.cases.length, q.opportunities.length)) {
    const id = r.Id as string;
    opportunities.set(id, {
      id,
      accountId: (r.AccountId as string | null) ?? null,
      contactIds: [],
      lastModifiedDate: r.LastModifiedDate as string,
    });
  }
  for (const r of rows(q.cases.length + q.opportunities.length, q.roles.length)) {
    const id = r.OpportunityId as string;
    const parent = (r.Opportunity ?? {}) as SalesforceRecord;
    const opportunity = opportunities.get(id) ?? {
      id,
      accountId: (parent.AccountId as string | null) ?? null,
      contactIds: [],
      lastModifiedDate: parent.LastModifiedDate as string,
    };
    opportunity.contactIds.push(r.ContactId as string);
    opportunities.set(id, opportunity);
  }
  return { cases: [...cases.values()], opportunities: [...opportunities.values()] };
}

/** The event stored (and at once dead-lettered) for a Case the org refused for good. */
export function caseRefusedEvent(callId: string, error: SalesforceError, now: number): NewEvent {
  return {
    key: `${CASE_REFUSED_EVENT}:${callId}:${now}`,
    callId,
    name: CASE_REFUSED_EVENT,
    body: {
      resource: 'aircall_sfv',
      event: CASE_REFUSED_EVENT,
      timestamp: Math.floor(now / 1000),
      token: 'aircall-sfv',
      data: { call_id: callId, error_code: error.errorCode, message: error.message },
    },
    receivedAt: now,
  };
}
