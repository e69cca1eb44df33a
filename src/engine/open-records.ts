/**
 * The caller's open Case and open Opportunity (`Link_To_Open_Case__c`,
 * `Link_To_Open_Opportunity__c`). The connector reads the open Cases and Opportunities of every
 * record the batch's numbers match in one request (`openRecordKeys` says which records); the
 * engine picks, per call, the most recently modified one of the record the call is linked to:
 * - Case: the matched Contact's (Case.ContactId), or the matched Account's (Case.AccountId; a
 *   Person Account's Cases are on its Account). A Lead has no Cases.
 * - Opportunity: the matched Account's (Opportunity.AccountId), or the matched Contact's through
 *   its contact roles (OpportunityContactRole). A Lead has none.
 * The choice is made once, when the call's Aircall Voice is first written, and kept (sync
 * `openLinks`): a call stays on the Case it was logged on, and its later events cost no query.
 */
import type { CallSyncState } from './plan';
import type { LinkDecision } from './rules';
import type { CrmCandidate, OpenCase, OpenOpportunity, OpenRecords, Settings } from './types';

/** Whether a call still has to choose its open Case / Opportunity (so the batch must read them). */
export function needsOpenRecords(sync: CallSyncState | undefined, settings: Settings): boolean {
  if (!settings.linkToOpenCase && !settings.linkToOpenOpportunity) return false;
  return sync?.openLinks === undefined && sync?.skippedReason === undefined;
}

/** The records whose open Cases / Opportunities are read: every matched Contact and Account. */
export function openRecordKeys(candidates: Iterable<CrmCandidate>): {
  contactIds: string[];
  accountIds: string[];
} {
  const contactIds = new Set<string>();
  const accountIds = new Set<string>();
  for (const c of candidates) {
    if (c.sobject === 'Contact') contactIds.add(c.id);
    else if (c.sobject === 'Account') accountIds.add(c.id);
  }
  return { contactIds: [...contactIds].sort(), accountIds: [...accountIds].sort() };
}

export interface OpenIndex {
  casesByContact: Map<string, OpenCase[]>;
  casesByAccount: Map<string, OpenCase[]>;
  opportunitiesByAccount: Map<string, OpenOpportunity[]>;
  opportunitiesByContact: Map<string, OpenOpportunity[]>;
}

function push<T>(map: Map<string, T[]>, key: string | null, value: T): void {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexOpenRecords(open: OpenRecords): OpenIndex {
  const index: OpenIndex = {
    casesByContact: new Map(),
    casesByAccount: new Map(),
    opportunitiesByAccount: new Map(),
    opportunitiesByContact: new Map(),
  };
  for (const c of open.cases) {
    push(index.casesByContact, c.contactId, c);
    push(index.casesByAccount, c.accountId, c);
  }
  for (const o of open.opportunities) {
    push(index.opportunitiesByAccount, o.accountId, o);
    for (const contactId of new Set(o.contactIds)) push(index.opportunitiesByContact, contactId, o);
  }
  return index;
}

/** The most recently modified record; on a tie the greatest Id, so every run picks the same one. */
function mostRecent<T extends { id: string; lastModifiedDate: string }>(
  records: readonly T[] | undefined,
): T | null {
  let best: T | null = null;
  for (const r of records ?? []) {
    if (
      !best ||
      Date.parse(r.lastModifiedDate) > Date.parse(best.lastModifiedDate) ||
      (Date.parse(r.lastModifiedDate) === Date.parse(best.lastModifiedDate) && r.id > best.id)
    )
      best = r;
  }
  return best;
}

/** The open Case and Opportunity a call linked as `link` belongs to (null: none, or setting off). */
export function chooseOpenLinks(
  link: LinkDecision,
  settings: Settings,
  index: OpenIndex,
): { caseId: string | null; opportunityId: string | null } {
  if (link.kind !== 'matched') return { caseId: null, opportunityId: null };
  const { sobject, id } = link.record;
  let caseId: string | null = null;
  let opportunityId: string | null = null;
  if (settings.linkToOpenCase) {
    if (sobject === 'Contact') caseId = mostRecent(index.casesByContact.get(id))?.id ?? null;
    else if (sobject === 'Account') caseId = mostRecent(index.casesByAccount.get(id))?.id ?? null;
  }
  if (settings.linkToOpenOpportunity) {
    if (sobject === 'Account')
      opportunityId = mostRecent(index.opportunitiesByAccount.get(id))?.id ?? null;
    else if (sobject === 'Contact')
      opportunityId = mostRecent(index.opportunitiesByContact.get(id))?.id ?? null;
  }
  return { caseId, opportunityId };
}
