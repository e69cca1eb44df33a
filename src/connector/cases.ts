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
import { RecentMap } from '../util/recent-map';

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
  keys: OpenRecordKeys,
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
  keys: OpenRecordKeys,
  settings: Pick<Settings, 'linkToOpenCase' | 'linkToOpenOpportunity'>,
): Promise<OpenRecords> {
  const q = openRecordQueries(keys, settings);
  const all = [...q.cases, ...q.opportunities, ...q.roles];
  if (all.length === 0) return { cases: [], opportunities: [] };
  return parseOpenRecords(q, await client.queryMany(all));
}

/** The answers to `openRecordQueries` (in its order: cases, opportunities, roles) as records. */
export function parseOpenRecords(
  q: ReturnType<typeof openRecordQueries>,
  answers: readonly (SalesforceRecord[] | SalesforceError)[],
): OpenRecords {
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

export interface OpenRecordKeys {
  contactIds: readonly string[];
  accountIds: readonly string[];
}

type LinkSettings = Pick<Settings, 'linkToOpenCase' | 'linkToOpenOpportunity'>;

/**
 * What the connector last read of each matched record's open Cases and Opportunities, for a short
 * while (`maxAgeMs`, 2 minutes by default): the read rides on a batch's write Composite while the
 * call still rings (`prefetch`, no request of its own), and the batch that writes the call's
 * Aircall Voice then chooses from it instead of reading again. A record not known (or known too
 * long ago) is read then, as before. Bounded: the least recently used records are forgotten first.
 */
export class OpenRecordCache {
  private readonly entries: RecentMap<string, { at: number; records: OpenRecords }>;

  constructor(
    private readonly maxAgeMs = 2 * 60_000,
    maxEntries = 5_000,
  ) {
    this.entries = new RecentMap(maxEntries);
  }

  private static key(id: string, settings: LinkSettings): string {
    return `${settings.linkToOpenCase ? 1 : 0}${settings.linkToOpenOpportunity ? 1 : 0}|${id}`;
  }

  /** The keys not known (or known too long ago), to read. */
  missing(keys: OpenRecordKeys, settings: LinkSettings, now: number): OpenRecordKeys {
    const stale = (id: string) => {
      const hit = this.entries.get(OpenRecordCache.key(id, settings));
      return !hit || now - hit.at >= this.maxAgeMs;
    };
    return { contactIds: keys.contactIds.filter(stale), accountIds: keys.accountIds.filter(stale) };
  }

  /** Notes what was read for these keys (each key's own Cases and Opportunities, none included). */
  put(keys: OpenRecordKeys, records: OpenRecords, settings: LinkSettings, now: number): void {
    for (const id of keys.contactIds)
      this.entries.set(OpenRecordCache.key(id, settings), {
        at: now,
        records: {
          cases: records.cases.filter((c) => c.contactId === id),
          opportunities: records.opportunities
            .filter((o) => o.contactIds.includes(id))
            .map((o) => ({ ...o, contactIds: [id] })),
        },
      });
    for (const id of keys.accountIds)
      this.entries.set(OpenRecordCache.key(id, settings), {
        at: now,
        records: {
          cases: records.cases.filter((c) => c.accountId === id),
          opportunities: records.opportunities
            .filter((o) => o.accountId === id)
            .map((o) => ({ ...o, contactIds: [] })),
        },
      });
  }

  /** The open records of these keys, from what is known (one entry per Case / Opportunity). */
  get(keys: OpenRecordKeys, settings: LinkSettings): OpenRecords {
    const cases = new Map<string, OpenCase>();
    const opportunities = new Map<string, OpenOpportunity>();
    for (const id of [...keys.contactIds, ...keys.accountIds]) {
      const hit = this.entries.get(OpenRecordCache.key(id, settings));
      if (!hit) continue;
      for (const c of hit.records.cases) cases.set(c.id, c);
      for (const o of hit.records.opportunities) {
        const known = opportunities.get(o.id);
        opportunities.set(
          o.id,
          known
            ? { ...known, contactIds: [...new Set([...known.contactIds, ...o.contactIds])] }
            : o,
        );
      }
    }
    return { cases: [...cases.values()], opportunities: [...opportunities.values()] };
  }

  clear(): void {
    this.entries.clear();
  }
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
