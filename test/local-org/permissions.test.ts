/**
 * Permission sets enforced for the integration user. With the profile Salesforce recommends for an
 * integration user ("Minimum Access - API Only Integrations": Salesforce Help, "Give Integration
 * Users API Only Access") the user can do nothing with the package's objects until a permission set
 * grants it; assigned only Aircall_Integration, it can write exactly the fields that permission set
 * makes editable. A refused field is the org's INVALID_FIELD_FOR_INSERT_UPDATE "Unable to
 * create/update fields: X. Please check the security settings of this field and verify that it is
 * read/write for your profile or permission set." (REST API Developer Guide, "Status Codes and
 * Error Responses"); a refused object, INVALID_TYPE_FOR_OPERATION "entity type cannot be
 * inserted". The permission sets arrive by a Metadata API deploy (deploy-helpers.ts).
 *
 * Reads too (Object Reference, "Factors that Affect Data Access": "fields that are not visible to
 * the user are not returned in query() or describeSObjects() calls"): a field the permission set
 * does not grant is left out of describe and of a record read without `fields`; SOQL naming it is
 * refused as if it did not exist (INVALID_FIELD "No such column"); the sObject Rows GET naming it
 * in `fields` is a 400 (REST API Developer Guide, "Get Field Values from a Standard Object
 * Record"); an object the user may not read is INVALID_TYPE in SOQL and NOT_FOUND for describe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { deployPermissionSets } from './deploy-helpers';
import { errorOf, openOrg } from './helpers';
import type { LocalOrg } from '../../dev/local-org';

describe('the integration user assigned only Aircall_Integration', () => {
  let org: LocalOrg;
  let conn: Connection;
  before(async () => {
    ({ org, conn } = await openOrg({ userProfile: 'Minimum Access - API Only Integrations' }));
  });
  after(async () => org.close());

  it('can do nothing with the package objects before the permission set is assigned', async () => {
    const e = await errorOf(() =>
      conn
        .sobject('Aircall_Voice__c')
        .create({ Aircall_Call_Id__c: '1' })
        .then((r) => {
          if (!(r as { success: boolean }).success) throw (r as { errors: unknown[] }).errors[0];
          return r;
        }),
    );
    assert.equal(
      (e as unknown as { statusCode?: string; errorCode?: string }).errorCode ??
        (e as unknown as { statusCode: string }).statusCode,
      'INVALID_TYPE_FOR_OPERATION',
    );
  });

  it('writes what Aircall_Integration grants and is refused a field it does not grant', async () => {
    await deployPermissionSets(org, ['Aircall_Integration']);
    const voice = await conn
      .sobject('Aircall_Voice__c')
      .create({ Aircall_Call_Id__c: '2', Tags__c: 'vip' });
    assert.equal((voice as { success: boolean }).success, true);
    const account = await conn.sobject('Account').create({ Name: 'Acme', Phone: '+33100000000' });
    assert.equal((account as { success: boolean }).success, true);
    const id = (account as { id: string }).id;

    const res = await fetch(`${org.instanceUrl}/services/data/v66.0/sobjects/Account/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Industry: 'Retail' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), [
      {
        message:
          'Unable to create/update fields: Industry. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: ['Industry'],
      },
    ]);
    // Read-only in the permission set: the settings object cannot be created.
    const settings = await errorOf(() =>
      conn
        .sobject('Aircall_Settings__c')
        .create({ Name: 'x' })
        .then((r) => {
          if (!(r as { success: boolean }).success) throw (r as { errors: unknown[] }).errors[0];
          return r;
        }),
    );
    assert.match(JSON.stringify(settings), /INVALID_TYPE_FOR_OPERATION/);
  });

  it('reads only what Aircall_Integration grants: describe, SOQL, record reads', async () => {
    await deployPermissionSets(org, ['Aircall_Integration']);
    const get = async (path: string) => {
      const res = await fetch(`${org.instanceUrl}/services/data/v66.0${path}`, {
        headers: { authorization: `Bearer ${org.accessToken}` },
      });
      return { status: res.status, body: await res.json() };
    };
    // Account.Industry and Contact.Email are not in the permission set; Account.Phone is.
    const account = await get('/sobjects/Account/describe');
    const names = (account.body as { fields: { name: string }[] }).fields.map((f) => f.name);
    assert.ok(names.includes('Phone') && names.includes('Aircall_Phone_Key__c'));
    assert.ok(!names.includes('Industry'), 'describe leaves out a field the user cannot read');
    assert.ok(names.includes('BillingCountry'), 'an address part follows its compound field');

    const created = await conn.sobject('Account').create({ Name: 'Reader', Phone: '+331' });
    const id = (created as { id: string }).id;
    const record = await get(`/sobjects/Account/${id}`);
    assert.equal(record.status, 200);
    assert.equal((record.body as { Phone: string }).Phone, '+331');
    assert.ok(!('Industry' in (record.body as object)), 'a record read leaves it out too');
    const named = await get(`/sobjects/Account/${id}?fields=Phone,Industry`);
    assert.equal(named.status, 400);

    const query = await get(`/query?q=${encodeURIComponent('SELECT Id, Industry FROM Account')}`);
    assert.equal(query.status, 400);
    assert.deepEqual((query.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
    assert.match(
      (query.body as { message: string }[])[0]!.message,
      /^No such column 'Industry' on entity 'Account'/,
    );
    const where = await get(
      `/query?q=${encodeURIComponent("SELECT Id FROM Contact WHERE Email = 'a@b.c'")}`,
    );
    assert.equal((where.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
    const path = await get(
      `/query?q=${encodeURIComponent('SELECT Id, Account.Industry FROM Contact')}`,
    );
    assert.equal((path.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
    const all = await get(
      `/query?q=${encodeURIComponent('SELECT FIELDS(ALL) FROM Account LIMIT 200')}`,
    );
    assert.equal(all.status, 200);
    const row = (all.body as { records: Record<string, unknown>[] }).records[0]!;
    assert.ok('Phone' in row && !('Industry' in row), 'FIELDS(ALL) is what the user may read');

    // An object the permission set does not grant (Campaign): as if the org did not have it.
    const campaign = await get(`/query?q=${encodeURIComponent('SELECT Id FROM Campaign')}`);
    assert.equal((campaign.body as { errorCode: string }[])[0]!.errorCode, 'INVALID_TYPE');
    assert.equal((await get('/sobjects/Campaign/describe')).status, 404);
    const global = (await get('/sobjects')).body as { sobjects: { name: string }[] };
    assert.ok(!global.sobjects.some((o) => o.name === 'Campaign'));
    assert.ok(global.sobjects.some((o) => o.name === 'Aircall_Voice__c'));
  });

  it('the agent permission set reads the call log fields it grants and not the others', async () => {
    const agent = await openOrg({ userProfile: 'Minimum Access - API Only Integrations' });
    try {
      await deployPermissionSets(agent.org, ['Aircall_Agent']);
      const q = (soql: string) =>
        fetch(`${agent.org.instanceUrl}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
          headers: { authorization: `Bearer ${agent.org.accessToken}` },
        });
      assert.equal((await q('SELECT Id, Call_Type__c FROM Aircall_Voice__c')).status, 200);
      // Aircall_Agent reads the settings' Omni mapping mode (the utility bar needs it), not the rest.
      assert.equal(
        (await q('SELECT Id, Omni_Mapping_Mode__c FROM Aircall_Settings__c')).status,
        200,
      );
      const settings = (await (
        await q('SELECT Default_Country__c FROM Aircall_Settings__c')
      ).json()) as {
        errorCode: string;
      }[];
      assert.equal(settings[0]!.errorCode, 'INVALID_FIELD');
      // Lead is not in the set at all.
      const lead = (await (await q('SELECT Id FROM Lead')).json()) as { errorCode: string }[];
      assert.equal(lead[0]!.errorCode, 'INVALID_TYPE');
    } finally {
      await agent.org.close();
    }
  });
});

/**
 * Change link as the org enforces it for an agent assigned Aircall_Agent (here on the API-only
 * profile, so the permission set is all the user has): Edit on Aircall Voice, edit access on its
 * link fields only (Account, Contact, Lead, Match Reason, Linked By). Any other field is
 * INVALID_FIELD_FOR_INSERT_UPDATE, as a real org answers a field the user's field-level security
 * makes read-only (REST API Developer Guide, "Status Codes and Error Responses"; Salesforce Help,
 * "Field-Level Security"). The integration user may not set Linked By.
 */
describe('an agent assigned Aircall_Agent changing a call’s link', () => {
  let org: LocalOrg;
  let conn: Connection;
  let voiceId: string;
  let contactId: string;
  const patch = (fields: Record<string, unknown>) =>
    fetch(`${org.instanceUrl}/services/data/v66.0/sobjects/Aircall_Voice__c/${voiceId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
  before(async () => {
    ({ org, conn } = await openOrg({ userProfile: 'Minimum Access - API Only Integrations' }));
    // The connector's permission set first, to log a call; then only the agent's.
    await deployPermissionSets(org, ['Aircall_Integration']);
    const voice = await conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: '77' });
    voiceId = (voice as { id: string }).id;
    const contact = await conn.sobject('Contact').create({ LastName: 'Real Caller' });
    contactId = (contact as { id: string }).id;
    const user = (await conn.identity()).user_id;
    const refused = await patch({ Linked_By__c: user });
    assert.equal(refused.status, 400, 'the integration user may not set Linked By');
    await conn.query('SELECT Id FROM PermissionSetAssignment').then(async (r) => {
      for (const a of r.records as { Id: string }[])
        await conn.sobject('PermissionSetAssignment').destroy(a.Id);
    });
    await deployPermissionSets(org, ['Aircall_Agent']);
  });
  after(async () => org.close());

  it('may set the link fields and who linked the call', async () => {
    const user = (await conn.identity()).user_id;
    const res = await patch({
      Contact__c: contactId,
      Lead__c: null,
      Account__c: null,
      Match_Reason__c: 'Linked by Ana Agent on 2026-09-28',
      Linked_By__c: user,
    });
    assert.equal(res.status, 204, await res.text());
  });

  it('may not edit anything else of the call', async () => {
    const res = await patch({ Tags__c: 'vip' });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), [
      {
        message:
          'Unable to create/update fields: Tags__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: ['Tags__c'],
      },
    ]);
  });
});
