import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSchema } from '../../dev/local-org';
import { errorOf, METADATA_DIR, openOrg } from './helpers';

describe('local org schema from package metadata', () => {
  it('reads custom objects and fields from force-app with their types, lengths and flags', () => {
    const schema = loadSchema(METADATA_DIR);
    const voice = schema.objects.get('aircall_voice__c');
    assert.ok(voice, 'Aircall_Voice__c is read from force-app');
    const callId = voice.fields.get('aircall_call_id__c')!;
    assert.deepEqual(
      [callId.type, callId.length, callId.externalId, callId.unique],
      ['string', 32, true, true],
    );
    assert.equal(voice.fields.get('started_at__c')!.type, 'datetime');
    assert.equal(voice.fields.get('customer_number__c')!.type, 'phone');
    assert.equal(voice.fields.get('voice_call__c')!.referenceTo[0], 'VoiceCall');
    assert.equal(voice.fields.get('handled_by_me__c')!.calculated, true);
    // Standard objects receive the package's custom fields.
    assert.equal(schema.objects.get('lead')!.fields.get('aircall_phone_key__c')!.externalId, true);
    assert.equal(
      schema.objects.get('voicecall')!.fields.get('aircall_voice__c')!.type,
      'reference',
    );
    assert.equal(schema.objects.get('aircall_voice_update__e')!.isPlatformEvent, true);
  });

  it("describes a parent's child relationships under the names the package's lookups give them", async () => {
    // Object Reference / REST API Developer Guide, "sObject Describe": `childRelationships` lists
    // {childSObject, field, relationshipName, …}; a custom lookup's child relationship is the
    // metadata <relationshipName> with __r (Contact.Aircall_Calls__r).
    const { org, conn } = await openOrg();
    try {
      const contact = await conn.describe('Contact');
      const calls = contact.childRelationships.find(
        (c) => c.relationshipName === 'Aircall_Calls__r',
      );
      assert.deepEqual(calls && [calls.childSObject, calls.field], [
        'Aircall_Voice__c',
        'Contact__c',
      ]);
    } finally {
      await org.close();
    }
  });

  it('gives custom objects stable key prefixes', () => {
    const a = loadSchema(METADATA_DIR).objects.get('aircall_voice__c')!.keyPrefix;
    const b = loadSchema(METADATA_DIR).objects.get('aircall_voice__c')!.keyPrefix;
    assert.equal(a, b);
    assert.match(a, /^a[0-9A-Za-z]{2}$/);
  });

  it('fails a write with INVALID_FIELD once the field is deleted from the metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-org-metadata-'));
    try {
      cpSync(METADATA_DIR, dir, { recursive: true });
      rmSync(join(dir, 'objects', 'Aircall_Voice__c', 'fields', 'Tags__c.field-meta.xml'));
      const { org, conn } = await openOrg({ metadataDir: dir });
      try {
        const err = await errorOf(() =>
          conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: '1', Tags__c: 'VIP' }),
        );
        assert.equal(err.errorCode, 'INVALID_FIELD');
        assert.equal(err.message, "No such column 'Tags__c' on sobject of type Aircall_Voice__c");
        const ok = await conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: '1' });
        assert.equal(ok.success, true);
      } finally {
        await org.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips a half-written field file with a warning instead of refusing to start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-org-metadata-'));
    try {
      cpSync(METADATA_DIR, dir, { recursive: true });
      writeFileSync(
        join(dir, 'objects', 'Aircall_Voice__c', 'fields', 'Broken__c.field-meta.xml'),
        '<CustomField><fullName>Broken__c</fullName><type>Nonsense</type></CustomField>',
      );
      const schema = loadSchema(dir);
      assert.equal(schema.objects.get('aircall_voice__c')!.fields.has('broken__c'), false);
      assert.ok(schema.warnings.some((w) => w.includes('Broken__c')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
