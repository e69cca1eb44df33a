/**
 * Phone → Omni-Channel, in the agent's own browser: the Aircall Omni-Channel utility bar item. It
 * shows the agent's phone state with a running timer, the call going on (who, from the first ring:
 * the caller named on the agent's state; since when) and the Omni-Channel status it set. The Aura
 * component `aircallOmniToolkit` wraps it and only relays its requests to
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
import { NavigationMixin } from 'lightning/navigation';
import USER_ID from '@salesforce/user/Id';
import {
  BUSY_PHONE_EVENTS,
  PRESENCE_STATUSES_OPERATION,
  PRESENCE_STATUSES_QUERY,
  formatLabel,
  presenceStatuses,
} from 'c/aircallUtils';
import type { PresenceStatusesQuery } from 'c/aircallUtils';
import { LABELS, phoneEventLabel } from './labels';
import { decide, modeOf, omniStatusFor, rememberForCall, rulesOf } from './omniRules';
import type { MappingQuery, PhoneToOmniRule, PresenceStatus } from './omniRules';
import { agentStateOf, buildPanel, callOf } from './panel';
import type { CallQuery, PanelView, StateQuery } from './panel';

/** How often the agent's phone state is re-read while the phone is idle (Available or unknown). */
export const IDLE_POLL_MS = 10_000;
/** … and while it rings, is in a call or in after-call work, so the end is seen quickly. */
export const LIVE_POLL_MS = 5_000;
/** The timer on screen moves every second. */
const TICK_MS = 1_000;

const BUSY_EVENTS = new Set(BUSY_PHONE_EVENTS);

export type { PhoneToOmniRule, PresenceStatus };

/** An Omni request for the Aura wrapper: it answers through `omniResult`. */
export interface OmniRequest {
  requestId: number;
  action: 'get' | 'set';
  statusId?: string;
}

export default class AircallOmniSync extends NavigationMixin(LightningElement) {
  labels = LABELS;
  /** What the component did last (set, kept, failed…), under the panel. */
  lastAction = '';
  /** The Omni status this item set (or found already set) for the latest phone event. */
  setStatusLabel = '';
  /** The clock of the running timer (ms). */
  now = Date.now();

  stateResult?: GraphQLResult<StateQuery>;
  statusResult?: GraphQLResult<PresenceStatusesQuery>;
  mappingResult?: GraphQLResult<MappingQuery>;
  callResult?: GraphQLResult<CallQuery>;

  /** The phone state already handled (the one found at load counts as handled). */
  private handledKey: string | null = null;
  private phoneEvent: string | null = null;
  /** The Omni status this component set for the current call, to tell a hand-made change. */
  private setForCall: string | null = null;
  private timer?: ReturnType<typeof setTimeout>;
  private clock?: ReturnType<typeof setInterval>;
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

  get callVariables(): { callId: string } {
    return { callId: agentStateOf(this.stateResult?.data)?.callId ?? '' };
  }

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
                  Caller_Number__c: Caller_Number__c {
                    value
                  }
                  Caller_Name__c: Caller_Name__c {
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

  /** The call of the current phone state, once the connector has logged it (matched or not). */
  @wire(graphql, {
    query: gql`
      query aircallCurrentCall($callId: String) {
        uiapi {
          query {
            Aircall_Voice__c: Aircall_Voice__c(
              where: { Aircall_Call_Id__c: { eq: $callId } }
              first: 1
            ) {
              edges {
                node {
                  Id
                  Customer_Number__c: Customer_Number__c {
                    value
                  }
                  Contact__r: Contact__r {
                    Name {
                      value
                    }
                  }
                  Lead__r: Lead__r {
                    Name {
                      value
                    }
                  }
                  Account__r: Account__r {
                    Name {
                      value
                    }
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallCurrentCall',
    variables: '$callVariables',
  })
  wiredCall(result: GraphQLResult<CallQuery>): void {
    this.callResult = result;
  }

  @wire(graphql, { query: PRESENCE_STATUSES_QUERY, operationName: PRESENCE_STATUSES_OPERATION })
  wiredStatuses(result: GraphQLResult<PresenceStatusesQuery>): void {
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
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.clock = setInterval(() => {
      this.now = Date.now();
    }, TICK_MS);
  }

  override disconnectedCallback(): void {
    this.connected = false;
    clearTimeout(this.timer);
    clearInterval(this.clock);
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

  get panel(): PanelView {
    return buildPanel(
      agentStateOf(this.stateResult?.data),
      callOf(this.callResult?.data),
      this.now,
    );
  }

  get setStatusText(): string {
    return this.setStatusLabel || LABELS.noneSet;
  }

  get statusLine(): string {
    return this.lastAction || LABELS.following;
  }

  get hasError(): boolean {
    return !!this.stateResult?.errors?.length;
  }

  handleOpenCall(event: Event): void {
    event.preventDefault();
    const recordId = this.panel.callRecordId;
    if (!recordId) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId, actionName: 'view' },
    });
  }

  /** Re-reads the agent's state (and its call): often while the phone is busy, less when idle. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.connected) return;
    const busy = !!this.phoneEvent && BUSY_EVENTS.has(this.phoneEvent);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        // The call's person appears once the connector has logged and matched it.
        const reads = [this.stateResult?.refresh?.(), busy ? this.callResult?.refresh?.() : null];
        // The wire delivers the result; a failed read keeps the last state and tries again later.
        Promise.all(reads.map((r) => (r ?? Promise.resolve()).catch(() => undefined))).finally(() =>
          this.schedule(),
        );
      },
      busy ? LIVE_POLL_MS : IDLE_POLL_MS,
    );
  }

  private get statuses(): PresenceStatus[] {
    return presenceStatuses(this.statusResult) ?? [];
  }

  private onState(): void {
    if (!this.stateResult?.data) return;
    const state = agentStateOf(this.stateResult.data);
    const phoneEvent = state?.phoneEvent ?? null;
    const key = state ? `${phoneEvent ?? ''}|${state.callId}|${state.changedAt ?? ''}` : '';
    const first = this.handledKey === null;
    if (key === this.handledKey) return;
    this.handledKey = key;
    this.phoneEvent = phoneEvent;
    this.now = Date.now();
    if (this.timer !== undefined) this.schedule();
    if (first || !phoneEvent) return;
    this.chain = this.chain.then(() => this.apply(phoneEvent)).catch(() => undefined);
  }

  private async apply(phoneEvent: string): Promise<void> {
    const shown = phoneEventLabel(phoneEvent);
    const target = omniStatusFor(
      phoneEvent,
      modeOf(this.mappingResult?.data),
      rulesOf(this.mappingResult?.data),
      this.statuses,
    );
    if (!target) {
      this.lastAction = formatLabel(LABELS.noStatus, shown);
      return;
    }
    const name = target.label || target.developerName;
    const current = await this.omni({ action: 'get' });
    if (current.error !== undefined) {
      this.lastAction = formatLabel(LABELS.readFailed, current.error);
      return;
    }
    const decision = decide(phoneEvent, target, current.statusId, this.setForCall);
    if (decision.kind === 'offline') {
      this.lastAction = formatLabel(LABELS.offline, shown);
      return;
    }
    if (decision.kind === 'kept') {
      this.setForCall = null;
      this.lastAction = LABELS.kept;
      return;
    }
    if (decision.kind === 'set') {
      const set = await this.omni({ action: 'set', statusId: target.id });
      if (set.error !== undefined) {
        this.lastAction = formatLabel(LABELS.setFailed, name, set.error);
        return;
      }
      this.lastAction = formatLabel(LABELS.set, shown, name);
    }
    this.setForCall = rememberForCall(phoneEvent, target);
    this.setStatusLabel = name;
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
