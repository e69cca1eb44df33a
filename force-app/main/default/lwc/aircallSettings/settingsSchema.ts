/**
 * The settings object and its fields as the platform names them. The draft is keyed by the fields'
 * names in this source; what is saved is keyed by the imported references, which the platform
 * prefixes with the package namespace once installed.
 */
import { DEFAULT_SETTINGS } from 'c/aircallUtils';
import type { FieldRef } from 'c/aircallUtils';
import SETTINGS_OBJECT from '@salesforce/schema/Aircall_Settings__c';
import LOG_CALLS_FIELD from '@salesforce/schema/Aircall_Settings__c.Log_Calls__c';
import BUSINESS_HOURS_ID_FIELD from '@salesforce/schema/Aircall_Settings__c.Business_Hours_Id__c';
import UNKNOWN_NUMBER_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Unknown_Number_Action__c';
import MATCH_ORDER_FIELD from '@salesforce/schema/Aircall_Settings__c.Match_Order__c';
import MULTIPLE_MATCHES_FIELD from '@salesforce/schema/Aircall_Settings__c.Multiple_Matches__c';
import SAVE_TO_PHONE_FIELD from '@salesforce/schema/Aircall_Settings__c.Save_To_Phone__c';
import RECORDING_DESTINATION_FIELD from '@salesforce/schema/Aircall_Settings__c.Recording_Destination__c';
import VOICEMAIL_DESTINATION_FIELD from '@salesforce/schema/Aircall_Settings__c.Voicemail_Destination__c';
import OMNI_MAPPING_MODE_FIELD from '@salesforce/schema/Aircall_Settings__c.Omni_Mapping_Mode__c';
import DEFAULT_COUNTRY_FIELD from '@salesforce/schema/Aircall_Settings__c.Default_Country__c';

export { SETTINGS_OBJECT };

export type SettingsField = keyof typeof DEFAULT_SETTINGS;

/** A draft of the settings: toggles are booleans, every other field the text its control shows. */
export type Draft = {
  -readonly [K in SettingsField]: (typeof DEFAULT_SETTINGS)[K] extends boolean ? boolean : string;
};

export const SETTINGS_FIELDS: Record<SettingsField, FieldRef> = {
  Log_Calls__c: LOG_CALLS_FIELD,
  Business_Hours_Id__c: BUSINESS_HOURS_ID_FIELD,
  Unknown_Number_Action__c: UNKNOWN_NUMBER_ACTION_FIELD,
  Match_Order__c: MATCH_ORDER_FIELD,
  Multiple_Matches__c: MULTIPLE_MATCHES_FIELD,
  Save_To_Phone__c: SAVE_TO_PHONE_FIELD,
  Recording_Destination__c: RECORDING_DESTINATION_FIELD,
  Voicemail_Destination__c: VOICEMAIL_DESTINATION_FIELD,
  Omni_Mapping_Mode__c: OMNI_MAPPING_MODE_FIELD,
  Default_Country__c: DEFAULT_COUNTRY_FIELD,
};

/** The defaults as a draft (numbers as the text an input shows). */
export function defaultDraft(): Draft {
  return Object.fromEntries(
    Object.entries(DEFAULT_SETTINGS).map(([field, value]) => [
      field,
      typeof value === 'number' ? String(value) : value,
    ]),
  ) as Draft;
}

/** Values keyed by draft field → a record input: the org's (possibly namespaced) field API names. */
export function recordFields(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    (Object.entries(values) as [SettingsField, unknown][])
      .filter(([field]) => field in SETTINGS_FIELDS)
      .map(([field, value]) => [SETTINGS_FIELDS[field].fieldApiName, value]),
  );
}
