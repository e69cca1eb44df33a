/**
 * Matching in an org with Person Accounts (`settings.personAccounts`, detected from the org's
 * Account describe): a Person Account's person phone fields are searched and read in its person
 * country, and it takes part in the match order as a Contact and as an Account, counted once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSearch,
  consumeSearch,
  explain,
  parseWebhook,
  pickMatch,
  readSearchRecords,
  type AircallEvent,
} from '../../src/engine';
import {
  load,
  loadRaw,
  parisHours,
  planWith,
  replayInSteps,
  settings,
  voiceWrites,
} from './helpers';

const pa = (over: Record<string, unknown>) => ({
  attributes: { type: 'Account' },
  Id: '001PA',
  Name: 'Lucía García',
  FirstName: 'Lucía',
  LastName: 'García',
  IsPersonAccount: true,
  PersonContactId: '003PC',
  LastModifiedDate: '2026-02-01T00:00:00.000+0000',
  CreatedDate: '2026-01-01T00:00:00.000+0000',
  ...over,
});
const caller = { raw: '+34 612 34 56 78', country: 'ES' };

describe('Person Accounts: matching', () => {
  it('searches the person fields and leaves person contacts to their Person Account', () => {
    const { sosl } = buildSearch(
      [caller],
      settings({
        personAccounts: true,
        extraPhoneFields: { Contact: ['Work_Phone__c'], Lead: [], Account: [] },
      }),
    );
    assert.match(sosl!, /Contact\([^)]* WHERE IsPersonAccount = false\)/);
    const account = /Account\(([^)]*)\)/.exec(sosl!)![1]!.split(', ');
    for (const f of [
      'IsPersonAccount',
      'PersonContactId',
      'Phone',
      'PersonMobilePhone',
      'PersonHomePhone',
      'PersonOtherPhone',
      'PersonAssistantPhone',
      'Work_Phone__pc',
      'PersonMailingCountry',
      'PersonOtherCountry',
      'PersonMailingState',
    ])
      assert.ok(account.includes(f), f);
    // Without Person Accounts the query names none of them (the org would refuse them).
    const plain = buildSearch([caller], settings()).sosl!;
    assert.doesNotMatch(plain, /Person|IsPersonAccount/);
  });

  it('matches a Person Account by each person phone field, read in its person country', () => {
    const s = settings({
      personAccounts: true,
      extraPhoneFields: { Contact: ['Work_Phone__c'], Lead: [], Account: [] },
    });
    for (const field of [
      'Phone',
      'PersonMobilePhone',
      'PersonHomePhone',
      'PersonOtherPhone',
      'PersonAssistantPhone',
      'Work_Phone__pc',
    ]) {
      const record = pa({ [field]: '612 34 56 78', PersonMailingCountry: 'España' });
      const index = consumeSearch([record], [{ ...caller, country: 'FR' }], s);
      const [found] = index.get('+34612345678') ?? [];
      assert.equal(found?.personContactId, '003PC', field);
      assert.equal(found.readings![0]!.why, 'the record\'s PersonMailingCountry is "España"');
    }
    // PersonOtherCountry, then BillingCountry, when the mailing country is empty.
    const [searched] = readSearchRecords(
      [pa({ PersonMobilePhone: '612 34 56 78', BillingCountry: 'Spain' })],
      [caller],
      s,
    );
    assert.equal(searched!.readings[0]!.why, 'the record\'s BillingCountry is "Spain"');
  });

  it('takes part as a Contact and as an Account, counted once', () => {
    const s = settings({ personAccounts: true });
    const person = pa({ PersonMobilePhone: '+34 612 34 56 78' });
    const contact = {
      attributes: { type: 'Contact' },
      Id: '003BIZ',
      Phone: '+34 612 34 56 78',
      LastModifiedDate: '2026-03-01T00:00:00.000+0000',
    };
    const business = { attributes: { type: 'Account' }, Id: '001BIZ', Phone: '+34 612 34 56 78' };
    const only = pickMatch(consumeSearch([person], [caller], s).get('+34612345678'), s);
    assert.equal(only.kind, 'matched');
    assert.equal(only.reason, 'one Person Account has this number');
    // Match order Contact > Lead > Account: the Person Account competes with the business Contact.
    const two = pickMatch(consumeSearch([person, contact], [caller], s).get('+34612345678'), s);
    assert.deepEqual(
      [two.kind, two.kind === 'matched' ? two.record.id : null, two.reason],
      [
        'matched',
        '003BIZ',
        '2 Contact records have this number; the most recently modified wins (Multiple Matches)',
      ],
    );
    // Account first: it competes with the business Account, and is one record, not two.
    const accountFirst = settings({
      personAccounts: true,
      matchOrder: ['Account', 'Contact', 'Lead'],
    });
    const candidates = consumeSearch([person, business], [caller], accountFirst).get(
      '+34612345678',
    );
    assert.equal(candidates!.length, 2);
    const picked = pickMatch(candidates, { ...accountFirst, multipleMatches: 'Do Not Link' });
    assert.equal(picked.kind, 'ambiguous');
    assert.match(picked.reason, /^2 Account records have this number/);
  });
});

describe('Person Accounts: "Create Person Account" for unknown numbers', () => {
  const missed = load('inbound-missed.json');
  const PERSON_TYPE = '012000000000002AAA';
  const personOrg = settings({
    personAccounts: true,
    personRecordTypeId: PERSON_TYPE,
    unknownNumberAction: 'Create Person Account',
  });

  it('upserts an Account of the person record type by Aircall_Phone_Key__pc and links the account and its person contact', () => {
    const { plan } = planWith(missed, { settings: personOrg });
    const created = plan.writes.filter((w) => w.sobject === 'Account');
    assert.equal(created.length, 1);
    assert.equal(created[0]!.externalIdField, 'Aircall_Phone_Key__pc');
    assert.deepEqual(created[0]!.fields, {
      RecordTypeId: PERSON_TYPE,
      Aircall_Phone_Key__pc: '+33612345678',
      Phone: '+33612345678',
      // Named like a Contact: no Aircall contact on this call, so the number.
      LastName: 'Caller +33612345678',
      PersonLeadSource: 'Phone Inquiry',
    });
    // `Name` is the org's to build from the names; a business Account's key is left alone.
    assert.equal('Name' in created[0]!.fields, false);
    assert.equal('Aircall_Phone_Key__c' in created[0]!.fields, false);
    const voice = voiceWrites(plan)[0]!.fields;
    assert.deepEqual(voice.Account__r, { Aircall_Phone_Key__pc: '+33612345678' });
    // The person contact carries the same key under its own name (the `__pc` field is its field).
    assert.deepEqual(voice.Contact__r, { Aircall_Phone_Key__c: '+33612345678' });
    assert.equal(voice.Lead__c, null);
    assert.equal('Account__c' in voice || 'Contact__c' in voice, false);
    assert.equal(
      voice.Match_Reason__c,
      'Created for this number: no Contact, Lead or Account had +33612345678, so a Person Account with Aircall_Phone_Key__pc +33612345678 was created for it',
    );
    assert.ok(plan.writes.indexOf(created[0]!) < plan.writes.indexOf(voiceWrites(plan)[0]!));
  });

  it("takes the names from Aircall's contact when the call has one", () => {
    const named: AircallEvent[] = loadRaw('inbound-missed.json').map((body) => {
      const copy = structuredClone(body) as { data: Record<string, unknown> };
      copy.data.contact = { id: 7, first_name: 'Lucía', last_name: 'García', company_name: 'ACME' };
      const parsed = parseWebhook(copy);
      assert.ok(parsed.ok);
      return parsed.event;
    });
    const account = planWith(named, { settings: personOrg }).plan.writes.find(
      (w) => w.sobject === 'Account',
    )!.fields;
    assert.deepEqual(
      [account.FirstName, account.LastName, 'Company' in account],
      ['Lucía', 'García', false],
    );
  });

  it('is created once: later batches and later calls from the number reuse it', () => {
    const [first, second] = replayInSteps(missed, [1, missed.length], { settings: personOrg });
    const creates = [...first!.plan.writes, ...second!.plan.writes].filter(
      (w) => w.sobject === 'Account',
    );
    assert.equal(creates.length, 1);
    assert.deepEqual(second!.known.get('+33612345678'), { sobject: 'PersonAccount' });
    // Once its Id is known, the Account is linked by Id and its person contact by its key.
    const again = planWith(missed, {
      settings: personOrg,
      known: new Map([['+33612345678', { sobject: 'PersonAccount', id: '001000000000009AAA' }]]),
    }).plan;
    assert.deepEqual(
      again.writes.map((w) => w.sobject),
      ['Aircall_Voice__c'],
    );
    const voice = voiceWrites(again)[0]!.fields;
    assert.equal(voice.Account__c, '001000000000009AAA');
    assert.deepEqual(voice.Contact__r, { Aircall_Phone_Key__c: '+33612345678' });
    assert.match(voice.Match_Reason__c as string, /so a Person Account with Aircall_Phone_Key__pc/);
  });

  it('points a Case for the missed call at the Person Account and its person contact', () => {
    const { plan } = planWith(missed, {
      settings: { ...personOrg, createCaseFor: 'Missed Calls' },
    });
    const kase = plan.writes.find((w) => w.sobject === 'Case')!.fields;
    assert.deepEqual(kase.Account, { Aircall_Phone_Key__pc: '+33612345678' });
    assert.deepEqual(kase.Contact, { Aircall_Phone_Key__c: '+33612345678' });
  });

  it('creates nothing and says why when the org has no Person Accounts or no person record type', () => {
    for (const [over, why] of [
      [{ personAccounts: false }, /this org has no Person Accounts/],
      [{ personRecordTypeId: null }, /the org has no active person record type of Account/],
      [
        { personRecordTypeId: null, personAccountRecordType: 'VIP_Person' },
        /no active person record type of Account is "VIP_Person"/,
      ],
    ] as const) {
      const { plan } = planWith(missed, { settings: { ...personOrg, ...over } });
      assert.deepEqual(
        plan.writes.map((w) => w.sobject),
        ['Aircall_Voice__c'],
      );
      const voice = voiceWrites(plan)[0]!.fields;
      assert.match(voice.Match_Reason__c as string, /^Not linked: .*"Create Person Account" but /);
      assert.match(voice.Match_Reason__c as string, why);
    }
  });

  it('explain names the Person Account it would create and its key', () => {
    const text = explain({
      number: '+33 6 12 34 56 78',
      at: new Date('2026-11-25T10:00:00Z'),
      settings: personOrg,
      matches: new Map(),
      businessHours: parisHours(),
    });
    assert.match(
      text,
      /- New Person Account with Aircall_Phone_Key__pc \+33612345678: .*a Person Account is created \("Create Person Account"\)/,
    );
  });

  it('saves a matched Person Account to Aircall as a person, not a company', () => {
    const person = pa({ PersonMobilePhone: '+33 6 12 34 56 78' });
    const matches = consumeSearch(
      [person],
      [{ raw: '+33612345678', country: 'FR' }],
      settings({ personAccounts: true }),
    );
    const { plan } = planWith(missed, {
      matches,
      settings: settings({ personAccounts: true, saveToPhone: true }),
    });
    assert.deepEqual(plan.aircallContacts, [
      {
        callId: '4186790002',
        number: '+33612345678',
        firstName: 'Lucía',
        lastName: 'García',
        salesforceId: '001PA',
      },
    ]);
  });
});
