/**
 * The local org with Person Accounts enabled (`personAccounts: true`, `aircall-sfv local-org
 * --person-accounts`), and what an org with them does, with where it is documented:
 * - API Developer Guide, "Person Account Record Types"
 *   (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_guidelines_personaccounts.htm):
 *   record types whose `IsPersonType` is true are person account record types (one default,
 *   `PersonAccount`; found with `SELECT … FROM RecordType WHERE SobjectType='Account' AND
 *   IsPersonType=True`); creating a person account creates its person contact, whose Id is in
 *   `PersonContactId`; it is the only contact associated with the account; deleting the account
 *   deletes the contact, which cannot be deleted directly.
 * - Object Reference, "Account"
 *   (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm):
 *   `IsPersonAccount`, `PersonContactId`, `FirstName`/`LastName`, `PersonMobilePhone`,
 *   `PersonHomePhone`, `PersonOtherPhone`, `PersonAssistantPhone`, `PersonMailingCountry`, … exist
 *   when person accounts are enabled; custom Contact fields appear on Account as `…__pc` (Change
 *   Data Capture Developer Guide, "Creating and Undeleting a Person Account").
 * - The errors: `Name` written on a person account answers INVALID_FIELD_FOR_INSERT_UPDATE
 *   "Account: bad field names on insert/update call: Name"
 *   (https://github.com/sorenkrabbe/Chrome-Salesforce-inspector/issues/38); a person contact
 *   written through Contact answers INVALID_PERSON_ACCOUNT_OPERATION "cannot reference person
 *   contact" (https://github.com/SFDO-Community/declarative-lookup-rollup-summaries/issues/544).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { API, METADATA_DIR, rest } from './helpers';

type Row = Record<string, unknown>;
type Errors = { errorCode: string; message: string; fields: string[] }[];

describe('local org with Person Accounts', () => {
  let org: LocalOrg;
  let personType: string;
  let businessType: string;
  before(async () => {
    org = await startLocalOrg({ port: 0, metadataDir: METADATA_DIR, personAccounts: true });
    const types = await rest(
      org,
      'GET',
      `/query?q=${encodeURIComponent("SELECT Id, DeveloperName, IsPersonType FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true")}`,
    );
    const records = (types.body as { records: Row[] }).records;
    assert.equal(records.length, 1);
    assert.equal(records[0]!.DeveloperName, 'PersonAccount');
    personType = records[0]!.Id as string;
    const business = await rest(
      org,
      'GET',
      `/query?q=${encodeURIComponent("SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = false")}`,
    );
    businessType = (business.body as { records: Row[] }).records[0]!.Id as string;
  });
  after(() => org.close());

  it('describes the person fields on Account and IsPersonAccount on Contact', async () => {
    const account = (await rest(org, 'GET', '/sobjects/Account/describe')).body as {
      fields: { name: string; type: string; createable: boolean; referenceTo: string[] }[];
    };
    const byName = new Map(account.fields.map((f) => [f.name, f]));
    for (const name of [
      'IsPersonAccount',
      'PersonContactId',
      'RecordTypeId',
      'FirstName',
      'LastName',
      'PersonMobilePhone',
      'PersonHomePhone',
      'PersonOtherPhone',
      'PersonAssistantPhone',
      'PersonMailingCountry',
      'PersonOtherCountry',
      'Aircall_Phone_Key__pc',
    ])
      assert.ok(byName.has(name), name);
    assert.equal(byName.get('PersonMobilePhone')!.type, 'phone');
    assert.equal(byName.get('IsPersonAccount')!.createable, false);
    assert.deepEqual(byName.get('PersonContactId')!.referenceTo, ['Contact']);
    const contact = (await rest(org, 'GET', '/sobjects/Contact/describe')).body as {
      fields: { name: string }[];
    };
    assert.ok(contact.fields.some((f) => f.name === 'IsPersonAccount'));
  });

  it('creates a person account with its person contact, readable by SOQL and SOSL', async () => {
    const created = await rest(org, 'POST', '/sobjects/Account', {
      RecordTypeId: personType,
      FirstName: 'Lucía',
      LastName: 'García',
      PersonMobilePhone: '+34 612 34 56 78',
      PersonMailingCountry: 'Spain',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = (created.body as { id: string }).id;
    const [account] = (
      (
        await rest(
          org,
          'GET',
          `/query?q=${encodeURIComponent(`SELECT Name, IsPersonAccount, PersonContactId, PersonMobilePhone FROM Account WHERE Id = '${id}'`)}`,
        )
      ).body as { records: Row[] }
    ).records;
    assert.equal(account!.Name, 'Lucía García');
    assert.equal(account!.IsPersonAccount, true);
    const contactId = account!.PersonContactId as string;
    assert.match(contactId, /^003/);
    const [contact] = (
      (
        await rest(
          org,
          'GET',
          `/query?q=${encodeURIComponent(`SELECT Name, AccountId, IsPersonAccount, MobilePhone, MailingCountry FROM Contact WHERE Id = '${contactId}'`)}`,
        )
      ).body as { records: Row[] }
    ).records;
    assert.deepEqual(
      [
        contact!.Name,
        contact!.AccountId,
        contact!.IsPersonAccount,
        contact!.MobilePhone,
        contact!.MailingCountry,
      ],
      ['Lucía García', id, true, '+34 612 34 56 78', 'Spain'],
    );
    const found = await rest(
      org,
      'GET',
      `/search?q=${encodeURIComponent('FIND {"612345678"} IN PHONE FIELDS RETURNING Account(Id, IsPersonAccount, PersonContactId, PersonMobilePhone)')}`,
    );
    const rows = (found.body as { searchRecords: Row[] }).searchRecords;
    assert.deepEqual(
      rows.map((r) => [r.Id, r.IsPersonAccount, r.PersonContactId]),
      [[id, true, contactId]],
    );
    // Changed through the account, the person contact changes with it.
    const patched = await rest(org, 'PATCH', `/sobjects/Account/${id}`, {
      PersonHomePhone: '91 123 45 67',
      LastName: 'García López',
    });
    assert.equal(patched.status, 204, JSON.stringify(patched.body));
    const after = (await rest(org, 'GET', `/sobjects/Contact/${contactId}`)).body as Row;
    assert.equal(after.HomePhone, '91 123 45 67');
    assert.equal(after.Name, 'Lucía García López');
  });

  it('refuses what an org refuses: Name on a person, person fields on a business account, the person contact through Contact', async () => {
    const withName = await rest(org, 'POST', '/sobjects/Account', {
      RecordTypeId: personType,
      LastName: 'Ruiz',
      Name: 'Ana Ruiz',
    });
    assert.equal(withName.status, 400);
    assert.deepEqual(withName.body, [
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: 'Account: bad field names on insert/update call: Name',
        fields: ['Name'],
      },
    ]);
    const noLastName = await rest(org, 'POST', '/sobjects/Account', {
      RecordTypeId: personType,
      FirstName: 'Ana',
    });
    assert.equal((noLastName.body as Errors)[0]!.errorCode, 'REQUIRED_FIELD_MISSING');
    // Without the person record type, an Account is a business account: a name is required and
    // person fields do not exist on it.
    const business = await rest(org, 'POST', '/sobjects/Account', {
      LastName: 'Ruiz',
      PersonMobilePhone: '+34 600 00 00 00',
    });
    assert.equal(business.status, 400);
    assert.deepEqual(
      (business.body as Errors)[0]!.message,
      'Account: bad field names on insert/update call: LastName, PersonMobilePhone',
    );
    const ok = await rest(org, 'POST', '/sobjects/Account', {
      RecordTypeId: businessType,
      Name: 'Ruiz SL',
    });
    assert.equal(ok.status, 201);
    const person = await rest(org, 'POST', '/sobjects/Account', {
      RecordTypeId: personType,
      LastName: 'Ruiz',
    });
    const personId = (person.body as { id: string }).id;
    const { PersonContactId } = (await rest(org, 'GET', `/sobjects/Account/${personId}`)).body as {
      PersonContactId: string;
    };
    for (const [method, body] of [
      ['PATCH', { MobilePhone: '+34 600 00 00 01' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await rest(org, method, `/sobjects/Contact/${PersonContactId}`, body);
      assert.equal(res.status, 400, method);
      assert.deepEqual(res.body, [
        {
          errorCode: 'INVALID_PERSON_ACCOUNT_OPERATION',
          message: 'cannot reference person contact',
          fields: [],
        },
      ]);
    }
    // Deleting the account deletes its person contact.
    assert.equal((await rest(org, 'DELETE', `/sobjects/Account/${personId}`)).status, 204);
    assert.equal((await rest(org, 'GET', `/sobjects/Contact/${PersonContactId}`)).status, 404);
  });

  it('is off by default: no record types, no person fields', async () => {
    const plain = await startLocalOrg({ port: 0, metadataDir: METADATA_DIR });
    try {
      const res = await rest(
        plain,
        'GET',
        `/query?q=${encodeURIComponent('SELECT IsPersonAccount FROM Account')}`,
      );
      assert.equal(res.status, 400);
      assert.equal((res.body as Errors)[0]!.errorCode, 'INVALID_FIELD');
      assert.equal(
        (await rest(plain, 'GET', `/services/data/v${API}/sobjects/RecordType/describe`)).status,
        404,
      );
    } finally {
      await plain.close();
    }
  });
});
