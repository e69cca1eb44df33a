/**
 * What the utility bar item shows, free of the DOM: the agent's phone state and how long it has
 * lasted, the call going on (the person's name when the call is matched, else the number) and the
 * Omni-Channel status the item set. While the phone rings the call's Aircall Voice is not written
 * yet: the agent's state record names the caller (number, and the person when the connector already
 * matched it), so the item shows who is calling from the first ring.
 */
import { BUSY_PHONE_EVENTS, formatDuration, formatLabel, secondsSince } from 'c/aircallUtils';
import { LABELS, phoneEventLabel } from './labels';

interface ValueOf<T> {
  value: T | null;
}
type Named = { Name: ValueOf<string> } | null;

export interface StateQuery {
  uiapi: {
    query: {
      Aircall_Agent_State__c: {
        edges: {
          node: {
            Id: string;
            Phone_Event__c: ValueOf<string>;
            Call_Id__c: ValueOf<string>;
            Changed_At__c: ValueOf<string>;
            Caller_Number__c?: ValueOf<string>;
            Caller_Name__c?: ValueOf<string>;
          };
        }[];
      };
    };
  };
}

export interface CallQuery {
  uiapi: {
    query: {
      Aircall_Voice__c: {
        edges: {
          node: {
            Id: string;
            Customer_Number__c: ValueOf<string>;
            Contact__r?: Named;
            Lead__r?: Named;
            Account__r?: Named;
          };
        }[];
      };
    };
  };
}

export interface AgentState {
  phoneEvent: string | null;
  callId: string;
  changedAt: string | null;
  /** The caller's number (E.164) and matched person, as the connector knew them. */
  callerNumber: string | null;
  callerName: string | null;
}

export interface CallInfo {
  recordId: string;
  /** The matched person (Contact, then Lead, then Account name), or ''. */
  name: string;
  number: string;
}

export function agentStateOf(data: StateQuery | undefined): AgentState | null {
  const node = data?.uiapi.query.Aircall_Agent_State__c.edges[0]?.node;
  if (!node) return null;
  return {
    phoneEvent: node.Phone_Event__c.value,
    callId: node.Call_Id__c.value ?? '',
    changedAt: node.Changed_At__c.value,
    callerNumber: node.Caller_Number__c?.value || null,
    callerName: node.Caller_Name__c?.value || null,
  };
}

export function callOf(data: CallQuery | undefined): CallInfo | null {
  const node = data?.uiapi.query.Aircall_Voice__c.edges[0]?.node;
  if (!node) return null;
  const name = [node.Contact__r, node.Lead__r, node.Account__r]
    .map((r) => r?.Name.value ?? '')
    .find((n) => n !== '');
  return { recordId: node.Id, name: name ?? '', number: node.Customer_Number__c.value ?? '' };
}

export interface PanelView {
  hasState: boolean;
  phoneLabel: string;
  /** Time in the current state, as a phone shows it (0:05, 12:45, 1:02:09). */
  elapsed: string;
  /** When the state began (ISO), for lightning-formatted-date-time. */
  since: string | null;
  /** A call is going on (ringing, in a call or in its after-call work). */
  onCall: boolean;
  /** Who the call is with, for people and the open button's name: the person, else the number. */
  who: string;
  /** The person's name, when known (else the number is shown, formatted as a phone number). */
  whoName: string;
  whoNumber: string;
  callRecordId: string | null;
  openCallName: string;
  /** Busy states are shown as such (badge colour). */
  badgeClass: string;
}

export function buildPanel(
  state: AgentState | null,
  call: CallInfo | null,
  now: number,
): PanelView {
  const phoneEvent = state?.phoneEvent ?? '';
  const busy = BUSY_PHONE_EVENTS.includes(phoneEvent);
  const onCall = busy && !!state?.callId;
  // The logged call is read first (an agent may have changed its link); until it is written, the
  // agent's own state names the caller.
  const whoName = onCall ? call?.name || state?.callerName || '' : '';
  const whoNumber = onCall ? call?.number || state?.callerNumber || '' : '';
  const who = whoName || whoNumber || LABELS.callerPending;
  return {
    hasState: !!phoneEvent,
    phoneLabel: phoneEventLabel(phoneEvent),
    elapsed: formatDuration(secondsSince(state?.changedAt, now)),
    since: state?.changedAt ?? null,
    onCall,
    who,
    whoName,
    whoNumber,
    callRecordId: onCall ? (call?.recordId ?? null) : null,
    openCallName: formatLabel(LABELS.openCallWith, who),
    badgeClass: busy ? 'phone-state slds-badge slds-theme_info' : 'phone-state slds-badge',
  };
}
