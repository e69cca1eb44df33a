/**
 * The local org with the package installed as a managed package (`namespace: 'aircallsfv'`), as a
 * subscriber org has it, and the same org without a namespace (a developer deploy).
 *
 * What a subscriber org does, and where it is documented:
 * - Object Reference, "AppExchange Object Prefixes and the API"
 *   (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/api/appexchange_api_prefix.htm):
 *   in a managed package "a namespace prefix is added to each component to make it unique:
 *   name__c becomes prefix__name__c" — custom objects and custom fields, including the fields the
 *   package adds to standard objects.
 * - Apex Developer Guide, "Namespace Prefix"
 *   (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_classes_namespace_prefix.htm):
 *   outside the package's own code (the REST API the connector uses) references take the long
 *   format `namespace_prefix__obj_or_field_name__c`; only Apex inside the package resolves the
 *   short names.
 * - SOQL and SOSL Reference, "Understanding Relationship Names, Custom Objects, and Custom Fields"
 *   (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_and_custom_objects.htm):
 *   a custom lookup `X__c` is traversed as `X__r`, a child relationship as `<Name>__r`; the
 *   namespace is part of both names (`aircallsfv__Lead__r`, `aircallsfv__Aircall_Calls__r`).
 * - REST API Developer Guide, "Status Codes and Error Responses"
 *   (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm):
 *   404 when the requested resource does not exist (an `/sobjects/<name>` the org does not have),
 *   400 with the error code in the body otherwise; SOAP API Developer Guide, "Core Data Types Used
 *   in API Calls" (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm):
 *   the ExceptionCode INVALID_TYPE for an sObject type the org does not have, INVALID_FIELD for a
 *   field it does not have.
 * - Streaming API Developer Guide, "Streaming API Error Codes": subscribing to a channel that does
 *   not exist answers `400::The channel you requested to subscribe to does not exist`.
 * - Object Reference, "Organization": NamespacePrefix is the org's own prefix (a subscriber org
 *   that registered none has null), not the prefix of the packages it installed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { SalesforceClient } from '../../src/salesforce/client';
import { detectPackage } from '../../src/salesforce/package';
import { API, METADATA_DIR, openOrg, rest, SEED_FILE, streamingSubscriber } from './helpers';

type Row = Record<string, unknown>;
type Describe = {
  name: string;
  custom: boolean;
  fields: { name: string; relationshipName: string | null; referenceTo: string[] }[];
  childRelationships: { childSObject: string; field: string; relationshipName: string | null }[];
};

const NS = 'aircallsfv';
const PACKAGE_OBJECTS = [
  'Aircall_Voice__c',
  'Aircall_Settings__c',
  'Aircall_Status_Mapping__c',
  'Aircall_Agent_State__c',
  'Aircall_Voice_Update__e',
  'Aircall_Agent_Status__e',
];

const q = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;
const errorCode = (body: unknown) => (body as Row[])[0]?.errorCode;

describe('local org with the package installed under a namespace', () => {
  let org: LocalOrg;
  let conn: Connection;

  before(async () => {
    ({ org, conn } = await openOrg({ seedFile: SEED_FILE, namespace: NS }));
  });
  after(async () => {
    await org.close();
  });

  it('lists the package objects and events prefixed, the standard objects as they are', async () => {
    const global = (await rest(org, 'GET', '/sobjects')).body as { sobjects: Describe[] };
    const names = new Set(global.sobjects.map((s) => s.name));
    for (const o of PACKAGE_OBJECTS) {
      assert.ok(names.has(`${NS}__${o}`), `${NS}__${o} is listed`);
      assert.ok(!names.has(o), `${o} (unprefixed) is not`);
    }
    for (const o of ['Account', 'Contact', 'Lead', 'VoiceCall', 'User', 'Organization']) {
      assert.ok(names.has(o), `${o} keeps its name`);
    }
  });

  it('describes prefixed fields, relationships and child relationships', async () => {
    const voice = (await rest(org, 'GET', `/sobjects/${NS}__Aircall_Voice__c/describe`))
      .body as Describe;
    assert.equal(voice.name, `${NS}__Aircall_Voice__c`);
    const lead = voice.fields.find((f) => f.name === `${NS}__Lead__c`);
    assert.deepEqual(
      { relationshipName: lead?.relationshipName, referenceTo: lead?.referenceTo },
      { relationshipName: `${NS}__Lead__r`, referenceTo: ['Lead'] },
    );
    assert.ok(
      voice.fields.some((f) => f.name === 'Name'),
      'standard fields keep their names',
    );
    assert.ok(voice.fields.some((f) => f.name === 'OwnerId'));
    assert.ok(
      voice.fields.every((f) => !/^(Call_Type|Aircall_Call_Id)__c$/.test(f.name)),
      'no unprefixed package field',
    );

    const contact = (await rest(org, 'GET', '/sobjects/Contact/describe')).body as Describe;
    assert.ok(contact.fields.some((f) => f.name === `${NS}__Aircall_Phone_Key__c`));
    assert.ok(!contact.fields.some((f) => f.name === 'Aircall_Phone_Key__c'));
    assert.ok(contact.fields.some((f) => f.name === 'Phone'));
    const calls = contact.childRelationships.find(
      (r) => r.childSObject === `${NS}__Aircall_Voice__c`,
    );
    assert.deepEqual(calls && { field: calls.field, relationshipName: calls.relationshipName }, {
      field: `${NS}__Contact__c`,
      relationshipName: `${NS}__Aircall_Calls__r`,
    });

    const voiceCall = (await rest(org, 'GET', '/sobjects/VoiceCall/describe')).body as Describe;
    const back = voiceCall.fields.find((f) => f.name === `${NS}__Aircall_Voice__c`);
    assert.deepEqual(back?.referenceTo, [`${NS}__Aircall_Voice__c`]);
    assert.equal(back?.relationshipName, `${NS}__Aircall_Voice__r`);
  });

  it('writes and reads everything under the prefixed names', async () => {
    const lead = await conn.sobject('Lead').create({
      LastName: 'Prefix',
      Company: 'Namespace Ltd',
      [`${NS}__Aircall_Phone_Key__c`]: '+33100000001',
    });
    assert.equal(lead.success, true);
    // Upsert by the prefixed external id, linking the Lead by its prefixed external id too.
    const up = await rest(
      org,
      'PATCH',
      `/sobjects/${NS}__Aircall_Voice__c/${NS}__Aircall_Call_Id__c/ns-1`,
      {
        [`${NS}__Call_Type__c`]: 'Answered',
        [`${NS}__Lead__r`]: { [`${NS}__Aircall_Phone_Key__c`]: '+33100000001' },
      },
    );
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const rows = await conn.query<Row>(
      `SELECT ${NS}__Aircall_Call_Id__c, ${NS}__Call_Type__c, ${NS}__Lead__r.Name FROM ${NS}__Aircall_Voice__c`,
    );
    assert.equal(rows.records.length, 1);
    const row = rows.records[0]!;
    assert.equal(row[`${NS}__Aircall_Call_Id__c`], 'ns-1');
    assert.equal(row[`${NS}__Call_Type__c`], 'Answered');
    assert.equal((row[`${NS}__Lead__r`] as Row).Name, 'Prefix');
    const children = await conn.query<Row>(
      `SELECT Id, (SELECT ${NS}__Aircall_Call_Id__c FROM ${NS}__Aircall_Calls__r) FROM Lead WHERE Id = '${lead.id}'`,
    );
    const sub = children.records[0]![`${NS}__Aircall_Calls__r`] as { records: Row[] };
    assert.equal(sub.records[0]![`${NS}__Aircall_Call_Id__c`], 'ns-1');
    // The sample data names its settings as force-app does; the org stores them prefixed.
    const settings = await conn.query<Row>(
      `SELECT ${NS}__Log_Calls__c FROM ${NS}__Aircall_Settings__c`,
    );
    assert.equal(settings.records[0]![`${NS}__Log_Calls__c`], 'Always');
  });

  it('refuses the unprefixed names as a subscriber org does', async () => {
    // REST resources of an object the org does not have: 404 NOT_FOUND.
    for (const [method, p, body] of [
      ['GET', '/sobjects/Aircall_Voice__c/describe', undefined],
      ['POST', '/sobjects/Aircall_Voice__c', { Call_Type__c: 'Answered' }],
      ['PATCH', '/sobjects/Aircall_Voice__c/Aircall_Call_Id__c/1', { Call_Type__c: 'Answered' }],
      ['POST', '/sobjects/Aircall_Voice_Update__e', { Call_Id__c: '1' }],
    ] as const) {
      const r = await rest(org, method, p, body);
      assert.equal(r.status, 404, `${method} ${p}`);
      assert.deepEqual(r.body, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND', fields: [] },
      ]);
    }
    // An unprefixed external id field on the prefixed object.
    const ext = await rest(
      org,
      'PATCH',
      `/sobjects/${NS}__Aircall_Voice__c/Aircall_Call_Id__c/1`,
      {},
    );
    assert.equal(ext.status, 404);
    assert.equal(errorCode(ext.body), 'NOT_FOUND');
    // SOQL: INVALID_TYPE for the object, INVALID_FIELD for a field or a relationship path.
    const type = await rest(org, 'GET', q('SELECT Id FROM Aircall_Voice__c'));
    assert.equal(type.status, 400);
    assert.equal(errorCode(type.body), 'INVALID_TYPE');
    assert.match(String((type.body as Row[])[0]!.message), /sObject type 'Aircall_Voice__c'/);
    for (const soql of [
      `SELECT Call_Type__c FROM ${NS}__Aircall_Voice__c`,
      `SELECT Lead__r.Name FROM ${NS}__Aircall_Voice__c`,
      'SELECT Aircall_Phone_Key__c FROM Contact',
    ]) {
      const r = await rest(org, 'GET', q(soql));
      assert.equal(r.status, 400, soql);
      assert.equal(errorCode(r.body), 'INVALID_FIELD', soql);
    }
    const child = await rest(
      org,
      'GET',
      q('SELECT Id, (SELECT Id FROM Aircall_Calls__r) FROM Contact'),
    );
    assert.equal(child.status, 400);
    assert.equal(errorCode(child.body), 'INVALID_TYPE');
    // A record write naming an unprefixed field: INVALID_FIELD.
    const write = await rest(org, 'POST', '/sobjects/Contact', {
      LastName: 'X',
      Aircall_Phone_Key__c: '+33100000002',
    });
    assert.equal(write.status, 400);
    assert.equal(errorCode(write.body), 'INVALID_FIELD');
    // sObject Collections typed with the unprefixed object: INVALID_TYPE.
    const collection = await rest(org, 'POST', '/composite/sobjects', {
      records: [{ attributes: { type: 'Aircall_Settings__c' }, Log_Calls__c: 'Always' }],
    });
    assert.equal(errorCode(collection.body), 'INVALID_TYPE');
  });

  it('streams the prefixed platform event channel and refuses the unprefixed one', async () => {
    const subscriber = streamingSubscriber(conn);
    try {
      await assert.rejects(
        subscriber.subscribe('/event/Aircall_Voice_Update__e', () => undefined),
        /The channel you requested to subscribe to does not exist \{\/event\/Aircall_Voice_Update__e\}/,
      );
      let deliver: (payload: Row) => void = () => undefined;
      const received = new Promise<Row>((resolve) => (deliver = resolve));
      await subscriber.subscribe(`/event/${NS}__Aircall_Voice_Update__e`, (m) =>
        deliver(m.data.payload),
      );
      // Published once the subscription is live: delivered on the prefixed channel.
      const published = await conn
        .sobject(`${NS}__Aircall_Voice_Update__e`)
        .create({ [`${NS}__Call_Id__c`]: 'ns-event', [`${NS}__Change__c`]: 'ended' });
      assert.equal(published.success, true);
      const payload = await received;
      assert.equal(payload[`${NS}__Call_Id__c`], 'ns-event');
    } finally {
      await subscriber.close();
    }
  });

  it("keeps the org's own NamespacePrefix null", async () => {
    const rows = await conn.query<Row>('SELECT NamespacePrefix FROM Organization');
    assert.equal(rows.records[0]!.NamespacePrefix, null);
  });
});

describe("the connector's package detection on the local org", () => {
  for (const namespace of [NS, '']) {
    it(`finds ${namespace ? `the namespace ${namespace}` : 'no namespace'} with every component there`, async () => {
      const { org } = await openOrg({ namespace });
      try {
        const client = new SalesforceClient(
          new Connection({
            instanceUrl: org.instanceUrl,
            accessToken: org.accessToken,
            version: API,
          }),
          API,
        );
        const check = await detectPackage(client);
        assert.deepEqual(
          { namespace: check.names.namespace, how: check.how, missing: check.missing },
          { namespace, how: 'detected', missing: [] },
        );
        // Forcing the wrong namespace names every component as missing.
        const wrong = await detectPackage(client, namespace ? '' : NS);
        assert.ok(wrong.missing.length >= PACKAGE_OBJECTS.length, wrong.missing.join(', '));
      } finally {
        await org.close();
      }
    });
  }
});

describe('a file-backed local org keeps its namespace', () => {
  it('refuses to reopen a file with another namespace, with a sentence saying which', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-ns-'));
    const dbFile = path.join(dir, 'org.db');
    try {
      const first = await startLocalOrg({ metadataDir: METADATA_DIR, dbFile, namespace: NS });
      await first.close();
      await assert.rejects(
        startLocalOrg({ metadataDir: METADATA_DIR, dbFile }),
        /created with the package namespace aircallsfv; start it with --namespace aircallsfv/,
      );
      const again = await startLocalOrg({ metadataDir: METADATA_DIR, dbFile, namespace: NS });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a namespace Salesforce would not register', async () => {
    await assert.rejects(
      startLocalOrg({ metadataDir: METADATA_DIR, namespace: 'not_valid' }),
      /not a namespace prefix/,
    );
  });
});
