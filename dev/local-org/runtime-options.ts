/**
 * What a local org is started with (LocalOrgOptions), its request counters, and the rolling
 * 24-hour REST allocation. The org itself is `runtime.ts`.
 */
import type { AssignmentRules } from './assignment-rules';
import type { Edition, EventAllocationLimits } from './event-allocations';
import type { FaultConfig } from './faults';
import type { UserProfile } from './access';

export interface LocalOrgOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** SQLite file; absent or ':memory:' = in memory only. */
  dbFile?: string;
  /** Package metadata; default this package's force-app/main/default. */
  metadataDir?: string;
  /**
   * Where the package's schema comes from: 'force-app' (default: read from `metadataDir` at start,
   * for speed) or 'none' (only the standard objects, as a new org has them; the package arrives by
   * a Metadata API deploy, `npm run deploy` or `sf project deploy start --metadata-dir`).
   */
  schema?: 'force-app' | 'none';
  /**
   * Load the package as a subscriber org sees it installed as a managed package with this namespace
   * (`aircallsfv`): every object, field, relationship and platform event the package defines is
   * prefixed (`aircallsfv__Aircall_Voice__c`), and the unprefixed names do not exist. Default ''
   * (deployed from source, `npm run deploy`). The org's own Organization.NamespacePrefix stays null.
   */
  namespace?: string;
  /**
   * Person Accounts enabled (person-accounts.ts): the RecordType object with the business and
   * `PersonAccount` record types, Account's person fields, person contacts. Default off.
   */
  personAccounts?: boolean;
  /**
   * JSON sample-data file (see dev/local-org/seed/sample.json), loaded when the org is empty. It
   * names the package's objects and fields as force-app does; a namespaced org reads them prefixed.
   */
  seedFile?: string;
  /**
   * The integration user's profile: 'System Administrator' (default: every permission, as a
   * scratch org's user has) or 'Minimum Access - API Only Integrations' (only what its assigned
   * permission sets grant; see access.ts).
   */
  userProfile?: UserProfile;
  /** How long a new or changed record stays invisible to SOSL (default 0). */
  searchIndexLagMs?: number;
  /** Rolling 24-hour REST allocation (default 150,000). */
  dailyApiLimit?: number;
  /**
   * Platform event allocations (see event-allocations.ts): an edition's defaults (default
   * Enterprise), or explicit figures — small ones let tests exhaust them.
   */
  eventAllocations?: Edition | Partial<EventAllocationLimits>;
  faults?: FaultConfig;
  /**
   * The org's active lead and case assignment rules (assignment-rules.ts): the owner each gives
   * the records a REST request lets it assign. Default none.
   */
  assignmentRules?: AssignmentRules;
  /** Bearer token clients must send; generated when absent. */
  accessToken?: string;
  /**
   * `/limits` figures by name (`{DataStorageMB: {Max: 5}}`), over the Developer Edition defaults of
   * `limits.ts`; DailyApiRequests and the platform-event allocations come from their own options.
   */
  limits?: Record<string, { Max: number; Remaining?: number }>;
  /**
   * Streaming (CometD at /cometd/NN.0, see cometd.ts and event-bus.ts): event retention (default
   * 72 h) and its clock, the long-poll hold (default 110 s) and the reconnect timeout (default 40 s).
   */
  streaming?: {
    retentionMs?: number;
    now?: () => number;
    connectTimeoutMs?: number;
    reconnectTimeoutMs?: number;
  };
  /**
   * Entities selected for Change Data Capture (default: the package's
   * platformEventChannelMembers on the ChangeEvents channel). Only they stream /data/XChangeEvent.
   */
  changeDataCapture?: string[];
}

export type CounterCategory = 'rest' | 'composite' | 'query' | 'search' | 'telephony' | 'events';
export type Counters = Record<CounterCategory | 'total', number>;

/** Rolling 24-hour request count in one-minute buckets, like the org's DailyApiRequests. */
export class Allocation {
  private readonly buckets = new Map<number, number>();
  private total = 0;

  constructor(readonly max: number) {}

  private evict(now: number): void {
    const oldest = Math.floor(now / 60_000) - 24 * 60;
    for (const [minute, n] of this.buckets) {
      if (minute > oldest) break;
      this.buckets.delete(minute);
      this.total -= n;
    }
  }

  used(now = Date.now()): number {
    this.evict(now);
    return this.total;
  }

  add(now = Date.now()): void {
    const minute = Math.floor(now / 60_000);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
    this.total++;
  }

  reset(): void {
    this.buckets.clear();
    this.total = 0;
  }
}
