/**
 * Contract tests: the scenarios the product runs, through jsforce 3 (and raw HTTP where jsforce
 * hides status codes or headers), against the local org. Expected shapes and error codes are the
 * ones documented in the Salesforce REST API Developer Guide; each test names its page under
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../../dev/local-org';
import { API, errorOf, openOrg, rest, SEED_FILE } from './helpers';

type Row = Record<string, unknown>;

describe('local org REST contract (jsforce)', () => {
  let org: LocalOrg;
  let conn: Connection;

  before(async () => {
    ({ org, conn } = await openOrg({ seedFile: SEED_FILE }));
  });
  after(async () => {
    await org.close();
  });

  // resources_versions.htm: GET /services/data/ lists versions; each listed version is served.
  it('lists API versions and serves every listed version, and only those', async () => {
    const versions = (await rest(org, 'GET', '/services/data/')).body as {
      version: string;
      url: string;
      label: string;
    }[];
    assert.ok(versions.length >= 2);
    assert.equal(versions.at(-1)!.version, org.apiVersion);
    for (const v of versions) {
      assert.equal(v.url, `/services/data/v${v.version}`);
      const r = await rest(org, 'GET', `/services/data/v${v.version}/limits`);
      assert.equal(r.status, 200, `version ${v.version} must be served`);
    }
    const old = await rest(org, 'GET', '/services/data/v20.0/limits');
    assert.equal(old.status, 404);
    assert.deepEqual(old.body, [
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND', fields: [] },
    ]);
  });

  // errorcodes.htm: 401 with INVALID_SESSION_ID when the token is wrong.
  it('rejects a wrong bearer token with 401 INVALID_SESSION_ID', async () => {
    const r = await rest(org, 'GET', '/limits', undefined, 'not-the-token');
    assert.equal(r.status, 401);
    assert.equal((r.body as Row[])[0]!.errorCode, 'INVALID_SESSION_ID');
  });

  // dome_sobject_create.htm, dome_update.htm, dome_delete_record.htm, dome_get_field_values.htm
  it('creates, reads, updates and deletes a record with the documented results', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Contract Co', Phone: '+33 1 00 00 00 01' });
    assert.equal(created.success, true);
    assert.deepEqual(created.errors, []);
    assert.match(created.id, /^001[A-Za-z0-9]{15}$/);

    const rec = (await conn.sobject('Account').retrieve(created.id)) as unknown as Row;
    assert.deepEqual(rec.attributes, {
      type: 'Account',
      url: `/services/data/v${API}/sobjects/Account/${created.id}`,
    });
    assert.equal(rec.Name, 'Contract Co');
    assert.match(String(rec.CreatedDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.match(String(rec.OwnerId), /^005/);

    const patch = await rest(org, 'PATCH', `/sobjects/Account/${created.id}`, {
      Name: 'Contract Co (renamed)',
    });
    assert.equal(patch.status, 204);
    assert.equal(patch.body, undefined);
    const [renamed] = (
      await conn.query<Row>(`SELECT Name FROM Account WHERE Id = '${created.id.slice(0, 15)}'`)
    ).records;
    assert.equal(renamed!.Name, 'Contract Co (renamed)');

    const del = await rest(org, 'DELETE', `/sobjects/Account/${created.id}`);
    assert.equal(del.status, 204);
    const gone = await errorOf(() => conn.sobject('Account').retrieve(created.id));
    assert.equal(gone.errorCode, 'NOT_FOUND');
  });

  // dome_upsert.htm: 201 + created:true for an insert, 200 + created:false for an update.
  it('upserts by external id: 201 created, then 200 updated, same id', async () => {
    const path = `/sobjects/Lead/Aircall_Phone_Key__c/${encodeURIComponent('+33700000001')}`;
    const first = await rest(org, 'PATCH', path, {
      LastName: 'Unknown caller',
      Company: '+33 7 00 00 00 01',
    });
    assert.equal(first.status, 201);
    const body1 = first.body as Row;
    assert.equal(body1.success, true);
    assert.equal(body1.created, true);
    assert.deepEqual(body1.errors, []);
    const second = await rest(org, 'PATCH', path, { LastName: 'Known caller' });
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, { id: body1.id, success: true, errors: [], created: false });
    const viaJsforce = await conn
      .sobject('Lead')
      .upsert({ Aircall_Phone_Key__c: '+33700000001', Title: 'CEO' }, 'Aircall_Phone_Key__c');
    assert.equal(viaJsforce.success, true);
  });

  it('refuses to upsert on a field that is not an external id', async () => {
    const r = await rest(org, 'PATCH', '/sobjects/Lead/LastName/Smith', { Company: 'X' });
    assert.equal(r.status, 404);
    assert.equal((r.body as Row[])[0]!.errorCode, 'NOT_FOUND');
  });

  // resources_composite_sobjects_collections_upsert.htm: per-record UpsertResult, in request order.
  it('upserts a collection with per-record results and resolves relationships by external id', async () => {
    await conn
      .sobject('Lead')
      .upsert(
        { Aircall_Phone_Key__c: '+33700000002', LastName: 'Rel', Company: 'Rel' },
        'Aircall_Phone_Key__c',
      );
    const results = await conn.sobject('Aircall_Voice__c').upsert(
      [
        {
          Aircall_Call_Id__c: 'c-1',
          Direction__c: 'Inbound',
          Lead__r: { Aircall_Phone_Key__c: '+33700000002' },
        },
        { Aircall_Call_Id__c: 'c-2', Direction__c: 'Sideways' },
        { Aircall_Call_Id__c: 'c-3', Lead__r: { Aircall_Phone_Key__c: '+33799999999' } },
      ],
      'Aircall_Call_Id__c',
    );
    assert.equal(results.length, 3);
    assert.equal(results[0]!.success, true);
    assert.equal((results[0] as Row).created, true);
    assert.equal(results[1]!.success, false);
    assert.deepEqual((results[1] as { errors: Row[] }).errors, [
      {
        statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Direction: bad value for restricted picklist field: Sideways',
        fields: ['Direction__c'],
      },
    ]);
    assert.equal(results[2]!.success, false);
    const fkError = (results[2] as { errors: Row[] }).errors[0]!;
    assert.equal(fkError.statusCode, 'INVALID_FIELD');
    assert.equal(
      fkError.message,
      'Foreign key external ID: +33799999999 not found for field Aircall_Phone_Key__c in entity Lead',
    );

    const [row] = (
      await conn.query<Row>(
        "SELECT Name, Lead__c, Lead__r.Name FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = 'c-1'",
      )
    ).records;
    assert.match(String(row!.Name), /^AV-\d{8}$/);
    assert.match(String(row!.Lead__c), /^00Q/);
    assert.equal((row!.Lead__r as Row).Name, 'Rel');

    const again = await conn
      .sobject('Aircall_Voice__c')
      .upsert([{ Aircall_Call_Id__c: 'c-1', Call_Type__c: 'Answered' }], 'Aircall_Call_Id__c');
    assert.deepEqual(again, [{ id: results[0]!.id, success: true, errors: [], created: false }]);
  });

  it('fails both records when one collection upsert names the same external id twice', async () => {
    const results = (await conn
      .sobject('Aircall_Voice__c')
      .upsert(
        [{ Aircall_Call_Id__c: 'dup-1' }, { Aircall_Call_Id__c: 'DUP-1' }],
        'Aircall_Call_Id__c',
      )) as { success: boolean; errors: Row[] }[];
    assert.deepEqual(
      results.map((r) => [r.success, r.errors[0]?.statusCode]),
      [
        [false, 'DUPLICATE_EXTERNAL_ID'],
        [false, 'DUPLICATE_EXTERNAL_ID'],
      ],
    );
  });

  // resources_composite_sobjects_collections_create.htm: allOrNone rolls every record back.
  it('rolls back every record of an allOrNone collection when one fails', async () => {
    const results = (await conn
      .sobject('Contact')
      .create([{ LastName: 'Kept?', Phone: '0600000001' }, { FirstName: 'No last name' }], {
        allOrNone: true,
      })) as { success: boolean; errors: Row[]; id?: string }[];
    assert.equal(results[0]!.success, false);
    assert.equal(results[0]!.errors[0]!.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    assert.equal(results[0]!.id, undefined);
    assert.deepEqual(results[1]!.errors, [
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
    ]);
    const count = await conn.query("SELECT COUNT() FROM Contact WHERE LastName = 'Kept?'");
    assert.equal(count.totalSize, 0);
  });

  it('keeps the valid records of a collection without allOrNone', async () => {
    const results = await conn
      .sobject('Contact')
      .create([{ LastName: 'Partial A' }, { FirstName: 'x' }, { LastName: 'Partial B' }]);
    assert.deepEqual(
      results.map((r) => r.success),
      [true, false, true],
    );
    assert.equal(
      (await conn.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Partial%'")).totalSize,
      2,
    );
  });

  // resources_composite_sobjects_collections.htm: "The list can contain up to 200 objects." The
  // error an org answers above that is quoted in github.com/sorenkrabbe/Chrome-Salesforce-inspector/issues/134.
  it('rejects a collection of more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Contact' },
      LastName: `Bulk ${i}`,
    }));
    const r = await rest(org, 'POST', '/composite/sobjects', { allOrNone: false, records });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, [
      {
        message: 'record limit reached. cannot submit more than 200 records into this call',
        errorCode: 'EXCEEDED_ID_LIMIT',
        fields: [],
      },
    ]);
    const ok = await rest(org, 'POST', '/composite/sobjects', {
      allOrNone: false,
      records: records.slice(0, 200),
    });
    assert.equal(ok.status, 200);
    assert.equal((ok.body as Row[]).length, 200);
  });

  it('updates and deletes collections with per-record results', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'Upd 1' }, { Name: 'Upd 2' }]);
    const ids = created.map((r) => r.id!);
    const updated = await conn
      .sobject('Account')
      .update(ids.map((Id) => ({ Id, Industry: 'Retail' })));
    assert.deepEqual(
      updated.map((r) => [r.id, r.success]),
      ids.map((id) => [id, true]),
    );
    const deleted = await conn.sobject('Account').destroy(ids);
    assert.deepEqual(
      deleted.map((r) => r.success),
      [true, true],
    );
  });

  // resources_composite_composite.htm: subrequests with @{ref.id}; allOrNone = one transaction.
  it('runs composite subrequests with references, and rolls all back with allOrNone', async () => {
    const ok = await rest(org, 'POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `/services/data/v${API}/sobjects/Account`,
          referenceId: 'acc',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: `/services/data/v${API}/sobjects/Contact`,
          referenceId: 'con',
          body: { LastName: 'Composite', AccountId: '@{acc.id}' },
        },
        {
          method: 'GET',
          url: `/services/data/v${API}/sobjects/Account/@{acc.id}?fields=Name`,
          referenceId: 'read',
        },
      ],
    });
    const responses = (ok.body as { compositeResponse: Row[] }).compositeResponse;
    assert.deepEqual(
      responses.map((r) => [r.referenceId, r.httpStatusCode]),
      [
        ['acc', 201],
        ['con', 201],
        ['read', 200],
      ],
    );
    assert.equal((responses[2]!.body as Row).Name, 'Composite Co');
    assert.equal(org.counters().composite > 0, true);

    const failed = await rest(org, 'POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `/services/data/v${API}/sobjects/Account`,
          referenceId: 'acc',
          body: { Name: 'Never Co' },
        },
        {
          method: 'POST',
          url: `/services/data/v${API}/sobjects/Contact`,
          referenceId: 'bad',
          body: { FirstName: 'No last name' },
        },
      ],
    });
    const failedResponses = (
      failed.body as { compositeResponse: { httpStatusCode: number; body: Row[] }[] }
    ).compositeResponse;
    assert.equal(failedResponses[0]!.body[0]!.errorCode, 'PROCESSING_HALTED');
    assert.equal(failedResponses[1]!.body[0]!.errorCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(
      (await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Never Co'")).totalSize,
      0,
    );
  });

  // resources_composite_composite_post.htm: "up to 5 of these subrequests can be sObject Collections or query operations".
  it('refuses a composite request with more than 5 sObject Collections or query subrequests', async () => {
    const sub = (i: number) => ({
      method: 'POST',
      url: `/services/data/v${API}/composite/sobjects`,
      referenceId: `c${i}`,
      body: {
        allOrNone: false,
        records: [{ attributes: { type: 'Account' }, Name: `Heavy ${i}` }],
      },
    });
    const five = await rest(org, 'POST', '/composite', {
      compositeRequest: [0, 1, 2, 3, 4].map(sub),
    });
    assert.equal(five.status, 200);
    const six = await rest(org, 'POST', '/composite', {
      compositeRequest: [0, 1, 2, 3, 4, 5].map(sub),
    });
    assert.equal(six.status, 400);
    assert.match(
      (six.body as Row[])[0]!.message as string,
      /at most 5 sObject Collections or query subrequests/,
    );
  });

  // errorcodes.htm and the per-field save errors an org returns.
  it('answers the documented error codes for invalid writes', async () => {
    const unknownField = await errorOf(() =>
      conn.sobject('Lead').create({ LastName: 'X', Company: 'Y', Bogus__c: 'z' }),
    );
    assert.equal(unknownField.errorCode, 'INVALID_FIELD');
    assert.equal(unknownField.message, "No such column 'Bogus__c' on sobject of type Lead");

    const missing = await errorOf(() => conn.sobject('Lead').create({ LastName: 'X' }));
    assert.equal(missing.errorCode, 'REQUIRED_FIELD_MISSING');

    const tooLong = await errorOf(() =>
      conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: 'x'.repeat(33) }),
    );
    assert.equal(tooLong.errorCode, 'STRING_TOO_LONG');
    assert.match(tooLong.message, /\(max length=32\)$/);
    // Standard fields too, at the lengths describe reports, for every type the SOAP API Developer
    // Guide lists ("AllowFieldTruncationHeader": since API 15.0 a string, phone, email or textarea
    // value that is too large fails with STRING_TOO_LONG instead of being truncated;
    // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_header_allowfieldtruncation.htm).
    const lead = await conn.sobject('Lead').describe();
    const lengthOf = (name: string) => lead.fields.find((f) => f.name === name)?.length;
    assert.deepEqual(
      ['LastName', 'FirstName', 'Company', 'Phone', 'Description'].map(lengthOf),
      [80, 40, 255, 40, 32000],
    );
    for (const [field, length] of [
      ['LastName', 80],
      ['FirstName', 40],
      ['Company', 255],
      ['Phone', 40],
      ['Description', 32000],
    ] as const) {
      const record = { LastName: 'X', Company: 'Y', [field]: 'x'.repeat(length + 1) };
      const refused = await errorOf(() => conn.sobject('Lead').create(record));
      assert.equal(refused.errorCode, 'STRING_TOO_LONG', field);
      assert.match(refused.message, new RegExp(`\\(max length=${length}\\)$`));
      const fits = await conn.sobject('Lead').create({ ...record, [field]: 'x'.repeat(length) });
      assert.equal(fits.success, true, `${field} of exactly ${length} characters fits`);
    }

    await conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: 'unique-1' });
    const dup = await errorOf(() =>
      conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: 'UNIQUE-1' }),
    );
    assert.equal(dup.errorCode, 'DUPLICATE_VALUE');
    assert.match(
      dup.message,
      /^duplicate value found: Aircall_Call_Id__c duplicates value on record with id: a/,
    );

    const readOnly = await errorOf(() =>
      conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: 'ro', Name: 'AV-1' }),
    );
    assert.equal(readOnly.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');

    const badType = await rest(org, 'POST', '/sobjects/NoSuchObject__c', { Name: 'x' });
    assert.equal(badType.status, 404);
    assert.equal((badType.body as Row[])[0]!.errorCode, 'NOT_FOUND');

    const badRef = await errorOf(() =>
      conn.sobject('Contact').create({ LastName: 'X', AccountId: '00Q5g0000000001EAA' }),
    );
    assert.equal(badRef.errorCode, 'MALFORMED_ID');
  });

  // resources_query.htm / dome_query.htm: {totalSize, done, records[attributes…]}.
  it('evaluates SOQL field lists, relationship fields, filters, ordering and limits', async () => {
    const q = await conn.query<Row>(
      "SELECT Id, Name, Phone, Owner.Email, Account.Name FROM Contact WHERE Account.Name = 'Acme Corporation' ORDER BY LastName DESC LIMIT 5",
    );
    assert.equal(q.done, true);
    assert.equal(q.totalSize, q.records.length);
    assert.deepEqual(
      q.records.map((r) => r.Name),
      ['Alice Walker', 'Bob Stone'],
    );
    const first = q.records[0]!;
    assert.equal((first.attributes as Row).type, 'Contact');
    assert.equal((first.Owner as Row).Email, 'noah.smith@aircall-demo.example');
    assert.deepEqual(Object.keys(first), ['attributes', 'Id', 'Name', 'Phone', 'Owner', 'Account']);

    const leads = await conn.query<Row>(
      "SELECT LastName FROM Lead WHERE IsConverted = false AND (LastName IN ('Nguyen', 'Rivera') OR Phone LIKE '%720%') ORDER BY LastName",
    );
    assert.deepEqual(
      leads.records.map((r) => r.LastName),
      ['Caller', 'Caller (2)', 'Nguyen', 'Rivera'],
    );
    const notIn = await conn.query<Row>(
      "SELECT LastName FROM Lead WHERE IsConverted = true AND LastName NOT IN ('Moreau')",
    );
    assert.deepEqual(
      notIn.records.map((r) => r.LastName),
      ['Gibbons'],
    );
    const recent = await conn.query(
      'SELECT COUNT() FROM Lead WHERE CreatedDate = LAST_N_DAYS:1 AND CreatedDate > 2020-01-01T00:00:00Z',
    );
    assert.ok(recent.totalSize >= 8);
    const nullOwner = await conn.query(
      "SELECT Id FROM Account WHERE Website = null AND Name != 'Acme Corporation'",
    );
    assert.ok(nullOwner.totalSize >= 4);
  });

  // SOQL and SOSL Reference, "Aggregate Functions" / "GROUP BY" / "FIELDS()".
  it('answers GROUP BY and aggregate queries as AggregateResult rows, and expands FIELDS()', async () => {
    const grouped = await conn.query<Row>(
      'SELECT IsConverted, COUNT(Id) n, MAX(LastName) FROM Lead GROUP BY IsConverted ORDER BY COUNT(Id) DESC',
    );
    assert.deepEqual(
      grouped.records.map((r) => [(r.attributes as Row).type, r.IsConverted, r.n]),
      [
        ['AggregateResult', false, grouped.records[0]!.n],
        ['AggregateResult', true, 2],
      ],
    );
    assert.ok((grouped.records[0]!.n as number) >= 6);
    assert.equal(grouped.records[1]!.expr0, 'Moreau');
    const total = await conn.query<Row>('SELECT COUNT(Id) FROM Lead WHERE IsConverted = true');
    assert.deepEqual(
      total.records.map((r) => r.expr0),
      [2],
    );
    const all = await conn.query<Row>('SELECT FIELDS(ALL) FROM Lead LIMIT 1');
    assert.ok('Aircall_Phone_Key__c' in all.records[0]! && 'Company' in all.records[0]);
    const tooMany = await errorOf(async () => {
      await conn.query('SELECT FIELDS(ALL) FROM Lead');
    });
    assert.equal(tooMany.errorCode, 'MALFORMED_QUERY');
  });

  // resources_query.htm: results above the batch size come in batches linked by nextRecordsUrl.
  it('pages large query results with nextRecordsUrl and the Sforce-Query-Options batch size', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `Paged ${i}`,
    }));
    for (let k = 0; k < 3; k++) await rest(org, 'POST', '/composite/sobjects', { records });
    const res = await fetch(
      `${org.instanceUrl}/services/data/v${API}/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name LIKE 'Paged%'")}`,
      {
        headers: {
          authorization: `Bearer ${org.accessToken}`,
          'sforce-query-options': 'batchSize=250',
        },
      },
    );
    const page1 = (await res.json()) as {
      totalSize: number;
      done: boolean;
      nextRecordsUrl: string;
      records: Row[];
    };
    assert.equal(page1.totalSize, 600);
    assert.equal(page1.done, false);
    assert.equal(page1.records.length, 250);
    assert.match(page1.nextRecordsUrl, new RegExp(`^/services/data/v${API}/query/01g\\w+-250$`));
    const page2 = (await rest(org, 'GET', page1.nextRecordsUrl)).body as {
      done: boolean;
      nextRecordsUrl: string;
    };
    assert.equal(page2.done, false);
    const page3 = (await rest(org, 'GET', page2.nextRecordsUrl)).body as {
      done: boolean;
      records: Row[];
      nextRecordsUrl?: string;
    };
    assert.equal(page3.done, true);
    assert.equal(page3.records.length, 100);
    assert.equal(page3.nextRecordsUrl, undefined);
    const all = await conn.query('SELECT Id FROM Account', { autoFetch: true, maxFetch: 10000 });
    assert.equal(all.records.length, all.totalSize);
  });

  // help.salesforce.com article 000386264: URI + headers are limited to 16,384 bytes (431 beyond).
  it('refuses a request whose URI and headers exceed 16,384 bytes with 431', async () => {
    const ids = Array.from(
      { length: 900 },
      (_, i) => `'aircall-${String(i).padStart(10, '0')}'`,
    ).join(',');
    const r = await rest(
      org,
      'GET',
      `/query?q=${encodeURIComponent(`SELECT Id FROM VoiceCall WHERE VendorCallKey IN (${ids})`)}`,
    );
    assert.equal(r.status, 431);
  });

  it('answers MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE for bad SOQL', async () => {
    assert.equal(
      (
        await errorOf(async () => {
          await conn.query('SELEKT Id FROM Lead');
        })
      ).errorCode,
      'MALFORMED_QUERY',
    );
    assert.equal(
      (
        await errorOf(async () => {
          await conn.query('SELECT Nope__c FROM Lead');
        })
      ).errorCode,
      'INVALID_FIELD',
    );
    assert.equal(
      (
        await errorOf(async () => {
          await conn.query('SELECT Id FROM Nope__c');
        })
      ).errorCode,
      'INVALID_TYPE',
    );
  });

  // resources_search.htm: {searchRecords:[…]}; phone values stored as typed are found by digits.
  it('finds records by phone digits whatever format the phone was typed in', async () => {
    const sosl =
      'FIND {"4155550132" OR "33612345678" OR "612345678" OR "2125550199"} IN PHONE FIELDS RETURNING ' +
      'Contact(Id, Name), Lead(Id, Name WHERE IsConverted = false), Account(Id, Name)';
    const { searchRecords } = await conn.search(sosl);
    const names = searchRecords
      .map((r) => `${(r.attributes as Row).type as string}:${r.Name as string}`)
      .sort();
    assert.deepEqual(names, [
      'Account:Initech',
      'Contact:Alice Walker',
      'Contact:Chloé Moreau',
      'Contact:Peter Gibbons',
    ]);
  });

  // sforce_api_calls_sosl_syntax.htm: "If the SearchQuery string is longer than 10,000 characters, no result rows are returned."
  it('returns no rows, silently, for a SOSL search text longer than 10,000 characters', async () => {
    // Unquoted terms keep the percent-encoded URL under the HTTP request-line limit.
    const terms = ['4155550132', ...Array.from({ length: 800 }, (_, i) => String(100000000 + i))];
    const long = `FIND {${terms.join(' OR ')}} IN PHONE FIELDS RETURNING Contact(Id)`;
    const short = `FIND {${terms.slice(0, 100).join(' OR ')}} IN PHONE FIELDS RETURNING Contact(Id)`;
    assert.ok(long.length > 10_000);
    const found = await conn.search(short);
    assert.equal(found.searchRecords.length, 1);
    const none = await conn.search(long);
    assert.deepEqual(none.searchRecords, []);
  });

  // platform_events_publish_api.htm: success with OPERATION_ENQUEUED and the event UUID.
  it('publishes platform events like a high-volume event', async () => {
    const r = await rest(org, 'POST', '/sobjects/Aircall_Voice_Update__e', {
      Call_Id__c: '42',
      Change__c: 'created',
    });
    assert.equal(r.status, 201);
    const body = r.body as { id: string; success: boolean; errors: Row[] };
    assert.equal(body.success, true);
    assert.equal(body.errors[0]!.statusCode, 'OPERATION_ENQUEUED');
    assert.match(String(body.errors[0]!.message), /^[0-9a-f-]{36}$/);
    const many = await conn
      .sobject('Aircall_Voice_Update__e')
      .create([{ Call_Id__c: '1' }, { Call_Id__c: '2' }]);
    assert.deepEqual(
      many.map((x) => x.success),
      [true, true],
    );
  });

  // resources_limits.htm and headers "Sforce-Limit-Info".
  it('reports DailyApiRequests and the api-usage header on every response', async () => {
    const r = await rest(org, 'GET', '/limits');
    const limits = r.body as { DailyApiRequests: { Max: number; Remaining: number } };
    assert.equal(limits.DailyApiRequests.Max, 150000);
    const header = r.headers.get('sforce-limit-info');
    assert.match(header!, /^api-usage=\d+\/150000$/);
    const used = Number(/api-usage=(\d+)/.exec(header!)![1]);
    assert.equal(limits.DailyApiRequests.Remaining, 150000 - used);
    const err = await rest(org, 'GET', '/query?q=SELEKT');
    assert.match(err.headers.get('sforce-limit-info')!, /^api-usage=/);
  });

  // resources_sobject_describe.htm
  it('describes objects with the properties a deployment check reads', async () => {
    const d = await conn.sobject('Aircall_Voice__c').describe();
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    const callId = byName.get('Aircall_Call_Id__c')!;
    assert.equal(callId.externalId, true);
    assert.equal(callId.unique, true);
    assert.equal(callId.length, 32);
    assert.equal(callId.nillable, false);
    const direction = byName.get('Direction__c')!;
    assert.equal(direction.type, 'picklist');
    assert.equal(direction.restrictedPicklist, true);
    assert.deepEqual(
      (direction.picklistValues ?? []).map((p: { value: string }) => p.value),
      ['Inbound', 'Outbound'],
    );
    assert.deepEqual(byName.get('Lead__c')!.referenceTo, ['Lead']);
    assert.equal(byName.get('Lead__c')!.relationshipName, 'Lead__r');
    assert.equal(byName.get('Name')!.autoNumber, true);
    const global = await conn.describeGlobal();
    assert.ok(global.sobjects.some((s) => s.name === 'VoiceCall' && s.keyPrefix === '0LQ'));
  });

  it('counts requests per category', async () => {
    org.resetCounters();
    await conn.query('SELECT Id FROM Lead LIMIT 1');
    await conn.search('FIND {4155550132} IN PHONE FIELDS RETURNING Contact(Id)');
    await conn.sobject('Account').create([{ Name: 'Counted' }]);
    await conn.sobject('Account').create({ Name: 'Counted 2' });
    await conn.sobject('Aircall_Voice_Update__e').create({ Call_Id__c: '9' });
    assert.deepEqual(org.counters(), {
      rest: 1,
      composite: 1,
      query: 1,
      search: 1,
      telephony: 0,
      events: 1,
      total: 5,
    });
    const viaHttp = await rest(org, 'GET', '/local/counters');
    assert.equal((viaHttp.body as Row).total, 5);
  });
});

describe('local org allocation and faults', () => {
  // API allocation (docs/PLATFORM.md §2): when the rolling allocation is used up, REQUEST_LIMIT_EXCEEDED.
  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allocation is used up', async () => {
    const { org, conn } = await openOrg({ dailyApiLimit: 3 });
    try {
      await conn.query('SELECT Id FROM User');
      await conn.query('SELECT Id FROM User');
      await conn.query('SELECT Id FROM User');
      const r = await rest(org, 'GET', '/query?q=SELECT+Id+FROM+User');
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, [
        {
          message: 'TotalRequests Limit exceeded.',
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
          fields: [],
        },
      ]);
      assert.equal(r.headers.get('sforce-limit-info'), 'api-usage=3/3');
    } finally {
      await org.close();
    }
  });

  it('injects 503s, lock errors and partial collection failures as configured, and full outages', async () => {
    const { org, conn } = await openOrg();
    try {
      org.setFaults({ serviceUnavailableRate: 1 });
      assert.equal((await rest(org, 'GET', '/limits')).status, 503);
      org.setFaults({ lockRowRate: 1 });
      const locked = await errorOf(() => conn.sobject('Account').create({ Name: 'Locked' }));
      assert.equal(locked.errorCode, 'UNABLE_TO_LOCK_ROW');
      org.setFaults({ partialFailureRate: 0.5, seed: 7 });
      const results = await conn
        .sobject('Account')
        .create(Array.from({ length: 40 }, (_, i) => ({ Name: `P${i}` })));
      const failed = results.filter((r) => !r.success);
      assert.ok(
        failed.length > 0 && failed.length < 40,
        `some but not all records fail (got ${failed.length})`,
      );
      for (const f of failed)
        assert.equal((f as { errors: Row[] }).errors[0]!.statusCode, 'UNABLE_TO_LOCK_ROW');
      const viaHttp = await rest(org, 'POST', '/local/faults', { outageMs: 60_000 });
      assert.ok((viaHttp.body as { outageRemainingMs: number }).outageRemainingMs > 0);
      assert.equal((await rest(org, 'GET', '/limits')).status, 503);
      await rest(org, 'POST', '/local/faults', {});
      assert.equal((await rest(org, 'GET', '/limits')).status, 200);
    } finally {
      await org.close();
    }
  });
});
