import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import CALL from '@salesforce/schema/Aircall_Voice__c';
import { formatDuration, secondsSince, stateStyle } from 'c/aircallUtils';
import { t } from 'console/i18n';

interface Value<T> {
  value: T | null;
  displayValue?: string | null;
}
interface Named {
  Id: string;
  Name: Value<string>;
}
interface CallNode {
  Id: string;
  Name: Value<string>;
  Direction__c: Value<string>;
  Call_Type__c: Value<string>;
  Status__c: Value<string>;
  Customer_Number__c: Value<string>;
  Started_At__c: Value<string>;
  Talk_Seconds__c: Value<number>;
  Total_Seconds__c: Value<number>;
  Contact__r: Named | null;
  Lead__r: Named | null;
  Account__r: Named | null;
  Agent__r: { Name: Value<string> } | null;
}
interface CallsQuery {
  uiapi: { query: Record<string, { edges: { node: CallNode }[]; totalCount?: number }> };
}

const OBJECT = (CALL as { objectApiName: string }).objectApiName;
/** The list re-reads the newest calls this often while it is on screen (one GraphQL query). */
const REFRESH_MS = 3000;

const QUERY = gql`
  query consoleCalls($first: Int) {
    uiapi {
      query {
        ${OBJECT}(first: $first, orderBy: { Started_At__c: { order: DESC, nulls: LAST } }) {
          totalCount
          edges {
            node {
              Id
              Name { value }
              Direction__c { value displayValue }
              Call_Type__c { value displayValue }
              Status__c { value displayValue }
              Customer_Number__c { value }
              Started_At__c { value }
              Talk_Seconds__c { value }
              Total_Seconds__c { value }
              Contact__r { Id Name { value } }
              Lead__r { Id Name { value } }
              Account__r { Id Name { value } }
              Agent__r { Name { value } }
            }
          }
        }
      }
    }
  }
`;

/**
 * The console's calls page: the newest calls first, re-read every few seconds (the connector no
 * longer publishes an event per call change, and record pages poll through LDS the same way).
 */
export default class CallList extends LightningElement {
  first = 30;
  result?: { data?: CallsQuery; errors?: unknown[]; refresh?: () => Promise<void> };
  private timer?: ReturnType<typeof setInterval>;

  @wire(graphql, { query: QUERY, variables: '$variables', operationName: 'consoleCalls' })
  wiredCalls(result: unknown): void {
    this.result = result as {
      data?: CallsQuery;
      errors?: unknown[];
      refresh?: () => Promise<void>;
    };
  }

  get variables(): Record<string, unknown> {
    return { first: this.first };
  }

  /** Now, for the running duration of live calls (ticks every second). */
  now = Date.now();
  private clock?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setInterval(() => void this.result?.refresh?.(), REFRESH_MS);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.clock = setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    clearInterval(this.clock);
  }

  get errorText(): string {
    const errors = this.result?.errors ?? [];
    return errors.map((e) => (e as { message?: string }).message ?? JSON.stringify(e)).join(' ');
  }

  get loading(): boolean {
    return !this.result;
  }

  /** Person first ("Léa Garnier · Voicemail · 0:03 · 11:01 PM"), as on the record pages. */
  get calls() {
    const edges = this.result?.data?.uiapi.query[OBJECT]?.edges ?? [];
    return edges.map(({ node }) => {
      const linked = node.Contact__r ?? node.Lead__r ?? node.Account__r;
      const status = node.Status__c.value ?? '';
      const type = node.Call_Type__c.value ?? '';
      const inbound = node.Direction__c.value !== 'Outbound';
      const number = node.Customer_Number__c.value ?? '';
      const live = status !== '' && status !== 'Ended';
      const talk = node.Talk_Seconds__c.value;
      const seconds = live
        ? secondsSince(node.Started_At__c.value, this.now)
        : typeof talk === 'number' && talk > 0
          ? talk
          : node.Total_Seconds__c?.value;
      return {
        id: node.Id,
        href: `#/record/${node.Id}`,
        person: linked?.Name.value ?? (number || t('unknownNumber')),
        number: linked ? number : '',
        outcome: live
          ? (node.Status__c.displayValue ?? status)
          : (node.Call_Type__c.displayValue ?? type),
        badgeClass: stateStyle(status, type).badge,
        status,
        isLive: live,
        duration: formatDuration(seconds),
        startedAt: node.Started_At__c.value,
        agent: node.Agent__r?.Name.value ?? t('noAgent'),
        icon: inbound ? 'utility:incoming_call' : 'utility:outbound_call',
        iconText: inbound ? t('inbound') : t('outbound'),
        name: node.Name.value ?? node.Id,
      };
    });
  }

  get live(): boolean {
    return this.calls.some((c) => c.isLive);
  }

  get hasCalls(): boolean {
    return this.calls.length > 0;
  }

  /** Every call in the org (the query's totalCount), not the page of the newest. */
  get heading(): string {
    const total = this.result?.data?.uiapi.query[OBJECT]?.totalCount ?? this.calls.length;
    return t('callsCount', String(total));
  }

  get text() {
    return {
      callsList: t('callsList'),
      live: t('live'),
      loading: t('loading'),
      noCalls: t('noCalls'),
    };
  }
}
