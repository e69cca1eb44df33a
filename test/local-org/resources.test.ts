/**
 * REST resources next to the sObject rows, each checked against its REST API Developer Guide page:
 * describe sub-resources, list views, recently viewed items, getUpdated / getDeleted, query plans,
 * limits, identity, tabs / theme, the 300 answer of an ambiguous upsert and the default
 * BusinessHours every org has.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METADATA_DIR, openOrg, rest, SEED_FILE } from './helpers';

type Row = Record<string, unknown>;

describe('local org REST resources', () => {
  // "sObject Describe Layouts", "Describe Compact Layouts", "sObject Describe": an unknown
  // sub-path of describe is 404 NOT_FOUND, not the plain describe.
  it('serves describe sub-resources and 404s unknown ones', async () => {
    const { org, conn } = await openOrg();
    try {
      const layouts = await conn.sobject('Account').layouts();
      assert.ok(layouts.layouts[0]!.detailLayoutSections.length > 0);
      assert.deepEqual(layouts.recordTypeMappings, []);
      const compact = await conn.sobject('Account').compactLayouts();
      assert.equal(compact.compactLayouts[0]!.objectType, 'Account');
      const named = await conn.sobject('User').layouts('UserAlt');
      assert.equal(named.layouts.length, 1);
      for (const path of [
        '/sobjects/Account/describe/anything',
        '/sobjects/Account/describe/namedLayouts/Nope',
        '/sobjects/Nope__c/describe/layouts',
      ]) {
        const r = await rest(org, 'GET', path);
        assert.equal(r.status, 404, path);
        assert.equal((r.body as Row[])[0]!.errorCode, 'NOT_FOUND');
      }
    } finally {
      await org.close();
    }
  });

  // "List Views", "List View Describe", "List View Results"; SOQL "FOR VIEW" and "Recently Viewed
  // Items" (/recent), "sObject Basic Information" (recentItems).
  it('lists standard list views with results, and tracks records viewed with FOR VIEW', async () => {
    const { org, conn } = await openOrg({ seedFile: SEED_FILE });
    try {
      const views = (await conn.sobject('Account').listviews()) as { listviews: Row[] };
      const all = views.listviews.find((v) => v.label === 'All Accounts')! as { id: string };
      const results = (await conn.sobject('Account').listview(all.id).results()) as Row;
      assert.equal(results.size, 5);
      const described = (await conn.sobject('Account').listview(all.id).describe()) as Row;
      assert.match(String(described.query), /FROM Account/);

      assert.deepEqual(await conn.recent(), []);
      await conn.query("SELECT Id, Name FROM Account WHERE Name = 'Initech' FOR VIEW");
      const recent = (await conn.recent()) as Row[];
      assert.deepEqual(
        recent.map((r) => [(r.attributes as Row).type, r.Name]),
        [['Account', 'Initech']],
      );
      const basic = await rest(org, 'GET', '/sobjects/Account');
      assert.equal(((basic.body as Row).recentItems as Row[]).length, 1);
    } finally {
      await org.close();
    }
  });

  // "sObject Get Updated", "sObject Get Deleted"; "QueryAll".
  it('answers getUpdated and getDeleted windows and queryAll from the recycle bin', async () => {
    const { org, conn } = await openOrg();
    try {
      const start = new Date(Date.now() - 60_000);
      const a = await conn.sobject('Account').create({ Name: 'Temp' });
      const b = await conn.sobject('Account').create({ Name: 'Kept' });
      await conn.sobject('Account').destroy(a.id!);
      const end = new Date(Date.now() + 60_000);
      const updated = await conn.sobject('Account').updated(start, end);
      assert.deepEqual(updated.ids, [b.id]);
      const deleted = await conn.sobject('Account').deleted(start, end);
      assert.deepEqual(
        deleted.deletedRecords.map((r) => r.id),
        [a.id],
      );
      const all = await conn.query<Row>('SELECT Id, IsDeleted FROM Account ORDER BY Name', {
        scanAll: true,
      });
      assert.deepEqual(
        all.records.map((r) => r.IsDeleted),
        [false, true],
      );
      const old = await rest(
        org,
        'GET',
        `/sobjects/Account/updated?start=2020-01-01T00:00:00%2B00:00&end=2020-01-02T00:00:00%2B00:00`,
      );
      assert.equal(old.status, 400);
      assert.equal((old.body as Row[])[0]!.errorCode, 'INVALID_REPLICATION_DATE');
    } finally {
      await org.close();
    }
  });

  // "Get Feedback on Query Performance" (explain), "Limits", "Identity URLs", "Tabs", "Themes".
  it('explains queries and serves limits, identity, tabs and theme', async () => {
    const { org, conn } = await openOrg({
      seedFile: SEED_FILE,
      limits: { FileStorageMB: { Max: 7 } },
    });
    try {
      const plan = await rest(
        org,
        'GET',
        `/query?explain=${encodeURIComponent('SELECT Id FROM Lead')}`,
      );
      const [p] = (plan.body as { plans: Row[] }).plans;
      assert.deepEqual(
        [p!.leadingOperationType, p!.sobjectType, p!.sobjectCardinality],
        ['TableScan', 'Lead', 8],
      );
      const limits = (await conn.limits()) as unknown as Record<
        string,
        { Max: number; Remaining: number }
      >;
      for (const key of [
        'DataStorageMB',
        'DailyBulkApiBatches',
        'SingleEmail',
        'HourlyPublishedPlatformEvents',
      ]) {
        assert.ok(limits[key] && limits[key].Max >= 0, key);
      }
      assert.deepEqual(limits.FileStorageMB, { Max: 7, Remaining: 7 });
      const me = await conn.identity();
      assert.equal(me.email, 'integration@aircall-sfv.local');
      assert.equal(me.organization_id.slice(0, 3), '00D');
      const bad = await fetch(`${me.id}?format=json&oauth_token=wrong`);
      assert.equal(bad.status, 403);
      const tabs = (await conn.tabs()) as Row[];
      assert.ok(tabs.some((t) => t.sobjectName === 'Aircall_Voice__c'));
      const theme = await conn.theme();
      assert.ok(theme.themeItems.some((t) => t.name === 'Account'));
    } finally {
      await org.close();
    }
  });

  // "Insert or Update (Upsert) a Record Using an External ID": several matches → 300 with their URLs.
  it('answers 300 Multiple Choices to an upsert whose external id matches two records', async () => {
    // An external id that is not unique, as an admin may add one.
    const dir = mkdtempSync(join(tmpdir(), 'local-org-metadata-'));
    cpSync(METADATA_DIR, dir, { recursive: true });
    writeFileSync(
      join(dir, 'objects', 'Lead', 'fields', 'Legacy_Key__c.field-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Legacy_Key__c</fullName><externalId>true</externalId><label>Legacy Key</label><length>20</length><type>Text</type></CustomField>',
    );
    const { org } = await openOrg({ metadataDir: dir });
    try {
      for (const last of ['One', 'Two']) {
        const r = await rest(org, 'POST', '/sobjects/Lead', {
          LastName: last,
          Company: 'Twins',
          Legacy_Key__c: 'K1',
        });
        assert.equal(r.status, 201);
      }
      const up = await rest(org, 'PATCH', '/sobjects/Lead/Legacy_Key__c/K1', {
        LastName: 'Three',
        Company: 'Twins',
      });
      assert.equal(up.status, 300);
      assert.equal((up.body as string[]).length, 2);
    } finally {
      await org.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // "sObject Collections" upsert with allOrNone: every record fails, and `created` still says
  // which records were inserts (what jsforce's real-org suite expects from a real org).
  it('reports created on every record of a rolled-back allOrNone upsert', async () => {
    const { org } = await openOrg();
    try {
      const r = await rest(org, 'PATCH', '/composite/sobjects/Lead/Aircall_Phone_Key__c', {
        allOrNone: true,
        records: [
          {
            attributes: { type: 'Lead' },
            LastName: 'Ok',
            Company: 'C',
            Aircall_Phone_Key__c: '+331',
          },
          { attributes: { type: 'Lead' }, LastName: 'No company', Aircall_Phone_Key__c: '+332' },
        ],
      });
      const results = r.body as Row[];
      assert.deepEqual(
        results.map((x) => [x.success, x.created, (x.errors as Row[])[0]!.statusCode]),
        [
          [false, true, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
          [false, true, 'REQUIRED_FIELD_MISSING'],
        ],
      );
    } finally {
      await org.close();
    }
  });

  // Object Reference "BusinessHours"; Salesforce Help "Set Business Hours": every org has one
  // default business hours record, 24 hours a day, 7 days a week.
  it('has a default BusinessHours record in an org without sample data', async () => {
    const { org, conn } = await openOrg();
    try {
      const bh = await conn.query<Row>(
        'SELECT Name, IsDefault, MondayStartTime, MondayEndTime FROM BusinessHours',
      );
      assert.deepEqual(
        bh.records.map((r) => [r.Name, r.IsDefault, r.MondayStartTime, r.MondayEndTime]),
        [['Default', true, '00:00:00.000Z', '00:00:00.000Z']],
      );
    } finally {
      await org.close();
    }
  });
});
