/**
 * Bulk API 2.0 ingest and query jobs (Bulk API 2.0 and Bulk API Developer Guide), without HTTP:
 * the server's bulk routes call these methods.
 *
 * Ingest: create (Open) → upload one CSV → PATCH UploadComplete → the org processes it in batches
 * of 10,000 records (InProgress) → JobComplete, or Failed when the CSV cannot be read (bad header,
 * unknown field) / Aborted when the client aborts; per-record results as CSV (successfulResults,
 * failedResults, unprocessedrecords). Query: create (UploadComplete) → InProgress → JobComplete;
 * results as CSV pages chained by the `Sforce-Locator` header (`null` on the last page).
 *
 * Processing runs in the background (one batch per event-loop turn, each batch one transaction,
 * every record on its own as in the API: a failed record does not roll back the others).
 * Jobs live in memory only: a file-backed org keeps its records across restarts, not its jobs.
 */
import { parseSoql, runQuery, type QueryContext } from './soql';
import {
  deleteRecord,
  getObject,
  insertRecord,
  parseRecord,
  requireExternalIdField,
  sfDateTime,
  updateRecord,
  upsertRecord,
  type DmlContext,
  type SaveResult,
} from './dml';
import { SfError, type SaveError } from './errors';
import { makeId, normalizeId } from './ids';
import type { FieldDef, ObjectDef, Schema } from './schema';
import type { Store, Value } from './store';
import {
  COLUMN_DELIMITERS,
  CsvError,
  LINE_ENDINGS,
  parseCsv,
  toCsv,
  type ColumnDelimiter,
  type LineEnding,
} from './csv';

// ---- Documented limits ("Bulk API and Bulk API 2.0 Limits and Allocations", Limits Quick Reference;
// "Upload Job Data"; "Understanding Bulk API 2.0 Ingest") ---------------------------------------

/** "A request can provide CSV data that does not in total exceed 150 MB of base64 encoded content." */
export const MAX_UPLOAD_BASE64_BYTES = 150 * 1024 * 1024;
/** "Salesforce creates a separate batch for every 10,000 records in your job data." */
export const RECORDS_PER_BATCH = 10_000;
/** Batches per rolling 24 hours, shared by Bulk API and Bulk API 2.0 ingest jobs. */
export const DAILY_BATCHES = 15_000;
/** Records uploaded per rolling 24 hours. */
export const DAILY_INGEST_RECORDS = 150_000_000;
/** Query jobs per rolling 24 hours (`DailyBulkV2QueryJobs` in /limits). */
export const DAILY_QUERY_JOBS = 10_000;
/** Query results generated per rolling 24 hours: 1 TB (`DailyBulkV2QueryFileStorageMB`). */
export const DAILY_QUERY_STORAGE_MB = 976_562;
export const MAX_FIELD_CHARS = 32_000;
export const MAX_FIELDS_PER_RECORD = 5_000;
export const MAX_RECORD_CHARS = 400_000;
/**
 * Rows per results page when the client gives no `maxRecords`. A real org sizes pages by bytes
 * (not documented); this is the local org's choice.
 */
export const DEFAULT_QUERY_PAGE = 50_000;

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type QueryOperation = 'query' | 'queryAll';
export type JobState =
  'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

const INGEST_OPERATIONS: readonly IngestOperation[] = [
  'insert',
  'update',
  'upsert',
  'delete',
  'hardDelete',
];

/** A Bulk API 2.0 error: the body is `[{"errorCode","message"}]` (no `fields`, unlike REST). */
export class BulkError extends SfError {
  override toBody(): { message: string; errorCode: string }[] {
    return [{ errorCode: this.errorCode, message: this.message }];
  }
}

const invalidJob = (message: string): BulkError => new BulkError('INVALIDJOB', message, [], 400);
const jobNotFound = (): BulkError =>
  new BulkError('NOT_FOUND', 'The requested resource does not exist', [], 404);
const badState = (message: string): BulkError => new BulkError('INVALIDJOBSTATE', message, [], 409);

/** Rolling 24-hour count in one-minute buckets. */
class Rolling {
  private readonly buckets = new Map<number, number>();
  private total = 0;
  constructor(readonly max: number) {}
  used(now = Date.now()): number {
    const oldest = Math.floor(now / 60_000) - 24 * 60;
    for (const [minute, n] of this.buckets) {
      if (minute > oldest) break;
      this.buckets.delete(minute);
      this.total -= n;
    }
    return this.total;
  }
  add(n = 1, now = Date.now()): void {
    const minute = Math.floor(now / 60_000);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + n);
    this.total += n;
  }
  reset(): void {
    this.buckets.clear();
    this.total = 0;
  }
}

export interface BulkContext {
  schema: Schema;
  store: Store;
  userId: () => string;
  now: () => Date;
  dml: () => DmlContext;
  /** Runs one batch as a transaction (commit, change events, search index). */
  unit: <T>(fn: () => T) => T;
}

interface JobBase {
  id: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: string;
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
  numberRecordsProcessed: number;
}

interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  obj: ObjectDef;
  externalIdField?: FieldDef;
  assignmentRuleId?: string;
  numberRecordsFailed: number;
  apiActiveProcessingTime: number;
  uploaded: boolean;
  /** The uploaded CSV until processing reads it. */
  csv: string;
  header: string[];
  rows: string[][];
  next: number;
  successful: string[][];
  failed: string[][];
}

interface QueryJob extends JobBase {
  kind: 'query';
  operation: QueryOperation;
  query: string;
  columns: string[];
  rows: string[][];
}

/**
 * The job info both kinds share, in the order Salesforce lists its fields; `afterState` and
 * `beforeFormat` are the ingest job's own fields at their places.
 */
function jobInfo(
  job: IngestJob | QueryJob,
  afterState: Record<string, unknown> = {},
  beforeFormat: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...afterState,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    ...beforeFormat,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

export interface ResultsPage {
  csv: string;
  locator: string;
  numberOfRecords: number;
}

function parseEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
  fallback: T,
): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw invalidJob(`${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`);
}

/** Error text of a failed record: `CODE:message:Field1,Field2 --` as in failedResults files. */
function errorText(e: SaveError): string {
  return `${e.statusCode}:${e.message}:${e.fields.join(',')} --`;
}

export class BulkJobs {
  private readonly jobs = new Map<string, IngestJob | QueryJob>();
  private seq = 0;
  private readonly queue: IngestJob[] = [];
  private readonly queryQueue: QueryJob[] = [];
  private scheduled = false;
  private readonly waiters = new Map<string, (() => void)[]>();
  readonly batches = new Rolling(DAILY_BATCHES);
  readonly ingestRecords = new Rolling(DAILY_INGEST_RECORDS);
  readonly queryJobs = new Rolling(DAILY_QUERY_JOBS);
  closed = false;

  constructor(private readonly ctx: BulkContext) {}

  private nextJobId(): string {
    // 750 is the key prefix of bulk jobs (AsyncApexJob/BulkJob ids in an org).
    return makeId('750', ++this.seq);
  }

  private stamp(): string {
    return sfDateTime(this.ctx.now());
  }

  // ---- ingest -----------------------------------------------------------------------------

  createIngestJob(body: unknown, apiVersion: string): Record<string, unknown> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw invalidJob(
        'The request body must be a JSON object with at least object and operation.',
      );
    }
    const b = body as Record<string, unknown>;
    if (typeof b.object !== 'string' || b.object === '')
      throw invalidJob('object is required: the API name of the sObject to load, e.g. "Contact".');
    if (b.operation === undefined)
      throw invalidJob(`operation is required: one of ${INGEST_OPERATIONS.join(', ')}.`);
    const operation = parseEnum(b.operation, INGEST_OPERATIONS, 'operation', 'insert');
    const obj = getObject(this.ctx.schema, b.object);
    if (!obj || obj.isPlatformEvent) throw invalidJob(`Unable to find object: ${b.object}`);
    parseEnum(b.contentType, ['CSV'] as const, 'contentType', 'CSV');
    const columnDelimiter = parseEnum(
      b.columnDelimiter,
      Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[],
      'columnDelimiter',
      'COMMA',
    );
    const lineEnding = parseEnum(
      b.lineEnding,
      Object.keys(LINE_ENDINGS) as LineEnding[],
      'lineEnding',
      'LF',
    );
    let externalIdField: FieldDef | undefined;
    if (operation === 'upsert') {
      if (typeof b.externalIdFieldName !== 'string' || b.externalIdFieldName === '')
        throw invalidJob('externalIdFieldName is required for an upsert job.');
      try {
        externalIdField = requireExternalIdField(obj, b.externalIdFieldName);
      } catch {
        throw invalidJob(
          `${b.externalIdFieldName} is not an External ID or Id field of ${obj.name}.`,
        );
      }
    }
    const now = this.stamp();
    const job: IngestJob = {
      kind: 'ingest',
      id: this.nextJobId(),
      operation,
      object: obj.name,
      obj,
      externalIdField,
      assignmentRuleId: typeof b.assignmentRuleId === 'string' ? b.assignmentRuleId : undefined,
      createdById: this.ctx.userId(),
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      apiVersion,
      columnDelimiter,
      lineEnding,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      uploaded: false,
      csv: '',
      header: [],
      rows: [],
      next: 0,
      successful: [],
      failed: [],
    };
    this.jobs.set(job.id, job);
    return this.ingestInfo(job, false);
  }

  private ingestJob(id: string): IngestJob {
    return this.jobOfKind(id, 'ingest');
  }

  /** The job with this id (15 or 18 characters) if it is of this kind, else NOT_FOUND. */
  private jobOfKind<K extends (IngestJob | QueryJob)['kind']>(
    id: string,
    kind: K,
  ): Extract<IngestJob | QueryJob, { kind: K }> {
    const job = this.jobs.get(normalizeId(id) ?? id);
    if (!job || job.kind !== kind) throw jobNotFound();
    return job as Extract<IngestJob | QueryJob, { kind: K }>;
  }

  ingestInfo(job: IngestJob, full = true): Record<string, unknown> {
    const info = jobInfo(
      job,
      {
        ...(job.externalIdField ? { externalIdFieldName: job.externalIdField.name } : {}),
        ...(job.assignmentRuleId ? { assignmentRuleId: job.assignmentRuleId } : {}),
      },
      job.state === 'Open'
        ? { contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches` }
        : {},
    );
    if (!full) return info;
    return {
      ...info,
      jobType: 'V2Ingest',
      numberRecordsProcessed: job.numberRecordsProcessed,
      numberRecordsFailed: job.numberRecordsFailed,
      retries: job.retries,
      totalProcessingTime: job.totalProcessingTime,
      apiActiveProcessingTime: job.apiActiveProcessingTime,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  getIngestJob(id: string): Record<string, unknown> {
    return this.ingestInfo(this.ingestJob(id));
  }

  /** PUT …/batches: the job's one CSV upload (201, no body). */
  upload(id: string, csv: string): void {
    const job = this.ingestJob(id);
    if (job.state !== 'Open') {
      throw badState(`Job ${job.id} is ${job.state}: data can be uploaded only while it is Open.`);
    }
    if (job.uploaded) {
      throw badState(
        `Job ${job.id} already has its data: a Bulk API 2.0 job takes one CSV upload. Create another job for more data.`,
      );
    }
    const base64 = Math.ceil(Buffer.byteLength(csv, 'utf8') / 3) * 4;
    if (base64 > MAX_UPLOAD_BASE64_BYTES) {
      throw new BulkError(
        'INVALIDJOB',
        `The upload is ${base64} bytes once base64-encoded; the limit is 150 MB (upload at most about 100 MB of CSV per job).`,
        [],
        400,
      );
    }
    job.uploaded = true;
    job.systemModstamp = this.stamp();
    // Parsed at processing time, where a bad file fails the job as in an org.
    job.csv = csv;
  }

  /** PATCH {state}: UploadComplete (from Open) or Aborted (from any non-final state). */
  patchIngest(id: string, body: unknown): Record<string, unknown> {
    const job = this.ingestJob(id);
    const state = (body as { state?: unknown } | undefined)?.state;
    if (state === 'UploadComplete') {
      if (job.state !== 'Open')
        throw badState(
          `Job ${job.id} is ${job.state}; only an Open job can be set to UploadComplete.`,
        );
      job.state = 'UploadComplete';
      job.systemModstamp = this.stamp();
      this.queue.push(job);
      this.schedule();
      return this.ingestInfo(job, false);
    }
    if (state === 'Aborted') {
      this.abort(job);
      return this.ingestInfo(job, false);
    }
    throw invalidJob(
      `Send {"state":"UploadComplete"} to start processing or {"state":"Aborted"} to cancel; got ${JSON.stringify(state)}.`,
    );
  }

  private abort(job: IngestJob | QueryJob): void {
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
      throw badState(`Job ${job.id} is ${job.state} and can no longer be aborted.`);
    }
    job.state = 'Aborted';
    job.systemModstamp = this.stamp();
    this.settle(job);
  }

  deleteJob(kind: 'ingest' | 'query', id: string): void {
    const job = kind === 'ingest' ? this.ingestJob(id) : this.queryJob(id);
    // "Delete a Job": the job must be UploadComplete, JobComplete, Aborted or Failed.
    if (job.state === 'Open' || job.state === 'InProgress') {
      throw badState(
        `Job ${job.id} is ${job.state}; abort it or wait for it to finish before deleting it.`,
      );
    }
    this.jobs.delete(job.id);
  }

  listJobs(kind: 'ingest' | 'query'): Record<string, unknown> {
    const records = [...this.jobs.values()]
      .filter((j) => j.kind === kind)
      .map((j) => {
        const info = j.kind === 'ingest' ? this.ingestInfo(j, false) : this.queryInfo(j, false);
        return { ...info, jobType: kind === 'ingest' ? 'V2Ingest' : 'V2Query' };
      });
    return { done: true, records, nextRecordsUrl: null };
  }

  private resultsReady(job: IngestJob): void {
    if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
      throw badState(
        `Job ${job.id} is ${job.state}: results are available once it is JobComplete, Failed or Aborted.`,
      );
    }
  }

  successfulResults(id: string): string {
    const job = this.ingestJob(id);
    this.resultsReady(job);
    return toCsv([['sf__Id', 'sf__Created', ...job.header], ...job.successful]);
  }

  failedResults(id: string): string {
    const job = this.ingestJob(id);
    this.resultsReady(job);
    return toCsv([['sf__Id', 'sf__Error', ...job.header], ...job.failed]);
  }

  unprocessedRecords(id: string): string {
    const job = this.ingestJob(id);
    this.resultsReady(job);
    const rest = job.state === 'JobComplete' ? [] : job.rows.slice(job.next);
    return toCsv([job.header, ...rest]);
  }

  // ---- query ------------------------------------------------------------------------------

  createQueryJob(body: unknown, apiVersion: string): Record<string, unknown> {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw invalidJob('The request body must be a JSON object with operation and query.');
    const b = body as Record<string, unknown>;
    if (b.operation === undefined) throw invalidJob('operation is required: query or queryAll.');
    const operation = parseEnum(b.operation, ['query', 'queryAll'] as const, 'operation', 'query');
    if (typeof b.query !== 'string' || b.query.trim() === '')
      throw invalidJob('query is required: a SOQL SELECT statement.');
    parseEnum(b.contentType, ['CSV'] as const, 'contentType', 'CSV');
    const columnDelimiter = parseEnum(
      b.columnDelimiter,
      Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[],
      'columnDelimiter',
      'COMMA',
    );
    const lineEnding = parseEnum(
      b.lineEnding,
      Object.keys(LINE_ENDINGS) as LineEnding[],
      'lineEnding',
      'LF',
    );
    if (this.queryJobs.used() >= DAILY_QUERY_JOBS) {
      throw new BulkError(
        'LIMIT_EXCEEDED',
        `The org has created ${DAILY_QUERY_JOBS} Bulk API 2.0 query jobs in the last 24 hours (DailyBulkV2QueryJobs); try again later.`,
        [],
        400,
      );
    }
    const parsed = parseSoql(b.query);
    // "Create a Query Job": no GROUP BY, OFFSET, TYPEOF, aggregate functions, FIELDS() or
    // parent-to-child subqueries.
    const refuse = (what: string): never => {
      throw new BulkError(
        'API_ERROR',
        `Bulk API 2.0 queries do not support ${what}; run this query with the REST API (sf data query without --bulk).`,
        [],
        400,
      );
    };
    if (parsed.groupBy) refuse('GROUP BY');
    if (parsed.offset !== undefined) refuse('OFFSET');
    const columns: string[] = [];
    for (const f of parsed.fields ?? []) {
      if (f.type === 'Field') columns.push(f.field);
      else if (f.type === 'FieldRelationship')
        columns.push(f.rawValue ?? [...f.relationships, f.field].join('.'));
      else if (f.type === 'FieldSubquery') refuse('parent-to-child relationship subqueries');
      else if (f.type === 'FieldTypeof') refuse('TYPEOF');
      else if (f.functionName.toUpperCase() === 'FIELDS') refuse('FIELDS()');
      else if (f.isAggregateFn) refuse(`aggregate functions such as ${f.functionName}()`);
      else refuse(`the function ${f.functionName}()`);
    }
    const obj = getObject(this.ctx.schema, parsed.sObject ?? '');
    // Field and object errors answer at creation, as in an org (runQuery raises them).
    const qctx: QueryContext = {
      schema: this.ctx.schema,
      store: this.ctx.store,
      apiVersion,
      now: this.ctx.now,
    };
    const result = runQuery(qctx, parsed);
    this.queryJobs.add();
    const now = this.stamp();
    const job: QueryJob = {
      kind: 'query',
      id: this.nextJobId(),
      operation,
      object: obj?.name ?? parsed.sObject ?? '',
      query: b.query,
      createdById: this.ctx.userId(),
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      apiVersion,
      columnDelimiter,
      lineEnding,
      retries: 0,
      totalProcessingTime: 0,
      numberRecordsProcessed: 0,
      columns,
      rows: result.records.map((r) => columns.map((c) => csvValue(pathValue(r, c)))),
    };
    this.jobs.set(job.id, job);
    this.queryQueue.push(job);
    this.schedule();
    return this.queryInfo(job, false);
  }

  private queryJob(id: string): QueryJob {
    return this.jobOfKind(id, 'query');
  }

  queryInfo(job: QueryJob, full = true): Record<string, unknown> {
    const info = jobInfo(job);
    if (!full) return info;
    return {
      ...info,
      jobType: 'V2Query',
      numberRecordsProcessed: job.numberRecordsProcessed,
      retries: job.retries,
      totalProcessingTime: job.totalProcessingTime,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  getQueryJob(id: string): Record<string, unknown> {
    return this.queryInfo(this.queryJob(id));
  }

  patchQuery(id: string, body: unknown): Record<string, unknown> {
    const job = this.queryJob(id);
    const state = (body as { state?: unknown } | undefined)?.state;
    if (state !== 'Aborted')
      throw invalidJob(`A query job can only be aborted: send {"state":"Aborted"}.`);
    this.abort(job);
    return this.queryInfo(job, false);
  }

  /**
   * GET …/results?locator=&maxRecords=: one page of CSV; `locator` is the next page's locator or
   * the string `null` on the last page ("Get Results for a Query Job").
   */
  queryResults(
    id: string,
    apiVersion: string,
    locator: string | null,
    maxRecords: string | null,
  ): ResultsPage {
    const job = this.queryJob(id);
    if (job.apiVersion !== apiVersion) {
      throw new BulkError(
        'INVALIDJOB',
        `Job ${job.id} was created with API version ${job.apiVersion}; ask its results with that version.`,
        [],
        409,
      );
    }
    if (job.state !== 'JobComplete') {
      throw badState(
        `Job ${job.id} is ${job.state}: results are available once it is JobComplete.`,
      );
    }
    let size = DEFAULT_QUERY_PAGE;
    if (maxRecords !== null) {
      size = Number(maxRecords);
      if (!Number.isInteger(size) || size < 1)
        throw invalidJob(`maxRecords must be a positive integer; got ${maxRecords}.`);
    }
    let offset = 0;
    if (locator !== null && locator !== '') {
      const decoded = Buffer.from(locator, 'base64url').toString('utf8');
      offset = /^\d+$/.test(decoded) ? Number(decoded) : NaN;
      if (!Number.isInteger(offset) || offset > job.rows.length)
        throw new BulkError('INVALIDLOCATOR', `Invalid locator: ${locator}`, [], 400);
    }
    const rows = job.rows.slice(offset, offset + size);
    const end = offset + rows.length;
    const delim = COLUMN_DELIMITERS[job.columnDelimiter];
    const eol = LINE_ENDINGS[job.lineEnding];
    return {
      csv: toCsv([job.columns, ...rows], delim, eol),
      locator: end < job.rows.length ? Buffer.from(String(end)).toString('base64url') : 'null',
      numberOfRecords: rows.length,
    };
  }

  // ---- processing -------------------------------------------------------------------------

  /** Resolves once the job is JobComplete, Failed or Aborted (tests wait on this, not on time). */
  settled(id: string): Promise<void> {
    const job = this.jobs.get(normalizeId(id) ?? id);
    if (!job) return Promise.reject(jobNotFound());
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted')
      return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(job.id) ?? [];
      list.push(resolve);
      this.waiters.set(job.id, list);
    });
  }

  private settle(job: IngestJob | QueryJob): void {
    for (const w of this.waiters.get(job.id) ?? []) w();
    this.waiters.delete(job.id);
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.closed) return;
      this.step();
      if (this.queue.length > 0 || this.queryQueue.length > 0) this.schedule();
    });
  }

  /** One unit of background work: a query job, or one batch of an ingest job. */
  private step(): void {
    const q = this.queryQueue.shift();
    if (q) {
      if (q.state !== 'Aborted') {
        const started = Date.now();
        q.state = 'JobComplete';
        q.numberRecordsProcessed = q.rows.length;
        q.totalProcessingTime = Date.now() - started;
        q.systemModstamp = this.stamp();
      }
      this.settle(q);
      return;
    }
    const job = this.queue[0];
    if (!job) return;
    if (job.state === 'Aborted') {
      this.queue.shift();
      return;
    }
    const started = Date.now();
    if (job.state === 'UploadComplete') {
      job.state = 'InProgress';
      this.prepare(job);
    }
    if (job.state === 'InProgress') this.runBatch(job);
    const spent = Date.now() - started;
    job.totalProcessingTime += spent;
    job.apiActiveProcessingTime += spent;
    job.systemModstamp = this.stamp();
    if (job.state !== 'InProgress') {
      this.queue.shift();
      this.settle(job);
    }
  }

  private fail(job: IngestJob, message: string): void {
    job.state = 'Failed';
    job.errorMessage = message;
  }

  /** Reads the uploaded CSV and checks its header; a bad file fails the whole job. */
  private prepare(job: IngestJob): void {
    const text = job.csv;
    job.csv = '';
    let rows: string[][];
    try {
      rows = parseCsv(text, COLUMN_DELIMITERS[job.columnDelimiter], LINE_ENDINGS[job.lineEnding]);
    } catch (e) {
      this.fail(job, `InvalidBatch : ${(e as CsvError).message}`);
      return;
    }
    const header = rows.shift();
    if (!job.uploaded || !header || header.every((h) => h === '')) {
      this.fail(job, 'InvalidBatch : No data was uploaded, or its header row is empty.');
      return;
    }
    job.header = header;
    job.rows = rows;
    if (header.length > MAX_FIELDS_PER_RECORD) {
      this.fail(job, `InvalidBatch : A record can have at most ${MAX_FIELDS_PER_RECORD} fields.`);
      return;
    }
    for (const h of header) {
      if (!this.columnTarget(job.obj, h)) {
        this.fail(job, `InvalidBatch : Field name not found : ${h}`);
        return;
      }
    }
    const needs =
      job.operation === 'upsert'
        ? job.externalIdField!.name
        : job.operation === 'insert'
          ? undefined
          : 'Id';
    if (needs && !header.some((h) => h.toLowerCase() === needs.toLowerCase())) {
      this.fail(
        job,
        `InvalidBatch : Field name not found : ${needs} is required for ${job.operation}.`,
      );
      return;
    }
    const remaining = DAILY_INGEST_RECORDS - this.ingestRecords.used();
    if (rows.length > remaining) {
      this.fail(
        job,
        `InvalidBatch : This job's ${rows.length} records exceed what remains of the org's ${DAILY_INGEST_RECORDS} records per 24 hours (${remaining}).`,
      );
      return;
    }
    this.ingestRecords.add(rows.length);
  }

  /** A header column: a field, or `Relationship.ExternalIdField` naming a parent. */
  private columnTarget(obj: ObjectDef, column: string): true | undefined {
    if (obj.fields.has(column.toLowerCase())) return true;
    const dot = column.indexOf('.');
    if (dot < 0) return undefined;
    const rel = obj.relationships.get(column.slice(0, dot).toLowerCase());
    const target = rel ? getObject(this.ctx.schema, rel.referenceTo[0] ?? '') : undefined;
    const f = target?.fields.get(column.slice(dot + 1).toLowerCase());
    return f && (f.externalId || f.unique || f.idLookup || f.type === 'id') ? true : undefined;
  }

  private runBatch(job: IngestJob): void {
    if (this.batches.used() >= DAILY_BATCHES) {
      this.fail(
        job,
        `InvalidBatch : The org has used its ${DAILY_BATCHES} Bulk API batches of the last 24 hours; the rest of this job is unprocessed.`,
      );
      return;
    }
    this.batches.add();
    const end = Math.min(job.rows.length, job.next + RECORDS_PER_BATCH);
    const dml = this.ctx.dml();
    const store = this.ctx.store;
    this.ctx.unit(() => {
      // Duplicate external ids inside one batch fail both records, as in a collection upsert.
      const extCounts = new Map<string, number>();
      const extCol = job.externalIdField
        ? job.header.findIndex((h) => h.toLowerCase() === job.externalIdField!.name.toLowerCase())
        : -1;
      if (extCol >= 0) {
        for (let i = job.next; i < end; i++) {
          const v = job.rows[i]![extCol] ?? '';
          const key = job.externalIdField!.caseSensitive ? v : v.toLowerCase();
          extCounts.set(key, (extCounts.get(key) ?? 0) + 1);
        }
      }
      for (let i = job.next; i < end; i++) {
        const row = job.rows[i]!;
        const sp = store.savepoint();
        let r: SaveResult;
        try {
          r = this.processRow(job, dml, row, extCol, extCounts);
        } catch (e) {
          if (!(e instanceof SfError)) throw e;
          r = { success: false, errors: [e.toSaveError()] };
        }
        if (!r.success) store.rollbackTo(sp);
        const values = job.header.map((_, c) => row[c] ?? '');
        if (r.success) {
          const created =
            job.operation === 'insert' || (job.operation === 'upsert' && r.created === true);
          job.successful.push([r.id, String(created), ...values]);
        } else {
          job.numberRecordsFailed++;
          job.failed.push([r.id ?? '', r.errors.map(errorText).join('\n'), ...values]);
        }
        job.numberRecordsProcessed++;
      }
    });
    job.next = end;
    if (job.next >= job.rows.length) job.state = 'JobComplete';
  }

  private processRow(
    job: IngestJob,
    dml: DmlContext,
    row: string[],
    extCol: number,
    extCounts: Map<string, number>,
  ): SaveResult {
    if (row.length !== job.header.length) {
      return failure(
        'INVALID_FIELD',
        `The row has ${row.length} values but the header has ${job.header.length} columns.`,
      );
    }
    let chars = 0;
    for (const v of row) {
      chars += v.length;
      if (v.length > MAX_FIELD_CHARS)
        return failure(
          'STRING_TOO_LONG',
          `A field value is longer than ${MAX_FIELD_CHARS} characters.`,
        );
    }
    if (chars > MAX_RECORD_CHARS)
      return failure(
        'STRING_TOO_LONG',
        `The record is longer than ${MAX_RECORD_CHARS} characters.`,
      );
    const idCol = job.header.findIndex((h) => h.toLowerCase() === 'id');
    const rawId = idCol >= 0 ? (row[idCol] ?? '') : '';
    if (job.operation === 'delete' || job.operation === 'hardDelete') {
      const id = normalizeId(rawId);
      const obj = id ? this.ctx.schema.byPrefix.get(id.slice(0, 3)) : undefined;
      if (!id || obj !== job.obj)
        return failure('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [], rawId);
      // No recycle bin here: delete and hardDelete both remove the record.
      return deleteRecord(dml, job.obj, id);
    }
    // Empty values are left alone (null on insert); #N/A sets a field to null ("Prepare CSV Files").
    const body: Record<string, unknown> = {};
    job.header.forEach((h, c) => {
      if (job.operation !== 'insert' && c === idCol) return;
      const v = row[c] ?? '';
      if (v === '') return;
      const dot = h.indexOf('.');
      if (dot >= 0 && !job.obj.fields.has(h.toLowerCase())) {
        body[h.slice(0, dot)] = { [h.slice(dot + 1)]: v === '#N/A' ? null : v };
        return;
      }
      const f = job.obj.fields.get(h.toLowerCase())!;
      body[f.name] = v === '#N/A' ? null : csvInput(f, v);
    });
    if (job.operation === 'insert') {
      return insertRecord(dml, parseRecord(this.ctx.schema, job.obj, body));
    }
    if (job.operation === 'update') {
      const id = normalizeId(rawId);
      if (!rawId) return failure('MISSING_ARGUMENT', 'Id not specified in an update call');
      if (!id || !dml.store.get(job.obj, id))
        return failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], rawId);
      return updateRecord(dml, parseRecord(this.ctx.schema, job.obj, body), id);
    }
    const ext = job.externalIdField!;
    const v = extCol >= 0 ? (row[extCol] ?? '') : '';
    if (v === '') return failure('MISSING_ARGUMENT', `${ext.name} not specified`);
    if ((extCounts.get(ext.caseSensitive ? v : v.toLowerCase()) ?? 0) > 1)
      return failure('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${v}`, [ext.name]);
    if (ext.type === 'id') {
      delete body.Id;
      const id = normalizeId(v);
      if (id && dml.store.get(job.obj, id)) {
        const r = updateRecord(dml, parseRecord(this.ctx.schema, job.obj, body), id);
        return { ...r, created: false };
      }
      return failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], v);
    }
    delete body[ext.name];
    const p = parseRecord(this.ctx.schema, job.obj, body);
    return upsertRecord(dml, p, ext, csvInput(ext, v) as Value);
  }

  close(): void {
    this.closed = true;
  }

  /** What /limits reports for Bulk API (2.0). */
  limits(): Record<string, { Max: number; Remaining: number }> {
    return {
      DailyBulkApiBatches: {
        Max: DAILY_BATCHES,
        Remaining: Math.max(0, DAILY_BATCHES - this.batches.used()),
      },
      DailyBulkV2QueryJobs: {
        Max: DAILY_QUERY_JOBS,
        Remaining: Math.max(0, DAILY_QUERY_JOBS - this.queryJobs.used()),
      },
      DailyBulkV2QueryFileStorageMB: {
        Max: DAILY_QUERY_STORAGE_MB,
        Remaining: DAILY_QUERY_STORAGE_MB,
      },
    };
  }
}

function failure(code: string, message: string, fields: string[] = [], id?: string): SaveResult {
  return { success: false, errors: [{ statusCode: code, message, fields }], ...(id ? { id } : {}) };
}

/** A CSV text value as the JSON value parseRecord expects for the field's type. */
function csvInput(f: FieldDef, v: string): unknown {
  if (f.type === 'boolean') {
    const l = v.toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
  }
  return v;
}

/** Reads `Account.Name` from a query record (relationships are nested objects, case as in the schema). */
function pathValue(rec: Record<string, unknown>, path: string): unknown {
  let cur: unknown = rec;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return null;
    const entries = Object.entries(cur as Record<string, unknown>);
    cur = entries.find(([k]) => k.toLowerCase() === part.toLowerCase())?.[1];
  }
  return cur ?? null;
}

/** A value in a query results file: empty for null, ISO datetimes in UTC (`…Z`). */
function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(v)
      ? v.replace('+0000', 'Z')
      : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export interface BulkReply {
  status: number;
  /** JSON body, or a CSV text when `csv` is set. */
  body?: unknown;
  csv?: string;
  headers?: Record<string, string>;
}

function jsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BulkError('JSON_PARSER_ERROR', 'The request body is not valid JSON.', [], 400);
  }
}

/**
 * The Bulk API 2.0 resources under `/services/data/vXX.X/jobs/` (segments after `jobs`):
 * `ingest`, `ingest/{id}`, `ingest/{id}/batches`, `ingest/{id}/successfulResults`,
 * `ingest/{id}/failedResults`, `ingest/{id}/unprocessedrecords`, `query`, `query/{id}`,
 * `query/{id}/results`. Returns undefined for anything else (the caller answers 404).
 */
export function handleBulk(
  jobs: BulkJobs,
  method: string,
  segs: string[],
  params: URLSearchParams,
  rawBody: string,
  version: string,
): BulkReply | undefined {
  const [kind, id, sub, extra] = segs;
  if ((kind !== 'ingest' && kind !== 'query') || extra !== undefined) return undefined;
  if (Number(version) < (kind === 'ingest' ? 41 : 47)) {
    // Ingest jobs since API 41.0, query jobs since 47.0 (the guide's "Availability").
    return undefined;
  }
  if (id === undefined) {
    if (method === 'POST') {
      const body = jsonBody(rawBody);
      const info =
        kind === 'ingest'
          ? jobs.createIngestJob(body, version)
          : jobs.createQueryJob(body, version);
      return { status: 200, body: info };
    }
    if (method === 'GET') return { status: 200, body: jobs.listJobs(kind) };
    return undefined;
  }
  if (sub === undefined) {
    if (method === 'GET')
      return {
        status: 200,
        body: kind === 'ingest' ? jobs.getIngestJob(id) : jobs.getQueryJob(id),
      };
    if (method === 'PATCH') {
      const body = jsonBody(rawBody);
      return {
        status: 200,
        body: kind === 'ingest' ? jobs.patchIngest(id, body) : jobs.patchQuery(id, body),
      };
    }
    if (method === 'DELETE') {
      jobs.deleteJob(kind, id);
      return { status: 204 };
    }
    return undefined;
  }
  if (kind === 'ingest') {
    if (sub === 'batches' && method === 'PUT') {
      jobs.upload(id, rawBody);
      return { status: 201 };
    }
    if (method !== 'GET') return undefined;
    if (sub === 'successfulResults') return { status: 200, csv: jobs.successfulResults(id) };
    if (sub === 'failedResults') return { status: 200, csv: jobs.failedResults(id) };
    if (sub === 'unprocessedrecords') return { status: 200, csv: jobs.unprocessedRecords(id) };
    return undefined;
  }
  if (sub === 'results' && method === 'GET') {
    const page = jobs.queryResults(id, version, params.get('locator'), params.get('maxRecords'));
    return {
      status: 200,
      csv: page.csv,
      headers: {
        'Sforce-Locator': page.locator,
        'Sforce-NumberOfRecords': String(page.numberOfRecords),
      },
    };
  }
  return undefined;
}
