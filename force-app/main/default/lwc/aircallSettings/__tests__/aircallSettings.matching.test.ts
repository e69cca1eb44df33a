/**
 * The matching settings the connector reads besides match order: the extra phone fields searched
 * (picked from the phone fields of Contact, Lead and Account, or typed when those cannot be
 * described), and the owner and Lead Source of the records created for unknown numbers.
 */
import { updateRecord } from 'lightning/uiRecordApi';

import settings from './data/graphqlSettings.json';
import matchInfos from './data/getObjectInfosMatch.json';
import { flush } from '../../aircallUtils/__tests__/testUtils';
import { $, change, load, objectInfosAdapter, picklistValuesAdapter, save, watch } from './harness';

type Options = { options: { label: string; value: string }[] };

/** The settings fixture with some saved values replaced. */
function savedWith(values: Record<string, unknown>): typeof settings {
  const data = JSON.parse(JSON.stringify(settings)) as typeof settings;
  const node = data.uiapi.query.Aircall_Settings__c.edges[0]!.node as Record<string, unknown>;
  for (const [field, value] of Object.entries(values)) node[field] = { value };
  return data;
}

function savedFields(): Record<string, unknown> {
  const calls = (updateRecord as jest.Mock).mock.calls as [{ fields: Record<string, unknown> }][];
  return calls.at(-1)![0].fields;
}

describe('c-aircall-settings: matching and created records', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('offers the phone fields matching does not search already, with the saved ones chosen', async () => {
    const { element } = await load();
    const list = $<Options & { value: string[]; fieldLevelHelp: string }>(
      element,
      '.extra-phone-fields',
    )!;
    // Not the standard phone fields (always searched), not Fax, not a person field (it follows its
    // Contact field), not a field that is no phone; each object's by label.
    expect(list.options).toEqual([
      { label: 'Contact: Direct Line (Direct_Line__c)', value: 'Contact.Direct_Line__c' },
      { label: 'Contact: Work Phone (Work_Phone__c)', value: 'Contact.Work_Phone__c' },
      { label: 'Lead: Other Phone (Other_Phone__c)', value: 'Lead.Other_Phone__c' },
      { label: 'Account: Switchboard (Switchboard__c)', value: 'Account.Switchboard__c' },
    ]);
    expect(list.value).toEqual(['Contact.Work_Phone__c']);
    expect(list.fieldLevelHelp).toMatch(/^Matching always searches the standard phone fields/);
    expect($(element, '.no-phone-fields')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('saves the chosen phone fields with the other settings, and none as empty', async () => {
    const { element } = await load();
    await change(element, '.extra-phone-fields', {
      value: ['Contact.Work_Phone__c', 'Lead.Other_Phone__c'],
    });
    await change(element, '.multiple-matches', { value: 'Do Not Link' });
    await save(element);
    expect(savedFields()).toMatchObject({
      Extra_Phone_Fields__c: 'Contact.Work_Phone__c,Lead.Other_Phone__c',
      Multiple_Matches__c: 'Do Not Link',
      Match_Order__c: 'Lead,Contact',
    });
    await change(element, '.extra-phone-fields', { value: [] });
    await save(element);
    expect(savedFields().Extra_Phone_Fields__c).toBeNull();
  });

  it('shows a saved entry that is not a phone field, and refuses it on its field until removed', async () => {
    const { element } = await load({
      data: savedWith({ Extra_Phone_Fields__c: 'contact.work_phone__c; Lead.Phone_Note__c' }),
    });
    const list = $<Options & { value: string[] }>(element, '.extra-phone-fields')!;
    // Written in another case, an entry still selects its field; one that is no phone field shows
    // as written.
    expect(list.value).toEqual(['Contact.Work_Phone__c', 'Lead.Phone_Note__c']);
    expect(list.options.at(-1)).toEqual({
      label: 'Lead.Phone_Note__c',
      value: 'Lead.Phone_Note__c',
    });
    // Any change makes the form savable; Save finds the entry and says so on the field.
    await change(element, '.multiple-matches', { value: 'Do Not Link' });
    const phones = watch(element, '.extra-phone-fields');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(phones.messages).toEqual([
      '"Lead.Phone_Note__c" is not a phone field of Lead that you can read. Callers are matched on phone fields only: remove it or pick another.',
    ]);
    expect(phones.focused).toBe(1);
    await change(element, '.extra-phone-fields', { value: ['Contact.Work_Phone__c'] });
    expect(phones.messages.at(-1)).toBe('');
    await save(element);
    expect(savedFields().Extra_Phone_Fields__c).toBe('Contact.Work_Phone__c');
  });

  it('says so when there is no other phone field to add', async () => {
    const bare = (object: string) => ({
      statusCode: 200,
      result: {
        apiName: object,
        label: object,
        defaultRecordTypeId: '012000000000000AAA',
        fields: { Phone: { apiName: 'Phone', label: 'Phone', dataType: 'Phone' } },
      },
    });
    const { element } = await load({
      data: savedWith({ Extra_Phone_Fields__c: null }),
      matchInfos: { results: ['Contact', 'Lead', 'Account'].map(bare) },
    });
    // No empty list: the setting, its help, and why there is nothing to choose.
    expect($(element, '.extra-phone-fields')).toBeNull();
    const none = $(element, '.no-phone-fields')!;
    expect(none.textContent).toContain('Other phone fields to search');
    expect(none.textContent).toContain(
      'Contacts, Leads and Accounts have no other phone fields you can read',
    );
    expect(
      none.querySelector<HTMLElement & { content: string }>('lightning-helptext')!.content,
    ).toMatch(/^Matching always searches/);
    await expect(element).toBeAccessible();
  });

  it('lists the fields of the objects it can read when one cannot be described', async () => {
    const { element } = await load({
      matchInfos: {
        results: [
          matchInfos.results[0],
          { statusCode: 403, result: [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'no' }] },
          matchInfos.results[2],
        ],
      },
    });
    expect($<Options>(element, '.extra-phone-fields')!.options.map((o) => o.value)).toEqual([
      'Contact.Direct_Line__c',
      'Contact.Work_Phone__c',
      'Account.Switchboard__c',
    ]);
  });

  it('takes the phone fields typed when Contact, Lead and Account cannot be described', async () => {
    const { element } = await load();
    objectInfosAdapter.error({ message: 'Server unavailable.' }, 503, 'Service Unavailable');
    await flush();
    expect($(element, '.extra-phone-fields')).toBeNull();
    const input = $<{ value: string; fieldLevelHelp: string }>(
      element,
      '.extra-phone-fields-text',
    )!;
    expect(input.value).toBe('Contact.Work_Phone__c');
    expect(input.fieldLevelHelp).toMatch(/as Object\.Field separated by commas/);
    await change(element, '.extra-phone-fields-text', { value: 'Contact.Work_Phone__c; Phone2' });
    const typed = watch(element, '.extra-phone-fields-text');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(typed.messages).toEqual([
      '"Phone2" is not Object.Field with Object one of Contact, Lead or Account (for example Contact.Work_Phone__c).',
    ]);
    await change(element, '.extra-phone-fields-text', {
      value: ' Contact.Work_Phone__c;  lead.Other_Phone__c ',
    });
    expect(typed.messages.at(-1)).toBe('');
    await save(element);
    // Saved as the engine reads it: entries separated by commas.
    expect(savedFields().Extra_Phone_Fields__c).toBe('Contact.Work_Phone__c,lead.Other_Phone__c');
  });

  it('refuses more phone fields than the setting holds, on the field', async () => {
    const { element } = await load();
    objectInfosAdapter.error({ message: 'Server unavailable.' }, 503, 'Service Unavailable');
    await flush();
    const many = Array.from({ length: 12 }, (_, i) => `Contact.Extra_Phone_Number_${i}__c`);
    await change(element, '.extra-phone-fields-text', { value: many.join(', ') });
    const typed = watch(element, '.extra-phone-fields-text');
    await save(element);
    expect(typed.messages).toEqual([
      'At most 255 characters in all (385 now): remove some fields.',
    ]);
  });

  it('sets the owner of created records from the package picklist, in words', async () => {
    const { element } = await load();
    const owner = $<Options & { value: string; fieldLevelHelp: string }>(
      element,
      '.created-owner',
    )!;
    expect(owner.value).toBe('Integration User');
    expect(owner.options).toEqual([
      { label: 'The agent who handled the call', value: 'Agent Who Handled The Call' },
      { label: 'The integration user', value: 'Integration User' },
      { label: 'Lead assignment rules (Leads only)', value: 'Assignment Rules' },
    ]);
    expect(owner.fieldLevelHelp).toMatch(
      /Contacts and Accounts then stay with the integration user/,
    );
    await change(element, '.created-owner', { value: 'Assignment Rules' });
    await save(element);
    expect(savedFields()).toMatchObject({ Created_Record_Owner__c: 'Assignment Rules' });
  });

  it('shows the owner and Lead Source only when unknown numbers create records', async () => {
    const { element } = await load();
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    expect($(element, '.created-owner')).toBeNull();
    expect($(element, '.created-lead-source')).toBeNull();
    // Hidden, a stored value that is no longer valid does not stop Save.
    const broken = savedWith({ Created_Record_Owner__c: 'Round Robin' });
    const again = await load({ data: broken });
    await change(again.element, '.unknown-number', { value: 'Do Nothing' });
    await save(again.element);
    expect(updateRecord).toHaveBeenCalledTimes(1);
  });

  it('offers the Lead Source values of the field the created record keeps it in', async () => {
    const { element } = await load();
    // Unknown numbers create Contacts: Contact.LeadSource, of Contact's default record type.
    expect(picklistValuesAdapter.getLastConfig()).toEqual({
      recordTypeId: '012000000000000AAA',
      fieldApiName: 'Contact.LeadSource',
    });
    const source = $<Options & { value: string; fieldLevelHelp: string }>(
      element,
      '.created-lead-source',
    )!;
    expect(source.value).toBe('Phone Inquiry');
    expect(source.options).toEqual([
      { label: 'None: leave it empty', value: '' },
      { label: 'Web', value: 'Web' },
      { label: 'Phone Inquiry', value: 'Phone Inquiry' },
      { label: 'Partner Referral', value: 'Partner Referral' },
      { label: 'Other', value: 'Other' },
    ]);
    expect(source.fieldLevelHelp).toMatch(/the Account Source of an Account/);
    await change(element, '.unknown-number', { value: 'Create Account' });
    expect(picklistValuesAdapter.getLastConfig()).toMatchObject({
      fieldApiName: 'Account.AccountSource',
    });
    await change(element, '.created-lead-source', { value: '' });
    await save(element);
    expect(savedFields()).toMatchObject({
      Unknown_Number_Action__c: 'Create Account',
      Created_Lead_Source__c: null,
    });
  });

  it('shows a saved Lead Source that is not in the picklist as such, and an emptied one as none', async () => {
    const { element } = await load({ data: savedWith({ Created_Lead_Source__c: 'Phone' }) });
    const source = $<Options & { value: string }>(element, '.created-lead-source')!;
    expect(source.value).toBe('Phone');
    expect(source.options.at(-1)).toEqual({
      label: 'Phone (not a value of this picklist)',
      value: 'Phone',
    });
    const emptied = await load({ data: savedWith({ Created_Lead_Source__c: null }) });
    expect($<{ value: string }>(emptied.element, '.created-lead-source')!.value).toBe('');
  });

  it('takes the Lead Source typed when its values cannot be read', async () => {
    const { element } = await load();
    picklistValuesAdapter.error({ message: 'no access' }, 403, 'Forbidden');
    await flush();
    expect($(element, '.created-lead-source')).toBeNull();
    const input = $<{ value: string; maxLength: string | number }>(
      element,
      '.created-lead-source-text',
    )!;
    expect(input.value).toBe('Phone Inquiry');
    await change(element, '.created-lead-source-text', { value: ' Cold call ' });
    await save(element);
    expect(savedFields().Created_Lead_Source__c).toBe('Cold call');
  });
});
