/**
 * Bulk API 2.0 contract: ingest and query jobs through jsforce's bulk2 client (what `sf data
 * import/export bulk` use) and raw HTTP for status codes and headers. Pages of the Bulk API 2.0 and
 * Bulk API Developer Guide, https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/
 * — create_job.htm, upload_job_data.htm, close_job.htm, get_job_info.htm,
 * get_job_successful_results.htm, get_job_failed_results.htm, get_job_unprocessed_results.htm,
 * query_create_job.htm, query_get_job_results.htm, bulk_api_2_job_states.htm,
 * datafiles_prepare_csv.htm — and the Limits Quick Reference ("Bulk API and Bulk API 2.0 Limits and
 * Allocations").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../../dev/local-org';
import { parseCsv } from '../../dev/local-org/csv';
import { API, openOrg, SEED_FILE } from './helpers';

const BASE = `/services/data/v${API}/jobs`;

async function call(
  org: LocalOrg,
  method: string,
  path: string,
  body?: string | object,
  contentType = 'application/json',
): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
  const res = await fetch(`${org.instanceUrl}${path.startsWith('/') ? path : `${BASE}/${path}`}`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

type Info = Record<string, unknown>;

/** Polls the job until it reaches a final state (a condition, not a duration). */
async function settle(org: LocalOrg, kind: 'ingest' | 'query', id: string): Promise<Info> {
  for (;;) {
    const info = (await call(org, 'GET', `${kind}/${id}`)).json as Info;
    if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) return info;
    await new Promise((r) => setImmediate(r));
  }
}

const rows = (csv: string): Record<string, string>[] => {
  const [header, ...data] = parseCsv(csv, ',', '\n');
  return data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
};

describe('local org Bulk API 2.0', () => {
  let org: LocalOrg;
  let conn: Connection;

  before(async () => {
    ({ org, conn } = await openOrg({ seedFile: SEED_FILE }));
  });
  after(async () => {
    await org.close();
  });

  it('runs an insert job through its states with per-record results (jsforce bulk2)', async () => {
    const csv =
      'FirstName,LastName,Email,Description\n' +
      'Ada,Lovelace,ada@example.com,"Wrote the first program, in 1843"\n' +
      ',,nobody@example.com,no last name\n' +
      'Grace,Hopper,grace@example.com,"Said ""it\'s easier to ask forgiveness""\nthan permission"\n';
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: csv,
      pollInterval: 10,
      pollTimeout: 60_000,
    });
    assert.equal(results.successfulResults.length, 2);
    assert.equal(results.failedResults.length, 1);
    assert.equal(results.unprocessedRecords.length, 0);
    const ok = (results.successfulResults as Record<string, unknown>[]).find(
      (r) => r.LastName === 'Hopper',
    )!;
    assert.equal(ok.sf__Created, 'true');
    const saved = await conn.sobject('Contact').retrieve(ok.sf__Id as string);
    assert.equal(
      (saved as unknown as { Description: string }).Description,
      'Said "it\'s easier to ask forgiveness"\nthan permission',
    );
    const failed = results.failedResults[0] as Record<string, unknown>;
    assert.match(String(failed.sf__Error), /^REQUIRED_FIELD_MISSING:.*LastName/);
    assert.equal(failed.Email, 'nobody@example.com');
  });

  it('answers create, upload, close and info in the documented shapes', async () => {
    const created = await call(org, 'POST', `${BASE}/ingest`, {
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Aircall_Phone_Key__c',
    });
    assert.equal(created.status, 200);
    const job = created.json as Info;
    assert.equal(job.state, 'Open');
    assert.equal(job.contentUrl, `services/data/v${API}/jobs/ingest/${String(job.id)}/batches`);
    assert.equal(job.apiVersion, Number(API));
    assert.equal(job.columnDelimiter, 'COMMA');
    assert.equal(job.lineEnding, 'LF');
    assert.match(String(job.id), /^750/);
    const upload = await call(
      org,
      'PUT',
      `ingest/${String(job.id)}/batches`,
      'Name,Aircall_Phone_Key__c,Phone\nBulk One,+33100000001,+33100000001\nBulk Two,+33100000002,\nBulk Dup,+33100000002,\n',
      'text/csv',
    );
    assert.equal(upload.status, 201);
    assert.equal(upload.text, '');
    // One CSV per job.
    const again = await call(
      org,
      'PUT',
      `ingest/${String(job.id)}/batches`,
      'Name\nX\n',
      'text/csv',
    );
    assert.equal(again.status, 409);
    assert.equal((again.json as Info[])[0]!.errorCode, 'INVALIDJOBSTATE');
    // Results only for a finished job.
    const early = await call(org, 'GET', `ingest/${String(job.id)}/successfulResults`);
    assert.equal(early.status, 409);
    const closed = await call(org, 'PATCH', `ingest/${String(job.id)}`, {
      state: 'UploadComplete',
    });
    assert.equal((closed.json as Info).state, 'UploadComplete');
    const info = await settle(org, 'ingest', String(job.id));
    assert.equal(info.state, 'JobComplete');
    assert.equal(info.jobType, 'V2Ingest');
    assert.equal(info.numberRecordsProcessed, 3);
    assert.equal(info.numberRecordsFailed, 2);
    const ok = rows((await call(org, 'GET', `ingest/${String(job.id)}/successfulResults`)).text);
    assert.deepEqual(
      ok.map((r) => [r.Name, r.sf__Created]),
      [['Bulk One', 'true']],
    );
    const bad = rows((await call(org, 'GET', `ingest/${String(job.id)}/failedResults`)).text);
    assert.deepEqual(
      bad.map((r) => r.sf__Error),
      [
        'DUPLICATE_EXTERNAL_ID:Duplicate external id specified: +33100000002:Aircall_Phone_Key__c --',
        'DUPLICATE_EXTERNAL_ID:Duplicate external id specified: +33100000002:Aircall_Phone_Key__c --',
      ],
    );
    // The same key again updates: sf__Created false; #N/A clears a field, an empty value keeps it.
    const second = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Aircall_Phone_Key__c',
      input: 'Aircall_Phone_Key__c,Phone,Industry\n+33100000001,#N/A,\n',
      pollInterval: 10,
      pollTimeout: 60_000,
    });
    assert.equal(second.successfulResults[0]!.sf__Created, 'false');
    const [acc] = (
      await conn.query<{ Phone: string | null; Name: string }>(
        "SELECT Name, Phone FROM Account WHERE Aircall_Phone_Key__c = '+33100000001'",
      )
    ).records;
    assert.equal(acc!.Name, 'Bulk One');
    assert.equal(acc!.Phone, null);
  });

  it('fails a job whose header names an unknown field, and keeps its rows unprocessed', async () => {
    const job = (await call(org, 'POST', `${BASE}/ingest`, { object: 'Lead', operation: 'insert' }))
      .json as Info;
    await call(
      org,
      'PUT',
      `ingest/${String(job.id)}/batches`,
      'LastName,Company,Nope__c\nA,B,C\n',
      'text/csv',
    );
    await call(org, 'PATCH', `ingest/${String(job.id)}`, { state: 'UploadComplete' });
    const info = await settle(org, 'ingest', String(job.id));
    assert.equal(info.state, 'Failed');
    assert.equal(info.errorMessage, 'InvalidBatch : Field name not found : Nope__c');
    const unprocessed = await call(org, 'GET', `ingest/${String(job.id)}/unprocessedrecords`);
    assert.equal(unprocessed.text, '"LastName","Company","Nope__c"\n"A","B","C"\n');
  });

  it('refuses bad jobs with INVALIDJOB and unknown jobs with 404', async () => {
    const noObject = await call(org, 'POST', `${BASE}/ingest`, {
      object: 'Nope__c',
      operation: 'insert',
    });
    assert.equal(noObject.status, 400);
    assert.deepEqual(noObject.json, [
      { errorCode: 'INVALIDJOB', message: 'Unable to find object: Nope__c' },
    ]);
    const noExt = await call(org, 'POST', `${BASE}/ingest`, {
      object: 'Account',
      operation: 'upsert',
    });
    assert.equal((noExt.json as Info[])[0]!.errorCode, 'INVALIDJOB');
    const badDelim = await call(org, 'POST', `${BASE}/ingest`, {
      object: 'Account',
      operation: 'insert',
      columnDelimiter: 'COLON',
    });
    assert.equal(badDelim.status, 400);
    const missing = await call(org, 'GET', `ingest/7505g00000000ZZAAA`);
    assert.equal(missing.status, 404);
  });

  it('deletes and updates by Id, with per-record errors for unknown ids', async () => {
    const ids = (
      await conn.bulk2.loadAndWaitForResults({
        object: 'Lead',
        operation: 'insert',
        input: 'LastName,Company\nOne,Co\nTwo,Co\n',
        pollInterval: 10,
        pollTimeout: 60_000,
      })
    ).successfulResults.map((r) => String(r.sf__Id));
    const upd = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'update',
      input: `Id,Company\n${ids[0]!},Renamed\n00Q5g00000009ZZAAA,Ghost\n`,
      pollInterval: 10,
      pollTimeout: 60_000,
    });
    assert.equal(upd.successfulResults.length, 1);
    assert.match(String(upd.failedResults[0]!.sf__Error), /^INVALID_CROSS_REFERENCE_KEY:/);
    const del = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'delete',
      input: `Id\n${ids.join('\n')}\n`,
      pollInterval: 10,
      pollTimeout: 60_000,
    });
    assert.equal(del.successfulResults.length, 2);
    const left = await conn.query(`SELECT Id FROM Lead WHERE Id IN ('${ids.join("','")}')`);
    assert.equal(left.totalSize, 0);
  });

  it('pages query results with Sforce-Locator until "null"', async () => {
    const created = await call(org, 'POST', `${BASE}/query`, {
      operation: 'query',
      query: 'SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName',
    });
    assert.equal(created.status, 200);
    const job = created.json as Info;
    assert.equal(job.state, 'UploadComplete');
    assert.equal(job.object, 'Contact');
    const info = await settle(org, 'query', String(job.id));
    assert.equal(info.state, 'JobComplete');
    assert.equal(info.jobType, 'V2Query');
    const total = Number(info.numberRecordsProcessed);
    const expected = (await conn.query('SELECT Id FROM Contact')).totalSize;
    assert.equal(total, expected);
    let locator: string | null = null;
    const seen: Record<string, string>[] = [];
    let pages = 0;
    do {
      const page = await call(
        org,
        'GET',
        `query/${String(job.id)}/results?maxRecords=3${locator ? `&locator=${locator}` : ''}`,
      );
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/csv/);
      const got = rows(page.text);
      assert.equal(Number(page.headers.get('sforce-numberofrecords')), got.length);
      assert.ok(got.length <= 3);
      seen.push(...got);
      locator = page.headers.get('sforce-locator');
      pages++;
    } while (locator !== 'null');
    assert.equal(pages, Math.ceil(total / 3));
    assert.equal(seen.length, total);
    assert.deepEqual(Object.keys(seen[0]!), ['Id', 'LastName', 'Account.Name']);
    // Results are asked with the version the job was created with (409 otherwise).
    const other = await call(
      org,
      'GET',
      `/services/data/v60.0/jobs/query/${String(job.id)}/results`,
    );
    assert.equal(other.status, 409);
    // jsforce's own client reads the same pages.
    const stream = await conn.bulk2.query('SELECT Id FROM Contact', {
      pollInterval: 10,
      pollTimeout: 60_000,
    });
    const records: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (r: unknown) => records.push(r));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    assert.equal(records.length, expected);
  });

  it('refuses what Bulk API 2.0 queries do not support', async () => {
    for (const query of [
      'SELECT COUNT() FROM Contact',
      'SELECT LastName, COUNT(Id) FROM Contact GROUP BY LastName',
      'SELECT Id FROM Contact LIMIT 5 OFFSET 2',
    ]) {
      const r = await call(org, 'POST', `${BASE}/query`, { operation: 'query', query });
      assert.equal(r.status, 400, query);
    }
    const badField = await call(org, 'POST', `${BASE}/query`, {
      operation: 'query',
      query: 'SELECT Nope__c FROM Contact',
    });
    assert.equal((badField.json as Info[])[0]!.errorCode, 'INVALID_FIELD');
  });

  it('reports the Bulk API allocations in /limits', async () => {
    const limits = await conn.request<Record<string, { Max: number; Remaining: number }>>(
      `/services/data/v${API}/limits`,
    );
    assert.equal(limits.DailyBulkApiBatches!.Max, 15_000);
    assert.ok(limits.DailyBulkApiBatches!.Remaining < 15_000);
    assert.equal(limits.DailyBulkV2QueryJobs!.Max, 10_000);
    assert.ok(limits.DailyBulkV2QueryJobs!.Remaining < 10_000);
  });
});
