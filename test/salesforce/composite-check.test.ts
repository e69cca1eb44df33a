/**
 * `SalesforceClient.writeAndRead` with a check: what must be read between two writes of the
 * batch's Composite request, against the local org.
 *
 * - REST API Developer Guide, "Send Multiple Requests Using Composite"
 *   (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html):
 *   "The entire series of requests counts as a single call toward your API limits"; up to 25
 *   subrequests, of which up to 5 "can be sObject Collections or query operations".
 * - REST API Developer Guide, "Composite Request Body"
 *   (https://developer.salesforce.com/docs/platform/api-rest/guide/requests-composite.html):
 *   `collateSubrequests` false: "the subrequests are executed in the order in which they are
 *   received".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalOrg } from '../../dev/local-org';
import { SalesforceClient, type CollectionWrite } from '../../src/salesforce/client';
import { API, openOrg, rest } from '../local-org/helpers';

const FIELDS = ['Aircall_Call_Id__c', 'Linked_By__c', 'Match_Reason__c'];

describe('writeAndRead with a check between two writes', () => {
  let org: LocalOrg;
  let client: SalesforceClient;
  let userId: string;

  before(async () => {
    const opened = await openOrg({ port: 0 });
    org = opened.org;
    client = new SalesforceClient(opened.conn, API);
    const [user] = await client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
    userId = user!.Id;
  });
  after(() => org.close());

  /** Two calls logged, the first one linked by a person; their Ids. */
  async function twoCalls(prefix: string): Promise<string[]> {
    const saved = await client.create([
      {
        attributes: { type: 'Aircall_Voice__c' },
        Aircall_Call_Id__c: `${prefix}1`,
        Match_Reason__c: 'Linked by Ana Agent',
        Linked_By__c: userId,
      },
      {
        attributes: { type: 'Aircall_Voice__c' },
        Aircall_Call_Id__c: `${prefix}2`,
        Match_Reason__c: 'Matched',
      },
    ]);
    assert.ok(
      saved.every((s) => s.success),
      JSON.stringify(saved),
    );
    return saved.map((s) => s.id!);
  }

  /** The connector's re-link of both calls, and four more collections: five in all. */
  const relink = (prefix: string, more = 4): CollectionWrite[] => [
    {
      kind: 'upsert',
      sobject: 'Aircall_Voice__c',
      externalIdField: 'Aircall_Call_Id__c',
      records: [1, 2].map((n) => ({
        Aircall_Call_Id__c: `${prefix}${n}`,
        Match_Reason__c: 'Matched again',
      })),
    },
    ...Array.from({ length: more }, (_, i): CollectionWrite => ({
      kind: 'upsert',
      sobject: 'Aircall_Agent_State__c',
      externalIdField: 'User_Key__c',
      records: [{ User_Key__c: `${prefix}-${i}`, Phone_Event__c: 'Ringing' }],
    })),
  ];

  const reasons = (rows: unknown) =>
    (rows as { Aircall_Call_Id__c: string; Match_Reason__c: string }[])
      .map((r) => [r.Aircall_Call_Id__c, r.Match_Reason__c])
      .sort();

  it('reads the records by Id before the write it precedes, in the same one request', async () => {
    const ids = await twoCalls('k');
    org.resetCounters();
    const { results, checked } = await client.writeAndRead(relink('k'), [], {
      before: 0,
      records: { sobject: 'Aircall_Voice__c', ids, fields: FIELDS },
      soql: 'SELECT Id FROM Aircall_Voice__c',
    });
    assert.deepEqual(org.counters().composite, 1, 'five collections and two reads: one request');
    assert.equal(org.counters().total, 1);
    assert.ok(
      results.every((r) => r.every((x) => x.success)),
      JSON.stringify(results),
    );
    assert.deepEqual(
      reasons(checked),
      [
        ['k1', 'Linked by Ana Agent'],
        ['k2', 'Matched'],
      ],
      'the values before the write',
    );
  });

  it('reads a query instead when the records are more than a request has room for', async () => {
    await twoCalls('q');
    const many = Array.from(
      { length: 21 },
      (_, i) => `a0X00000000000${String(i).padStart(2, '0')}`,
    );
    org.resetCounters();
    const { checked } = await client.writeAndRead(relink('q', 3), [], {
      before: 0,
      records: { sobject: 'Aircall_Voice__c', ids: many, fields: FIELDS },
      soql: `SELECT ${FIELDS.join(', ')} FROM Aircall_Voice__c WHERE Linked_By__c != null AND Aircall_Call_Id__c IN ('q1', 'q2')`,
    });
    assert.equal(org.counters().total, 1, 'the query is the fifth collection or query');
    assert.deepEqual(reasons(checked), [['q1', 'Linked by Ana Agent']]);
  });

  it('leaves out a record deleted since, and costs no request more than the writes alone', async () => {
    const ids = await twoCalls('d');
    const [gone] = await client.create([
      { attributes: { type: 'Aircall_Voice__c' }, Aircall_Call_Id__c: 'd3' },
    ]);
    assert.equal(
      (await rest(org, 'DELETE', `/sobjects/Aircall_Voice__c/${gone!.id!}`)).status,
      204,
    );
    org.resetCounters();
    await client.writeCollections(relink('w', 9));
    const alone = org.counters().total;
    org.resetCounters();
    const { checked } = await client.writeAndRead(relink('d', 9), [], {
      before: 1,
      records: { sobject: 'Aircall_Voice__c', ids: [...ids, gone!.id!], fields: FIELDS },
      soql: 'SELECT Id FROM Aircall_Voice__c',
    });
    assert.equal(org.counters().total, alone, `${alone} requests either way`);
    assert.deepEqual(
      reasons(checked),
      [
        ['d1', 'Matched again'],
        ['d2', 'Matched again'],
      ],
      'read after the first write',
    );
  });
});
