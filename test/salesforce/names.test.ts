import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_FIELDS, PackageNames } from '../../src/salesforce/names';

const ns = new PackageNames('aircallsfv');
const OBJECTS = join(__dirname, '..', '..', 'force-app', 'main', 'default', 'objects');

describe('PackageNames', () => {
  it('lists exactly the custom fields of force-app, so a new field cannot miss the mapping', () => {
    const fromMetadata: Record<string, string[]> = {};
    for (const object of readdirSync(OBJECTS)) {
      let files: string[] = [];
      try {
        files = readdirSync(join(OBJECTS, object, 'fields'));
      } catch {
        continue;
      }
      const fields = files.map((f) => f.replace('.field-meta.xml', '')).sort();
      // Activity custom fields are fields of Task and Event.
      for (const name of object === 'Activity' ? ['Task', 'Event'] : [object])
        fromMetadata[name] = fields;
    }
    const mapped = Object.fromEntries(
      Object.entries(PACKAGE_FIELDS).map(([o, fields]) => [o, [...fields].sort()]),
    );
    assert.deepEqual(mapped, fromMetadata);
  });

  it('prefixes package objects, fields, relationships and events; leaves standard and org-own names', () => {
    assert.equal(ns.object('Aircall_Voice__c'), 'aircallsfv__Aircall_Voice__c');
    assert.equal(ns.object('Contact'), 'Contact');
    assert.equal(ns.field('Contact', 'Aircall_Phone_Key__c'), 'aircallsfv__Aircall_Phone_Key__c');
    assert.equal(ns.field('Contact', 'Work_Phone__c'), 'Work_Phone__c');
    assert.equal(ns.field('Aircall_Voice__c', 'Name'), 'Name');
    assert.equal(
      ns.field('Aircall_Voice__c', 'Lead__r.Aircall_Phone_Key__c'),
      'aircallsfv__Lead__r.aircallsfv__Aircall_Phone_Key__c',
    );
    assert.equal(
      ns.field('VoiceCall', 'Aircall_Voice__r.Call_Type__c'),
      'aircallsfv__Aircall_Voice__r.aircallsfv__Call_Type__c',
    );
    assert.equal(
      ns.channel('Aircall_Voice_Update__e'),
      '/event/aircallsfv__Aircall_Voice_Update__e',
    );
    assert.equal(
      PackageNames.NONE.channel('Aircall_Voice_Update__e'),
      '/event/Aircall_Voice_Update__e',
    );
  });

  it('translates records to write, nested external-id references included, and strips what comes back', () => {
    const out = ns.record('Aircall_Voice__c', {
      Aircall_Call_Id__c: '42',
      Name: 'x',
      Lead__r: { Aircall_Phone_Key__c: '+33612345678' },
    });
    assert.deepEqual(out, {
      aircallsfv__Aircall_Call_Id__c: '42',
      Name: 'x',
      aircallsfv__Lead__r: { aircallsfv__Aircall_Phone_Key__c: '+33612345678' },
    });
    const event = ns.typedRecord({
      attributes: { type: 'Aircall_Voice_Update__e' },
      Call_Id__c: '1',
    });
    assert.deepEqual(event, {
      attributes: { type: 'aircallsfv__Aircall_Voice_Update__e' },
      aircallsfv__Call_Id__c: '1',
    });
    assert.deepEqual(
      ns.fromOrg([
        {
          attributes: { type: 'aircallsfv__Aircall_Voice__c' },
          aircallsfv__Lead__r: { Name: 'L', aircallsfv__Aircall_Phone_Key__c: 'k' },
        },
      ]),
      [
        {
          attributes: { type: 'Aircall_Voice__c' },
          Lead__r: { Name: 'L', Aircall_Phone_Key__c: 'k' },
        },
      ],
    );
  });

  it('translates SOQL by its FROM object and SOSL by each RETURNING object, never quoted text', () => {
    assert.equal(
      ns.query(
        "SELECT Id, Call_Type__c, Lead__r.Name FROM Aircall_Voice__c WHERE Tags__c = 'Tags__c' LIMIT 1",
      ),
      "SELECT Id, aircallsfv__Call_Type__c, aircallsfv__Lead__r.Name FROM aircallsfv__Aircall_Voice__c WHERE aircallsfv__Tags__c = 'Tags__c' LIMIT 1",
    );
    assert.equal(
      ns.query('SELECT Id, Aircall_Voice__c FROM VoiceCall'),
      'SELECT Id, aircallsfv__Aircall_Voice__c FROM VoiceCall',
    );
    assert.equal(
      ns.query(
        'FIND {"Status__c" OR 612} IN PHONE FIELDS RETURNING Contact(Id, Aircall_Phone_Key__c, Status__c, Work_Phone__c), Lead(Id WHERE IsConverted = false)',
      ),
      'FIND {"Status__c" OR 612} IN PHONE FIELDS RETURNING Contact(Id, aircallsfv__Aircall_Phone_Key__c, Status__c, Work_Phone__c), Lead(Id WHERE IsConverted = false)',
    );
    assert.equal(
      PackageNames.NONE.query('SELECT Id FROM Aircall_Voice__c'),
      'SELECT Id FROM Aircall_Voice__c',
    );
  });

  it('refuses a namespace Salesforce would not accept, with the reason', () => {
    assert.throws(() => new PackageNames('air_call'), /not a namespace prefix/);
  });
});
