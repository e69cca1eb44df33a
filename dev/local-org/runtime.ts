/**
 * The local org's runtime, shared by every API family: schema, record store, the integration user,
 * organization and call center, the sample data, transactions (units of work), request counters,
 * the rolling REST allocation and fault injection. The HTTP side is `routes.ts` and `api/*.ts`; the
 * options, counters and allocation are `runtime-options.ts`; the records the org writes itself and
 * the sample data are `org-records.ts`.
 */
import { assignOwner, type AssignmentRules, type AutoAssign } from './assignment-rules';
import { Analytics } from './reports';
import { emptyAnalytics, loadAnalyticsMetadata } from './report-metadata';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getObject, requireObject, type DmlContext } from './dml';
import { CometdEndpoint } from './cometd';
import { DELIVERY_LIMIT_ERROR, EventAllocations } from './event-allocations';
import { EventBus } from './event-bus';
import { BulkJobs } from './bulk';
import { Faults } from './faults';
import { loadSchema, standardRows, type ObjectDef, type Schema, type XmlNode } from './schema';
import { MetadataDeploys } from './deploy';
import { accessOf, type Access } from './access';
import { QueryCursors } from './api/query';
import { StreamHub } from './api/streaming';
import type { QueryContext } from './soql';
import { Store, type Change, type Rec, type Value } from './store';
import { SEED_RECORD_TYPES } from './person-accounts';
import {
  generateContactCenterKey,
  publicKeyFromPem,
  type Conversations,
  type TelephonyConfig,
} from './telephony';
import { PACKAGE_METADATA_DIR } from './paths';
import {
  Allocation,
  type CounterCategory,
  type Counters,
  type LocalOrgOptions,
} from './runtime-options';
import {
  DEFAULT_BUSINESS_HOURS,
  INTEGRATION_USER,
  ORGANIZATION,
  loadSampleData,
  singleton,
  systemRows,
  writeSystemRecord,
} from './org-records';

export { Allocation, type CounterCategory, type Counters, type LocalOrgOptions };

const CALL_CENTER_API_NAME = 'AircallContactCenter';

/**
 * The entities the package selects for Change Data Capture: `platformEventChannelMembers` on the
 * standard `ChangeEvents` channel (`<selectedEntity>UserServicePresenceChangeEvent</…>`).
 */
function selectedForCdc(metadataDir: string): string[] {
  const dir = join(metadataDir, 'platformEventChannelMembers');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.platformEventChannelMember-meta.xml'));
  } catch {
    return [];
  }
  const entities: string[] = [];
  for (const file of files) {
    const xml = readFileSync(join(dir, file), 'utf8');
    const channel = /<eventChannel>\s*([^<\s]+)\s*<\/eventChannel>/.exec(xml)?.[1];
    const entity = /<selectedEntity>\s*(\w+?)(__)?ChangeEvent\s*<\/selectedEntity>/.exec(xml);
    if (channel !== 'ChangeEvents' || !entity) continue;
    entities.push(entity[2] ? `${entity[1]}__c` : entity[1]!);
  }
  return entities;
}

/**
 * A session id shaped like a real org's, `<Organization Id>!<secret>`: what `sf org login
 * access-token` requires. A stored token of another shape (an older local org's `00DLOCAL!…`) is
 * replaced by a new one.
 */
function sessionToken(
  orgId: string,
  given: string | undefined,
  stored: string | undefined,
): string {
  if (given) return given;
  if (stored?.startsWith(`${orgId}!`)) return stored;
  return `${orgId}!${randomBytes(32).toString('base64url')}`;
}

export class Org {
  readonly schema: Schema;
  readonly store: Store;
  readonly faults: Faults;
  /** The active lead and case assignment rules (assignment-rules.ts). */
  assignmentRules: AssignmentRules;
  /**
   * What the request in progress asked of assignment rules: a REST request's `Sforce-Auto-Assign`
   * (see withAutoAssign); nothing runs them outside the REST API.
   */
  private autoAssign: AutoAssign = { kind: 'none' };
  readonly allocation: Allocation;
  readonly eventAllocations: EventAllocations;
  readonly counters: Counters = {
    rest: 0,
    composite: 0,
    query: 0,
    search: 0,
    telephony: 0,
    events: 0,
    total: 0,
  };
  readonly orgId: string;
  readonly userId: string;
  readonly telephonyCfg: TelephonyConfig;
  /** Transcripts created through the Telephony API, by vendor call key (kept in memory only). */
  readonly conversations: Conversations = new Map();
  readonly privateKeyPem: string;
  readonly streams: StreamHub;
  /** Every platform event and change event, with its replay id, kept for the retention window. */
  readonly bus: EventBus;
  /** The Streaming API (`/cometd/NN.0`). */
  readonly cometd: CometdEndpoint;
  /** Entities whose changes are streamed (selected for Change Data Capture). */
  readonly cdcEntities: Set<string>;
  readonly cursors = new QueryCursors();
  readonly analytics: Analytics;
  private events: { obj: ObjectDef; rec: Rec }[] = [];
  instanceUrl = '';

  accessToken: string;
  /** Metadata API deployments, and what the deployed package brought besides its schema. */
  readonly metadata: MetadataDeploys;
  /** Bulk API 2.0 ingest and query jobs (in memory). */
  readonly bulk: BulkJobs;

  constructor(readonly opts: LocalOrgOptions) {
    const metadataDir =
      opts.schema === 'none' ? undefined : (opts.metadataDir ?? PACKAGE_METADATA_DIR);
    this.schema = loadSchema(metadataDir, opts.namespace ?? '', {
      personAccounts: opts.personAccounts === true,
    });
    this.store = new Store(this.schema, opts.dbFile);
    // A file-backed org keeps the namespace it was created with: its tables are named after it.
    const storedNamespace = this.store.getMeta('namespace');
    if (storedNamespace !== undefined && storedNamespace !== this.schema.namespace) {
      this.store.close();
      throw new Error(
        `This org file was created ${storedNamespace ? `with the package namespace ${storedNamespace}` : 'without a package namespace'}; ` +
          `start it ${storedNamespace ? `with --namespace ${storedNamespace}` : 'without --namespace'}, or use another --db file.`,
      );
    }
    this.store.setMeta('namespace', this.schema.namespace);
    const storedPersonAccounts = this.store.getMeta('personAccounts');
    const personAccounts = this.schema.personAccounts ? 'on' : 'off';
    if (storedPersonAccounts !== undefined && storedPersonAccounts !== personAccounts) {
      this.store.close();
      throw new Error(
        `This org file was created with Person Accounts ${storedPersonAccounts}; start it ${storedPersonAccounts === 'on' ? 'with' : 'without'} --person-accounts, or use another --db file.`,
      );
    }
    this.store.setMeta('personAccounts', personAccounts);

    this.faults = new Faults(opts.faults);
    this.assignmentRules = { ...opts.assignmentRules };
    this.allocation = new Allocation(opts.dailyApiLimit ?? 150_000);
    this.eventAllocations = new EventAllocations(opts.eventAllocations ?? 'Enterprise');
    this.bus = new EventBus({
      retentionMs: opts.streaming?.retentionMs,
      now: opts.streaming?.now,
      lastReplayId: Number(this.store.getMeta('lastReplayId') ?? 0),
    });
    this.streams = new StreamHub(this.eventAllocations, this.bus);
    this.cdcEntities = new Set(
      opts.changeDataCapture ?? (metadataDir ? selectedForCdc(metadataDir) : []),
    );
    const allocations = this.eventAllocations;
    this.cometd = new CometdEndpoint({
      bus: this.bus,
      apiVersion: '66.0',
      connectTimeoutMs: opts.streaming?.connectTimeoutMs,
      reconnectTimeoutMs: opts.streaming?.reconnectTimeoutMs,
      isValidSession: (token) => token === this.accessToken,
      channelExists: (channel) => this.streamsChannel(channel),
      // The platform event allocations (event-allocations.ts), counted on each CometD client.
      hooks: {
        admitHandshake: (clientId) => {
          if (allocations.deliveryExhausted()) return DELIVERY_LIMIT_ERROR;
          const admitted = allocations.connect(clientId);
          return admitted.ok ? null : admitted.error;
        },
        admitConnect: () => (allocations.deliveryExhausted() ? DELIVERY_LIMIT_ERROR : null),
        onDeliver: (clientId) => {
          const delivered = allocations.deliver(clientId);
          return delivered.ok ? null : delivered.error;
        },
        onClientGone: (clientId) => allocations.disconnect(clientId),
      },
    });
    // A file-backed org replays the packages deployed to it before anything reads its records.
    this.metadata = new MetadataDeploys(this);
    this.metadata.replay();
    this.store.begin();
    this.userId = singleton(this, 'User', INTEGRATION_USER);
    this.orgId = singleton(this, 'Organization', ORGANIZATION, this.userId);
    singleton(this, 'BusinessHours', DEFAULT_BUSINESS_HOURS, this.userId);
    // The values of picklists that carry meaning (which Case statuses are closed, which stages are
    // won): CaseStatus and OpportunityStage, one read-only record per value (Object Reference).
    for (const { object, rows } of standardRows()) systemRows(this, object, rows);
    const callCenterId = singleton(
      this,
      'CallCenter',
      { Name: 'Aircall Contact Center', InternalName: CALL_CENTER_API_NAME, Version: 4 },
      this.userId,
    );
    if (this.schema.personAccounts) this.seedRecordTypes();
    this.store.commit();
    // A file-backed org keeps its session across restarts, as a real org keeps a session alive.
    this.accessToken = sessionToken(
      this.orgId,
      opts.accessToken,
      this.store.getMeta('accessToken'),
    );
    this.store.setMeta('accessToken', this.accessToken);
    this.bulk = new BulkJobs({
      schema: this.schema,
      store: this.store,
      userId: () => this.userId,
      now: () => new Date(),
      dml: () => this.dmlContext(),
      unit: (fn) => this.unit(fn),
    });
    let keys = this.store.getMeta('telephonyKey');
    if (!keys) {
      keys = JSON.stringify(generateContactCenterKey());
      this.store.setMeta('telephonyKey', keys);
    }
    const { privateKeyPem, publicKeyPem } = JSON.parse(keys) as {
      privateKeyPem: string;
      publicKeyPem: string;
    };
    this.privateKeyPem = privateKeyPem;
    this.telephonyCfg = {
      orgId: this.orgId,
      callCenterApiName: CALL_CENTER_API_NAME,
      callCenterId,
      publicKey: publicKeyFromPem(publicKeyPem),
    };
    if (opts.seedFile) loadSampleData(this, opts.seedFile);
    // The package's reports and dashboards (Report and Dashboard records, and the Analytics API):
    // read from force-app, or none in an org started empty; then those its deployments brought.
    this.analytics = new Analytics(
      this,
      metadataDir ? loadAnalyticsMetadata(metadataDir, this.schema.namespace) : emptyAnalytics(),
    );
    this.analytics.add(this.metadata.deployed.analytics);
  }

  /** The org's Account record types (business and `PersonAccount`), created once. */
  private seedRecordTypes(): void {
    systemRows(this, 'RecordType', SEED_RECORD_TYPES);
  }

  /**
   * Creates or changes a record the org maintains itself (a deployed permission set), written
   * directly like the system records; returns its id.
   */
  systemRecord(name: string, match: (rec: Rec) => boolean, fields: Record<string, Value>): string {
    return writeSystemRecord(this, name, match, fields);
  }

  /** A deployed PlatformEventChannelMember on the ChangeEvents channel selects its entity for CDC. */
  selectForCdc(member: XmlNode): void {
    const channel = member.eventChannel;
    const entity = /^(\w+?)(__)?ChangeEvent$/.exec(
      typeof member.selectedEntity === 'string' ? member.selectedEntity : '',
    );
    if (channel !== 'ChangeEvents' || !entity) return;
    this.cdcEntities.add(entity[2] ? `${entity[1]}__c` : entity[1]!);
  }

  /** The running user's permissions: its profile and the deployed permission sets assigned to it. */
  access(): Access | undefined {
    const profile = this.opts.userProfile ?? 'System Administrator';
    if (profile === 'System Administrator') return undefined;
    const assignment = requireObject(this.schema, 'PermissionSetAssignment');
    const permissionSet = requireObject(this.schema, 'PermissionSet');
    const sets = [];
    for (const a of this.store.table(assignment).values()) {
      if (a.AssigneeId !== this.userId) continue;
      const ps = this.store.get(permissionSet, a.PermissionSetId as string);
      const def = ps ? this.metadata.deployed.permissionSets.get(ps.Name as string) : undefined;
      if (def) sets.push(def);
    }
    return accessOf(profile, sets);
  }

  /** The running user's full name (DeployResult.createdByName). */
  userName(): string {
    const user = this.store.get(requireObject(this.schema, 'User'), this.userId);
    return typeof user?.Name === 'string' ? user.Name : 'Integration User';
  }

  /** What a query runs with: the running user's time zone and the org's fiscal year start. */
  queryContext(version: string): QueryContext {
    const user = this.store.get(requireObject(this.schema, 'User'), this.userId);
    const org = this.store.get(requireObject(this.schema, 'Organization'), this.orgId);
    return {
      ...this.dmlContext(),
      apiVersion: version,
      timeZone: typeof user?.TimeZoneSidKey === 'string' ? user.TimeZoneSidKey : 'UTC',
      fiscalYearStartMonth:
        typeof org?.FiscalYearStartMonth === 'number' ? org.FiscalYearStartMonth : 1,
    };
  }

  dmlContext(): DmlContext {
    return {
      schema: this.schema,
      store: this.store,
      userId: this.userId,
      now: () => new Date(),
      validate: (obj, rec) => this.validationError(obj, rec),
      assign: (obj, rec, created) =>
        assignOwner(this.assignmentRules, obj.name, rec, this.autoAssign, created),
      ...(this.access() ? { access: this.access()! } : {}),
      publish: (obj, rec) => {
        // Platform Events Developer Guide, "Platform Event Allocations": past the hourly
        // publishing allocation the publish fails with LIMIT_EXCEEDED; nothing is published or
        // queued. (Platform Event Error Status Codes: LIMIT_EXCEEDED.)
        const counted = this.eventAllocations.publish();
        if (!counted.ok)
          return { statusCode: 'LIMIT_EXCEEDED', message: counted.error, fields: [] };
        this.events.push({ obj, rec });
        return null;
      },
    };
  }

  /** Runs a request's handler (synchronous) with what it asked of assignment rules. */
  withAutoAssign<T>(asked: AutoAssign, fn: () => T): T {
    const before = this.autoAssign;
    this.autoAssign = asked;
    try {
      return fn();
    } finally {
      this.autoAssign = before;
    }
  }

  limitHeader(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.allocation.used()}/${this.allocation.max}` };
  }

  count(category: CounterCategory): void {
    if (this.countingSuspended) return;
    this.counters[category]++;
    this.counters.total++;
  }

  /**
   * An injected validation rule's refusal (FaultConfig.validationRules), in the shape an org gives
   * an admin's rule: FIELD_CUSTOM_VALIDATION_EXCEPTION, the rule's message, its error field (REST
   * API Developer Guide, "Status Codes and Error Responses"; Apex "StatusCode" enum).
   */
  private validationError(obj: ObjectDef, rec: Record<string, unknown>) {
    for (const rule of this.faults.validationRules) {
      if (rule.sobject.toLowerCase() !== obj.name.toLowerCase()) continue;
      const matches = Object.entries(rule.when ?? {}).every(([name, value]) => {
        const f = obj.fields.get(name.toLowerCase());
        return f !== undefined && (rec[f.name] ?? null) === value;
      });
      if (matches)
        return {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: rule.message,
          fields: rule.field ? [rule.field] : [],
        };
    }
    return undefined;
  }

  /** Whether a write draws an injected UNABLE_TO_LOCK_ROW (FaultConfig.lockRowRate). */
  drawLockFault(): boolean {
    return this.faults.draw(true) === 'lock';
  }

  resetCounters(): void {
    for (const k of Object.keys(this.counters) as (keyof Counters)[]) this.counters[k] = 0;
    this.allocation.reset();
  }

  // ---- transactions ------------------------------------------------------------------------------

  /** Savepoints of units nested in an outer transaction (a composite request). */
  private readonly nested: { savepoint: number; events: number }[] = [];
  private outer = false;
  /** While a composite request runs, its subrequests are not counted separately. */
  countingSuspended = false;

  beginUnit(): void {
    if (this.outer) {
      this.nested.push({ savepoint: this.store.savepoint(), events: this.events.length });
      return;
    }
    this.store.begin();
    this.events = [];
  }

  /** Commits the unit: write-through to SQLite, search-index lag, stream delivery. */
  commitUnit(): void {
    if (this.outer) {
      this.nested.pop();
      return;
    }
    this.afterCommit(this.store.commit());
  }

  /** Rolls the unit back; nothing is streamed and platform events are not delivered. */
  abortUnit(): void {
    if (this.outer) {
      const n = this.nested.pop();
      if (n) {
        this.store.rollbackTo(n.savepoint);
        this.events.length = n.events;
      }
      return;
    }
    this.store.rollback();
    this.events = [];
    this.store.commit();
  }

  /** Runs several units as one transaction; `fn` returns whether to commit. */
  transaction(fn: () => boolean): void {
    this.store.begin();
    this.events = [];
    this.outer = true;
    this.countingSuspended = true;
    let commit = false;
    try {
      commit = fn();
    } finally {
      this.outer = false;
      this.countingSuspended = false;
      this.nested.length = 0;
      if (commit) this.afterCommit(this.store.commit());
      else {
        this.store.rollback();
        this.events = [];
        this.store.commit();
      }
    }
  }

  /** Runs a unit of work: commit on success, rollback on throw. */
  unit<T>(fn: () => T): T {
    this.beginUnit();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.abortUnit();
      throw e;
    }
    this.commitUnit();
    return result;
  }

  private afterCommit(changes: Change[]): void {
    const lag = this.opts.searchIndexLagMs ?? 0;
    const now = Date.now();
    for (const c of changes) {
      if (c.type === 'DELETE') this.store.searchableAt.delete(c.id);
      else if (lag > 0) this.store.searchableAt.set(c.id, now + lag);
      this.emitChange(c);
    }
    const lastReplayId = this.bus.lastReplayId;
    for (const e of this.events) {
      this.bus.publish(`/event/${e.obj.name}`, {
        ...Object.fromEntries(
          Object.entries(e.rec).filter(([k]) => k !== 'Id' && k !== 'ReplayId'),
        ),
      });
    }
    this.events = [];
    // Replay ids keep growing across restarts of a file-backed org.
    if (this.bus.lastReplayId !== lastReplayId)
      this.store.setMeta('lastReplayId', String(this.bus.lastReplayId));
  }

  /** A committed change of an entity selected for CDC, as a change event on `/data/<Object>ChangeEvent`. */
  private emitChange(c: Change): void {
    if (!this.cdcEntities.has(c.object)) return;
    const payload: Record<string, unknown> = {
      ChangeEventHeader: {
        entityName: c.object,
        recordIds: [c.id],
        changeType: c.type,
        changedFields: c.changedFields,
        commitTimestamp: Date.now(),
        commitUser: this.userId,
      },
    };
    const fields =
      c.type === 'CREATE'
        ? Object.keys(c.record).filter((k) => c.record[k] !== null)
        : c.changedFields;
    for (const k of fields) if (k !== 'Id') payload[k] = c.record[k];
    const channelName = c.object.endsWith('__c')
      ? `${c.object.slice(0, -3)}__ChangeEvent`
      : `${c.object}ChangeEvent`;
    this.bus.publish(`/data/${channelName}`, payload);
  }

  /** Whether the org streams a channel: a platform event, or an entity selected for CDC. */
  streamsChannel(channel: string): boolean {
    const event = /^\/event\/(\w+)$/.exec(channel);
    if (event) return getObject(this.schema, event[1]!)?.isPlatformEvent === true;
    if (channel === '/data/ChangeEvents') return true;
    const change = /^\/data\/(\w+?)(__)?ChangeEvent$/.exec(channel);
    if (!change) return false;
    const entity = change[2] ? `${change[1]}__c` : change[1]!;
    return this.cdcEntities.has(entity) && getObject(this.schema, entity) !== undefined;
  }

  /** Ends the current session and issues a new one (local-only; see LocalOrg.expireSession). */
  expireSession(): string {
    this.accessToken = `${this.orgId}!${randomBytes(32).toString('base64url')}`;
    this.store.setMeta('accessToken', this.accessToken);
    this.cometd.revalidate();
    this.streams.close();
    return this.accessToken;
  }

  isSearchable = (rec: Rec): boolean => {
    const at = this.store.searchableAt.get(rec.Id as string);
    return at === undefined || at <= Date.now();
  };
}
