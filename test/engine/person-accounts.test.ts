/**
 * Matching in an org with Person Accounts (`settings.personAccounts`, detected from the org's
 * Account describe): a Person Account's person phone fields are searched and read in its person
 * country, and it takes part in the match order as a Contact and as an Account, counted once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSearch, consumeSearch, pickMatch, readSearchRecords } from '../../src/engine';
import { settings } from './helpers';

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
