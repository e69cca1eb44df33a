/**
 * The org's active lead and case assignment rules, as far as a client's request decides whether
 * they run. Sources, each cited by test/local-org/assignment-rules.test.ts:
 * - REST API Developer Guide, "Assignment Rule Header": the `Sforce-Auto-Assign` request header
 *   applies "when creating or updating Accounts, Cases, or Leads"; `TRUE` runs the active
 *   assignment rules for created or updated records, `FALSE` does not, a valid AssignmentRule Id
 *   runs that rule for created records; TRUE and FALSE are not case-sensitive; "If the header is
 *   not provided in the request, the default value is TRUE". A Composite subrequest carries its own
 *   `httpHeaders` (REST API Developer Guide, "Composite Subrequest").
 * - SOAP API Developer Guide, "AssignmentRuleHeader": a rule runs only when the call's header
 *   asks for it, so writes through the SOAP API and everything outside the REST API get none here.
 *
 * A rule is modelled as what a test can observe: the owner it gives every record of its object (a
 * user or a queue). Account territory rules are not modelled.
 */
import type { Rec } from './store';

export type AssignedObject = 'Lead' | 'Case';

/** The active rule of each object: the owner it gives (`005…` user or `00G…` queue). */
export type AssignmentRules = Partial<Record<AssignedObject, { ownerId: string }>>;

/** The Id of each object's active rule (AssignmentRule, key prefix 01Q). */
export const ASSIGNMENT_RULE_IDS: Readonly<Record<AssignedObject, string>> = {
  Lead: '01Q5g0000000001AAA',
  Case: '01Q5g0000000002AAA',
};

/** What a request asked: run the active rules, none, or one rule by Id. */
export type AutoAssign = { kind: 'active' } | { kind: 'none' } | { kind: 'rule'; id: string };

/**
 * A REST request's `Sforce-Auto-Assign` value (absent = TRUE). Anything else than TRUE or FALSE
 * is taken as an AssignmentRule Id.
 */
export function readAutoAssign(header: string | readonly string[] | undefined): AutoAssign {
  const first: string | undefined = typeof header === 'string' ? header : header?.[0];
  const value = first?.trim();
  if (value === undefined || value === '' || value.toUpperCase() === 'TRUE')
    return { kind: 'active' };
  if (value.toUpperCase() === 'FALSE') return { kind: 'none' };
  return { kind: 'rule', id: value };
}

/** The value of `Sforce-Auto-Assign` among a Composite subrequest's headers (names any case). */
export function subrequestAutoAssign(headers: unknown): AutoAssign | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>))
    if (name.toLowerCase() === 'sforce-auto-assign' && typeof value === 'string')
      return readAutoAssign(value);
  return undefined;
}

/**
 * Gives `rec` the owner of its object's rule when the request lets the rule run: on a create for
 * TRUE or the rule's own Id, on an update for TRUE only.
 */
export function assignOwner(
  rules: AssignmentRules,
  object: string,
  rec: Rec,
  asked: AutoAssign,
  created: boolean,
): void {
  if (object !== 'Lead' && object !== 'Case') return;
  const rule = rules[object];
  if (!rule || !('OwnerId' in rec)) return;
  const runs =
    asked.kind === 'active' ||
    (created &&
      asked.kind === 'rule' &&
      asked.id.slice(0, 15) === ASSIGNMENT_RULE_IDS[object].slice(0, 15));
  if (runs) rec.OwnerId = rule.ownerId;
}
