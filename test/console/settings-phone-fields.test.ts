/**
 * The settings panel's extra phone fields (force-app/.../aircallSettings/settingsForm.ts) and the
 * engine's reading of the saved setting (src/engine/settings.ts, src/engine/matching.ts) must agree:
 * what the panel lets through the engine searches, what it refuses the engine would ignore, and the
 * fields it does not offer are those the engine searches anyway.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PHONE_OBJECTS,
  SEARCHED_PHONE_FIELDS,
  extraPhoneFieldsError,
  valuesToSave,
  type RuleContext,
} from '../../force-app/main/default/lwc/aircallSettings/settingsForm';
import { parseSettings } from '../../src/engine/settings';
import { PERSON_PHONE_FIELDS, STANDARD_PHONE_FIELDS } from '../../src/engine/matching';

const ctx = {
  picklists: {},
  matchObjects: PHONE_OBJECTS,
  fieldLabels: {},
  valueLabels: {},
  texts: { phoneFieldBad: 'bad', phoneFieldNotPhone: 'not phone', phoneFieldsTooLong: 'long' },
} as unknown as RuleContext;

const ENTRIES = [
  'Contact.Work_Phone__c',
  'lead.Other_Phone__c',
  'ACCOUNT.Switchboard__c',
  'Contact.Phone',
  'Contact.Work_Phone__c, Lead.Other_Phone__c',
  'Contact.Work_Phone__c;Lead.Other_Phone__c  Account.X__c',
  'Opportunity.Phone',
  'Contact',
  'Contact.',
  '.Phone',
  'Contact.A.B',
  'Lead.9_Lives__c',
  'Lead.Bad-Name__c',
  'Contact.Work_Phone__c, Case.Phone__c',
  'Contact.Ünïcode__c',
];

describe('Extra phone fields: the settings panel and the engine agree', () => {
  it('refuses exactly the entries the engine would ignore', () => {
    for (const entry of ENTRIES) {
      const { warnings } = parseSettings({ Extra_Phone_Fields__c: entry });
      const ignored = warnings.some((w) => w.includes('Extra_Phone_Fields__c'));
      assert.equal(extraPhoneFieldsError(entry, ctx) !== undefined, ignored, entry);
    }
  });

  it('saves what it accepts so that the engine reads the same fields', () => {
    for (const entry of ENTRIES) {
      if (extraPhoneFieldsError(entry, ctx)) continue;
      const saved = valuesToSave({ Extra_Phone_Fields__c: entry }).Extra_Phone_Fields__c;
      assert.deepEqual(
        parseSettings({ Extra_Phone_Fields__c: saved }).settings.extraPhoneFields,
        parseSettings({ Extra_Phone_Fields__c: entry }).settings.extraPhoneFields,
        entry,
      );
    }
  });

  it('does not offer the phone fields the engine always searches, and only those', () => {
    for (const object of PHONE_OBJECTS) {
      const engine = [
        ...STANDARD_PHONE_FIELDS[object],
        ...(object === 'Account' ? PERSON_PHONE_FIELDS : []),
      ];
      assert.deepEqual([...SEARCHED_PHONE_FIELDS[object]].sort(), [...engine].sort(), object);
    }
  });
});
