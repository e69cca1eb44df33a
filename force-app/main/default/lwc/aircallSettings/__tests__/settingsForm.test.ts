/**
 * The settings form's rules without the DOM: errors keyed by field, the first error in page order,
 * the changed fields, and the country an entry names (its agreement with the engine is
 * test/console/settings-country.test.ts).
 */
import {
  changedFields,
  countryCode,
  countryName,
  createsRecords,
  draftFromRecord,
  extraPhoneFieldsError,
  phoneFieldEntries,
  fieldErrors,
  isOwnerId,
  usesCases,
  usesFollowUps,
  usesTasks,
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
    ownerIdBad: 'bad owner',
    callbackWindowBad: 'bad window',
    placeholderUnknown: '{0}?',
    caseOwnerMissing: 'owner missing',
    personRecordTypeBad: 'bad record type',
    personAccountsOff: 'no person accounts',
    phoneFieldBad: '{0} is not Object.Field',
    phoneFieldNotPhone: '{0} is no phone field of {1}',
    phoneFieldsTooLong: 'at most {0}, not {1}',
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

  it('checks the follow-up owner and callback window only when some kind of call opens follow-ups', () => {
    const bad = { ...good, Follow_Up_Owner_Id__c: 'ops', Callback_Window_Hours__c: '2.5' };
    expect(usesFollowUps(bad)).toBe(false);
    expect(fieldErrors(bad, ctx)).toEqual({});
    const followUps = { ...bad, Voicemail_Action__c: 'Log + open follow-up Task' };
    expect(usesFollowUps(followUps)).toBe(true);
    expect(fieldErrors(followUps, ctx)).toEqual({
      Follow_Up_Owner_Id__c: 'bad owner',
      Callback_Window_Hours__c: 'bad window',
    });
    for (const hours of ['0', '24', '720']) {
      const ok = { ...followUps, Follow_Up_Owner_Id__c: '', Callback_Window_Hours__c: hours };
      expect(fieldErrors(ok, ctx)).toEqual({});
    }
    for (const hours of ['', '-1', '721', '1e2']) {
      const errors = fieldErrors({ ...followUps, Callback_Window_Hours__c: hours }, ctx);
      expect(errors.Callback_Window_Hours__c).toBe('bad window');
    }
  });

  it('accepts user and queue Ids of 15 or 18 characters as owners', () => {
    expect(isOwnerId('005Dn000000AgEn', false)).toBe(true);
    expect(isOwnerId(' 00GDn000000QueUeMA ', false)).toBe(true);
    expect(isOwnerId('', true)).toBe(true);
    expect(isOwnerId('', false)).toBe(false);
    expect(
      ['001Dn000000AcCt', '005Dn000000AgE', '00GDn000000QueUeMAK'].map((v) => isOwnerId(v, false)),
    ).toEqual([false, false, false]);
  });

  it('checks the Task subject placeholders only when calls get a Task', () => {
    const subject = { ...good, Task_Subject_Template__c: '{direction} with {who}' };
    expect(usesTasks(subject)).toBe(false);
    expect(fieldErrors(subject, ctx)).toEqual({});
    const tasks = { ...subject, Activity_Task__c: 'Completed Task' };
    expect(fieldErrors(tasks, ctx)).toEqual({ Task_Subject_Template__c: '{who}?' });
    const known = { ...tasks, Task_Subject_Template__c: '{agent}: {number} on {line} · {outcome}' };
    expect(fieldErrors(known, ctx)).toEqual({});
  });

  it('requires the Case owner chosen, and a user or queue Id, only when Cases are created', () => {
    const cases = { ...good, Create_Case_For__c: 'Missed Calls', Case_Owner__c: '' };
    expect(usesCases(cases)).toBe(true);
    expect(usesCases({ ...good, Create_Case_For__c: 'None' })).toBe(false);
    expect(fieldErrors(cases, ctx)).toEqual({});
    expect(fieldErrors(cases, { ...ctx, caseOwnerChosen: true })).toEqual({
      Case_Owner__c: 'owner missing',
    });
    expect(fieldErrors({ ...cases, Case_Owner__c: 'queue' }, ctx)).toEqual({
      Case_Owner__c: 'bad owner',
    });
    expect(
      fieldErrors({ ...cases, Create_Case_For__c: 'None', Case_Owner__c: 'queue' }, ctx),
    ).toEqual({});
  });

  it('refuses Create Person Account where the org has none, and a malformed record type', () => {
    const person = {
      ...good,
      Unknown_Number_Action__c: 'Create Person Account',
      Person_Account_Record_Type__c: '',
    };
    expect(fieldErrors(person, ctx)).toEqual({});
    expect(fieldErrors(person, { ...ctx, personAccounts: true })).toEqual({});
    expect(fieldErrors(person, { ...ctx, personAccounts: false })).toEqual({
      Unknown_Number_Action__c: 'no person accounts',
    });
    for (const type of [
      'PersonAccount',
      'Retail_Customer',
      '012Dn000000PeRs',
      '012Dn000000PeRsAAA',
    ])
      expect(fieldErrors({ ...person, Person_Account_Record_Type__c: type }, ctx)).toEqual({});
    for (const type of ['Person Account', '_x', '012Dn'])
      expect(fieldErrors({ ...person, Person_Account_Record_Type__c: type }, ctx)).toEqual({
        Person_Account_Record_Type__c: 'bad record type',
      });
  });

  it('saves optional texts left empty as null and the callback window as a number', () => {
    const draft = {
      Task_Subject_Template__c: ' ',
      Follow_Up_Owner_Id__c: ' 005Dn000000AgEn ',
      Case_Owner__c: '',
      Person_Account_Record_Type__c: ' PersonAccount ',
      Callback_Window_Hours__c: ' 48 ',
      Link_To_Open_Case__c: true,
    };
    expect(valuesToSave(draft)).toEqual({
      Task_Subject_Template__c: null,
      Follow_Up_Owner_Id__c: '005Dn000000AgEn',
      Case_Owner__c: null,
      Person_Account_Record_Type__c: 'PersonAccount',
      Callback_Window_Hours__c: 48,
      Link_To_Open_Case__c: true,
    });
    expect(savedDraft(draft)).toEqual({
      Task_Subject_Template__c: '',
      Follow_Up_Owner_Id__c: '005Dn000000AgEn',
      Case_Owner__c: '',
      Person_Account_Record_Type__c: 'PersonAccount',
      Callback_Window_Hours__c: '48',
      Link_To_Open_Case__c: true,
    });
  });

  it('reads extra phone fields as the engine splits them, and says what is wrong with the first bad one', () => {
    expect(phoneFieldEntries(' Contact.A__c;Lead.B__c  account.C__c,,')).toEqual([
      'Contact.A__c',
      'Lead.B__c',
      'account.C__c',
    ]);
    const phones = { ...ctx, valueLabels: { Lead: 'Candidato' } };
    expect(extraPhoneFieldsError('', phones)).toBeUndefined();
    expect(
      extraPhoneFieldsError('Contact.Work_Phone__c, lead.other_phone__c', phones),
    ).toBeUndefined();
    for (const bad of [
      'Opportunity.Phone',
      'Contact',
      'Contact.',
      'Contact.A.B',
      'Lead.9x',
      'Lead.A-b',
    ])
      expect(extraPhoneFieldsError(`Contact.Ok__c, ${bad}`, phones)).toBe(
        `${bad} is not Object.Field`,
      );
    // With the objects' phone fields known, a field that is none is refused (in any case), an
    // object whose fields are unknown is taken on trust.
    const known = { ...phones, phoneFields: { Lead: ['Phone', 'Other_Phone__c'] } };
    expect(
      extraPhoneFieldsError('LEAD.OTHER_PHONE__C, Contact.Whatever__c', known),
    ).toBeUndefined();
    expect(extraPhoneFieldsError('Lead.Other_Phone__c, Lead.Note__c', known)).toBe(
      'Lead.Note__c is no phone field of Candidato',
    );
    // The setting holds 255 characters once joined by commas.
    const field = (n: number) => `Contact.${'F'.repeat(n)}__c`;
    expect(extraPhoneFieldsError(`${field(120)} ; ${field(112)}`, ctx)).toBeUndefined();
    expect(extraPhoneFieldsError(`${field(120)} ; ${field(113)}`, ctx)).toBe(
      'at most 255, not 256',
    );
    expect(fieldErrors({ ...good, Extra_Phone_Fields__c: 'Phone' }, ctx)).toEqual({
      Extra_Phone_Fields__c: 'Phone is not Object.Field',
    });
  });

  it('saves extra phone fields separated by commas, none as null; an emptied Lead Source stays empty', () => {
    expect(
      valuesToSave({
        Extra_Phone_Fields__c: ' Contact.A__c ; Lead.B__c ',
        Created_Lead_Source__c: ' ',
      }),
    ).toEqual({ Extra_Phone_Fields__c: 'Contact.A__c,Lead.B__c', Created_Lead_Source__c: null });
    expect(valuesToSave({ Extra_Phone_Fields__c: ' ' })).toEqual({ Extra_Phone_Fields__c: null });
    // Saved empty, the Lead Source reads empty (not the Phone a new record starts with); absent
    // from the record, it is the default.
    const defaults = { Created_Lead_Source__c: 'Phone', Log_Calls__c: 'Always' };
    expect(draftFromRecord(defaults, { Created_Lead_Source__c: null, Log_Calls__c: null })).toEqual(
      {
        Created_Lead_Source__c: '',
        Log_Calls__c: 'Always',
      },
    );
    expect(draftFromRecord(defaults, {})).toEqual(defaults);
  });

  it('checks the owner of created records only when unknown numbers create records', () => {
    const owners = {
      ...ctx,
      picklists: { Created_Record_Owner__c: ['Integration User'] },
      fieldLabels: { Created_Record_Owner__c: 'Owner' },
    };
    const draft = { ...good, Created_Record_Owner__c: 'Nobody' };
    expect(createsRecords({ Unknown_Number_Action__c: 'Create Lead' })).toBe(true);
    expect(createsRecords({ Unknown_Number_Action__c: 'Do Nothing' })).toBe(false);
    expect(fieldErrors({ ...draft, Unknown_Number_Action__c: 'Create Lead' }, owners)).toEqual({
      Created_Record_Owner__c: 'Owner: pick one of Integration User.',
    });
    expect(fieldErrors({ ...draft, Unknown_Number_Action__c: 'Do Nothing' }, owners)).toEqual({});
  });
});
