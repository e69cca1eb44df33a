/**
 * Phone → Omni-Channel rules of the utility bar item, free of the DOM: the statuses, mode and rules
 * read from the org, which Omni status a phone event sets, and what to do about it given the
 * agent's current status.
 */
import { defaultOmniStatus } from 'c/aircallUtils';

export interface PresenceStatus {
  id: string;
  developerName: string;
  label: string;
}

export interface PhoneToOmniRule {
  phoneEvent: string;
  omniStatus: string;
}

const CALL_EVENTS = new Set(['Ringing', 'In Call']);

interface ValueOf<T> {
  value: T | null;
}
export interface MappingQuery {
  uiapi: {
    query: {
      Aircall_Status_Mapping__c: {
        edges: {
          node: {
            Id: string;
            Direction__c: ValueOf<string>;
            Omni_Status__c: ValueOf<string>;
            Phone_Event__c: ValueOf<string>;
          };
        }[];
      };
      Aircall_Settings__c: {
        edges: { node: { Id: string; Omni_Mapping_Mode__c: ValueOf<string> } }[];
      };
    };
  };
}

/** The saved mapping mode (Default while no settings record exists). */
export function modeOf(data: MappingQuery | undefined): string {
  return (
    data?.uiapi.query.Aircall_Settings__c.edges[0]?.node.Omni_Mapping_Mode__c.value ?? 'Default'
  );
}

export function rulesOf(data: MappingQuery | undefined): PhoneToOmniRule[] {
  return (data?.uiapi.query.Aircall_Status_Mapping__c.edges ?? [])
    .filter(({ node }) => node.Direction__c.value === 'Phone to Omni')
    .map(({ node }) => ({
      phoneEvent: node.Phone_Event__c.value ?? '',
      omniStatus: node.Omni_Status__c.value ?? '',
    }));
}

/**
 * The Omni status a phone event sets: Custom mode uses the admin's "Phone to Omni" rule (none →
 * null: leave Omni alone); Default mode the org's Busy status for the phone's busy states and its
 * Available / Online / first available status for Available (c/aircallUtils defaultOmniStatus).
 */
export function omniStatusFor(
  phoneEvent: string,
  mode: string,
  rules: readonly PhoneToOmniRule[],
  statuses: readonly PresenceStatus[],
): PresenceStatus | null {
  if (mode === 'Custom') {
    const rule = rules.find((r) => r.phoneEvent === phoneEvent);
    if (!rule) return null;
    const key = rule.omniStatus.toLowerCase();
    return statuses.find((s) => s.developerName.toLowerCase() === key) ?? null;
  }
  // Default mode: the engine's rule, from the same code (c/aircallUtils).
  const resolved = defaultOmniStatus(phoneEvent, statuses);
  return resolved && 'status' in resolved ? resolved.status : null;
}

const id15 = (id: string | null | undefined): string => (id ?? '').slice(0, 15);

/** What to do with the agent's Omni status once it is known. */
export type Decision =
  /** Offline in Omni: the phone never logs an agent in. */
  | { kind: 'offline' }
  /** Changed by hand during the call: the agent's choice stands. */
  | { kind: 'kept' }
  /** Already the target: nothing to send. */
  | { kind: 'already' }
  | { kind: 'set' };

/**
 * `setForCall` is the status this item set for the call going on (null when none): at the end of a
 * call (After-Call Work, Available) a different current status means the agent chose it.
 */
export function decide(
  phoneEvent: string,
  target: PresenceStatus,
  currentStatusId: string | null | undefined,
  setForCall: string | null,
): Decision {
  if (!currentStatusId) return { kind: 'offline' };
  const ending = !CALL_EVENTS.has(phoneEvent);
  if (ending && setForCall !== null && id15(currentStatusId) !== id15(setForCall)) {
    return { kind: 'kept' };
  }
  if (id15(currentStatusId) === id15(target.id)) return { kind: 'already' };
  return { kind: 'set' };
}

/** The status to remember for the call after a decision: none once the call is over. */
export function rememberForCall(phoneEvent: string, target: PresenceStatus): string | null {
  return CALL_EVENTS.has(phoneEvent) ? target.id : null;
}
