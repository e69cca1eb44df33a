/**
 * The local org's Case and Opportunity for the fields the connector reads and writes, as the Object
 * Reference describes them:
 * - "CaseStatus" (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm):
 *   one record per value of the Case Status picklist; `IsClosed` "indicates whether this case status
 *   value represents a closed Case"; supported calls describeSObjects(), query(), retrieve() — no
 *   create or update. "Case" (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm):
 *   `IsClosed` is read-only and follows `Status` (an application "can verify whether a given case
 *   is open or closed based on the Status value and the associated IsClosed value of the
 *   CaseStatus", CaseStatus usage); `Origin`, `SuppliedPhone`, `Subject`, `Description` are writable.
 * - "OpportunityStage" (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitystage.htm):
 *   one record per StageName value with `IsClosed`, `IsWon`, `DefaultProbability`,
 *   `ForecastCategoryName`; "Opportunity": `IsClosed` and `IsWon` are read-only, set from the stage.
 * - "OpportunityContactRole" (https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-opportunitycontactrole.html):
 *   the role of a Contact on an Opportunity (`OpportunityId`, `ContactId`, `Role`, `IsPrimary`),
 *   queried from the role with the parent's fields (`Opportunity.IsClosed`).
 * - "VoiceCall": `RelatedRecordId` may point to a Case.
 * - "Task" (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm):
 *   `IsClosed` "indicates whether the task has been completed (true) or not (false)", read-only,
 *   set from `Status` as its TaskStatus value says (Completed is the closed one in a new org).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../../dev/local-org';
import { errorOf, openOrg, rest } from './helpers';

type Row = Record<string, unknown>;

describe('local org: Case, Opportunity and their status / stage values', () => {
  let org: LocalOrg;
  let conn: Connection;
  let accountId: string;
  let contactId: string;

  before(async () => {
    ({ org, conn } = await openOrg());
    accountId = ((await conn.sobject('Account').create({ Name: 'Acme SA' })) as { id: string }).id;
    contactId = (
      (await conn.sobject('Contact').create({ LastName: 'Garnier', AccountId: accountId })) as {
        id: string;
      }
    ).id;
  });
  after(async () => {
    await org.close();
  });

  it('has one read-only CaseStatus per Status value, Closed being the closed one', async () => {
    const rows = (
      await conn.query<Row>(
        'SELECT ApiName, IsClosed, IsDefault FROM CaseStatus ORDER BY SortOrder',
      )
    ).records;
    assert.deepEqual(
      rows.map((r) => [r.ApiName, r.IsClosed, r.IsDefault]),
      [
        ['New', false, true],
        ['Working', false, false],
        ['Escalated', false, false],
        ['Closed', true, false],
      ],
    );
    const refused = await rest(org, 'POST', '/sobjects/CaseStatus', { ApiName: 'Pending' });
    assert.equal(refused.status, 400);
  });

  it('derives Case.IsClosed from its Status through CaseStatus, and refuses writing it', async () => {
    const statuses = new Map(
      (await conn.query<Row>('SELECT ApiName, IsClosed FROM CaseStatus')).records.map((r) => [
        r.ApiName,
        r.IsClosed,
      ]),
    );
    const created = (await conn.sobject('Case').create({
      Subject: 'Invoice question',
      Origin: 'Phone',
      SuppliedPhone: '+33612345678',
      ContactId: contactId,
      AccountId: accountId,
    })) as { id: string };
    const read = async () =>
      (await conn.sobject('Case').retrieve(created.id)) as unknown as Row & { Status: string };
    let c = await read();
    assert.equal(c.Status, 'New');
    assert.equal(c.IsClosed, statuses.get('New'));
    await conn.sobject('Case').update({ Id: created.id, Status: 'Closed' });
    c = await read();
    assert.equal(c.IsClosed, statuses.get('Closed'));
    assert.equal(c.IsClosed, true);
    const open = await conn.query<Row>(
      `SELECT Id FROM Case WHERE IsClosed = false AND ContactId = '${contactId}'`,
    );
    assert.equal(open.totalSize, 0);
    await conn.sobject('Case').update({ Id: created.id, Status: 'Working' });
    assert.equal((await read()).IsClosed, false);
    const error = await errorOf(() =>
      conn.sobject('Case').update({ Id: created.id, IsClosed: true }),
    );
    assert.equal(error.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('derives Task.IsClosed from its Status, and refuses writing it', async () => {
    const created = (await conn.sobject('Task').create({
      Subject: 'Call back',
      WhoId: contactId,
    })) as { id: string };
    const read = async () =>
      (await conn.sobject('Task').retrieve(created.id)) as unknown as Row & { Status: string };
    assert.deepEqual([(await read()).Status, (await read()).IsClosed], ['Not Started', false]);
    await conn.sobject('Task').update({ Id: created.id, Status: 'Completed' });
    assert.equal((await read()).IsClosed, true);
    const open = await conn.query<Row>(
      `SELECT Id FROM Task WHERE IsClosed = false AND WhoId = '${contactId}'`,
    );
    assert.equal(open.totalSize, 0);
    await conn.sobject('Task').update({ Id: created.id, Status: 'Deferred' });
    assert.equal((await read()).IsClosed, false);
    const error = await errorOf(() =>
      conn.sobject('Task').update({ Id: created.id, IsClosed: true }),
    );
    assert.equal(error.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('derives Opportunity IsClosed / IsWon from StageName as its OpportunityStage says', async () => {
    const stages = (
      await conn.query<Row>(
        'SELECT ApiName, IsClosed, IsWon, DefaultProbability FROM OpportunityStage',
      )
    ).records;
    assert.ok(stages.length >= 10);
    for (const stage of stages.filter((s) =>
      ['Prospecting', 'Closed Won', 'Closed Lost'].includes(String(s.ApiName)),
    )) {
      const { id } = (await conn.sobject('Opportunity').create({
        Name: `Deal ${String(stage.ApiName)}`,
        StageName: stage.ApiName,
        CloseDate: '2026-12-31',
        AccountId: accountId,
      })) as { id: string };
      const o = (await conn.sobject('Opportunity').retrieve(id)) as unknown as Row;
      assert.equal(o.IsClosed, stage.IsClosed, String(stage.ApiName));
      assert.equal(o.IsWon, stage.IsWon, String(stage.ApiName));
      assert.equal(o.Probability, stage.DefaultProbability, String(stage.ApiName));
    }
  });

  it('reads a Contact’s open Opportunities through OpportunityContactRole with the parent’s fields', async () => {
    const open = (await conn.sobject('Opportunity').create({
      Name: 'Renewal',
      StageName: 'Negotiation/Review',
      CloseDate: '2026-12-31',
      AccountId: accountId,
    })) as { id: string };
    const won = (await conn.sobject('Opportunity').create({
      Name: 'Last year',
      StageName: 'Closed Won',
      CloseDate: '2025-12-31',
      AccountId: accountId,
    })) as { id: string };
    for (const opportunityId of [open.id, won.id])
      await conn.sobject('OpportunityContactRole').create({
        OpportunityId: opportunityId,
        ContactId: contactId,
        Role: 'Decision Maker',
      });
    const roles = await conn.query<Row>(
      `SELECT ContactId, OpportunityId, Opportunity.AccountId, Opportunity.LastModifiedDate FROM OpportunityContactRole WHERE Opportunity.IsClosed = false AND ContactId IN ('${contactId}')`,
    );
    assert.deepEqual(
      roles.records.map((r) => r.OpportunityId),
      [open.id],
    );
    assert.equal((roles.records[0]!.Opportunity as Row).AccountId, accountId);
    const missing = await errorOf(() =>
      conn.sobject('OpportunityContactRole').create({ ContactId: contactId }),
    );
    assert.equal(missing.errorCode, 'REQUIRED_FIELD_MISSING');
  });

  it('lets a VoiceCall’s related record be a Case', async () => {
    const described = (await conn.sobject('VoiceCall').describe()) as unknown as {
      fields: { name: string; referenceTo: string[] }[];
    };
    const related = described.fields.find((f) => f.name === 'RelatedRecordId');
    assert.ok(related?.referenceTo.includes('Case'));
  });
});
