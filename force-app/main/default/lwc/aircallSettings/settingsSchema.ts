/**
 * The settings object and its fields as the platform names them. The draft is keyed by the fields'
 * names in this source; what is saved is keyed by the imported references, which the platform
 * prefixes with the package namespace once installed.
 */
import { DEFAULT_SETTINGS, qualifiedName } from 'c/aircallUtils';
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
import ACTIVITY_TASK_FIELD from '@salesforce/schema/Aircall_Settings__c.Activity_Task__c';
import ANSWERED_INBOUND_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Answered_Inbound_Action__c';
import ANSWERED_OUTBOUND_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Answered_Outbound_Action__c';
import MISSED_INBOUND_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Missed_Inbound_Action__c';
import VOICEMAIL_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Voicemail_Action__c';
import UNANSWERED_OUTBOUND_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Unanswered_Outbound_Action__c';
import TASK_SUBJECT_TEMPLATE_FIELD from '@salesforce/schema/Aircall_Settings__c.Task_Subject_Template__c';
import FOLLOW_UP_OWNER_ID_FIELD from '@salesforce/schema/Aircall_Settings__c.Follow_Up_Owner_Id__c';
import CALLBACK_WINDOW_HOURS_FIELD from '@salesforce/schema/Aircall_Settings__c.Callback_Window_Hours__c';
import ONLY_LOG_MATCHED_NUMBERS_FIELD from '@salesforce/schema/Aircall_Settings__c.Only_Log_Matched_Numbers__c';
import SKIP_INTERNAL_CALLS_FIELD from '@salesforce/schema/Aircall_Settings__c.Skip_Internal_Calls__c';
import LINK_TO_OPEN_CASE_FIELD from '@salesforce/schema/Aircall_Settings__c.Link_To_Open_Case__c';
import LINK_TO_OPEN_OPPORTUNITY_FIELD from '@salesforce/schema/Aircall_Settings__c.Link_To_Open_Opportunity__c';
import CREATE_CASE_FOR_FIELD from '@salesforce/schema/Aircall_Settings__c.Create_Case_For__c';
import CASE_OWNER_FIELD from '@salesforce/schema/Aircall_Settings__c.Case_Owner__c';
import PERSON_ACCOUNT_RECORD_TYPE_FIELD from '@salesforce/schema/Aircall_Settings__c.Person_Account_Record_Type__c';
import EXTRA_PHONE_FIELDS_FIELD from '@salesforce/schema/Aircall_Settings__c.Extra_Phone_Fields__c';
import CREATED_RECORD_OWNER_FIELD from '@salesforce/schema/Aircall_Settings__c.Created_Record_Owner__c';
import CREATED_LEAD_SOURCE_FIELD from '@salesforce/schema/Aircall_Settings__c.Created_Lead_Source__c';
import ACCOUNT_OBJECT from '@salesforce/schema/Account';
import CONTACT_OBJECT from '@salesforce/schema/Contact';
import LEAD_OBJECT from '@salesforce/schema/Lead';
import LEAD_LEAD_SOURCE_FIELD from '@salesforce/schema/Lead.LeadSource';
import CONTACT_LEAD_SOURCE_FIELD from '@salesforce/schema/Contact.LeadSource';
import ACCOUNT_SOURCE_FIELD from '@salesforce/schema/Account.AccountSource';

export { ACCOUNT_OBJECT, CONTACT_OBJECT, LEAD_OBJECT, SETTINGS_OBJECT };

/**
 * Where a record created for an unknown number keeps Created_Lead_Source__c, by the action that
 * creates it (src/engine/record-links.ts LEAD_SOURCE_FIELD), as `Object.Field`: its picklist values
 * are offered. The person field is named in text: an import of it would fail the deploy to an org
 * without Person Accounts, where it does not exist.
 */
export const LEAD_SOURCE_FIELDS: Readonly<Record<string, string>> = {
  'Create Lead': qualifiedName(LEAD_LEAD_SOURCE_FIELD),
  'Create Contact': qualifiedName(CONTACT_LEAD_SOURCE_FIELD),
  'Create Account': qualifiedName(ACCOUNT_SOURCE_FIELD),
  'Create Person Account': 'Account.PersonLeadSource',
};

export type SettingsField = keyof typeof DEFAULT_SETTINGS;

/** A draft of the settings: toggles are booleans, every other field the text its control shows. */
export type Draft = {
  -readonly [K in SettingsField]: (typeof DEFAULT_SETTINGS)[K] extends boolean ? boolean : string;
};

/**
 * Shown by the panel, never saved by it: the Omni-Channel mapping mode is chosen in the status
 * mapper, which saves it with its rules (so the panel never writes a mode, nor a stale one).
 */
const NOT_SAVED: readonly FieldRef[] = [OMNI_MAPPING_MODE_FIELD];

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
  Activity_Task__c: ACTIVITY_TASK_FIELD,
  Answered_Inbound_Action__c: ANSWERED_INBOUND_ACTION_FIELD,
  Answered_Outbound_Action__c: ANSWERED_OUTBOUND_ACTION_FIELD,
  Missed_Inbound_Action__c: MISSED_INBOUND_ACTION_FIELD,
  Voicemail_Action__c: VOICEMAIL_ACTION_FIELD,
  Unanswered_Outbound_Action__c: UNANSWERED_OUTBOUND_ACTION_FIELD,
  Task_Subject_Template__c: TASK_SUBJECT_TEMPLATE_FIELD,
  Follow_Up_Owner_Id__c: FOLLOW_UP_OWNER_ID_FIELD,
  Callback_Window_Hours__c: CALLBACK_WINDOW_HOURS_FIELD,
  Only_Log_Matched_Numbers__c: ONLY_LOG_MATCHED_NUMBERS_FIELD,
  Skip_Internal_Calls__c: SKIP_INTERNAL_CALLS_FIELD,
  Link_To_Open_Case__c: LINK_TO_OPEN_CASE_FIELD,
  Link_To_Open_Opportunity__c: LINK_TO_OPEN_OPPORTUNITY_FIELD,
  Create_Case_For__c: CREATE_CASE_FOR_FIELD,
  Case_Owner__c: CASE_OWNER_FIELD,
  Person_Account_Record_Type__c: PERSON_ACCOUNT_RECORD_TYPE_FIELD,
  Extra_Phone_Fields__c: EXTRA_PHONE_FIELDS_FIELD,
  Created_Record_Owner__c: CREATED_RECORD_OWNER_FIELD,
  Created_Lead_Source__c: CREATED_LEAD_SOURCE_FIELD,
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
      .filter(([field]) => field in SETTINGS_FIELDS && !NOT_SAVED.includes(SETTINGS_FIELDS[field]))
      .map(([field, value]) => [SETTINGS_FIELDS[field].fieldApiName, value]),
  );
}
