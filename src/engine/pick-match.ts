/**
 * Which of the CRM records found for a number the call links to: the settings' match order, then
 * the multiple-match rule (most recently modified, oldest, their common Account, or none).
 */
import type { CrmCandidate, Settings } from './types';

export type MatchDecision =
  | { kind: 'matched'; record: CrmCandidate; reason: string }
  | { kind: 'ambiguous'; candidates: CrmCandidate[]; reason: string }
  | { kind: 'none'; reason: string };

function time(value: string | null): number {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * The Account every one of several matched Contacts belongs to (Multiple Matches "Their Common
 * Account"), as a candidate of its own: the call links the Account and no Contact. Null when they
 * are not Contacts of one Account (Person Accounts, Leads, Contacts of several or no Account).
 */
function commonAccount(same: readonly CrmCandidate[]): CrmCandidate | null {
  const accounts = new Set(same.map((c) => (c.sobject === 'Contact' ? c.accountId : null)));
  const [accountId] = [...accounts];
  if (accounts.size !== 1 || !accountId || same.some((c) => c.personContactId)) return null;
  return {
    sobject: 'Account',
    id: accountId,
    name: null,
    firstName: null,
    lastName: null,
    accountId: null,
    company: null,
    lastModifiedDate: null,
    createdDate: null,
  };
}

/** Applies the match order and the multiple-match rule to the candidates of one number. */
export function pickMatch(
  candidates: readonly CrmCandidate[] | undefined,
  settings: Settings,
): MatchDecision {
  if (!candidates || candidates.length === 0)
    return { kind: 'none', reason: 'no Contact, Lead or Account has this number' };
  const remembered = candidates.find((c) => c.remembered);
  if (remembered)
    return {
      kind: 'matched',
      record: remembered,
      reason: `an agent chose this ${remembered.sobject} for this number (Aircall Number Link)`,
    };
  for (const object of settings.matchOrder) {
    // A Person Account is a Contact and an Account: it takes part at either place of the order,
    // as one record.
    const same = candidates.filter(
      (c) => c.sobject === object || (object === 'Contact' && c.personContactId),
    );
    if (same.length === 0) continue;
    if (same.length === 1) {
      const one = same[0]!.personContactId ? 'Person Account' : object;
      return { kind: 'matched', record: same[0]!, reason: `one ${one} has this number` };
    }
    if (settings.multipleMatches === 'Their Common Account') {
      const common = commonAccount(same);
      if (common) {
        return {
          kind: 'matched',
          record: common,
          reason: `${same.length} ${object} records of one Account have this number; their Account is linked (Multiple Matches is "Their Common Account")`,
        };
      }
      return {
        kind: 'ambiguous',
        candidates: same,
        reason: `${same.length} ${object} records have this number and no Account is common to all of them (Multiple Matches is "Their Common Account")`,
      };
    }
    if (settings.multipleMatches === 'Do Not Link') {
      return {
        kind: 'ambiguous',
        candidates: same,
        reason: `${same.length} ${object} records have this number and Multiple Matches is "Do Not Link"`,
      };
    }
    const sorted = [...same].sort((a, b) => {
      const diff =
        settings.multipleMatches === 'Oldest'
          ? time(a.createdDate) - time(b.createdDate)
          : time(b.lastModifiedDate) - time(a.lastModifiedDate);
      return diff !== 0 ? diff : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    const rule =
      settings.multipleMatches === 'Oldest' ? 'the oldest' : 'the most recently modified';
    return {
      kind: 'matched',
      record: sorted[0]!,
      reason: `${same.length} ${object} records have this number; ${rule} wins (Multiple Matches)`,
    };
  }
  const objects = [...new Set(candidates.map((c) => c.sobject))].join(', ');
  return {
    kind: 'none',
    reason: `only ${objects} records have this number, and Match Order does not include them`,
  };
}
