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
 *
 * Beside it: bulk-model.ts (limits, jobs, pages), bulk-rows.ts (ingest rows), bulk-routes.ts.
 */
import { parseSoql, runQuery, type QueryContext } from './soql';
import { getObject, requireExternalIdField, sfDateTime, type SaveResult } from './dml';
import { SfError } from './errors';
import { makeId, normalizeId } from './ids';
import type { FieldDef } from './schema';
import { COLUMN_DELIMITERS, CsvError, LINE_ENDINGS, parseCsv, toCsv } from './csv';
import {
  MAX_UPLOAD_BASE64_BYTES,
  RECORDS_PER_BATCH,
  DAILY_BATCHES,
  DAILY_INGEST_RECORDS,
  DAILY_QUERY_JOBS,
  DAILY_QUERY_STORAGE_MB,
  MAX_FIELDS_PER_RECORD,
  INGEST_OPERATIONS,
  BulkError,
  invalidJob,
  jobNotFound,
  badState,
  Rolling,
  type BulkContext,
  type IngestJob,
  type QueryJob,
  jobInfo,
  type ResultsPage,
  parseEnum,
  errorText,
  pathValue,
  csvValue,
  csvFormat,
  bulkQueryColumns,
} from './bulk-model';
import { columnTarget, processRow } from './bulk-rows';
import { resultsPage } from './bulk-model';

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
    const { columnDelimiter, lineEnding } = csvFormat(b);
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
    const { columnDelimiter, lineEnding } = csvFormat(b);
    if (this.queryJobs.used() >= DAILY_QUERY_JOBS) {
      throw new BulkError(
        'LIMIT_EXCEEDED',
        `The org has created ${DAILY_QUERY_JOBS} Bulk API 2.0 query jobs in the last 24 hours (DailyBulkV2QueryJobs); try again later.`,
        [],
        400,
      );
    }
    const parsed = parseSoql(b.query);
    const columns = bulkQueryColumns(parsed);
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
    return resultsPage(job, locator, maxRecords);
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
      if (!columnTarget(this.ctx.schema, job.obj, h)) {
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
          r = processRow(this.ctx.schema, job, dml, row, extCol, extCounts);
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
