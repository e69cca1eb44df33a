/**
 * The local org's Task, as the call Tasks use it, and the validation rules it can be told to run.
 *
 * - Task fields and call fields: Object Reference "Task"
 *   (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm):
 *   `CallObject` is a string with Create, Filter, Group, Nillable, Sort, Update and no idLookup,
 *   so it cannot key an upsert (REST API Developer Guide, "Upsert Records Using sObject Rows by
 *   External ID": the field must be an External ID or an idLookup field); `TaskSubtype` can be
 *   set on create only; custom fields of activities (Activity) are fields of Task and Event.
 * - A validation rule's refusal: REST API Developer Guide "Status Codes and Error Responses" and
 *   the StatusCode enum: FIELD_CUSTOM_VALIDATION_EXCEPTION with the rule's message and, when the
 *   rule shows its error on a field, that field; in sObject Collections, per record
 *   (`success: false`, `errors: [{statusCode, message, fields}]`), the other records saved.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalOrg } from '../../dev/local-org';
import { openOrg, rest } from './helpers';

type Row = Record<string, unknown>;

describe('local org: Task for call logging', () => {
  let org: LocalOrg;

  before(async () => {
    ({ org } = await openOrg());
  });
  after(async () => {
    await org.close();
  });

  it('creates a call Task with the call fields and the Activity custom fields; Event has them too', async () => {
    const created = await rest(org, 'POST', '/sobjects/Task', {
      Subject: 'Inbound call · Answered',
      TaskSubtype: 'Call',
      Type: 'Call',
      CallType: 'Inbound',
      CallObject: '4186790001',
      CallDurationInSeconds: 18,
      CallDisposition: 'Answered',
      Status: 'Completed',
      ActivityDate: '2026-09-29',
      Aircall_Follow_Up_For__c: null,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = (created.body as { id: string }).id;
    assert.match(id, /^00T/);
    const found = await rest(
      org,
      'GET',
      `/query?q=${encodeURIComponent("SELECT Id, TaskSubtype, IsClosed FROM Task WHERE CallObject = '4186790001'")}`,
    );
    const records = (found.body as { records: Row[] }).records;
    assert.equal(records.length, 1);
    assert.equal(records[0]!.TaskSubtype, 'Call');
    const describe = await rest(org, 'GET', '/sobjects/Event/describe');
    const names = (describe.body as { fields: { name: string }[] }).fields.map((f) => f.name);
    assert.ok(names.includes('Aircall_Voice__c') && names.includes('Aircall_Follow_Up_For__c'));
  });

  it('refuses to upsert a Task by CallObject (not an External ID) and to change TaskSubtype', async () => {
    const upsert = await rest(org, 'PATCH', '/sobjects/Task/CallObject/4186790002', {
      Subject: 'x',
    });
    assert.equal(upsert.status, 404);
    assert.equal((upsert.body as Row[])[0]!.errorCode, 'NOT_FOUND');
    const created = await rest(org, 'POST', '/sobjects/Task', {
      Subject: 'x',
      TaskSubtype: 'Call',
      Status: 'Completed',
    });
    const id = (created.body as { id: string }).id;
    const update = await rest(org, 'PATCH', `/sobjects/Task/${id}`, { TaskSubtype: 'Task' });
    assert.equal(update.status, 400);
    assert.equal((update.body as Row[])[0]!.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('runs the validation rules it is told to, with the real error shape, record by record', async () => {
    org.setFaults({
      validationRules: [
        {
          sobject: 'Task',
          message: 'Inbound calls need a Call Result.',
          field: 'CallDisposition',
          when: { CallType: 'Inbound' },
        },
      ],
    });
    try {
      const single = await rest(org, 'POST', '/sobjects/Task', {
        Subject: 'refused',
        CallType: 'Inbound',
        Status: 'Completed',
      });
      assert.equal(single.status, 400);
      assert.deepEqual(single.body, [
        {
          message: 'Inbound calls need a Call Result.',
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          fields: ['CallDisposition'],
        },
      ]);
      const collection = await rest(org, 'POST', '/composite/sobjects', {
        allOrNone: false,
        records: [
          { attributes: { type: 'Task' }, Subject: 'in', CallType: 'Inbound', Status: 'Completed' },
          {
            attributes: { type: 'Task' },
            Subject: 'out',
            CallType: 'Outbound',
            Status: 'Completed',
          },
        ],
      });
      const results = collection.body as {
        success: boolean;
        errors: { statusCode: string; message: string; fields: string[] }[];
      }[];
      assert.equal(results[0]!.success, false);
      assert.deepEqual(results[0]!.errors, [
        {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Inbound calls need a Call Result.',
          fields: ['CallDisposition'],
        },
      ]);
      assert.equal(results[1]!.success, true, 'the other record is saved');
    } finally {
      org.setFaults({});
    }
  });
});
