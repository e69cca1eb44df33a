/**
 * SOQL and SOSL (REST API Developer Guide, "Query", "QueryAll", "Search"): `GET /query?q=`,
 * `GET /queryAll?q=`, `GET /query/{locator}` for the next batch, `GET /search?q=`.
 */
import { describeQueryColumns } from '../columns';
import { SfError } from '../errors';
import type { Reply, RouteRequest } from '../http';
import { runSearch } from '../sosl';
import { explain } from './metadata';
import { parseSoql, runQuery, type QueryResult } from '../soql';

/** Default query batch (REST API guide, "Query": up to 2,000 records per batch). */
export const QUERY_BATCH = 2000;

/** `Sforce-Query-Options: batchSize=N`, clamped to 200–2,000 as the org does. */
export function batchSizeOf(header: string | string[] | undefined): number {
  const options = /batchSize=(\d+)/i.exec(String(header ?? ''));
  return options ? Math.min(2000, Math.max(200, Number(options[1]))) : QUERY_BATCH;
}

type Page = QueryResult & { nextRecordsUrl?: string };

/** Query locators: a result larger than one batch is served in batches with `nextRecordsUrl`. */
export class QueryCursors {
  private readonly cursors = new Map<
    string,
    { records: Record<string, unknown>[]; totalSize: number; batch: number }
  >();
  private seq = 0;

  /** Splits a result into batches with `nextRecordsUrl`, as the org does above the batch size. */
  paginate(result: QueryResult, version: string, batchSize: number): Page {
    if (result.records.length <= batchSize) return result;
    const locator = `01g5g00000${String(++this.seq).padStart(5, '0')}`;
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

  nextPage(locatorAndOffset: string, version: string): Page {
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
}

/**
 * GET /query?q= and /queryAll?q=. With `columns=true` the org describes the query's columns
 * instead of running it (what `sf data query` asks to lay out its table; see columns.ts).
 */
export function query({ org, url, version, batchSize, path }: RouteRequest): Reply {
  const explainTarget = url.searchParams.get('explain');
  if (explainTarget) return explain(org, version, explainTarget);
  const q = url.searchParams.get('q');
  if (!q)
    throw new SfError('MALFORMED_QUERY', 'A query string is required: pass it as ?q=SELECT …');
  if (url.searchParams.get('columns') === 'true')
    return { status: 200, body: describeQueryColumns(org.schema, parseSoql(q)) };
  const result = runQuery(org.queryContext(version), parseSoql(q), {
    allRows: /\/queryAll$/.test(path),
  });
  return { status: 200, body: org.cursors.paginate(result, version, batchSize) };
}

/** GET /query/{locator}-{offset}: the next batch of a large result. */
export function queryMore({ org, params, version }: RouteRequest): Reply {
  return { status: 200, body: org.cursors.nextPage(params.locator!, version) };
}

/** GET /search?q=FIND {…} */
export function search({ org, url, version }: RouteRequest): Reply {
  const q = url.searchParams.get('q');
  if (!q)
    throw new SfError('MALFORMED_SEARCH', 'A search string is required: pass it as ?q=FIND {…}');
  return {
    status: 200,
    body: runSearch(
      { ...org.dmlContext(), apiVersion: version, isSearchable: org.isSearchable },
      q,
    ),
  };
}
