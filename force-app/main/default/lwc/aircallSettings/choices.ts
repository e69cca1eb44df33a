/**
 * What the settings panel offers and how it names it: the values each picklist accepts, the words
 * shown for each stored value (the stored values stay the engine's), the field names used in
 * messages. Free of the DOM.
 */
import { PICKLISTS } from 'c/aircallUtils';
import type { Option } from 'c/aircallUtils';
import { LABELS } from './labels';
import type { SettingsField } from './settingsSchema';

/** Picklist fields and the values each accepts. */
export const PICKLIST_FIELDS: Partial<Record<SettingsField, readonly string[]>> = {
  Log_Calls__c: PICKLISTS.logCalls,
  Unknown_Number_Action__c: PICKLISTS.unknownNumberAction,
  Multiple_Matches__c: PICKLISTS.multipleMatches,
  Recording_Destination__c: PICKLISTS.mediaDestination,
  Voicemail_Destination__c: PICKLISTS.mediaDestination,
  Omni_Mapping_Mode__c: PICKLISTS.omniMappingMode,
};

/** Field names in validation messages: the labels of their controls. */
export const FIELD_LABELS: Record<SettingsField, string> = {
  Log_Calls__c: LABELS.logCalls,
  Business_Hours_Id__c: LABELS.businessHours,
  Unknown_Number_Action__c: LABELS.unknownNumber,
  Match_Order__c: LABELS.matchOrder,
  Multiple_Matches__c: LABELS.multipleMatches,
  Save_To_Phone__c: LABELS.saveToPhone,
  Recording_Destination__c: LABELS.recordingDestination,
  Voicemail_Destination__c: LABELS.voicemailDestination,
  Omni_Mapping_Mode__c: LABELS.omniMode,
  Default_Country__c: LABELS.defaultCountry,
};

/** What each stored picklist value means, in words. */
export const VALUE_LABELS: Record<string, string> = {
  Always: LABELS.logAlways,
  'Business Hours Only': LABELS.logBusinessHours,
  'Create Lead': LABELS.createLead,
  'Create Contact': LABELS.createContact,
  'Create Account': LABELS.createAccount,
  'Do Nothing': LABELS.doNothing,
  'Most Recently Modified': LABELS.mostRecent,
  Oldest: LABELS.oldest,
  'Do Not Link': LABELS.doNotLink,
  'Their Common Account': LABELS.commonAccount,
  'Do Not Log': LABELS.destNone,
  'Aircall Voice': LABELS.destVoice,
  'Voice Call': LABELS.destVoiceCall,
  Both: LABELS.destBoth,
  Default: LABELS.omniDefault,
  Custom: LABELS.omniCustom,
  Contact: LABELS.contact,
  Lead: LABELS.lead,
  Account: LABELS.account,
};

/** The options of a picklist, each value in words. */
export function optionsOf(values: readonly string[]): Option[] {
  return values.map((value) => ({ label: VALUE_LABELS[value] ?? value, value }));
}
