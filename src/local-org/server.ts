/**
 * The local org's HTTP server: Salesforce REST at `/services/data/vNN.0/...` (the routes jsforce 3
 * uses), the Telephony Integration API at `/telephony/v1/...`, and local-only endpoints under
 * `/local/...` that do not exist on a real org (contact-center discovery, counters, faults, stream,
 * Omni-Channel presence changes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  deleteRecord,
  getObject,
  insertRecord,
  parseRecord,
  requireExternalIdField,
  requireObject,
  sfDateTime,
  toApiRecord,
  updateRecord,
  upsertRecord,
  type DmlContext,
  type ParsedRecord,
  type SaveResult,
} from './dml';
import { SfError, type SaveError } from './errors';
import { Faults, type FaultConfig } from './faults';
import { normalizeId } from './ids';
import { describeObject, loadSchema, type ObjectDef, type Schema } from './schema';
import { runSearch } from './sosl';
import { parseSoql, runQuery, type QueryResult } from './soql';
import { Store, type Change, type Rec, type Value } from './store';
import { channelMatches, type StreamMessage } from './stream';
import {
  DELIVERY_LIMIT_ERROR,
  EventAllocations,
  type Edition,
  type EventAllocationLimits,
} from './event-allocations';
import {
  createVoiceCall,
  generateContactCenterKey,
  publicKeyFromPem,
  TelephonyError,
  updateVoiceCall,
  verifyJwt,
  type TelephonyConfig,
} from './telephony';

export interface LocalOrgOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** SQLite file; absent or ':memory:' = in memory only. */
  dbFile?: string;
  /** Package metadata; default this package's force-app/main/default. */
  metadataDir?: string;
  /** JSON seed file (see src/local-org/seed/sample.json), loaded when the org is empty. */
  seedFile?: string;
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
  /** Bearer token clients must send; generated when absent. */
  accessToken?: string;
}

export type CounterCategory = 'rest' | 'composite' | 'query' | 'search' | 'telephony' | 'events';
export type Counters = Record<CounterCategory | 'total', number>;

export interface LocalOrg {
  instanceUrl: string;
  accessToken: string;
  /** Latest API version served, e.g. '66.0'. */
  apiVersion: string;
  telephony: { baseUrl: string; callCenterApiName: string; orgId: string; privateKeyPem: string };
  counters(): Counters;
  resetCounters(): void;
  setFaults(faults: FaultConfig): void;
  /**
   * Local-only stand-in for a rep changing Omni-Channel status (UserServicePresence is read-only
   * through a real org's API): `status` is a ServicePresenceStatus Id or DeveloperName, null =
   * offline. Returns the new UserServicePresence id (null when offline).
   */
  setPresence(userId: string, status: string | null, opts?: { away?: boolean }): string | null;
  /** Platform event usage against the allocations (what `/limits` reports, per client too). */
  eventUsage(): ReturnType<EventAllocations['usage']>;
  /** Schema warnings (metadata files that could not be used). */
  warnings: string[];
  close(): Promise<void>;
}

/**
 * Every version a current org serves, 31.0 (Summer '14) to 66.0 (Spring '26): real orgs keep
 * answering old versions, and clients pin them (jsforce defaults to 50.0, @salesforce/core asks
 * v51.0 for the user of a new login).
 */
const VERSIONS: { version: string; label: string }[] = Array.from(
  { length: 66 - 31 + 1 },
  (_, i) => {
    const version = 31 + i;
    const k = 66 - version; // 0 = Spring '26, 1 = Winter '26, 2 = Summer '25, 3 = Spring '25 …
    const season = (['Spring', 'Winter', 'Summer'] as const)[k % 3]!;
    const year = (season === 'Summer' ? 25 : 26) - Math.floor(k / 3);
    return { version: `${version}.0`, label: `${season} '${String(year).padStart(2, '0')}` };
  },
);
const LATEST = VERSIONS[VERSIONS.length - 1]!.version;
const MAX_COLLECTION = 200;
/** The package's own metadata, wherever the process was started from. */
const DEFAULT_METADATA_DIR = join(__dirname, '..', '..', 'force-app', 'main', 'default');
const CALL_CENTER_API_NAME = 'AircallContactCenter';
/** Default query batch (REST API guide, "Query": up to 2,000 records per batch; Sforce-Query-Options: batchSize). */
const QUERY_BATCH = 2000;

const notFound = (): SfError =>
  new SfError('NOT_FOUND', 'The requested resource does not exist', [], 404);

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Rolling 24-hour request count in one-minute buckets, like the org's DailyApiRequests. */
class Allocation {
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

interface SeedFile {
  [sobject: string]: Record<string, unknown>[];
}

class Org {
  readonly schema: Schema;
  readonly store: Store;
  readonly faults: Faults;
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
  readonly privateKeyPem: string;
  private readonly streams = new Set<{ res: ServerResponse; channels: string[]; client: string }>();
  private streamClients = 0;
  private replayId = 0;
  private events: { obj: ObjectDef; rec: Rec }[] = [];
  instanceUrl = '';

  readonly accessToken: string;

  constructor(readonly opts: LocalOrgOptions) {
    this.schema = loadSchema(opts.metadataDir ?? DEFAULT_METADATA_DIR);
    this.store = new Store(this.schema, opts.dbFile);
    // A file-backed org keeps its session across restarts, as a real org keeps a session alive.
    this.accessToken =
      opts.accessToken ??
      this.store.getMeta('accessToken') ??
      `00DLOCAL!${randomBytes(24).toString('base64url')}`;
    this.store.setMeta('accessToken', this.accessToken);
    this.faults = new Faults(opts.faults);
    this.allocation = new Allocation(opts.dailyApiLimit ?? 150_000);
    this.eventAllocations = new EventAllocations(opts.eventAllocations ?? 'Enterprise');
    this.store.begin();
    this.userId = this.singleton('User', {
      Username: 'integration@aircall-sfv.local',
      LastName: 'Integration',
      FirstName: 'Aircall',
      Email: 'integration@aircall-sfv.local',
      Alias: 'aircall',
      TimeZoneSidKey: 'Europe/Paris',
      IsActive: true,
    });
    this.orgId = this.singleton(
      'Organization',
      {
        Name: 'Aircall Local Org',
        TimeZoneSidKey: 'Europe/Paris',
        OrganizationType: 'Developer Edition',
        IsSandbox: false,
      },
      this.userId,
    );
    const callCenterId = this.singleton(
      'CallCenter',
      { Name: 'Aircall Contact Center', InternalName: CALL_CENTER_API_NAME, Version: 4 },
      this.userId,
    );
    this.store.commit();
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
    if (opts.seedFile) this.seed(opts.seedFile);
  }

  /** The first record of an object, created when missing (org, integration user, call center). */
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

  /** Loads the seed once: records are created in file order; `@ref` values name earlier records. */
  private seed(file: string): void {
    const marker = this.store.getMeta('seeded');
    const lead = getObject(this.schema, 'Lead')!;
    if (marker || this.store.table(lead).size > 0) return;
    const data = JSON.parse(readFileSync(file, 'utf8')) as SeedFile;
    const refs = new Map<string, string>();
    const ctx = { ...this.dmlContext(), publish: () => null };
    this.store.begin();
    for (const [sobject, records] of Object.entries(data)) {
      if (sobject.startsWith('$')) continue;
      const obj = getObject(this.schema, sobject);
      if (!obj) {
        this.schema.warnings.push(
          `Seed: object ${sobject} is not in the schema; its records are skipped.`,
        );
        continue;
      }
      for (const raw of records) {
        const { $ref, $converted, ...fields } = raw as Record<string, unknown> & {
          $ref?: string;
          $converted?: boolean;
        };
        const resolved: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(fields)) {
          if (!obj.fields.has(k.toLowerCase()) && !obj.relationships.has(k.toLowerCase())) {
            // Fields of metadata still being written are skipped, not fatal.
            continue;
          }
          resolved[k] =
            typeof v === 'string' && v.startsWith('@') ? (refs.get(v.slice(1)) ?? null) : v;
        }
        const parsed = parseRecord(this.schema, obj, resolved);
        const r = insertRecord(ctx, parsed);
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

  dmlContext(): DmlContext {
    return {
      schema: this.schema,
      store: this.store,
      userId: this.userId,
      now: () => new Date(),
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

  /**
   * What Omni-Channel does when a rep changes status in the browser — local-only: a real org has no
   * API for it (UserServicePresence is read-only there). The rep's open UserServicePresence record
   * is closed and, unless the rep goes offline (`status` null), a new current one is opened; both
   * changes are streamed as UserServicePresenceChangeEvent (UPDATE then CREATE), as in an org.
   * `status` is a ServicePresenceStatus Id or DeveloperName; `away` marks a Busy-type status.
   */
  setPresence(userId: string, status: string | null, opts: { away?: boolean } = {}): string | null {
    const users = requireObject(this.schema, 'User');
    const statuses = requireObject(this.schema, 'ServicePresenceStatus');
    const presence = requireObject(this.schema, 'UserServicePresence');
    const uid = normalizeId(userId);
    if (!uid || !this.store.get(users, uid)) {
      throw new SfError('INVALID_CROSS_REFERENCE_KEY', `No User with id ${userId}.`, ['UserId']);
    }
    let statusId: string | null = null;
    if (status !== null) {
      const byId = normalizeId(status);
      const found =
        (byId ? this.store.get(statuses, byId) : undefined) ??
        [...this.store.table(statuses).values()].find(
          (r) => String(r.DeveloperName).toLowerCase() === status.toLowerCase(),
        );
      if (!found) {
        throw new SfError(
          'INVALID_CROSS_REFERENCE_KEY',
          `No ServicePresenceStatus with id or DeveloperName "${status}": use one from SELECT Id, DeveloperName FROM ServicePresenceStatus.`,
          ['ServicePresenceStatusId'],
        );
      }
      statusId = found.Id as string;
    }
    return this.unit(() => {
      const now = new Date();
      const stamp = sfDateTime(now);
      const system = { LastModifiedDate: stamp, SystemModstamp: stamp, LastModifiedById: uid };
      for (const rec of this.store.table(presence).values()) {
        if (rec.UserId !== uid || rec.IsCurrentState !== true) continue;
        const started = Date.parse(String(rec.StatusStartDate));
        const closed: Rec = {
          ...rec,
          ...system,
          IsCurrentState: false,
          StatusEndDate: stamp,
          StatusDuration: Number.isNaN(started)
            ? null
            : Math.max(0, Math.round((now.getTime() - started) / 1000)),
        };
        this.store.put(presence, closed, {
          type: 'UPDATE',
          changedFields: ['IsCurrentState', 'StatusEndDate', 'StatusDuration', 'LastModifiedDate'],
        });
      }
      if (statusId === null) return null;
      const id = this.store.nextId(presence);
      const rec: Rec = {};
      for (const f of presence.fields.values())
        rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
      const fields: Rec = {
        Name: id,
        UserId: uid,
        ServicePresenceStatusId: statusId,
        IsCurrentState: true,
        IsAway: opts.away === true,
        StatusStartDate: stamp,
      };
      Object.assign(rec, fields, system, { Id: id, CreatedDate: stamp, CreatedById: uid });
      this.store.put(presence, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
      return id;
    });
  }

  limitHeader(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.allocation.used()}/${this.allocation.max}` };
  }

  // ---- transactions & streaming ----------------------------------------------------------------

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
    for (const e of this.events) {
      this.broadcast(`/event/${e.obj.name}`, {
        ...Object.fromEntries(Object.entries(e.rec).filter(([k]) => k !== 'Id')),
      });
    }
    this.events = [];
  }

  private emitChange(c: Change): void {
    if (this.streams.size === 0) return;
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
    this.broadcast(`/data/${channelName}`, payload);
  }

  private broadcast(channel: string, payload: Record<string, unknown>): void {
    const message: StreamMessage = {
      channel,
      data: { schema: 'local', payload, event: { replayId: ++this.replayId } },
    };
    const frame = `event: message\ndata: ${JSON.stringify(message)}\n\n`;
    for (const s of this.streams) {
      if (!s.channels.some((ch) => channelMatches(ch, channel))) continue;
      // Each event delivered to each subscribed client counts toward the delivery allocation;
      // past it the client is disconnected with the CometD error (see event-allocations.ts).
      const delivered = this.eventAllocations.deliver(s.client);
      if (delivered.ok) {
        s.res.write(frame);
        continue;
      }
      s.res.end(`event: error\ndata: ${JSON.stringify({ error: delivered.error })}\n\n`);
      this.streams.delete(s);
      this.eventAllocations.disconnect(s.client);
    }
  }

  /**
   * Opens an SSE subscription (one streaming client), or answers the refusal a CometD handshake
   * would get: the concurrent client allocation, or the delivery allocation already used up.
   */
  openStream(req: IncomingMessage, res: ServerResponse, channels: string[]): void {
    const client = `sse-${++this.streamClients}`;
    const admitted = this.eventAllocations.deliveryExhausted()
      ? { ok: false as const, error: DELIVERY_LIMIT_ERROR }
      : this.eventAllocations.connect(client);
    if (!admitted.ok) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ errorCode: '403', message: admitted.error }]));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const sub = { res, channels, client };
    this.streams.add(sub);
    res.write(`event: ready\ndata: ${JSON.stringify({ channels })}\n\n`);
    req.on('close', () => {
      this.streams.delete(sub);
      this.eventAllocations.disconnect(client);
    });
  }

  closeStreams(): void {
    for (const s of this.streams) {
      s.res.end();
      this.eventAllocations.disconnect(s.client);
    }
    this.streams.clear();
  }

  isSearchable = (rec: Rec): boolean => {
    const at = this.store.searchableAt.get(rec.Id as string);
    return at === undefined || at <= Date.now();
  };

  private readonly cursors = new Map<
    string,
    { records: Record<string, unknown>[]; totalSize: number; batch: number }
  >();
  private cursorSeq = 0;

  /** Splits a result into batches with `nextRecordsUrl`, as the org does above the batch size. */
  paginate(
    result: QueryResult,
    version: string,
    batchSize: number,
  ): QueryResult & { nextRecordsUrl?: string } {
    if (result.records.length <= batchSize) return result;
    const locator = `01g5g00000${String(++this.cursorSeq).padStart(5, '0')}`;
    // Abandoned cursors expire, as query locators do in an org.
    if (this.cursors.size >= 100) this.cursors.delete(this.cursors.keys().next().value!);
    this.cursors.set(locator, {
      records: result.records,
      totalSize: result.totalSize,
      batch: batchSize,
    });
    return {
      totalSize: result.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${version}/query/${locator}-${batchSize}`,
      records: result.records.slice(0, batchSize),
    };
  }

  nextPage(locatorAndOffset: string, version: string): QueryResult & { nextRecordsUrl?: string } {
    const [locator, offsetText] = locatorAndOffset.split('-');
    const cursor = this.cursors.get(locator ?? '');
    const offset = Number(offsetText);
    if (!cursor || !Number.isInteger(offset)) {
      throw new SfError('INVALID_QUERY_LOCATOR', 'invalid query locator', [], 400);
    }
    const end = offset + cursor.batch;
    const records = cursor.records.slice(offset, end);
    if (end >= cursor.records.length) {
      this.cursors.delete(locator!);
      return { totalSize: cursor.totalSize, done: true, records };
    }
    return {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${version}/query/${locator!}-${end}`,
      records,
    };
  }

  count(category: CounterCategory): void {
    if (this.countingSuspended) return;
    this.counters[category]++;
    this.counters.total++;
  }
}

// ---- REST handlers ----------------------------------------------------------------------------

type Json = Record<string, unknown>;

function asObject(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError('JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  }
  return body as Json;
}

function singleSave(r: SaveResult, okStatus: number): Reply {
  if (r.success) return { status: okStatus, body: r };
  const e = r.errors[0]!;
  return {
    status: e.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400,
    body: [{ message: e.message, errorCode: e.statusCode, fields: e.fields }],
  };
}

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

const LOCK_ERROR = (id?: string): SaveError => ({
  statusCode: 'UNABLE_TO_LOCK_ROW',
  message: `unable to obtain exclusive access to this record${id ? ` or 1 records: ${id}` : ''}`,
  fields: [],
});

type CollectionOp = (p: ParsedRecord, raw: Json, index: number) => SaveResult;

/**
 * sObject Collections: per-record results in request order; with allOrNone every record is rolled
 * back when one fails (REST API Developer Guide, "sObject Collections").
 */
function runCollection(
  org: Org,
  rawRecords: unknown,
  allOrNone: boolean,
  typeOf: (raw: Json) => ObjectDef,
  op: CollectionOp,
  lockAll: boolean,
): Reply {
  if (!Array.isArray(rawRecords))
    throw new SfError('JSON_PARSER_ERROR', 'records must be an array of sObjects.');
  if (rawRecords.length > MAX_COLLECTION) {
    throw new SfError(
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  }
  // Deserialization errors (unknown object or field, wrong JSON type) fail the whole request.
  const parsed = rawRecords.map((raw) => {
    const rec = asObject(raw);
    return { raw: rec, p: parseRecord(org.schema, typeOf(rec), rec) };
  });
  org.beginUnit();
  const results: SaveResult[] = [];
  parsed.forEach(({ raw, p }, i) => {
    const sp = org.store.savepoint();
    if (lockAll || org.faults.drawRecord()) {
      results.push({ success: false, errors: [LOCK_ERROR()] });
      return;
    }
    const r = op(p, raw, i);
    if (!r.success) org.store.rollbackTo(sp);
    results.push(r);
  });
  const failed = results.some((r) => !r.success);
  if (allOrNone && failed) {
    org.abortUnit();
    return {
      status: 200,
      body: results.map((r) => {
        const { id: _id, ...rest } = r;
        const created = 'created' in r ? { created: false } : {};
        return r.success
          ? { ...rest, ...created, success: false, errors: [ROLLED_BACK] }
          : { ...rest, ...created, success: false };
      }),
    };
  }
  org.commitUnit();
  return { status: 200, body: results };
}

function handleRest(
  org: Org,
  method: string,
  segs: string[],
  url: URL,
  body: unknown,
  version: string,
  batchSize = QUERY_BATCH,
): Reply {
  const ctx = org.dmlContext();
  const [root, a, b, c] = segs;
  const lockFault = (): SfError =>
    new SfError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record');

  if (root === undefined) {
    org.count('rest');
    const base = `/services/data/v${version}`;
    return {
      status: 200,
      body: {
        sobjects: `${base}/sobjects`,
        query: `${base}/query`,
        search: `${base}/search`,
        limits: `${base}/limits`,
        composite: `${base}/composite`,
      },
    };
  }
  if (root === 'limits' && method === 'GET') {
    org.count('rest');
    const used = org.allocation.used();
    return {
      status: 200,
      body: {
        DailyApiRequests: {
          Max: org.allocation.max,
          Remaining: Math.max(0, org.allocation.max - used),
        },
        ...org.eventAllocations.limitsResource(),
      },
    };
  }
  if ((root === 'query' || root === 'queryAll') && method === 'GET' && a === undefined) {
    org.count('query');
    const q = url.searchParams.get('q');
    if (!q)
      throw new SfError('MALFORMED_QUERY', 'A query string is required: pass it as ?q=SELECT …');
    const result = runQuery({ ...ctx, apiVersion: version }, parseSoql(q));
    return { status: 200, body: org.paginate(result, version, batchSize) };
  }
  if ((root === 'query' || root === 'queryAll') && method === 'GET' && a !== undefined) {
    org.count('query');
    return { status: 200, body: org.nextPage(a, version) };
  }
  if (root === 'search' && method === 'GET') {
    org.count('search');
    const q = url.searchParams.get('q');
    if (!q)
      throw new SfError('MALFORMED_SEARCH', 'A search string is required: pass it as ?q=FIND {…}');
    return {
      status: 200,
      body: runSearch({ ...ctx, apiVersion: version, isSearchable: org.isSearchable }, q),
    };
  }
  if (root === 'sobjects') {
    if (a === undefined && method === 'GET') {
      org.count('rest');
      return {
        status: 200,
        body: {
          encoding: 'UTF-8',
          maxBatchSize: 200,
          sobjects: [...org.schema.objects.values()].map((o) => {
            const d = describeObject(o, version);
            delete d.fields;
            return d;
          }),
        },
      };
    }
    const obj = requireObject(org.schema, a!);
    if (b === 'describe' && method === 'GET') {
      org.count('rest');
      return { status: 200, body: describeObject(obj, version) };
    }
    if (b === undefined && method === 'GET') {
      org.count('rest');
      const d = describeObject(obj, version);
      delete d.fields;
      return { status: 200, body: { objectDescribe: d, recentItems: [] } };
    }
    if (b === undefined && method === 'POST') {
      org.count(obj.isPlatformEvent ? 'events' : 'rest');
      const p = parseRecord(org.schema, obj, asObject(body));
      const fault = org.faults.draw(true);
      if (fault === 'lock') throw lockFault();
      const r = org.unit(() => insertRecord(ctx, p));
      return singleSave(r, 201);
    }
    if (b !== undefined && c === undefined) {
      const id = normalizeId(b);
      org.count('rest');
      if (method === 'GET') {
        const rec = id ? org.store.get(obj, id) : undefined;
        if (!rec) throw notFound();
        const fieldsParam = url.searchParams.get('fields');
        const fields = fieldsParam
          ? fieldsParam.split(',').map((n) => {
              const f = obj.fields.get(n.trim().toLowerCase());
              if (!f)
                throw new SfError(
                  'INVALID_FIELD',
                  `No such column '${n}' on sobject of type ${obj.name}`,
                );
              return f;
            })
          : undefined;
        return { status: 200, body: toApiRecord(obj, rec, version, fields) };
      }
      if (method === 'PATCH') {
        const p = parseRecord(org.schema, obj, asObject(body));
        if (org.faults.draw(true) === 'lock') throw lockFault();
        if (!id || !org.store.get(obj, id)) throw notFound();
        const r = org.unit(() => updateRecord(ctx, p, id));
        return r.success ? { status: 204 } : singleSave(r, 204);
      }
      if (method === 'DELETE') {
        if (!id || !org.store.get(obj, id)) throw notFound();
        if (org.faults.draw(true) === 'lock') throw lockFault();
        org.unit(() => deleteRecord(ctx, obj, id));
        return { status: 204 };
      }
    }
    if (b !== undefined && c !== undefined) {
      org.count('rest');
      const extField = requireExternalIdField(obj, b);
      const value = decodeURIComponent(c);
      if (method === 'GET') {
        const ids =
          extField.type === 'id'
            ? new Set([normalizeId(value) ?? ''])
            : org.store.lookup(obj, extField, value);
        const found = [...(ids ?? [])]
          .map((id) => org.store.get(obj, id))
          .filter((r): r is Rec => !!r);
        if (found.length === 0) throw notFound();
        if (found.length > 1) {
          return {
            status: 300,
            body: found.map(
              (r) => `/services/data/v${version}/sobjects/${obj.name}/${String(r.Id)}`,
            ),
          };
        }
        return { status: 200, body: toApiRecord(obj, found[0]!, version) };
      }
      if (method === 'PATCH') {
        const p = parseRecord(org.schema, obj, asObject(body));
        if (org.faults.draw(true) === 'lock') throw lockFault();
        const r = org.unit(() => upsertRecord(ctx, p, extField, value));
        // API 46.0+: 201 with created:true for an insert, 200 with created:false for an update.
        return singleSave(r, r.created ? 201 : 200);
      }
    }
  }
  if (root === 'composite' && a === undefined && method === 'POST') {
    org.count('composite');
    return runComposite(org, body);
  }
  if (root === 'composite' && a === 'sobjects') {
    const payload = body as
      { allOrNone?: boolean; records?: unknown; ids?: string[]; fields?: string[] } | undefined;
    const allOrNone = payload?.allOrNone === true;
    const typeOf = (raw: Json): ObjectDef => {
      const t = (raw.attributes as { type?: string } | undefined)?.type;
      if (!t)
        throw new SfError(
          'INVALID_TYPE',
          'Each record in the list must have a type in its attributes.',
        );
      const obj = getObject(org.schema, t);
      if (!obj) throw new SfError('INVALID_TYPE', `sObject type '${t}' is not supported.`);
      return obj;
    };
    if (b === undefined && method === 'POST') {
      const records = Array.isArray(payload?.records) ? (payload.records as Json[]) : [];
      const allEvents = records.length > 0 && records.every((r) => typeOf(r).isPlatformEvent);
      org.count(allEvents ? 'events' : 'composite');
      const lockAll = org.faults.draw(true) === 'lock';
      return runCollection(
        org,
        payload?.records,
        allOrNone,
        typeOf,
        (p) => insertRecord(ctx, p),
        lockAll,
      );
    }
    if (b === undefined && method === 'PATCH') {
      org.count('composite');
      const lockAll = org.faults.draw(true) === 'lock';
      return runCollection(
        org,
        payload?.records,
        allOrNone,
        typeOf,
        (p, raw) => {
          const rawId = raw.id ?? raw.Id;
          const id = typeof rawId === 'string' ? normalizeId(rawId) : undefined;
          if (!id)
            return {
              success: false,
              errors: [
                {
                  statusCode: 'MALFORMED_ID',
                  message: 'Id in record is missing or malformed',
                  fields: ['Id'],
                },
              ],
            };
          p.values.delete(p.obj.fields.get('id')!);
          return updateRecord(ctx, p, id);
        },
        lockAll,
      );
    }
    if (b === undefined && method === 'DELETE') {
      org.count('composite');
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter((s) => s !== '');
      if (ids.length > MAX_COLLECTION) {
        throw new SfError(
          'EXCEEDED_ID_LIMIT',
          'record limit reached. cannot submit more than 200 records into this call',
        );
      }
      const all = url.searchParams.get('allOrNone') === 'true';
      org.beginUnit();
      const results: SaveResult[] = ids.map((raw) => {
        const id = normalizeId(raw);
        const obj = id ? org.schema.byPrefix.get(id.slice(0, 3)) : undefined;
        if (!id || !obj)
          return {
            success: false,
            errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] }],
          };
        return deleteRecord(ctx, obj, id);
      });
      if (all && results.some((r) => !r.success)) {
        org.abortUnit();
        return {
          status: 200,
          body: results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : r)),
        };
      }
      org.commitUnit();
      return { status: 200, body: results };
    }
    if (b !== undefined && c !== undefined && method === 'PATCH') {
      org.count('composite');
      const obj = requireObject(org.schema, b);
      const extField = requireExternalIdField(obj, c);
      const records = Array.isArray(payload?.records) ? (payload.records as Json[]) : [];
      // The same external id twice in one request fails both records, as in an org.
      const counts = new Map<string, number>();
      for (const r of records) {
        const found = Object.entries(r).find(
          ([k]) => k.toLowerCase() === extField.name.toLowerCase(),
        )?.[1];
        const v = typeof found === 'string' || typeof found === 'number' ? String(found) : '';
        const key = extField.caseSensitive ? v : v.toLowerCase();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const lockAll = org.faults.draw(true) === 'lock';
      return runCollection(
        org,
        payload?.records,
        allOrNone,
        (raw) => {
          const t = typeOf(raw);
          if (t !== obj)
            throw new SfError(
              'INVALID_TYPE',
              `Records must all be of type ${obj.name}, as in the URL.`,
            );
          return t;
        },
        (p) => {
          const v = p.values.get(extField);
          if (v === undefined || v === null || v === '') {
            return {
              success: false,
              created: false,
              errors: [
                {
                  statusCode: 'MISSING_ARGUMENT',
                  message: `${extField.name} not specified`,
                  fields: [],
                },
              ],
            };
          }
          const key = extField.caseSensitive ? String(v) : String(v).toLowerCase();
          if ((counts.get(key) ?? 0) > 1) {
            return {
              success: false,
              created: false,
              errors: [
                {
                  statusCode: 'DUPLICATE_EXTERNAL_ID',
                  message: `Duplicate external id specified: ${String(v)}`,
                  fields: [extField.name],
                },
              ],
            };
          }
          return upsertRecord(ctx, p, extField, v);
        },
        lockAll,
      );
    }
    if (b !== undefined && c === undefined && (method === 'POST' || method === 'GET')) {
      org.count('composite');
      const obj = requireObject(org.schema, b);
      const ids =
        method === 'POST' ? (payload?.ids ?? []) : (url.searchParams.get('ids') ?? '').split(',');
      const fieldNames =
        method === 'POST'
          ? (payload?.fields ?? [])
          : (url.searchParams.get('fields') ?? '').split(',');
      const fields = fieldNames
        .filter((n) => n !== '')
        .map((n) => {
          const f = obj.fields.get(n.toLowerCase());
          if (!f)
            throw new SfError(
              'INVALID_FIELD',
              `No such column '${n}' on sobject of type ${obj.name}`,
            );
          return f;
        });
      return {
        status: 200,
        body: ids.map((raw) => {
          const id = normalizeId(raw);
          const rec = id ? org.store.get(obj, id) : undefined;
          return rec ? toApiRecord(obj, rec, version, fields.length ? fields : undefined) : null;
        }),
      };
    }
  }
  throw notFound();
}

const MAX_SUBREQUESTS = 25;
const MAX_HEAVY_SUBREQUESTS = 5;

/** Replaces `@{referenceId.path}` with values from earlier subrequest results. */
function resolveReferences(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g,
      (_m, ref: string, path: string) => {
        let current: unknown = results.get(ref);
        for (const part of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
          const key = part.startsWith('.') ? part.slice(1) : Number(part.slice(1, -1));
          current =
            current && typeof current === 'object'
              ? (current as Record<string | number, unknown>)[key]
              : undefined;
        }
        if (
          typeof current !== 'string' &&
          typeof current !== 'number' &&
          typeof current !== 'boolean'
        ) {
          throw new SfError(
            'PROCESSING_HALTED',
            `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`,
          );
        }
        return String(current);
      },
    );
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]),
    );
  }
  return value;
}

/**
 * POST /composite: up to 25 subrequests in one call, later ones referring to earlier results with
 * `@{referenceId.field}`; with allOrNone the whole request is one transaction (REST API guide,
 * "Composite").
 */
function runComposite(org: Org, body: unknown): Reply {
  const payload = asObject(body) as { allOrNone?: boolean; compositeRequest?: unknown };
  const subs = payload.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0) {
    throw new SfError(
      'JSON_PARSER_ERROR',
      'compositeRequest must be a non-empty array of subrequests.',
    );
  }
  if (subs.length > MAX_SUBREQUESTS) {
    throw new SfError(
      'INVALID_BATCH_REQUEST',
      `A composite request can contain at most ${MAX_SUBREQUESTS} subrequests.`,
    );
  }
  // "Up to 5 of these subrequests can be sObject Collections or query operations" (REST API guide,
  // "Send Multiple Requests Using Composite"). The error code an org answers is not verified here.
  const heavy = subs.filter((raw) => {
    const url =
      typeof (raw as { url?: unknown })?.url === 'string' ? (raw as { url: string }).url : '';
    return /^\/services\/data\/v\d+\.\d\/(composite\/sobjects|query|queryAll)(\/|\?|$)/.test(url);
  }).length;
  if (heavy > MAX_HEAVY_SUBREQUESTS) {
    throw new SfError(
      'LIMIT_EXCEEDED',
      `A composite request can contain at most ${MAX_HEAVY_SUBREQUESTS} sObject Collections or query subrequests; this one has ${heavy}. Split it into several composite requests.`,
    );
  }
  const allOrNone = payload.allOrNone === true;
  const results = new Map<string, unknown>();
  const responses: {
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }[] = [];
  let failedAt = -1;
  org.transaction(() => {
    subs.forEach((raw, i) => {
      const sub = asObject(raw) as {
        method?: string;
        url?: string;
        referenceId?: string;
        body?: unknown;
      };
      const referenceId = sub.referenceId ?? `ref${i}`;
      if (allOrNone && failedAt >= 0) {
        responses.push({ body: null, httpHeaders: {}, httpStatusCode: 400, referenceId });
        return;
      }
      let reply: Reply;
      try {
        const url = new URL(String(resolveReferences(sub.url ?? '', results)), 'http://localhost');
        const m = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(url.pathname);
        if (!m)
          throw new SfError(
            'NOT_FOUND',
            `The subrequest URL ${sub.url ?? ''} is not a /services/data/vXX.X/ resource.`,
            [],
            404,
          );
        const segs = m[2]!
          .split('/')
          .filter((x) => x !== '')
          .map(decodeURIComponent);
        reply = handleRest(
          org,
          (sub.method ?? 'GET').toUpperCase(),
          segs,
          url,
          resolveReferences(sub.body, results),
          m[1]!,
        );
      } catch (e) {
        if (!(e instanceof SfError)) throw e;
        reply = { status: e.status, body: e.toBody() };
      }
      if (reply.status >= 400 && failedAt < 0) failedAt = i;
      if (reply.status < 400) results.set(referenceId, reply.body);
      const headers: Record<string, string> = {};
      const id = (reply.body as { id?: unknown } | undefined)?.id;
      if (reply.status === 201 && typeof id === 'string')
        headers.Location = `${sub.url ?? ''}/${id}`;
      responses.push({
        body: reply.body ?? null,
        httpHeaders: headers,
        httpStatusCode: reply.status,
        referenceId,
      });
    });
    return !(allOrNone && failedAt >= 0);
  });
  if (allOrNone && failedAt >= 0) {
    responses.forEach((r, i) => {
      if (i === failedAt) return;
      r.httpStatusCode = 400;
      r.httpHeaders = {};
      r.body = [
        {
          errorCode: 'PROCESSING_HALTED',
          message:
            'The transaction was rolled back since another operation in the same transaction failed.',
        },
      ];
    });
  }
  return { status: 200, body: { compositeResponse: responses } };
}

// ---- HTTP plumbing ------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SfError('JSON_PARSER_ERROR', 'The request body is not valid JSON.');
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json;charset=UTF-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function handle(org: Org, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = (req.method ?? 'GET').toUpperCase();

  // ---- local-only endpoints (they do not exist on a real org) ----
  if (path.startsWith('/local/')) {
    if (bearer(req) !== org.accessToken) {
      send(res, {
        status: 401,
        body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
      });
      return;
    }
    if (path === '/local/stream' && method === 'GET') {
      const channels = url.searchParams.getAll('channel');
      for (const ch of channels) {
        const event = /^\/event\/(\w+)$/.exec(ch);
        const known = event
          ? getObject(org.schema, event[1]!)?.isPlatformEvent === true
          : ch.startsWith('/data/');
        if (!known) {
          send(res, {
            status: 400,
            body: [
              {
                message: `Unknown channel ${ch}: subscribe to /event/<Platform_Event__e>, /data/<Object>ChangeEvent or /data/ChangeEvents.`,
                errorCode: 'INVALID_CHANNEL',
                fields: [],
              },
            ],
          });
          return;
        }
      }
      org.openStream(req, res, channels.length ? channels : ['/data/ChangeEvents']);
      return;
    }
    const body = method === 'GET' ? undefined : await readBody(req);
    if (path === '/local/contact-center' && method === 'GET') {
      send(res, {
        status: 200,
        body: {
          telephonyBaseUrl: `${org.instanceUrl}/telephony/v1`,
          callCenterApiName: org.telephonyCfg.callCenterApiName,
          orgId: org.orgId,
          privateKeyPem: org.privateKeyPem,
        },
      });
      return;
    }
    if (path === '/local/counters' && method === 'GET') {
      send(res, {
        status: 200,
        body: { ...org.counters, apiUsage: org.allocation.used(), apiMax: org.allocation.max },
      });
      return;
    }
    if (path === '/local/counters/reset' && method === 'POST') {
      for (const k of Object.keys(org.counters) as (keyof Counters)[]) org.counters[k] = 0;
      org.allocation.reset();
      send(res, { status: 200, body: { ...org.counters } });
      return;
    }
    if (path === '/local/presence' && method === 'POST') {
      const b = (body ?? {}) as { userId?: unknown; status?: unknown; away?: unknown };
      try {
        if (typeof b.userId !== 'string' || !(typeof b.status === 'string' || b.status === null)) {
          throw new SfError(
            'INVALID_INPUT',
            'Send {"userId": "005…", "status": "<ServicePresenceStatus Id or DeveloperName>" or null for offline, "away": false}.',
          );
        }
        const id = org.setPresence(b.userId, b.status, { away: b.away === true });
        send(res, { status: 200, body: { id } });
      } catch (e) {
        if (!(e instanceof SfError)) throw e;
        send(res, { status: e.status, body: e.toBody() });
      }
      return;
    }
    if (path === '/local/faults') {
      if (method === 'POST') org.faults.set(body ?? {});
      send(res, { status: 200, body: org.faults.get() });
      return;
    }
    send(res, { status: 404, body: notFound().toBody() });
    return;
  }

  // ---- Telephony Integration API ----
  if (path.startsWith('/telephony/v1/')) {
    try {
      verifyJwt(org.telephonyCfg, req.headers.authorization, Date.now());
      const body = await readBody(req);
      org.count('telephony');
      if (org.faults.latencyMs) await sleep(org.faults.latencyMs);
      const fault = org.faults.draw(true);
      if (fault === 'unavailable')
        throw new TelephonyError(
          503,
          'SERVICE_UNAVAILABLE',
          'The service is temporarily unavailable. Retry later.',
        );
      if (fault === 'limit')
        throw new TelephonyError(
          429,
          'RESOURCE_EXHAUSTED',
          'Too many requests. Retry after 30 seconds.',
        );
      const segs = path.slice('/telephony/v1/'.length).split('/');
      const ctx = org.dmlContext();
      if (segs[0] === 'voiceCalls' && segs.length === 1 && method === 'POST') {
        const r = org.unit(() => createVoiceCall(ctx, org.telephonyCfg, asTelephonyBody(body)));
        send(res, { status: 200, body: r });
        return;
      }
      if (segs[0] === 'voiceCalls' && segs.length === 2 && method === 'PATCH') {
        const r = org.unit(() =>
          updateVoiceCall(
            ctx,
            org.telephonyCfg,
            decodeURIComponent(segs[1]!),
            asTelephonyBody(body),
          ),
        );
        send(res, { status: 200, body: r });
        return;
      }
      throw new TelephonyError(
        404,
        'NOT_FOUND',
        `${method} ${path} is not part of the Telephony API subset served locally.`,
      );
    } catch (e) {
      if (e instanceof TelephonyError) send(res, { status: e.status, body: e.toBody() });
      else if (e instanceof SfError)
        send(res, {
          status: e.status,
          body: { errors: [{ code: e.errorCode, message: e.message }] },
        });
      else throw e;
    }
    return;
  }

  // ---- OAuth user info (what `sf org login access-token` and @salesforce/core ask after a login) ----
  if (path === '/services/oauth2/userinfo' && method === 'GET') {
    if (bearer(req) !== org.accessToken) {
      send(res, { status: 403, body: 'Bad_OAuth_Token' });
      return;
    }
    const user = org.store.get(requireObject(org.schema, 'User'), org.userId) as
      { Username?: string; Email?: string; Name?: string } | undefined;
    send(res, {
      status: 200,
      body: {
        sub: `${org.instanceUrl}/id/${org.orgId}/${org.userId}`,
        user_id: org.userId,
        organization_id: org.orgId,
        preferred_username: user?.Username ?? 'integration@aircall-sfv.local',
        email: user?.Email ?? 'integration@aircall-sfv.local',
        name: user?.Name ?? 'Aircall Integration',
        urls: { rest: `${org.instanceUrl}/services/data/v{version}/` },
      },
    });
    return;
  }

  // ---- Salesforce REST ----
  if (path === '/services/data' && method === 'GET') {
    send(res, {
      status: 200,
      body: VERSIONS.map((v) => ({
        label: v.label,
        url: `/services/data/v${v.version}`,
        version: v.version,
      })),
    });
    return;
  }
  const m = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(path);
  if (!m) {
    send(res, { status: 404, body: notFound().toBody() });
    return;
  }
  if (bearer(req) !== org.accessToken) {
    send(res, {
      status: 401,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    });
    return;
  }
  const headers = (): Record<string, string> => org.limitHeader();
  try {
    if (org.allocation.used() >= org.allocation.max) {
      throw new SfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', [], 403);
    }
    org.allocation.add();
    const version = m[1]!;
    if (!VERSIONS.some((v) => v.version === version)) throw notFound();
    const body = await readBody(req);
    if (org.faults.latencyMs) await sleep(org.faults.latencyMs);
    const fault = org.faults.draw(false);
    if (fault === 'unavailable') {
      throw new SfError(
        'SERVER_UNAVAILABLE',
        'Service temporarily unavailable. Retry later.',
        [],
        503,
      );
    }
    if (fault === 'limit')
      throw new SfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', [], 403);
    const segs = (m[2] ?? '')
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const options = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
    const batchSize = options ? Math.min(2000, Math.max(200, Number(options[1]))) : QUERY_BATCH;
    const reply = handleRest(org, method, segs, url, body, version, batchSize);
    send(res, { ...reply, headers: { ...headers(), ...reply.headers } });
  } catch (e) {
    if (e instanceof SfError) {
      send(res, { status: e.status, body: e.toBody(), headers: headers() });
      return;
    }
    throw e;
  }
}

function asTelephonyBody(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new TelephonyError(400, 'INVALID_INPUT', 'The request body must be a JSON object.');
  }
  return body as Json;
}

/** Starts the local org on loopback. */
export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<LocalOrg> {
  const org = new Org(opts);
  const accessToken = org.accessToken;
  // Salesforce Help 000386264: "the maximum combined length of the URI and headers is 16,384 bytes"
  // (431 beyond it). Node answers 431 past maxHeaderSize, request line included.
  const server: Server = createServer({ maxHeaderSize: 16_384 }, (req, res) => {
    handle(org, req, res).catch((e: unknown) => {
      const id = randomUUID();
      if (!res.headersSent) {
        send(res, {
          status: 500,
          body: [
            {
              message: `An unexpected error occurred (${id}): ${(e as Error).message}`,
              errorCode: 'UNKNOWN_EXCEPTION',
            },
          ],
        });
      } else {
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  org.instanceUrl = `http://127.0.0.1:${port}`;
  return {
    instanceUrl: org.instanceUrl,
    accessToken,
    apiVersion: LATEST,
    telephony: {
      baseUrl: `${org.instanceUrl}/telephony/v1`,
      callCenterApiName: org.telephonyCfg.callCenterApiName,
      orgId: org.orgId,
      privateKeyPem: org.privateKeyPem,
    },
    warnings: org.schema.warnings,
    counters: () => ({ ...org.counters }),
    resetCounters: () => {
      for (const k of Object.keys(org.counters) as (keyof Counters)[]) org.counters[k] = 0;
      org.allocation.reset();
    },
    setFaults: (f) => org.faults.set(f),
    setPresence: (userId, status, opts) => org.setPresence(userId, status, opts),
    eventUsage: () => org.eventAllocations.usage(),
    close: async () => {
      org.closeStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      org.store.close();
    },
  };
}
