/**
 * Permanent failures become dead letters with the Salesforce error text, only for the call that
 * failed; once the cause is fixed (here: a picklist value an admin removed is back) a retry applies
 * them. The local org reads its schema from a copy of the package metadata that we break on purpose.
 * (A shortened text field no longer dead-letters anything: values are fitted to the described
 * lengths, test/connector/field-lengths.test.ts.)
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { fixture, startHarness } from './harness';
import { backendSkip, INBOX_BACKENDS, testInbox } from '../inbox/database';

const CALL_TYPE_FIELD = path.join(
  'objects',
  'Aircall_Voice__c',
  'fields',
  'Call_Type__c.field-meta.xml',
);

for (const backend of INBOX_BACKENDS) {
  describe(`dead letters (${backend} inbox)`, { skip: backendSkip(backend) }, () => {
    it('dead-letters only the failing call with the Salesforce error, and a retry applies it after the fix', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'aircall-dead-'));
      const metadata = path.join(dir, 'metadata');
      cpSync(PACKAGE_METADATA_DIR, metadata, { recursive: true });
      const fieldFile = path.join(metadata, CALL_TYPE_FIELD);
      const original = readFileSync(fieldFile, 'utf8');
      // The restricted picklist loses its "Answered" value.
      const broken = original.replace(
        /\s*<value>\s*<fullName>Answered<\/fullName>[\s\S]*?<\/value>/,
        '',
      );
      assert.notEqual(broken, original);
      writeFileSync(fieldFile, broken);
      const dbFile = path.join(dir, 'org.db');
      const inbox = await testInbox(backend, path.join(dir, 'inbox.db'));
      const inboxFile = inbox.location;

      // An answered call's Call_Type__c is refused: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.
      let h = await startHarness({ backend, org: { metadataDir: metadata, dbFile }, inboxFile });
      try {
        const anonymousLine = fixture('inbound-abandoned').map((e) => {
          const copy = structuredClone(e) as { data: { number?: { name?: string } } };
          if (copy.data.number) copy.data.number.name = 'Desk';
          return copy;
        });
        await h.send([...fixture('inbound-answered'), ...anonymousLine]);
        await h.drain();
        const dead = await h.connector.inbox.deadLetters();
        assert.ok(dead.length > 0, 'the answered call is dead-lettered');
        assert.ok(
          dead.every((d) => d.callId === '4186790001'),
          'only that call',
        );
        assert.equal(dead[0]!.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
        assert.match(dead[0]!.reason, /Call_Type__c/);
        const voices = await h.org.client.query<{ Aircall_Call_Id__c: string }>(
          'SELECT Aircall_Call_Id__c FROM Aircall_Voice__c',
        );
        assert.deepEqual(
          voices.map((v) => v.Aircall_Call_Id__c),
          ['4186790004'],
          'the other call is logged',
        );
      } finally {
        await h.close();
      }

      // The admin puts the value back; the operator retries the dead letters.
      writeFileSync(fieldFile, original);
      h = await startHarness({ backend, org: { metadataDir: metadata, dbFile }, inboxFile });
      try {
        assert.ok((await h.connector.inbox.requeueDead()) > 0);
        assert.deepEqual(await h.drain(), { timedOut: false });
        assert.equal((await h.connector.inbox.deadLetters()).length, 0);
        const voices = await h.org.client.query<{
          Aircall_Call_Id__c: string;
          Aircall_Line_Name__c: string;
        }>(
          'SELECT Aircall_Call_Id__c, Aircall_Line_Name__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
        );
        assert.deepEqual(
          voices.map((v) => [v.Aircall_Call_Id__c, v.Aircall_Line_Name__c]),
          [
            ['4186790001', 'Support France'],
            ['4186790004', 'Desk'],
          ],
        );
      } finally {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
        await inbox.drop();
      }
    });
  });
}
