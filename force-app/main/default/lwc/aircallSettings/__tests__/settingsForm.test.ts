/**
 * The settings form's rules without the DOM: errors keyed by field, the first error in page order,
 * the changed fields, and the country an entry names (its agreement with the engine is
 * test/console/settings-country.test.ts).
 */
import {
  changedFields,
  countryCode,
  countryName,
  draftFromRecord,
  fieldErrors,
  firstError,
  fill,
  savedDraft,
  valueFromChange,
  valuesToSave,
  type RuleContext,
} from '../settingsForm';
import { lineCountries, savedRecord } from '../settingsQueries';

const ctx: RuleContext = {
  picklists: { Log_Calls__c: ['Always', 'Business Hours Only'] },
  matchObjects: ['Contact', 'Lead', 'Account'],
  fieldLabels: { Log_Calls__c: 'Log calls' },
  valueLabels: { Always: 'Always', 'Business Hours Only': 'During business hours' },
  texts: {
    pickOne: '{0}: pick one of {1}.',
    bhInactive: 'inactive',
    bhBadId: 'bad id',
    matchEmpty: 'empty',
    matchDuplicates: 'duplicates',
    countryUnknown: '"{0}" is no country',
  },
};

const good = {
  Log_Calls__c: 'Always',
  Business_Hours_Id__c: '',
  Match_Order__c: 'Contact,Lead',
  Default_Country__c: '',
};

describe('settingsForm', () => {
  it('has no error for a draft that can be saved', () => {
    expect(fieldErrors(good, ctx)).toEqual({});
    expect(fieldErrors({ ...good, Default_Country__c: 'France' }, ctx)).toEqual({});
  });

  it('keys every error by its field', () => {
    expect(
      fieldErrors(
        {
          Log_Calls__c: 'Sometimes',
          Business_Hours_Id__c: '',
          Match_Order__c: '',
          Default_Country__c: 'Narnia',
        },
        ctx,
      ),
    ).toEqual({
      Log_Calls__c: 'Log calls: pick one of Always, During business hours.',
      Match_Order__c: 'empty',
      Default_Country__c: '"Narnia" is no country',
    });
    expect(fieldErrors({ ...good, Match_Order__c: 'Contact,Contact' }, ctx)).toEqual({
      Match_Order__c: 'duplicates',
    });
    expect(fieldErrors({ ...good, Match_Order__c: 'Opportunity' }, ctx)).toEqual({
      Match_Order__c: 'duplicates',
    });
  });

  it('checks business hours against the active ones, or their id shape when they cannot be listed', () => {
    const bh = {
      ...good,
      Log_Calls__c: 'Business Hours Only',
      Business_Hours_Id__c: '01mDn0000008PaR',
    };
    expect(fieldErrors(bh, { ...ctx, activeBusinessHoursIds: [] })).toEqual({
      Business_Hours_Id__c: 'inactive',
    });
    expect(fieldErrors(bh, { ...ctx, activeBusinessHoursIds: ['01mDn0000008PaR'] })).toEqual({});
    expect(fieldErrors(bh, ctx)).toEqual({});
    expect(fieldErrors({ ...bh, Business_Hours_Id__c: '001Dn0000008PaR' }, ctx)).toEqual({
      Business_Hours_Id__c: 'bad id',
    });
  });

  it('finds the first error in page order', () => {
    const order = ['A', 'B', 'C'];
    expect(firstError({ C: 'x', B: 'y' }, order)).toBe('B');
    expect(firstError({}, order)).toBeUndefined();
  });

  it('lists the changed fields', () => {
    expect(changedFields({ a: 'x', b: true }, { a: 'x', b: false })).toEqual(['b']);
    expect(changedFields({ a: 'x' }, { a: 'x' })).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(fill('{0} → {1} {2}', 'a', 'b')).toBe('a → b {2}');
  });

  it('reads codes and names in several languages as the ISO code', () => {
    expect(
      [
        'FR',
        'fr',
        'FRA',
        'fra',
        'France',
        'francia',
        'España',
        'Deutschland',
        'U.K.',
        ' Italia ',
      ].map(countryCode),
    ).toEqual(['FR', 'FR', 'FR', 'FR', 'FR', 'FR', 'ES', 'DE', 'GB', 'IT']);
    expect(['Narnia', 'Europe', 'XX', 'ZZZ', '12'].map(countryCode)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(countryName('FR', 'es')).toBe('Francia');
  });

  it('makes a draft of a saved record: its values where it has one, else the defaults', () => {
    const defaults = { A__c: 'x', B__c: false, N__c: '24', C__c: '' };
    expect(draftFromRecord(defaults, undefined)).toEqual(defaults);
    expect(
      draftFromRecord(defaults, { A__c: 'y', B__c: true, N__c: 48, C__c: null, Other__c: 'z' }),
    ).toEqual({ A__c: 'y', B__c: true, N__c: '48', C__c: '' });
  });

  it('reads the saved record of the settings query (aliased keys, values unwrapped)', () => {
    const edges = [
      { node: { Id: 'a02', Log_Calls__c: { value: 'Always' }, Save_To_Phone__c: { value: true } } },
    ];
    const data = { uiapi: { query: { Aircall_Settings__c: { edges } } } };
    expect(savedRecord(data)).toEqual({
      id: 'a02',
      values: { Log_Calls__c: 'Always', Save_To_Phone__c: true },
    });
    expect(savedRecord({ uiapi: { query: { Aircall_Settings__c: { edges: [] } } } })).toBe(
      undefined,
    );
  });

  it('reads each line country once, sorted', () => {
    const node = (value: string | null) => ({ node: { Aircall_Line_Country__c: { value } } });
    const data = {
      uiapi: {
        query: { Aircall_Voice__c: { edges: [node('IT'), node('FR'), node(null), node('IT')] } },
      },
    };
    expect(lineCountries(data)).toEqual(['FR', 'IT']);
    expect(lineCountries(undefined)).toEqual([]);
  });

  it('takes a toggle, a dual listbox and any other control as they change', () => {
    expect(valueFromChange(false, { checked: true })).toBe(true);
    expect(valueFromChange(true, {})).toBe(false);
    expect(valueFromChange('Contact', { value: ['Lead', 'Contact'] })).toBe('Lead,Contact');
    expect(valueFromChange('Always', { value: 'Business Hours Only' })).toBe('Business Hours Only');
    expect(valueFromChange('x', {})).toBe('');
  });

  it('saves empty business hours and country as null, a country as its code', () => {
    expect(
      valuesToSave({ Log_Calls__c: 'Always', Business_Hours_Id__c: '  ', Default_Country__c: '' }),
    ).toEqual({ Log_Calls__c: 'Always', Business_Hours_Id__c: null, Default_Country__c: null });
    expect(
      valuesToSave({ Business_Hours_Id__c: ' 01mDn0000008PaRIAU ', Default_Country__c: 'España' }),
    ).toEqual({ Business_Hours_Id__c: '01mDn0000008PaRIAU', Default_Country__c: 'ES' });
    expect(savedDraft({ Default_Country__c: 'france', Log_Calls__c: 'Always' })).toEqual({
      Default_Country__c: 'FR',
      Log_Calls__c: 'Always',
    });
  });
});
