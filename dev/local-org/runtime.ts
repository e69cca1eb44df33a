/**
 * The local org's runtime, shared by every API family: schema, record store, the integration user,
 * organization and call center, the sample data, transactions (units of work), request counters,
 * the rolling REST allocation and fault injection. The HTTP side is `routes.ts` and `api/*.ts`.
 */
import { assignOwner, type AssignmentRules, type AutoAssign } from './assignment-rules';
import { Analytics } from './reports';
import { emptyAnalytics, loadAnalyticsMetadata } from './report-metadata';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getObject,
  insertRecord,
  updateRecord,
  parseRecord,
  requireObject,
  sfDateTime,
  type DmlContext,
} from './dml';
import { CometdEndpoint } from './cometd';
import {
  DELIVERY_LIMIT_ERROR,
  EventAllocations,
  type Edition,
  type EventAllocationLimits,
} from './event-allocations';
import { EventBus } from './event-bus';
import { BulkJobs } from './bulk';
import { Faults, type FaultConfig } from './faults';
import { loadSchema, standardRows, type ObjectDef, type Schema, type XmlNode } from './schema';
import { MetadataDeploys } from './deploy';
import { accessOf, type Access, type UserProfile } from './access';
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

/** The package's own metadata, wherever the process was started from. */
const DEFAULT_METADATA_DIR = join(__dirname, '..', '..', 'force-app', 'main', 'default');
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
 * An object of the sample data, named as in force-app: in a namespaced org the package's objects
 * carry the prefix (`Aircall_Settings__c` → `aircallsfv__Aircall_Settings__c`).
 */
function packageObject(schema: Schema, name: string): ObjectDef | undefined {
  const prefixed = schema.namespace ? getObject(schema, `${schema.namespace}__${name}`) : undefined;
  return prefixed?.custom ? prefixed : getObject(schema, name);
}

/** A field of the sample data, named as in force-app, in the org's name. */
function packageField(schema: Schema, obj: ObjectDef, name: string): string {
  if (!schema.namespace) return name;
  const prefixed = `${schema.namespace}__${name}`.toLowerCase();
  const f = obj.fields.get(prefixed) ?? obj.relationships.get(prefixed);
  return f?.custom ? `${schema.namespace}__${name}` : name;
}

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

interface SampleDataFile {
  [sobject: string]: Record<string, unknown>[];
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
      opts.schema === 'none' ? undefined : (opts.metadataDir ?? DEFAULT_METADATA_DIR);
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
    this.userId = this.singleton('User', {
      Username: 'integration@aircall-sfv.local',
      LastName: 'Integration',
      FirstName: 'Aircall',
      Email: 'integration@aircall-sfv.local',
      Alias: 'aircall',
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      IsActive: true,
    });
    this.orgId = this.singleton(
      'Organization',
      {
        Name: 'Aircall Local Org',
        TimeZoneSidKey: 'Europe/Paris',
        DefaultLocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        OrganizationType: 'Developer Edition',
        InstanceName: 'LOCAL',
        IsSandbox: false,
        IsReadOnly: false,
        NamespacePrefix: null,
        TrialExpirationDate: null,
        FiscalYearStartMonth: 1,
        UsesStartDateAsFiscalYearName: false,
        Country: 'FR',
        SignupCountryIsoCode: 'FR',
        UiSkin: 'Theme3',
        DefaultAccountAccess: 'Edit',
        DefaultContactAccess: 'ControlledByParent',
        DefaultLeadAccess: 'ReadEditTransfer',
        DefaultOpportunityAccess: 'Edit',
        DefaultCaseAccess: 'ReadEditTransfer',
      },
      this.userId,
    );
    // Every org has a default BusinessHours record, 24 hours a day, 7 days a week, in the org's time
    // zone until an admin changes it (Object Reference, "BusinessHours"; Salesforce Help, "Set
    // Business Hours"). A 24-hour day is written 00:00 → 00:00.
    const allDay: Record<string, Value> = {};
    for (const day of [
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]) {
      allDay[`${day}StartTime`] = '00:00:00.000Z';
      allDay[`${day}EndTime`] = '00:00:00.000Z';
    }
    this.singleton(
      'BusinessHours',
      {
        Name: 'Default',
        IsDefault: true,
        IsActive: true,
        TimeZoneSidKey: 'Europe/Paris',
        ...allDay,
      },
      this.userId,
    );
    // The values of picklists that carry meaning (which Case statuses are closed, which stages are
    // won): CaseStatus and OpportunityStage, one read-only record per value (Object Reference).
    for (const { object, rows } of standardRows()) this.systemRows(object, rows);
    const callCenterId = this.singleton(
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
    if (opts.seedFile) this.loadSampleData(opts.seedFile);
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
    this.systemRows('RecordType', SEED_RECORD_TYPES);
  }

  /** Creates these records of a system object once, in an org that has none yet. */
  private systemRows(name: string, rows: readonly Record<string, Value>[]): void {
    const obj = requireObject(this.schema, name);
    if (this.store.table(obj).size > 0) return;
    const now = sfDateTime(new Date());
    for (const fields of rows) {
      const rec: Rec = {};
      for (const f of obj.fields.values())
        rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
      Object.assign(rec, fields, {
        Id: this.store.nextId(obj),
        CreatedDate: now,
        LastModifiedDate: now,
        SystemModstamp: now,
        CreatedById: this.userId,
        LastModifiedById: this.userId,
      });
      this.store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
    }
  }

  /**
   * The first record of an object, created when missing (org, integration user, call center). These
   * are system records, written directly: they exist before any user could create them.
   */
  private singleton(name: string, fields: Record<string, Value>, createdBy?: string): string {
    const obj = requireObject(this.schema, name);
    const first = this.store.table(obj).values().next().value;
    if (first) return first.Id as string;
    const id = this.store.nextId(obj);
    const now = sfDateTime(new Date());
    const rec: Rec = {};
    for (const f of obj.fields.values())
      rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    Object.assign(rec, fields, {
      Id: id,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
    });
    // The integration user creates (and owns) itself.
    for (const key of ['CreatedById', 'LastModifiedById', 'OwnerId']) {
      if (key in rec) rec[key] = createdBy ?? id;
    }
    if ('FirstName' in fields) rec.Name = `${String(fields.FirstName)} ${String(fields.LastName)}`;
    this.store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
    return id;
  }

  /**
   * Creates or changes a record the org maintains itself (a deployed permission set), written
   * directly like the system records; returns its id.
   */
  systemRecord(name: string, match: (rec: Rec) => boolean, fields: Record<string, Value>): string {
    const obj = requireObject(this.schema, name);
    const existing = [...this.store.table(obj).values()].find(match);
    const now = sfDateTime(new Date());
    if (existing) {
      this.store.put(
        obj,
        { ...existing, ...fields, LastModifiedDate: now, SystemModstamp: now },
        { type: 'UPDATE', changedFields: Object.keys(fields) },
      );
      return existing.Id as string;
    }
    const rec: Rec = {};
    for (const f of obj.fields.values())
      rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    const id = this.store.nextId(obj);
    Object.assign(rec, fields, {
      Id: id,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      CreatedById: this.userId,
      LastModifiedById: this.userId,
    });
    this.store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
    return id;
  }

  /**
   * Loads the sample data once, into an empty org: records are created in file order; `@ref`
   * values name earlier records.
   */
  private loadSampleData(file: string): void {
    const marker = this.store.getMeta('seeded');
    const lead = getObject(this.schema, 'Lead')!;
    if (marker || this.store.table(lead).size > 0) return;
    const data = JSON.parse(readFileSync(file, 'utf8')) as SampleDataFile;
    const refs = new Map<string, string>();
    const ctx = { ...this.dmlContext(), publish: () => null };
    this.store.begin();
    for (const [sobject, records] of Object.entries(data)) {
      if (sobject.startsWith('$')) continue;
      const obj = packageObject(this.schema, sobject);
      if (!obj) {
        this.schema.warnings.push(
          `Seed: object ${sobject} is not in the schema; its records are skipped.`,
        );
        continue;
      }
      for (const raw of records) {
        const { $ref, $converted, $match, ...fields } = raw as Record<string, unknown> & {
          $ref?: string;
          $converted?: boolean;
          $match?: Record<string, Value>;
        };
        const resolved: Record<string, unknown> = {};
        for (const [name, v] of Object.entries(fields)) {
          const k = packageField(this.schema, obj, name);
          if (!obj.fields.has(k.toLowerCase()) && !obj.relationships.has(k.toLowerCase())) {
            // Fields of metadata still being written are skipped, not fatal.
            continue;
          }
          resolved[k] =
            typeof v === 'string' && v.startsWith('@') ? (refs.get(v.slice(1)) ?? null) : v;
        }
        const parsed = parseRecord(this.schema, obj, resolved);
        // `$match`: the sample data changes a record every org already has (its default
        // BusinessHours) instead of creating a second one.
        const existing = $match
          ? [...this.store.table(obj).values()].find((rec) =>
              Object.entries($match).every(([k, v]) => rec[k] === v),
            )
          : undefined;
        const r = existing
          ? updateRecord(ctx, parsed, existing.Id as string)
          : insertRecord(ctx, parsed);
        if (!r.success) {
          this.schema.warnings.push(
            `Seed: ${sobject} ${JSON.stringify(fields)}: ${r.errors[0]?.message ?? ''}`,
          );
          continue;
        }
        if ($ref) refs.set($ref, r.id);
        if ($converted && obj.name === 'Lead') {
          const rec = { ...this.store.get(obj, r.id)! };
          rec.IsConverted = true;
          rec.Status = 'Closed - Converted';
          rec.ConvertedDate = sfDateTime(new Date()).slice(0, 10);
          this.store.put(obj, rec, { type: 'UPDATE', changedFields: ['IsConverted'] });
        }
      }
    }
    this.store.commit();
    this.store.setMeta('seeded', new Date().toISOString());
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
