/**
 * Calls on the caller's open Case and Opportunity, and Cases for missed calls and voicemails,
 * through the whole connector against the local org (whose Case.IsClosed follows CaseStatus and
 * Opportunity.IsClosed the stage: test/local-org/cases-opportunities.test.ts), with and without the
 * package namespace.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { fixture, fixtureCall, PACKAGE_MODES, startHarness, type Harness } from './harness';

type Row = Record<string, unknown>;

const VOICEMAIL_CALL = '4186790003';
const ANSWERED_CALL = '4186790001';
const MISSED_CALL = '4186790002';

async function settings(h: Harness, fields: Row): Promise<void> {
  const [saved] = await h.org.client.create([
    { attributes: { type: 'Aircall_Settings__c' }, Name: 'Settings', ...fields },
  ]);
  assert.ok(saved?.success, JSON.stringify(saved));
}

async function create(h: Harness, type: string, fields: Row): Promise<string> {
  const [r] = await h.org.client.create([{ attributes: { type }, ...fields }]);
  assert.ok(r?.success && r.id, JSON.stringify(r));
  return r.id;
}

/** Aircall's AI summary of a call, arriving after it ended. */
function summary(callId: number, content: string): Record<string, unknown> {
  const [event] = fixture('ai-events');
  const data = event!.data as Record<string, unknown>;
  return {
    ...event,
    timestamp: 1790669100,
    data: { ...data, id: 91100, call_id: callId, content },
  };
}

for (const mode of PACKAGE_MODES) {
  describe(`Cases and Opportunities (${mode.label})`, () => {
    it('links a call to the Contact’s most recent open Case and Opportunity, and the VoiceCall to the Case', async () => {
      const h = await startHarness({ namespace: mode.namespace });
      try {
        await settings(h, { Link_To_Open_Case__c: true, Link_To_Open_Opportunity__c: true });
        const accountId = await create(h, 'Account', { Name: 'Acme SA' });
        const contactId = await create(h, 'Contact', {
          FirstName: 'Léa',
          LastName: 'Garnier',
          MobilePhone: '06 12 34 56 78',
          AccountId: accountId,
        });
        const older = await create(h, 'Case', { Subject: 'Older', ContactId: contactId });
        const openCase = await create(h, 'Case', { Subject: 'Open', ContactId: contactId });
        // The most recently modified Case is closed: not taken.
        await create(h, 'Case', { Subject: 'Done', ContactId: contactId, Status: 'Closed' });
        const opportunity = await create(h, 'Opportunity', {
          Name: 'Renewal',
          StageName: 'Negotiation/Review',
          CloseDate: '2026-12-31',
        });
        await create(h, 'OpportunityContactRole', {
          OpportunityId: opportunity,
          ContactId: contactId,
        });
        assert.notEqual(older, openCase);
        h.local.resetCounters();
        await h.send(fixture('inbound-answered'));
        assert.deepEqual(await h.drain(), { timedOut: false });
        const [voice] = await h.org.client.query<Row>(
          'SELECT Case__c, Opportunity__c, Contact__c, Voice_Call__c FROM Aircall_Voice__c',
        );
        assert.equal(voice?.Case__c, openCase);
        assert.equal(voice?.Opportunity__c, opportunity);
        const [call] = await h.org.client.query<Row>(
          `SELECT RelatedRecordId FROM VoiceCall WHERE VendorCallKey = '${ANSWERED_CALL}'`,
        );
        assert.equal(call?.RelatedRecordId, openCase);
        // The Case page's related list reads the calls by their Case__c.
        const onCase = await h.org.client.query<Row>(
          `SELECT Aircall_Call_Id__c FROM Aircall_Voice__c WHERE Case__c = '${openCase}'`,
        );
        assert.deepEqual(
          onCase.map((r) => r.Aircall_Call_Id__c),
          [ANSWERED_CALL],
        );
      } finally {
        await h.close();
      }
    });

    it('creates one Case for a voicemail, with the person, the number and the link, and adds the AI summary when it comes', async () => {
      const h = await startHarness({ namespace: mode.namespace });
      try {
        await settings(h, { Create_Case_For__c: 'Both' });
        const contactId = await create(h, 'Contact', {
          FirstName: 'Léa',
          LastName: 'Garnier',
          MobilePhone: '+33 6 12 34 56 78',
        });
        await h.send(fixture('inbound-voicemail'));
        assert.deepEqual(await h.drain(), { timedOut: false });
        const cases = await h.org.client.query<Row>(
          'SELECT Id, Subject, Origin, SuppliedPhone, ContactId, Description, Aircall_Call_Id__c FROM Case',
        );
        assert.equal(cases.length, 1);
        const c = cases[0]!;
        assert.equal(c.Subject, 'Voicemail from Léa Garnier');
        assert.equal(c.Origin, 'Phone');
        assert.equal(c.SuppliedPhone, '+33612345678');
        assert.equal(c.ContactId, contactId);
        assert.equal(c.Aircall_Call_Id__c, VOICEMAIL_CALL);
        assert.match(
          String(c.Description),
          /Listen to the voicemail: https:\/\/assets\.aircall\.io/,
        );
        const [voice] = await h.org.client.query<Row>('SELECT Case__c FROM Aircall_Voice__c');
        assert.equal(voice?.Case__c, c.Id);
        const [call] = await h.org.client.query<Row>(
          `SELECT RelatedRecordId FROM VoiceCall WHERE VendorCallKey = '${VOICEMAIL_CALL}'`,
        );
        assert.equal(call?.RelatedRecordId, c.Id);

        // The summary arrives later; Aircall delivers it twice.
        const late = summary(Number(VOICEMAIL_CALL), 'Léa asks to be called back.');
        await h.send([late, late]);
        assert.deepEqual(await h.drain(), { timedOut: false });
        const after = await h.org.client.query<Row>('SELECT Id, Subject, Description FROM Case');
        assert.equal(after.length, 1);
        assert.equal(after[0]!.Id, c.Id);
        const description = String(after[0]!.Description);
        assert.match(description, /AI summary\nLéa asks to be called back\.$/);
        assert.equal(description.match(/Listen to the voicemail/g)?.length, 1);
      } finally {
        await h.close();
      }
    });
  });
}

describe('Reading open Cases and Opportunities', () => {
  it('reads them while the call rings, in the write Composite of that batch, so its answer reads nothing', async () => {
    const h = await startHarness();
    try {
      await settings(h, { Link_To_Open_Case__c: true, Link_To_Open_Opportunity__c: true });
      const contactId = await create(h, 'Contact', {
        FirstName: 'Léa',
        LastName: 'Garnier',
        MobilePhone: '06 12 34 56 78',
      });
      const openCase = await create(h, 'Case', { Subject: 'Open', ContactId: contactId });
      // Every read of open records made on its own (a Composite of queries only).
      const client = h.org.client;
      const queryMany = client.queryMany.bind(client);
      const ownReads: string[][] = [];
      client.queryMany = (soqls) => {
        if (soqls.some((q) => q.includes('IsClosed = false'))) ownReads.push([...soqls]);
        return queryMany(soqls);
      };
      const [created, ringing, ...rest] = fixture('inbound-answered');
      // The call rings, in the batch of another call that is written (a missed call of a number
      // no record has).
      const other = fixtureCall('inbound-missed', 4186790102, { raw_digits: '+33 1 98 76 54 32' });
      await h.send([created, ringing, ...other]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      await h.send(rest);
      assert.deepEqual(await h.drain(), { timedOut: false });

      const [voice] = await h.org.client.query<Row>(
        `SELECT Case__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${ANSWERED_CALL}'`,
      );
      assert.equal(voice?.Case__c, openCase);
      assert.deepEqual(ownReads, [], 'the open Case was read with the missed call’s writes');
    } finally {
      await h.close();
    }
  });
});

describe('Cases under retries and refusals', () => {
  it('makes one Case per call whatever the org’s transient failures and the replays', async () => {
    const h = await startHarness({
      org: { faults: { serviceUnavailableRate: 0.3, lockRowRate: 0.2, seed: 11 } },
    });
    try {
      h.local.setFaults({});
      await settings(h, { Create_Case_For__c: 'Both' });
      h.local.setFaults({ serviceUnavailableRate: 0.3, lockRowRate: 0.2, seed: 11 });
      const calls = [
        ...fixture('inbound-voicemail'),
        ...fixture('inbound-missed'),
        ...fixtureCall('inbound-missed', 4186790102, { raw_digits: '+33 6 98 76 54 32' }),
      ];
      await h.send(calls);
      assert.deepEqual(await h.drain(60_000), { timedOut: false });
      await h.send(calls); // Aircall's retries of the same webhooks
      assert.deepEqual(await h.drain(60_000), { timedOut: false });
      h.local.setFaults({});
      const cases = await h.org.client.query<Row>('SELECT Aircall_Call_Id__c FROM Case');
      assert.deepEqual(cases.map((c) => c.Aircall_Call_Id__c).sort(), [
        '4186790002',
        '4186790003',
        '4186790102',
      ]);
      assert.equal((await h.connector.inbox.deadLetters()).length, 0);
    } finally {
      await h.close();
    }
  });

  it('logs the call when a validation rule refuses its Case, dead-letters that Case alone, and leaves the other call of the batch untouched', async () => {
    const h = await startHarness();
    try {
      await settings(h, { Create_Case_For__c: 'Both' });
      // An admin's rule on Case that only the voicemail's Case breaks: the org answers it with
      // FIELD_CUSTOM_VALIDATION_EXCEPTION, the rule's message and its field.
      h.local.setFaults({
        validationRules: [
          {
            sobject: 'Case',
            message: 'Voicemail Cases need a Region.',
            field: 'Subject',
            when: { Aircall_Call_Id__c: VOICEMAIL_CALL },
          },
        ],
      });
      // Both calls in one batch.
      await h.send([...fixture('inbound-voicemail'), ...fixture('inbound-missed')]);
      assert.deepEqual(await h.drain(), { timedOut: false });

      // Both calls are logged: Aircall Voice and VoiceCall.
      const voices = await h.org.client.query<Row>(
        'SELECT Aircall_Call_Id__c, Case__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
      );
      assert.deepEqual(
        voices.map((v) => v.Aircall_Call_Id__c),
        [MISSED_CALL, VOICEMAIL_CALL],
      );
      const calls = await h.org.client.query<Row>(
        `SELECT VendorCallKey, RelatedRecordId FROM VoiceCall WHERE VendorCallKey IN ('${MISSED_CALL}', '${VOICEMAIL_CALL}') ORDER BY VendorCallKey`,
      );
      assert.deepEqual(
        calls.map((c) => c.VendorCallKey),
        [MISSED_CALL, VOICEMAIL_CALL],
      );
      // The voicemail has no Case; the missed call has its own, on its record and its VoiceCall.
      const cases = await h.org.client.query<Row>('SELECT Id, Aircall_Call_Id__c FROM Case');
      assert.deepEqual(
        cases.map((c) => c.Aircall_Call_Id__c),
        [MISSED_CALL],
      );
      assert.equal(voices[1]!.Case__c, null);
      assert.equal(calls[1]!.RelatedRecordId, null);
      assert.equal(voices[0]!.Case__c, cases[0]!.Id);
      assert.equal(calls[0]!.RelatedRecordId, cases[0]!.Id);

      // One dead letter: the voicemail's Case, with the org's code and the rule's message.
      const letters = await h.connector.inbox.deadLetters();
      assert.equal(letters.length, 1, JSON.stringify(letters));
      assert.equal(letters[0]!.callId, VOICEMAIL_CALL);
      assert.equal(letters[0]!.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
      assert.match(letters[0]!.reason, /The Case of call 4186790003 was refused/);
      assert.match(letters[0]!.reason, /Voicemail Cases need a Region\./);
      assert.equal((await h.connector.inbox.counts()).pending, 0);
    } finally {
      await h.close();
    }
  });

  it('logs the call when the org refuses its Case (a required field), and dead-letters the Case alone', async () => {
    // The org's own required field on Case, which the connector does not know of.
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-case-metadata-'));
    cpSync(PACKAGE_METADATA_DIR, dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'objects', 'Case', 'fields', 'Region__c.field-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Region__c</fullName>
    <label>Region</label>
    <length>40</length>
    <required>true</required>
    <type>Text</type>
</CustomField>
`,
    );
    const h = await startHarness({ org: { metadataDir: dir } });
    try {
      await settings(h, { Create_Case_For__c: 'Voicemails' });
      await h.send(fixture('inbound-voicemail'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.equal((await h.org.client.query<Row>('SELECT Id FROM Case')).length, 0);
      const [voice] = await h.org.client.query<Row>(
        'SELECT Aircall_Call_Id__c, Case__c, Call_Type__c FROM Aircall_Voice__c',
      );
      assert.equal(voice?.Aircall_Call_Id__c, VOICEMAIL_CALL);
      assert.equal(voice?.Call_Type__c, 'Voicemail');
      assert.equal(voice?.Case__c, null);
      const [call] = await h.org.client.query<Row>(
        `SELECT Id, RelatedRecordId FROM VoiceCall WHERE VendorCallKey = '${VOICEMAIL_CALL}'`,
      );
      assert.ok(call?.Id, 'the VoiceCall is logged');
      assert.equal(call.RelatedRecordId, null);
      const letters = await h.connector.inbox.deadLetters();
      assert.equal(letters.length, 1, JSON.stringify(letters));
      assert.equal(letters[0]!.callId, VOICEMAIL_CALL);
      assert.equal(letters[0]!.errorCode, 'REQUIRED_FIELD_MISSING');
      assert.match(
        letters[0]!.reason,
        /The Case of call 4186790003 was refused.*dead-letters --retry/,
      );
      const counts = await h.connector.inbox.counts();
      assert.equal(counts.dead, 1, 'only the Case: the call’s events are applied');

      // Retried from the CLI: the org still refuses it, so it is one dead letter again, not two.
      await h.connector.inbox.requeueDead();
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.equal((await h.connector.inbox.deadLetters()).length, 1);
      assert.equal((await h.org.client.query<Row>('SELECT Id FROM Aircall_Voice__c')).length, 1);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
