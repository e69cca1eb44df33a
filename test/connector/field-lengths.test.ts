/**
 * Values longer than their fields. Aircall sends whatever its users typed: a
 * contact's last name over 80 characters, a first name over 40, a company over 255, a 300-character
 * number. A real org refuses such a value (STRING_TOO_LONG) and so does the local org; the
 * connector fits each value to the length the org's describe reports and keeps the full value in
 * the record's long-text Description where the object has one. A second call from the same new
 * number in the same batch is linked to the record the first one created.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cut } from '../../src/connector/fit';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { fixture, fixtureCall, startHarness, type Harness } from './harness';

const call = fixtureCall;

const LAST = `Lastname-${'x'.repeat(100)}-end`;
const FIRST = `Firstname-${'y'.repeat(40)}-end`;
const COMPANY = `Company-${'z'.repeat(300)}-end`;
const NUMBER = '+33 6 99 88 77 66';
const LONG_INVALID = `12${'3'.repeat(298)}`;

describe('values longer than their fields', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('fits them to the described lengths, keeps them whole in Description, and the second call from the number links to the same Lead', async () => {
    const long = call('inbound-answered', 5100000001, {
      raw_digits: NUMBER,
      contact: { id: 1, first_name: FIRST, last_name: LAST, company_name: COMPANY },
    });
    const second = call('inbound-missed', 5100000002, { raw_digits: NUMBER, contact: null });
    const invalidOut = call('outbound-invalid', 5100000003, { raw_digits: LONG_INVALID });
    const invalidIn = call('inbound-missed', 5100000004, { raw_digits: LONG_INVALID });
    // One batch: every event is in the inbox before the worker runs.
    for (const r of await h.send([...long, ...second, ...invalidOut, ...invalidIn]))
      assert.notEqual(r.status, 'rejected', JSON.stringify(r));
    await h.drain();

    assert.deepEqual(
      (await h.connector.inbox.deadLetters()).map((d) => `${d.callId}: ${d.reason}`),
      [],
      'nothing is dead-lettered',
    );
    const leads = await h.org.client.query<{
      Id: string;
      FirstName: string;
      LastName: string;
      Company: string;
      Description: string | null;
    }>(
      "SELECT Id, FirstName, LastName, Company, Description FROM Lead WHERE Aircall_Phone_Key__c = '+33699887766'",
    );
    assert.equal(leads.length, 1, 'one Lead for the number');
    const lead = leads[0]!;
    assert.equal(lead.LastName.length, 80);
    assert.ok(LAST.startsWith(lead.LastName.slice(0, 79)) && lead.LastName.endsWith('…'));
    assert.equal(lead.FirstName.length, 40);
    assert.equal(lead.Company.length, 255);
    for (const full of [LAST, FIRST, COMPANY]) {
      assert.ok(lead.Description?.includes(full), 'the full value is kept in Description');
    }

    const voices = await h.org.client.query<{ Aircall_Call_Id__c: string; Lead__c: string | null }>(
      'SELECT Aircall_Call_Id__c, Lead__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
    );
    const byCall = new Map(voices.map((v) => [v.Aircall_Call_Id__c, v.Lead__c]));
    assert.equal(byCall.get('5100000001'), lead.Id);
    assert.equal(byCall.get('5100000002'), lead.Id, 'the second call links to the same Lead');
    assert.ok(byCall.has('5100000004'), 'the inbound call from the long invalid number is logged');

    const calls = await h.org.client.query<{
      VendorCallKey: string;
      FromPhoneNumber: string;
      ToPhoneNumber: string;
    }>(
      "SELECT VendorCallKey, FromPhoneNumber, ToPhoneNumber FROM VoiceCall WHERE VendorCallKey IN ('5100000003', '5100000004')",
    );
    assert.equal(calls.length, 2, 'both calls with the long invalid number have their VoiceCall');
    for (const c of calls) {
      assert.ok(c.FromPhoneNumber.length <= 255 && c.ToPhoneNumber.length <= 255);
    }
  });

  it('a call linked to a record the org refused for another call of the batch is retried, not dead-lettered', async () => {
    // Without the lengths (as if the connector had not read the describes), the org refuses the
    // first call's Lead with STRING_TOO_LONG — the defect as it was found. The second call from the
    // same number pointed at that Lead by external id and failed with INVALID_FIELD for good.
    h.org.client.fieldShapes.clear();
    const number = '+33 6 55 44 33 22';
    const long = call('inbound-answered', 5200000001, {
      raw_digits: number,
      contact: { id: 2, first_name: 'Ann', last_name: LAST, company_name: null },
    });
    const second = call('inbound-missed', 5200000002, { raw_digits: number, contact: null });
    await h.send([...long, ...second]);
    await h.drain();

    const dead = await h.connector.inbox.deadLetters();
    assert.ok(dead.length > 0);
    assert.deepEqual(
      [...new Set(dead.map((d) => `${d.callId} ${d.errorCode}`))],
      ['5200000001 STRING_TOO_LONG'],
      'only the call with the refused value is dead-lettered',
    );
    const [voice] = await h.org.client.query<{ Lead__c: string | null }>(
      "SELECT Lead__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '5200000002'",
    );
    const [lead] = await h.org.client.query<{ Id: string; LastName: string }>(
      "SELECT Id, LastName FROM Lead WHERE Aircall_Phone_Key__c = '+33655443322'",
    );
    assert.ok(lead !== undefined, 'the retried call created the Lead for the number itself');
    assert.equal(voice?.Lead__c, lead.Id);
  });
});

describe('a text field an admin shortened', () => {
  it('gets the value cut to its new length instead of a dead letter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-shortened-'));
    const metadata = path.join(dir, 'metadata');
    cpSync(PACKAGE_METADATA_DIR, metadata, { recursive: true });
    const file = path.join(
      metadata,
      'objects',
      'Aircall_Voice__c',
      'fields',
      'Aircall_Line_Name__c.field-meta.xml',
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/<length>\d+<\/length>/, '<length>5</length>'),
    );
    const h = await startHarness({ org: { metadataDir: metadata } });
    try {
      await h.send(fixture('inbound-answered'));
      await h.drain();
      assert.deepEqual(await h.connector.inbox.deadLetters(), []);
      const [voice] = await h.org.client.query<{ Aircall_Line_Name__c: string }>(
        'SELECT Aircall_Line_Name__c FROM Aircall_Voice__c',
      );
      assert.equal(voice?.Aircall_Line_Name__c, 'Supp…', '"Support France" in 5 characters');
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cut', () => {
  it('ends a cut value with "…" within the length, never inside a surrogate pair', () => {
    assert.equal(cut('abcdef', 6), 'abcdef');
    assert.equal(cut('abcdef', 4), 'abc…');
    // "🙂" is two UTF-16 units, as Salesforce counts; cutting between them would leave half a character.
    assert.equal(cut('ab🙂cd', 4), 'ab…');
    assert.equal(cut('ab🙂cd', 5), 'ab🙂…');
  });
});
