/**
 * Phone → Omni-Channel, in the agent's own browser: the logic of the Aircall Omni-Channel utility
 * bar item. The Aura component `aircallOmniToolkit` wraps it and only relays its requests to
 * `lightning:omniToolkitAPI` (setServicePresenceStatus, getServicePresenceStatusId), which exists
 * only in Aura.
 *
 * How it learns the agent's phone state without a streaming subscription: the connector writes each
 * agent's latest phone state (Ringing, In Call, After-Call Work, Available) on that agent's
 * Aircall_Agent_State__c record; this component reads the agent's own record through Lightning
 * Data Service (GraphQL wire) and re-reads it every IDLE_POLL_MS, every LIVE_POLL_MS while the
 * phone is busy. No event is delivered to anyone, no streaming client is opened, and Lightning
 * Data Service "doesn't incur any API usage calls" (Lightning Web Components Developer Guide,
 * "Lightning Data Service"). The figures are in docs/PERFORMANCE.md (`npm run bench:events`).
 *
 * Rules: the phone → Omni rules of Aircall_Status_Mapping__c in Custom mode, or the default mapping
 * (Ringing, In Call, After-Call Work → the org's Busy status; Available → Available, else Online,
 * else the first available status) — the same rules as the connector's engine, so the presence
 * sync recognises the resulting Omni change as the phone's echo and does not send it back to
 * Aircall. The state found when the component loads is not applied (it may be old); an agent who is
 * offline in Omni is never logged in; and a status the agent sets by hand during a call is kept
 * when the call ends (After-Call Work or Available do not overwrite it).
 */
import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import { BUSY_PHONE_EVENTS, defaultOmniStatus, formatLabel } from 'c/aircallUtils';
import L_AIRCALL_OMNI_FOLLOWING from '@salesforce/label/c.Aircall_Omni_Following';
import L_AIRCALL_OMNI_STATE_ERROR from '@salesforce/label/c.Aircall_Omni_State_Error';
import L_AIRCALL_OMNI_NO_STATUS from '@salesforce/label/c.Aircall_Omni_No_Status';
import L_AIRCALL_OMNI_READ_FAILED from '@salesforce/label/c.Aircall_Omni_Read_Failed';
import L_AIRCALL_OMNI_OFFLINE from '@salesforce/label/c.Aircall_Omni_Offline';
import L_AIRCALL_OMNI_KEPT from '@salesforce/label/c.Aircall_Omni_Kept';
import L_AIRCALL_OMNI_SET_FAILED from '@salesforce/label/c.Aircall_Omni_Set_Failed';
import L_AIRCALL_OMNI_SET from '@salesforce/label/c.Aircall_Omni_Set';
import L_AIRCALL_OMNI_CLOSED from '@salesforce/label/c.Aircall_Omni_Closed';

/** UI text: Custom Labels (English and Spanish ship with the package). */
const LABELS = {
  following: L_AIRCALL_OMNI_FOLLOWING,
  stateError: L_AIRCALL_OMNI_STATE_ERROR,
  noStatus: L_AIRCALL_OMNI_NO_STATUS,
  readFailed: L_AIRCALL_OMNI_READ_FAILED,
  offline: L_AIRCALL_OMNI_OFFLINE,
  kept: L_AIRCALL_OMNI_KEPT,
  setFailed: L_AIRCALL_OMNI_SET_FAILED,
  set: L_AIRCALL_OMNI_SET,
  closed: L_AIRCALL_OMNI_CLOSED,
};

/** How often the agent's phone state is re-read while the phone is idle (Available or unknown). */
export const IDLE_POLL_MS = 10_000;
/** … and while it rings, is in a call or in after-call work, so the end is seen quickly. */
export const LIVE_POLL_MS = 5_000;

const BUSY_EVENTS = new Set(BUSY_PHONE_EVENTS);
const CALL_EVENTS = new Set(['Ringing', 'In Call']);

interface ValueOf<T> {
  value: T | null;
}
interface StateQuery {
  uiapi: {
    query: {
      Aircall_Agent_State__c: {
        edges: {
          node: {
            Id: string;
            Phone_Event__c: ValueOf<string>;
            Call_Id__c: ValueOf<string>;
            Changed_At__c: ValueOf<string>;
          };
        }[];
      };
    };
  };
}
interface StatusQuery {
  uiapi: {
    query: {
      ServicePresenceStatus: {
        edges: {
          node: { Id: string; DeveloperName: ValueOf<string>; MasterLabel: ValueOf<string> };
        }[];
      };
    };
  };
}
interface MappingQuery {
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

export interface PresenceStatus {
  id: string;
  developerName: string;
  label: string;
}

export interface PhoneToOmniRule {
  phoneEvent: string;
  omniStatus: string;
}

/** An Omni request for the Aura wrapper: it answers through `omniResult`. */
export interface OmniRequest {
  requestId: number;
  action: 'get' | 'set';
  statusId?: string;
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

export default class AircallOmniSync extends LightningElement {
  labels = LABELS;
  /** What the component did last, for the utility bar panel. */
  lastAction = '';

  stateResult?: GraphQLResult<StateQuery>;
  statusResult?: GraphQLResult<StatusQuery>;
  mappingResult?: GraphQLResult<MappingQuery>;

  /** The phone state already handled (the one found at load counts as handled). */
  private handledKey: string | null = null;
  private phoneEvent: string | null = null;
  /** The Omni status this component set for the current call, to tell a hand-made change. */
  private setForCall: string | null = null;
  private timer?: ReturnType<typeof setTimeout>;
  private connected = false;
  private nextRequest = 0;
  private readonly pending = new Map<
    number,
    (result: { statusId?: string | null; error?: string }) => void
  >();
  private chain: Promise<void> = Promise.resolve();

  get variables(): { userId: string } {
    return { userId: USER_ID };
  }

  // Aliases keep the response keys as written here when the platform namespaces the query's custom
  // objects and fields in a subscriber org (see aircallSettings).
  @wire(graphql, {
    query: gql`
      query aircallAgentState($userId: ID) {
        uiapi {
          query {
            Aircall_Agent_State__c: Aircall_Agent_State__c(
              where: { User__c: { eq: $userId } }
              first: 1
            ) {
              edges {
                node {
                  Id
                  Phone_Event__c: Phone_Event__c {
                    value
                  }
                  Call_Id__c: Call_Id__c {
                    value
                  }
                  Changed_At__c: Changed_At__c {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallAgentState',
    variables: '$variables',
  })
  wiredState(result: GraphQLResult<StateQuery>): void {
    this.stateResult = result;
    this.onState();
  }

  @wire(graphql, {
    query: gql`
      query omniPresenceStatuses {
        uiapi {
          query {
            ServicePresenceStatus(first: 200, orderBy: { MasterLabel: { order: ASC } }) {
              edges {
                node {
                  Id
                  DeveloperName {
                    value
                  }
                  MasterLabel {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'omniPresenceStatuses',
  })
  wiredStatuses(result: GraphQLResult<StatusQuery>): void {
    this.statusResult = result;
  }

  @wire(graphql, {
    query: gql`
      query aircallPhoneToOmni {
        uiapi {
          query {
            Aircall_Status_Mapping__c: Aircall_Status_Mapping__c(
              first: 500
              where: { Direction__c: { eq: "Phone to Omni" } }
            ) {
              edges {
                node {
                  Id
                  Direction__c: Direction__c {
                    value
                  }
                  Omni_Status__c: Omni_Status__c {
                    value
                  }
                  Phone_Event__c: Phone_Event__c {
                    value
                  }
                }
              }
            }
            Aircall_Settings__c: Aircall_Settings__c(
              first: 1
              orderBy: { CreatedDate: { order: ASC } }
            ) {
              edges {
                node {
                  Id
                  Omni_Mapping_Mode__c: Omni_Mapping_Mode__c {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallPhoneToOmni',
  })
  wiredMappings(result: GraphQLResult<MappingQuery>): void {
    this.mappingResult = result;
  }

  override connectedCallback(): void {
    this.connected = true;
    this.schedule();
  }

  override disconnectedCallback(): void {
    this.connected = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const resolve of this.pending.values()) resolve({ error: LABELS.closed });
    this.pending.clear();
  }

  /** Called by the Aura wrapper with the answer to an `omnirequest`. */
  @api
  omniResult(requestId: number, statusId: string | null, error: string | null): void {
    const resolve = this.pending.get(requestId);
    this.pending.delete(requestId);
    resolve?.(error ? { error } : { statusId });
  }

  get statusLine(): string {
    return this.lastAction || LABELS.following;
  }

  get hasError(): boolean {
    return !!this.stateResult?.errors?.length;
  }

  /** Re-reads the agent's state: often while the phone is busy, less often when it is idle. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.connected) return;
    const every = this.phoneEvent && BUSY_EVENTS.has(this.phoneEvent) ? LIVE_POLL_MS : IDLE_POLL_MS;
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const refresh = this.stateResult?.refresh?.();
      // The wire delivers the result; a failed read keeps the last state and tries again later.
      (refresh ?? Promise.resolve()).catch(() => undefined).finally(() => this.schedule());
    }, every);
  }

  private get statuses(): PresenceStatus[] {
    return (this.statusResult?.data?.uiapi.query.ServicePresenceStatus.edges ?? []).map(
      ({ node }) => ({
        id: node.Id,
        developerName: node.DeveloperName.value ?? '',
        label: node.MasterLabel.value ?? '',
      }),
    );
  }

  private get mode(): string {
    const settings = this.mappingResult?.data?.uiapi.query.Aircall_Settings__c.edges[0];
    return settings?.node.Omni_Mapping_Mode__c.value ?? 'Default';
  }

  private get rules(): PhoneToOmniRule[] {
    return (this.mappingResult?.data?.uiapi.query.Aircall_Status_Mapping__c.edges ?? [])
      .filter(({ node }) => node.Direction__c.value === 'Phone to Omni')
      .map(({ node }) => ({
        phoneEvent: node.Phone_Event__c.value ?? '',
        omniStatus: node.Omni_Status__c.value ?? '',
      }));
  }

  private onState(): void {
    const node = this.stateResult?.data?.uiapi.query.Aircall_Agent_State__c.edges[0]?.node;
    if (!this.stateResult?.data) return;
    const phoneEvent = node?.Phone_Event__c.value ?? null;
    const key = node
      ? `${phoneEvent ?? ''}|${node.Call_Id__c.value ?? ''}|${node.Changed_At__c.value ?? ''}`
      : '';
    const first = this.handledKey === null;
    if (key === this.handledKey) return;
    this.handledKey = key;
    this.phoneEvent = phoneEvent;
    if (this.timer !== undefined) this.schedule();
    if (first || !phoneEvent) return;
    this.chain = this.chain.then(() => this.apply(phoneEvent)).catch(() => undefined);
  }

  private async apply(phoneEvent: string): Promise<void> {
    const target = omniStatusFor(phoneEvent, this.mode, this.rules, this.statuses);
    if (!target) {
      this.lastAction = formatLabel(LABELS.noStatus, phoneEvent);
      return;
    }
    const current = await this.omni({ action: 'get' });
    if (current.error !== undefined) {
      this.lastAction = formatLabel(LABELS.readFailed, current.error);
      return;
    }
    if (!current.statusId) {
      // Offline in Omni: the phone never logs an agent in.
      this.lastAction = formatLabel(LABELS.offline, phoneEvent);
      return;
    }
    const ending = !CALL_EVENTS.has(phoneEvent);
    if (ending && this.setForCall !== null && id15(current.statusId) !== id15(this.setForCall)) {
      // Changed by hand during the call: the agent's choice stands.
      this.setForCall = null;
      this.lastAction = LABELS.kept;
      return;
    }
    if (id15(current.statusId) === id15(target.id)) {
      this.setForCall = ending ? null : target.id;
      return;
    }
    const set = await this.omni({ action: 'set', statusId: target.id });
    if (set.error !== undefined) {
      this.lastAction = formatLabel(
        LABELS.setFailed,
        target.label || target.developerName,
        set.error,
      );
      return;
    }
    this.setForCall = ending ? null : target.id;
    this.lastAction = formatLabel(LABELS.set, phoneEvent, target.label || target.developerName);
  }

  /** Asks the Aura wrapper to run an Omni toolkit call; it answers through `omniResult`. */
  private omni(
    request: Omit<OmniRequest, 'requestId'>,
  ): Promise<{ statusId?: string | null; error?: string }> {
    const requestId = ++this.nextRequest;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.dispatchEvent(
        new CustomEvent<OmniRequest>('omnirequest', { detail: { requestId, ...request } }),
      );
    });
  }
}
