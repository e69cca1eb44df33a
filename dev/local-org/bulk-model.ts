/**
 * What Bulk API 2.0 jobs (bulk.ts) are made of: the documented limits, the job records and their
 * JSON shape, the errors, the rolling 24-hour counters, and the CSV values of query results.
 */
import type { Query } from '@jetstreamapp/soql-parser-js';
import type { DmlContext } from './dml';
import { SfError, type SaveError } from './errors';
import type { FieldDef, ObjectDef, Schema } from './schema';
import type { Store } from './store';
import {
  COLUMN_DELIMITERS,
  LINE_ENDINGS,
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

type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
type QueryOperation = 'query' | 'queryAll';
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const INGEST_OPERATIONS: readonly IngestOperation[] = [
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

export const invalidJob = (message: string): BulkError =>
  new BulkError('INVALIDJOB', message, [], 400);
export const jobNotFound = (): BulkError =>
  new BulkError('NOT_FOUND', 'The requested resource does not exist', [], 404);
export const badState = (message: string): BulkError =>
  new BulkError('INVALIDJOBSTATE', message, [], 409);

/** Rolling 24-hour count in one-minute buckets. */
export class Rolling {
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

export interface IngestJob extends JobBase {
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

export interface QueryJob extends JobBase {
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
export function jobInfo(
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

export function parseEnum<T extends string>(
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
export function errorText(e: SaveError): string {
  return `${e.statusCode}:${e.message}:${e.fields.join(',')} --`;
}

/** Reads `Account.Name` from a query record (relationships are nested objects, case as in the schema). */
export function pathValue(rec: Record<string, unknown>, path: string): unknown {
  let cur: unknown = rec;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return null;
    const entries = Object.entries(cur as Record<string, unknown>);
    cur = entries.find(([k]) => k.toLowerCase() === part.toLowerCase())?.[1];
  }
  return cur ?? null;
}

/** A value in a query results file: empty for null, ISO datetimes in UTC (`…Z`). */
export function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(v)
      ? v.replace('+0000', 'Z')
      : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The CSV format a job asks for (columnDelimiter, lineEnding), with the API's defaults. */
export function csvFormat(b: Record<string, unknown>): {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
} {
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
  return { columnDelimiter, lineEnding };
}

/** The CSV columns of a Bulk API 2.0 query, refusing what such a query does not support. */
export function bulkQueryColumns(parsed: Query): string[] {
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
  return columns;
}

/** One page of a query job's results: `maxRecords` rows from the `locator` on, and the next locator. */
export function resultsPage(
  job: QueryJob,
  locator: string | null,
  maxRecords: string | null,
): ResultsPage {
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
