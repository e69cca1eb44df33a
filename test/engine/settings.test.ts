import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_SETTINGS,
  PICKLIST_VALUES,
  SettingsError,
  parseSettings,
  parseSettingsStrict,
  parseStatusMappings,
} from '../../src/engine';

const full = {
  attributes: { type: 'Aircall_Settings__c' },
  Id: 'a02000000000001AAA',
  Log_Calls__c: 'Business Hours Only',
  Business_Hours_Id__c: '01m000000000001AAA',
  Unknown_Number_Action__c: 'Create Contact',
  Match_Order__c: 'Lead, Account, Contact',
  Multiple_Matches__c: 'Oldest',
  Save_To_Phone__c: true,
  Recording_Destination__c: 'Both',
  Voicemail_Destination__c: 'Voice Call',
  Omni_Mapping_Mode__c: 'Custom',
  Extra_Phone_Fields__c: 'Contact.Work_Phone__c, Lead.Alt_Phone__c',
  Default_Country__c: 'España',
  Person_Account_Record_Type__c: ' Customer_Person ',
  Link_To_Open_Case__c: true,
  Link_To_Open_Opportunity__c: true,
  Create_Case_For__c: 'Voicemails',
  Case_Owner__c: '00G000000000001AAA',
  Created_Record_Owner__c: 'Assignment Rules',
  Created_Lead_Source__c: 'Phone Inquiry',
  Activity_Task__c: 'Completed Task',
  Answered_Inbound_Action__c: 'Log',
  Answered_Outbound_Action__c: "Don't log",
  Missed_Inbound_Action__c: 'Log + open follow-up Task',
  Voicemail_Action__c: 'Log + open follow-up Task',
  Unanswered_Outbound_Action__c: "Don't log",
  Only_Log_Matched_Numbers__c: true,
  Skip_Internal_Calls__c: true,
  Task_Subject_Template__c: '{direction} · {outcome} · {number}',
  Follow_Up_Owner_Id__c: '00G000000000001AAA',
  Callback_Window_Hours__c: 48,
};

describe('parseSettings', () => {
  it('gives the defaults a new admin expects when no settings record exists', () => {
    for (const record of [null, undefined, {}]) {
      const { settings, warnings } = parseSettings(record);
      assert.deepEqual(warnings, []);
      assert.deepEqual(settings, DEFAULT_SETTINGS);
    }
    assert.equal(DEFAULT_SETTINGS.logCalls, 'Always');
    assert.deepEqual(DEFAULT_SETTINGS.matchOrder, ['Contact', 'Lead', 'Account']);
    assert.equal(DEFAULT_SETTINGS.multipleMatches, 'Most Recently Modified');
  });

  it('reads every field of a complete Aircall_Settings__c record', () => {
    const { settings, warnings } = parseSettings(full);
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, {
      logCalls: 'Business Hours Only',
      businessHoursId: '01m000000000001AAA',
      unknownNumberAction: 'Create Contact',
      matchOrder: ['Lead', 'Account', 'Contact'],
      multipleMatches: 'Oldest',
      saveToPhone: true,
      recordingDestination: 'Both',
      voicemailDestination: 'Voice Call',
      omniMappingMode: 'Custom',
      extraPhoneFields: { Contact: ['Work_Phone__c'], Lead: ['Alt_Phone__c'], Account: [] },
      defaultCountry: 'ES',
      personAccountRecordType: 'Customer_Person',
      linkToOpenCase: true,
      linkToOpenOpportunity: true,
      createCaseFor: 'Voicemails',
      caseOwnerId: '00G000000000001AAA',
      createdRecordOwner: 'Assignment Rules',
      createdLeadSource: 'Phone Inquiry',
      activityTask: 'Completed Task',
      callTypeActions: {
        answeredInbound: 'Log',
        answeredOutbound: "Don't log",
        missedInbound: 'Log + open follow-up Task',
        voicemail: 'Log + open follow-up Task',
        unansweredOutbound: "Don't log",
      },
      onlyMatchedNumbers: true,
      skipInternalCalls: true,
      taskSubjectTemplate: '{direction} · {outcome} · {number}',
      followUpOwnerId: '00G000000000001AAA',
      callbackWindowHours: 48,
    });
  });

  it('warns about a follow-up owner that is no User or queue Id, and a window out of range', () => {
    const { settings, warnings } = parseSettings({
      Follow_Up_Owner_Id__c: '001000000000001AAA',
      Callback_Window_Hours__c: -3,
      Voicemail_Action__c: 'Maybe',
    });
    assert.equal(settings.followUpOwnerId, null);
    assert.equal(settings.callbackWindowHours, 24);
    assert.equal(settings.callTypeActions.voicemail, 'Log');
    assert.equal(warnings.length, 3);
    assert.match(warnings.join('\n'), /Follow_Up_Owner_Id__c .* not a User \(005…\) or queue/);
    assert.match(warnings.join('\n'), /Voicemail_Action__c is "Maybe"/);
  });

  it('reads Case_Owner__c as a user or queue Id, empty for assignment rules, and warns otherwise', () => {
    assert.equal(parseSettings({ Case_Owner__c: '' }).settings.caseOwnerId, null);
    assert.equal(
      parseSettings({ Case_Owner__c: '005000000000001' }).settings.caseOwnerId,
      '005000000000001',
    );
    const bad = parseSettings({ Case_Owner__c: 'Support team' });
    assert.equal(bad.settings.caseOwnerId, null);
    assert.match(bad.warnings[0]!, /Case_Owner__c is "Support team".*assignment rules/);
  });

  it('reads Default_Country__c as an ISO code or a country name, and warns when it names none', () => {
    assert.equal(parseSettings({ Default_Country__c: 'fr' }).settings.defaultCountry, 'FR');
    assert.equal(parseSettings({ Default_Country__c: 'DEU' }).settings.defaultCountry, 'DE');
    assert.equal(parseSettings({ Default_Country__c: 'Italie' }).settings.defaultCountry, 'IT');
    assert.equal(parseSettings({ Default_Country__c: '  ' }).settings.defaultCountry, null);
    const bad = parseSettings({ Default_Country__c: 'Europe' });
    assert.equal(bad.settings.defaultCountry, null);
    assert.match(bad.warnings[0]!, /Default_Country__c is "Europe", which names no country/);
    assert.throws(() => parseSettingsStrict({ Default_Country__c: 'Europe' }), SettingsError);
  });

  it('accepts every picklist value the metadata defines', () => {
    const fields = {
      Log_Calls__c: 'logCalls',
      Unknown_Number_Action__c: 'unknownNumberAction',
      Multiple_Matches__c: 'multipleMatches',
      Recording_Destination__c: 'recordingDestination',
      Voicemail_Destination__c: 'voicemailDestination',
      Omni_Mapping_Mode__c: 'omniMappingMode',
      Create_Case_For__c: 'createCaseFor',
      Activity_Task__c: 'activityTask',
    } as const;
    for (const [apiName, key] of Object.entries(fields)) {
      for (const value of PICKLIST_VALUES[
        `Aircall_Settings__c.${apiName}` as keyof typeof PICKLIST_VALUES
      ]) {
        const { settings, warnings } = parseSettings({ [apiName]: value });
        assert.deepEqual(warnings, []);
        assert.equal(settings[key], value);
      }
    }
  });

  it('falls back to the default with a warning that says what to fix for an invalid picklist value', () => {
    const { settings, warnings } = parseSettings({
      Log_Calls__c: 'Sometimes',
      Multiple_Matches__c: 3,
    });
    assert.equal(settings.logCalls, 'Always');
    assert.equal(settings.multipleMatches, 'Most Recently Modified');
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0]!,
      /^Log_Calls__c is "Sometimes", which is not one of "Always", "Business Hours Only"; using "Always"/,
    );
  });

  it('keeps the valid part of a partly wrong match order and warns', () => {
    const { settings, warnings } = parseSettings({
      Match_Order__c: 'Account,Opportunity,Lead,Lead',
    });
    assert.deepEqual(settings.matchOrder, ['Account', 'Lead']);
    assert.match(
      warnings[0]!,
      /^Match_Order__c is "Account,Opportunity,Lead,Lead"; .* Using "Account,Lead"\.$/,
    );
    const none = parseSettings({ Match_Order__c: 'Nope' });
    assert.deepEqual(none.settings.matchOrder, ['Contact', 'Lead', 'Account']);
  });

  it('rejects a Business_Hours_Id__c that is not a BusinessHours id and uses the org default', () => {
    const { settings, warnings } = parseSettings({ Business_Hours_Id__c: '001000000000001AAA' });
    assert.equal(settings.businessHoursId, null);
    assert.match(warnings[0]!, /not a BusinessHours Id/);
  });

  it('ignores extra phone field entries that could not be a field name (no SOSL injection)', () => {
    const { settings, warnings } = parseSettings({
      Extra_Phone_Fields__c: 'Contact.Work_Phone__c, Contact.X) RETURNING User(Id, Case.Phone__c',
    });
    assert.deepEqual(settings.extraPhoneFields.Contact, ['Work_Phone__c']);
    assert.ok(warnings.length >= 1);
  });

  it('throws a SettingsError listing every problem in strict mode', () => {
    assert.throws(
      () => parseSettingsStrict({ Log_Calls__c: 'x', Voicemail_Destination__c: 'Fax' }),
      (e: unknown) =>
        e instanceof SettingsError &&
        e.problems.length === 2 &&
        /Aircall settings are not valid/.test(e.message),
    );
    assert.equal(parseSettingsStrict(full).logCalls, 'Business Hours Only');
  });
});

describe('parseStatusMappings', () => {
  it('reads valid rules of both directions', () => {
    const { mappings, warnings } = parseStatusMappings([
      {
        Id: 'a03000000000001',
        Direction__c: 'Phone to Omni',
        Omni_Status__c: 'On_a_call',
        Phone_Event__c: 'In Call',
      },
      {
        Direction__c: 'Omni to Aircall',
        Omni_Status__c: 'Lunch',
        Aircall_Availability__c: 'custom',
        Aircall_Substatus__c: 'Out for lunch',
      },
    ]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(mappings, [
      {
        id: 'a03000000000001',
        direction: 'Phone to Omni',
        omniStatus: 'On_a_call',
        aircallAvailability: null,
        aircallSubstatus: null,
        phoneEvent: 'In Call',
      },
      {
        direction: 'Omni to Aircall',
        omniStatus: 'Lunch',
        aircallAvailability: 'custom',
        aircallSubstatus: 'Out for lunch',
        phoneEvent: null,
      },
    ]);
  });

  it('drops an invalid rule with a warning naming the rule and the problem', () => {
    const { mappings, warnings } = parseStatusMappings([
      { Id: 'bad1', Direction__c: 'Phone to Omni', Omni_Status__c: 'Busy' },
      { Id: 'bad2', Direction__c: 'Sideways', Omni_Status__c: '', Phone_Event__c: 'Dancing' },
    ]);
    assert.equal(mappings.length, 0);
    assert.match(
      warnings[0]!,
      /^Status mapping bad1 is ignored: a "Phone to Omni" rule needs a Phone_Event__c/,
    );
    assert.match(
      warnings[1]!,
      /Direction__c must be .*Omni_Status__c must name .*Phone_Event__c must be one of/,
    );
  });
});
