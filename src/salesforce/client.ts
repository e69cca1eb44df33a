/**
 * Everything the connector asks of a Salesforce org, over jsforce's REST transport: queries,
 * one SOSL per batch, sObject Collections upserts (≤200 records per request — jsforce does not
 * split collections itself) and platform-event publishing. Every request is counted by category
 * and its `Sforce-Limit-Info` header feeds the API budget.
 */
import type { Connection } from 'jsforce';
import { ApiBudget } from './budget';
import { ErrorCode, httpErrorCode } from '../errors/catalogue';
import { SalesforceError, toSalesforceError } from './errors';
import { PackageNames } from './names';

export const DEFAULT_API_VERSION = '66.0';
/** The sObject Collections resources accept at most 200 records per request. */
export const COLLECTION_LIMIT = 200;
/**
 * The Composite resource accepts 25 subrequests, of which at most 5 may be sObject Collections or
 * queries ("Send Multiple Requests Using Composite", REST API Developer Guide): 1,000 records per
 * request.
 */
export const COMPOSITE_COLLECTIONS_LIMIT = 5;
/** Subrequests per Composite request, of every kind ("Send Multiple Requests Using Composite"). */
export const COMPOSITE_SUBREQUESTS_LIMIT = 25;

/**
 * What `writeAndRead` reads between two of its writes: `records` (by Id, with these fields), or
 * `soql` when they are more than the Composite request has room for.
 */
export interface CompositeCheck {
  before: number;
  records?: { sobject: string; ids: readonly string[]; fields: readonly string[] };
  soql: string;
}

export type CollectionWrite =
  | {
      kind: 'upsert';
      sobject: string;
      externalIdField: string;
      records: readonly Record<string, unknown>[];
      /**
       * Request headers of this write's subrequests only (a Composite subrequest's `httpHeaders`,
       * "Composite Request Body", REST API Developer Guide), e.g. `Sforce-Auto-Assign` for Cases.
       */
      headers?: Readonly<Record<string, string>>;
    }
  | {
      kind: 'create';
      records: readonly (Record<string, unknown> & { attributes: { type: string } })[];
    }
  | {
      /** Update by Id (`PATCH /composite/sobjects`): records the caller knows the id of. */
      kind: 'update';
      records: readonly (Record<string, unknown> & { attributes: { type: string }; Id: string })[];
    };

interface SubrequestError {
  errorCode: string;
  message: string;
  fields: string[];
}

/** A Composite subrequest's error answer, as an error. */
function subrequestError(
  answer: { body: unknown; httpStatusCode: number } | undefined,
): SalesforceError {
  const errors = Array.isArray(answer?.body) ? (answer.body as Partial<SubrequestError>[]) : [];
  return new SalesforceError(
    errors[0]?.message ?? 'The composite subrequest failed without a message.',
    errors[0]?.errorCode ?? httpErrorCode(answer?.httpStatusCode ?? 500),
    (answer?.httpStatusCode ?? 500) >= 500,
  );
}

export type RequestCategory = 'query' | 'search' | 'composite' | 'rest' | 'telephony';

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface RecordResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: RecordError[];
}

export interface SalesforceRecord {
  attributes?: { type: string; url?: string };
  Id?: string;
  [field: string]: unknown;
}

/** What the connector reads of an object's describe. */
export interface DescribedObject {
  name: string;
  fields: { name: string; type: string; length?: number }[];
}

export type RequestListener = (category: RequestCategory, ms: number, ok: boolean) => void;

export function chunk<T>(items: readonly T[], size = COLLECTION_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class SalesforceClient {
  readonly budget: ApiBudget;
  /**
   * The package's names in this org (namespace or none), learnt once at start (`detectPackage`)
   * or forced with --namespace. Every query, search and write below goes through it: callers use
   * the names of force-app and get records back in them.
   */
  names: PackageNames = PackageNames.NONE;
  /**
   * Type and length of the text fields of the objects the connector writes, in force-app's names,
   * from the describes read once at start (`detectPackage`): values are fitted to them
   * (src/connector/fit.ts). Empty until then (values then go as they are).
   */
  fieldShapes: Map<string, Map<string, { type: string; length: number }>> = new Map();
  private readonly listeners: RequestListener[] = [];

  constructor(
    readonly conn: Connection,
    readonly apiVersion = DEFAULT_API_VERSION,
    budget?: ApiBudget,
  ) {
    this.budget = budget ?? new ApiBudget();
  }

  /** Called after every request (metrics, benchmarks). */
  onRequest(listener: RequestListener): void {
    this.listeners.push(listener);
  }

  get instanceUrl(): string {
    return this.conn.instanceUrl;
  }

  private path(rest: string): string {
    return `/services/data/v${this.apiVersion}${rest}`;
  }

  private async request<T>(
    category: RequestCategory,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<T> {
    const started = performance.now();
    let ok = false;
    try {
      const result = await this.conn.request<T>(
        {
          method,
          url,
          body: body === undefined ? undefined : JSON.stringify(body),
          headers: { 'Content-Type': 'application/json' },
        },
        // jsforce retries GETs up to 5 times over ~15 s by itself; the worker has its own backoff
        // with jitter and keeps events durably, so one quick retry is enough here.
        { retry: { maxRetries: 1, minTimeout: 200 } },
      );
      ok = true;
      return result;
    } catch (error) {
      throw toSalesforceError(error);
    } finally {
      const ms = performance.now() - started;
      for (const listener of this.listeners) listener(category, ms, ok);
      const usage = this.conn.limitInfo?.apiUsage;
      if (usage) this.budget.observe(usage.used, usage.limit);
    }
  }

  /**
   * Runs a SOQL query written with the package's logical names and follows `nextRecordsUrl`
   * until every record is read; records come back with logical names too.
   */
  async query<T extends SalesforceRecord = SalesforceRecord>(soql: string): Promise<T[]> {
    return this.names.fromOrg(await this.rawQuery<T>(this.names.query(soql)));
  }

  /**
   * A SOQL query through the QueryAll resource: deleted records (in the recycle bin) come back too,
   * with `IsDeleted` true (REST API Developer Guide, "QueryAll").
   */
  async queryAll<T extends SalesforceRecord = SalesforceRecord>(soql: string): Promise<T[]> {
    return this.names.fromOrg(await this.rawQuery<T>(this.names.query(soql), 'queryAll'));
  }

  /** A query exactly as written, answered exactly as the org answers (the `query` command). */
  private async rawQuery<T extends SalesforceRecord = SalesforceRecord>(
    soql: string,
    resource: 'query' | 'queryAll' = 'query',
  ): Promise<T[]> {
    type Page = { records: T[]; done: boolean; nextRecordsUrl?: string; totalSize: number };
    let page = await this.request<Page>(
      'query',
      'GET',
      this.path(`/${resource}?q=${encodeURIComponent(soql)}`),
    );
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = await this.request<Page>('query', 'GET', page.nextRecordsUrl);
      records.push(...page.records);
    }
    return records;
  }

  /**
   * Several SOQL queries in as few requests as the Composite resource allows (up to 5 query
   * subrequests per composite request, counted as ONE API call — REST API Developer Guide,
   * "Composite"). Each query's records (every page) or its own error, in input order. The queries
   * at the indexes `options.all` go to the QueryAll resource (deleted records too).
   */
  async queryMany(
    soqls: readonly string[],
    options: { all?: readonly number[] } = {},
  ): Promise<(SalesforceRecord[] | SalesforceError)[]> {
    let at = 0;
    const out: (SalesforceRecord[] | SalesforceError)[] = [];
    for (const group of chunk(soqls, COMPOSITE_COLLECTIONS_LIMIT)) {
      const response = await this.request<{
        compositeResponse: { body: unknown; httpStatusCode: number }[];
      }>('composite', 'POST', this.path('/composite'), {
        allOrNone: false,
        compositeRequest: group.map((soql, i) => {
          const resource = options.all?.includes(at + i) ? 'queryAll' : 'query';
          return {
            method: 'GET',
            url: this.path(`/${resource}?q=${encodeURIComponent(this.names.query(soql))}`),
            referenceId: `q${i}`,
          };
        }),
      });
      for (let i = 0; i < group.length; i++)
        out.push(await this.queryAnswer(response.compositeResponse[i]));
      at += group.length;
    }
    return out;
  }

  /** A query subrequest's answer: its records (the next pages read) or its error. */
  private async queryAnswer(
    answer: { body: unknown; httpStatusCode: number } | undefined,
  ): Promise<SalesforceRecord[] | SalesforceError> {
    type Page = {
      records: SalesforceRecord[];
      done: boolean;
      nextRecordsUrl?: string;
    };
    if (answer && answer.httpStatusCode < 300) {
      let page = answer.body as Page;
      const records = [...page.records];
      while (!page.done && page.nextRecordsUrl) {
        page = await this.request<Page>('query', 'GET', page.nextRecordsUrl);
        records.push(...page.records);
      }
      return this.names.fromOrg(records);
    }
    return subrequestError(answer);
  }

  /** Raw query response, for the `query` command (`{totalSize, done, records}`). */
  async queryPage(
    soql: string,
  ): Promise<{ totalSize: number; done: boolean; records: SalesforceRecord[] }> {
    const records = await this.rawQuery(soql);
    return { totalSize: records.length, done: true, records };
  }

  async search(sosl: string): Promise<SalesforceRecord[]> {
    const result = await this.request<{ searchRecords?: SalesforceRecord[] } | SalesforceRecord[]>(
      'search',
      'GET',
      this.path(`/search?q=${encodeURIComponent(this.names.query(sosl))}`),
    );
    // Very old API versions answered a bare array; current ones wrap it in searchRecords.
    return this.names.fromOrg(Array.isArray(result) ? result : (result.searchRecords ?? []));
  }

  /**
   * Several sObject Collections writes in as few requests as the Composite resource allows: up to
   * 5 collection subrequests of up to 200 records each per request, run in order (so a Lead upserted by one
   * subrequest can be referenced by external id in the next). Salesforce counts a whole composite
   * request as ONE call toward the org's API allocation ("Send Multiple Requests Using Composite",
   * REST API Developer Guide) — this is what keeps the connector near 0.02 requests per call.
   * Results come back per record, in input order; a subrequest refused as a whole (e.g.
   * INVALID_FIELD) gives every record in it that error.
   */
  async writeCollections(writes: readonly CollectionWrite[]): Promise<RecordResult[][]> {
    return (await this.compose(writes, [])).results;
  }

  /**
   * `writeCollections`, with SOQL queries riding in the last Composite request when they fit its
   * free subrequest slots (queries count toward the 5 like collections): reads that cost no request
   * of their own. `reads` is null when they were not sent (no write to ride on, or no room), else
   * each query's records (every page) or its own error, in input order.
   *
   * `check` reads what must be read between two writes: it is sent just before the first
   * subrequest of `writes[check.before]` (after the last write when `before` is `writes.length`),
   * in the order of the writes, and answered in `checked` (null without a check): the records
   * found, or the first error. Records known by Id are read one subrequest each (sObject Rows,
   * which do not count toward the Composite's 5 collections or queries, so the check takes no room
   * from them), as long as the Composite's 25 subrequests allow; a query otherwise.
   */
  async writeAndRead(
    writes: readonly CollectionWrite[],
    queries: readonly string[],
    check?: CompositeCheck,
  ): Promise<{
    results: RecordResult[][];
    reads: (SalesforceRecord[] | SalesforceError)[] | null;
    checked: SalesforceRecord[] | SalesforceError | null;
  }> {
    return this.compose(writes, queries, check);
  }

  private async compose(
    writes: readonly CollectionWrite[],
    queries: readonly string[],
    check?: CompositeCheck,
  ): Promise<{
    results: RecordResult[][];
    reads: (SalesforceRecord[] | SalesforceError)[] | null;
    checked: SalesforceRecord[] | SalesforceError | null;
  }> {
    const names = this.names;
    type Sub =
      | {
          write: number;
          url: string;
          method: 'PATCH' | 'POST';
          records: Record<string, unknown>[];
          headers?: Readonly<Record<string, string>>;
        }
      | { write: null; url: string; method: 'GET'; heavy: boolean };
    const heavy = (sub: Sub) => sub.write !== null || sub.heavy;
    const subs: Sub[] = [];
    const checkSubs = (): Sub[] => {
      if (!check) return [];
      const byRecord = check.records;
      const byId =
        byRecord?.ids.map((id): Sub => ({
          write: null,
          heavy: false,
          method: 'GET',
          url: this.path(
            `/sobjects/${names.object(byRecord.sobject)}/${encodeURIComponent(id)}?fields=${byRecord.fields.map((f) => names.field(byRecord.sobject, f)).join(',')}`,
          ),
        })) ?? [];
      // Up to 20 fit in the Composite request of the write they precede, beside its 5 collections
      // (or in a request of their own, which the next writes join): never one request more.
      const room = COMPOSITE_SUBREQUESTS_LIMIT - COMPOSITE_COLLECTIONS_LIMIT;
      if (byRecord && byId.length <= room) return byId;
      return [
        {
          write: null,
          heavy: true,
          method: 'GET',
          url: this.path(`/query?q=${encodeURIComponent(names.query(check.soql))}`),
        },
      ];
    };
    writes.forEach((w, index) => {
      if (check?.before === index) subs.push(...checkSubs());
      for (const part of chunk(w.records)) {
        subs.push(
          w.kind === 'upsert'
            ? {
                write: index,
                method: 'PATCH',
                url: this.path(
                  `/composite/sobjects/${names.object(w.sobject)}/${names.field(w.sobject, w.externalIdField)}`,
                ),
                records: part.map((r) =>
                  names.record(w.sobject, { attributes: { type: w.sobject }, ...r }),
                ),
                ...(w.headers ? { headers: w.headers } : {}),
              }
            : {
                write: index,
                method: w.kind === 'update' ? 'PATCH' : 'POST',
                url: this.path('/composite/sobjects'),
                records: part.map((r) =>
                  names.typedRecord(
                    r as Record<string, unknown> & { attributes: { type: string } },
                  ),
                ),
              },
        );
      }
    });
    if (check && check.before >= writes.length) subs.push(...checkSubs());
    const results: RecordResult[][] = writes.map(() => []);
    // Composite requests of at most 5 collections or queries and 25 subrequests, in order.
    const groups: Sub[][] = [];
    for (const sub of subs) {
      const group = groups[groups.length - 1];
      if (
        group &&
        group.length < COMPOSITE_SUBREQUESTS_LIMIT &&
        (!heavy(sub) || group.filter(heavy).length < COMPOSITE_COLLECTIONS_LIMIT)
      )
        group.push(sub);
      else groups.push([sub]);
    }
    const last = groups.length - 1;
    const ride =
      queries.length > 0 &&
      last >= 0 &&
      groups[last]!.filter(heavy).length + queries.length <= COMPOSITE_COLLECTIONS_LIMIT &&
      groups[last]!.length + queries.length <= COMPOSITE_SUBREQUESTS_LIMIT;
    let reads: (SalesforceRecord[] | SalesforceError)[] | null = null;
    const found: SalesforceRecord[] = [];
    let checkError: SalesforceError | null = null;
    for (const [g, group] of groups.entries()) {
      const withReads = ride && g === last;
      const response = await this.request<{
        compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[];
      }>('composite', 'POST', this.path('/composite'), {
        allOrNone: false,
        // Run in the order sent: a record upserted by one subrequest is referenced by external id
        // in the next, and a check reads between two writes. Subrequests not collated are executed
        // "in the order in which they are received" ("Composite Request Body", REST API Developer
        // Guide; collation is the default from API version 49.0).
        collateSubrequests: false,
        compositeRequest: [
          ...group.map((sub, i) =>
            sub.write === null
              ? { method: sub.method, url: sub.url, referenceId: `c${i}` }
              : {
                  method: sub.method,
                  url: sub.url,
                  referenceId: `w${i}`,
                  body: { allOrNone: false, records: sub.records },
                  ...(sub.headers ? { httpHeaders: sub.headers } : {}),
                },
          ),
          ...(withReads
            ? queries.map((soql, i) => ({
                method: 'GET',
                url: this.path(`/query?q=${encodeURIComponent(this.names.query(soql))}`),
                referenceId: `r${i}`,
              }))
            : []),
        ],
      });
      // Each answer is found by the referenceId its subrequest was sent with, not by its position.
      const answers = new Map(response.compositeResponse.map((a) => [a.referenceId, a]));
      if (withReads) {
        reads = [];
        for (let i = 0; i < queries.length; i++)
          reads.push(await this.queryAnswer(answers.get(`r${i}`)));
      }
      for (const [i, sub] of group.entries()) {
        if (sub.write !== null) continue;
        const answer = answers.get(`c${i}`);
        if (sub.heavy) {
          const rows = await this.queryAnswer(answer);
          if (rows instanceof SalesforceError) checkError ??= rows;
          else found.push(...rows);
        } else if (answer && answer.httpStatusCode < 300) {
          found.push(...this.names.fromOrg([answer.body as SalesforceRecord]));
        } else if (answer?.httpStatusCode !== 404) {
          // A record deleted since is not there to check (NOT_FOUND); anything else is an error.
          checkError ??= subrequestError(answer);
        }
      }
      group.forEach((sub, i) => {
        if (sub.write === null) return;
        const answer = answers.get(`w${i}`);
        const out = results[sub.write]!;
        if (answer && answer.httpStatusCode < 300 && Array.isArray(answer.body)) {
          out.push(...(answer.body as RecordResult[]));
          return;
        }
        const errors = Array.isArray(answer?.body)
          ? (answer.body as Partial<SubrequestError>[])
          : [];
        const error: RecordError = {
          statusCode: errors[0]?.errorCode ?? httpErrorCode(answer?.httpStatusCode ?? 500),
          message: errors[0]?.message ?? 'The composite subrequest failed without a message.',
          fields: errors[0]?.fields ?? [],
        };
        for (let k = 0; k < sub.records.length; k++) out.push({ success: false, errors: [error] });
      });
    }
    const checked = check ? (checkError ?? found) : null;
    return { results, reads, checked };
  }

  /**
   * Upserts by external id through sObject Collections, one request per 200 records, allOrNone
   * false so one bad record does not fail the other 199. Results are in input order.
   */
  async upsert(
    sobject: string,
    externalIdField: string,
    records: readonly Record<string, unknown>[],
  ): Promise<RecordResult[]> {
    const results: RecordResult[] = [];
    for (const part of chunk(records)) {
      const body = {
        allOrNone: false,
        records: part.map((r) =>
          this.names.record(sobject, { attributes: { type: sobject }, ...r }),
        ),
      };
      const res = await this.request<RecordResult[]>(
        'composite',
        'PATCH',
        this.path(
          `/composite/sobjects/${this.names.object(sobject)}/${this.names.field(sobject, externalIdField)}`,
        ),
        body,
      );
      results.push(...res);
    }
    return results;
  }

  /** Creates records (any mix of types, e.g. platform events) through sObject Collections. */
  async create(
    records: readonly (Record<string, unknown> & { attributes: { type: string } })[],
  ): Promise<RecordResult[]> {
    const results: RecordResult[] = [];
    for (const part of chunk(records)) {
      const res = await this.request<RecordResult[]>(
        'composite',
        'POST',
        this.path('/composite/sobjects'),
        {
          allOrNone: false,
          records: part.map((r) => this.names.typedRecord(r)),
        },
      );
      results.push(...res);
    }
    return results;
  }

  async update(
    records: readonly (Record<string, unknown> & { attributes: { type: string }; Id: string })[],
  ): Promise<RecordResult[]> {
    const results: RecordResult[] = [];
    for (const part of chunk(records)) {
      const res = await this.request<RecordResult[]>(
        'composite',
        'PATCH',
        this.path('/composite/sobjects'),
        {
          allOrNone: false,
          records: part.map((r) => this.names.typedRecord(r)),
        },
      );
      results.push(...res);
    }
    return results;
  }

  async limits(): Promise<OrgLimits> {
    const limits = await this.request<OrgLimits>('rest', 'GET', this.path('/limits'));
    const daily = limits.DailyApiRequests;
    if (daily) this.budget.observe(daily.Max - daily.Remaining, daily.Max);
    return limits;
  }

  async describe(
    sobject: string,
  ): Promise<{ name: string; fields: { name: string; type: string }[] }> {
    return this.request(
      'rest',
      'GET',
      this.path(`/sobjects/${this.names.object(sobject)}/describe`),
    );
  }

  /**
   * Describes of several objects (names as the org spells them) in ONE Composite request — the
   * Composite resource accepts every sObject resource, describe included ("Send Multiple Requests
   * Using Composite", REST API Developer Guide) — so one API call; null for an object the org
   * does not have (or the user cannot see).
   */
  async describeAll(sobjects: readonly string[]): Promise<Map<string, DescribedObject | null>> {
    const out = new Map<string, DescribedObject | null>();
    for (const group of chunk(sobjects, 25)) {
      const response = await this.request<{
        compositeResponse: { body: unknown; httpStatusCode: number }[];
      }>('composite', 'POST', this.path('/composite'), {
        allOrNone: false,
        compositeRequest: group.map((sobject, i) => ({
          method: 'GET',
          url: this.path(`/sobjects/${sobject}/describe`),
          referenceId: `d${i}`,
        })),
      });
      group.forEach((sobject, i) => {
        const answer = response.compositeResponse[i];
        out.set(
          sobject,
          answer && answer.httpStatusCode < 300 ? (answer.body as DescribedObject) : null,
        );
      });
    }
    return out;
  }

  async get<T>(path: string): Promise<T> {
    return this.request<T>('rest', 'GET', path.startsWith('/services/') ? path : this.path(path));
  }
}

/** The `/limits` entries the connector reads (REST API Developer Guide, "Limits"). */
export type OrgLimits = Partial<
  Record<
    | 'DailyApiRequests'
    | 'HourlyPublishedPlatformEvents'
    | 'DailyDeliveredPlatformEvents'
    | 'DurableStreamingApiConcurrentClients',
    { Max: number; Remaining: number }
  >
>;

export function firstError(result: RecordResult): SalesforceError {
  const e = result.errors[0];
  return new SalesforceError(
    e
      ? `${e.statusCode}: ${e.message}${e.fields.length ? ` (fields: ${e.fields.join(', ')})` : ''}`
      : 'Unknown error',
    e?.statusCode ?? ErrorCode.UNKNOWN,
    e
      ? (
          [
            ErrorCode.UNABLE_TO_LOCK_ROW,
            ErrorCode.REQUEST_LIMIT_EXCEEDED,
            ErrorCode.SERVER_UNAVAILABLE,
            ErrorCode.UNKNOWN_EXCEPTION,
          ] as string[]
        ).includes(e.statusCode)
      : false,
    e?.fields ?? [],
  );
}
