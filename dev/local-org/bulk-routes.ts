/** The HTTP side of Bulk API 2.0: the `/jobs/ingest` and `/jobs/query` routes onto BulkJobs (bulk.ts). */
import { BulkError } from './bulk-model';
import type { BulkJobs } from './bulk';

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
