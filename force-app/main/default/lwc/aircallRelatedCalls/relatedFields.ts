/** The Aircall Voice fields the related calls read (schema imports: namespaced by the platform). */
import { qualifiedName, type FieldRef } from 'c/aircallUtils';
import AIRCALL_VOICE_OBJECT from '@salesforce/schema/Aircall_Voice__c';
import CALL_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Name';
import DIRECTION_FIELD from '@salesforce/schema/Aircall_Voice__c.Direction__c';
import CALL_TYPE_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Type__c';
import STATUS_FIELD from '@salesforce/schema/Aircall_Voice__c.Status__c';
import STARTED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Started_At__c';
import TALK_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Talk_Seconds__c';
import TOTAL_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Total_Seconds__c';
import CUSTOMER_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Customer_Number__c';
import AGENT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Agent__r.Name';
import ACCOUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__c';
import ACCOUNT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__r.Name';
import CONTACT_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__c';
import CONTACT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__r.Name';
import LEAD_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__c';
import LEAD_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__r.Name';
import CASE_FIELD from '@salesforce/schema/Aircall_Voice__c.Case__c';
import OPPORTUNITY_FIELD from '@salesforce/schema/Aircall_Voice__c.Opportunity__c';
import VOICE_CALL_FIELD from '@salesforce/schema/Aircall_Voice__c.Voice_Call__c';

export const F = {
  AIRCALL_VOICE_OBJECT,
  CALL_NAME_FIELD,
  DIRECTION_FIELD,
  CALL_TYPE_FIELD,
  STATUS_FIELD,
  STARTED_AT_FIELD,
  TALK_SECONDS_FIELD,
  TOTAL_SECONDS_FIELD,
  CUSTOMER_NUMBER_FIELD,
  AGENT_NAME_FIELD,
  ACCOUNT_FIELD,
  ACCOUNT_NAME_FIELD,
  CONTACT_FIELD,
  CONTACT_NAME_FIELD,
  LEAD_FIELD,
  LEAD_NAME_FIELD,
};

/** The lookups whose child relationship (Aircall_Calls__r) is the related list on each parent page. */
export const PARENT_LOOKUPS = [
  ACCOUNT_FIELD,
  CONTACT_FIELD,
  LEAD_FIELD,
  VOICE_CALL_FIELD,
  CASE_FIELD,
  OPPORTUNITY_FIELD,
];

/** The related list adapter takes `Object.Field` strings: every field of `F`, built from the imports. */
export const RELATED_FIELDS = Object.values(F)
  .filter((f): f is FieldRef => 'fieldApiName' in f)
  .map(qualifiedName);
