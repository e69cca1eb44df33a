/**
 * The local org's standard schema (dev/local-org/standard-schema.json), compound fields, the recycle
 * bin, parent-to-child subqueries and date literals, each checked against the documentation page
 * that describes the behaviour in a real org.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSchema } from '../../dev/local-org';
import { dateRange } from '../../dev/local-org/soql';
import { errorOf, METADATA_DIR, openOrg, rest } from './helpers';

type Row = Record<string, unknown>;

describe('local org standard schema', () => {
  // Salesforce Field Reference, "Lead", "Contact", "Account", "Opportunity":
  // https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-lead.html (and -contact, -account, -opportunity)
  it('accepts the standard fields of the Field Reference and reads compound addresses and names', async () => {
    const { org, conn } = await openOrg();
    try {
      const acc = await conn.sobject('Account').create({
        Name: 'Acme',
        BillingStreet: '1 Main St',
        BillingCity: 'Lyon',
        BillingState: 'Rhône',
        BillingPostalCode: '69001',
        BillingCountry: 'France',
        NumberOfEmployees: 120,
        Industry: 'Telecommunications',
        AnnualRevenue: 2500000,
      });
      assert.ok(acc.success);
      const lead = await conn.sobject('Lead').create({
        LastName: 'Durand',
        Company: 'Durand SA',
        Country: 'France',
        LeadSource: 'Web',
      });
      assert.ok(lead.success);
      const contact = await conn.sobject('Contact').create({
        FirstName: 'Ana',
        MiddleName: 'M.',
        LastName: 'Silva',
        Suffix: 'Jr.',
        AccountId: acc.id,
        MailingCountry: 'Portugal',
      });
      assert.ok(contact.success);
      const user = await conn.sobject('User').update({
        Id: (await conn.query<{ Id: string }>('SELECT Id FROM User LIMIT 1')).records[0]!.Id,
        LocaleSidKey: 'fr_FR',
      });
      assert.ok(user.success);

      const [a] = (
        await conn.query<Row>(
          `SELECT BillingAddress, NumberOfEmployees FROM Account WHERE Id = '${acc.id}'`,
        )
      ).records;
      // SOAP API Developer Guide, "Address Compound Fields": read as one structured value.
      assert.deepEqual(a!.BillingAddress, {
        street: '1 Main St',
        city: 'Lyon',
        state: 'Rhône',
        postalCode: '69001',
        country: 'France',
        latitude: null,
        longitude: null,
        geocodeAccuracy: null,
      });
      assert.equal(a!.NumberOfEmployees, 120);
      const [c] = (await conn.query<Row>(`SELECT Name, MailingAddress, OtherAddress FROM Contact`))
        .records;
      // Object Reference "Contact": Name concatenates FirstName, MiddleName, LastName and Suffix.
      assert.equal(c!.Name, 'Ana M. Silva Jr.');
      assert.equal((c!.MailingAddress as Row).country, 'Portugal');
      assert.equal(c!.OtherAddress, null);

      // Compound fields are read-only: write the components instead.
      const err = await errorOf(() =>
        conn.sobject('Account').create({ Name: 'X', BillingAddress: { city: 'Paris' } }),
      );
      assert.equal(err.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    } finally {
      await org.close();
    }
  });

  // Object Reference, "Opportunity": IsClosed, IsWon and ForecastCategory follow StageName; the
  // stage's probability is the default Probability.
  it('has Opportunity with stage-derived fields', async () => {
    const { org, conn } = await openOrg();
    try {
      const missing = await errorOf(() => conn.sobject('Opportunity').create({ Name: 'Deal' }));
      assert.equal(missing.errorCode, 'REQUIRED_FIELD_MISSING');
      const opp = await conn.sobject('Opportunity').create({
        Name: 'Deal',
        StageName: 'Prospecting',
        CloseDate: '2026-12-31',
        Amount: 1000,
      });
      assert.ok(opp.success);
      await conn.sobject('Opportunity').update({ Id: opp.id, StageName: 'Closed Won' });
      const r = await conn.sobject('Opportunity').retrieve(opp.id);
      assert.deepEqual(
        [r.IsClosed, r.IsWon, r.Probability, r.ForecastCategoryName],
        [true, true, 100, 'Closed'],
      );
    } finally {
      await org.close();
    }
  });

  it('loads every object of the data file with its source page and the API version it reflects', () => {
    const schema = loadSchema(METADATA_DIR);
    assert.equal(schema.standardApiVersion, '66.0');
    for (const name of [
      'Account',
      'Contact',
      'Lead',
      'Opportunity',
      'Case',
      'Task',
      'Event',
      'User',
      'Organization',
      'BusinessHours',
      'Holiday',
      'Campaign',
      'VoiceCall',
      'UserServicePresence',
    ]) {
      const obj = schema.objects.get(name.toLowerCase());
      assert.ok(obj, name);
      assert.match(obj.source ?? '', /^https:\/\/developer\.salesforce\.com\//, name);
    }
    // What the sf CLI reads from Organization.
    const orgObj = schema.objects.get('organization')!;
    for (const f of ['TrialExpirationDate', 'NamespacePrefix', 'InstanceName', 'IsSandbox']) {
      assert.ok(orgObj.fields.has(f.toLowerCase()), f);
    }
  });

  // REST API Developer Guide, "sObject Describe": childRelationships lists the lookups pointing here.
  it('describes child relationships, including the package lookups', async () => {
    const { org, conn } = await openOrg();
    try {
      const d = await conn.sobject('Account').describe();
      const contacts = d.childRelationships.find((r) => r.relationshipName === 'Contacts');
      assert.deepEqual(
        [contacts?.childSObject, contacts?.field, contacts?.cascadeDelete],
        ['Contact', 'AccountId', true],
      );
      assert.ok(d.childRelationships.some((r) => r.relationshipName === 'Aircall_Calls__r'));
      const billingCity = d.fields.find((f) => f.name === 'BillingCity');
      assert.equal(billingCity?.compoundFieldName, 'BillingAddress');
    } finally {
      await org.close();
    }
  });
});

describe('local org SOQL: subqueries, recycle bin, date literals', () => {
  // SOQL and SOSL Reference, "Relationship Queries" (parent-to-child).
  it('answers parent-to-child subqueries with the children of each row, or null', async () => {
    const { org, conn } = await openOrg();
    try {
      const a = await conn.sobject('Account').create({ Name: 'With contacts' });
      await conn.sobject('Account').create({ Name: 'Without' });
      await conn.sobject('Contact').create([
        { LastName: 'B', AccountId: a.id },
        { LastName: 'A', AccountId: a.id },
        { LastName: 'C', AccountId: a.id },
      ]);
      const res = await conn.query<Row>(
        'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName LIMIT 2) FROM Account ORDER BY Name',
      );
      const [withC, without] = res.records;
      const sub = withC!.Contacts as { totalSize: number; done: boolean; records: Row[] };
      assert.equal(sub.totalSize, 2);
      assert.equal(sub.done, true);
      assert.deepEqual(
        sub.records.map((r) => r.LastName),
        ['A', 'B'],
      );
      assert.equal(without!.Contacts, null);
      const bad = await errorOf(async () =>
        conn.query('SELECT Id, (SELECT Id FROM Nope) FROM Account'),
      );
      assert.equal(bad.errorCode, 'INVALID_TYPE');
    } finally {
      await org.close();
    }
  });

  // SOAP API Developer Guide, "delete()": deleted records go to the Recycle Bin (IsDeleted = true),
  // found by queryAll / ALL ROWS ("Querying All Records with a SOQL Statement"); deleting an account
  // deletes its contacts (cascadeDelete in describe).
  it('keeps deleted records in the recycle bin, with their cascaded children', async () => {
    const { org, conn } = await openOrg();
    try {
      const a = await conn.sobject('Account').create({ Name: 'Gone' });
      const c = await conn.sobject('Contact').create({ LastName: 'Child', AccountId: a.id });
      await conn.sobject('Account').destroy(a.id!);
      assert.equal((await conn.query('SELECT Id FROM Contact')).totalSize, 0);
      const all = await conn.query<Row>('SELECT Id, IsDeleted FROM Contact ALL ROWS');
      assert.deepEqual(
        all.records.map((r) => [r.Id, r.IsDeleted]),
        [[c.id, true]],
      );
      const again = await rest(org, 'DELETE', `/sobjects/Account/${a.id}`);
      assert.equal(again.status, 404);
    } finally {
      await org.close();
    }
  });

  // SOQL and SOSL Reference, "Date Formats and Date Literals": literals use the running user's time zone.
  it("evaluates date literals in the user's time zone", () => {
    // 03:00 UTC on 27 Nov 2026 is still 26 Nov in New York (UTC-5) and already 27 Nov in Paris.
    const now = new Date('2026-11-27T03:00:00Z');
    assert.deepEqual(dateRange('TODAY', undefined, now, 'America/New_York'), {
      from: Date.parse('2026-11-26T05:00:00Z'),
      to: Date.parse('2026-11-27T05:00:00Z'),
    });
    assert.equal(
      dateRange('TODAY', undefined, now, 'Europe/Paris').from,
      Date.parse('2026-11-26T23:00:00Z'),
    );
    // Weeks start on Sunday; LAST_N_DAYS:2 covers today and the two days before.
    assert.equal(
      dateRange('THIS_WEEK', undefined, now, 'UTC').from,
      Date.parse('2026-11-22T00:00:00Z'),
    );
    assert.equal(dateRange('LAST_N_DAYS', 2, now, 'UTC').from, Date.parse('2026-11-25T00:00:00Z'));
    assert.deepEqual(dateRange('THIS_FISCAL_YEAR', undefined, now, 'UTC', 4), {
      from: Date.parse('2026-04-01T00:00:00Z'),
      to: Date.parse('2027-04-01T00:00:00Z'),
    });
    assert.throws(() => dateRange('LAST_DECADE', undefined, now), /not a date literal/);
  });
});
