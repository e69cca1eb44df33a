/** The Aircall Voice fields the call page reads (schema imports: namespaced by the platform). */
import CALL_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Name';
import AIRCALL_CALL_ID_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Call_Id__c';
import DIRECTION_FIELD from '@salesforce/schema/Aircall_Voice__c.Direction__c';
import CALL_TYPE_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Type__c';
import STATUS_FIELD from '@salesforce/schema/Aircall_Voice__c.Status__c';
import MISSED_REASON_FIELD from '@salesforce/schema/Aircall_Voice__c.Missed_Reason__c';
import STARTED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Started_At__c';
import ANSWERED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Answered_At__c';
import ENDED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Ended_At__c';
import RING_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Ring_Seconds__c';
import TALK_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Talk_Seconds__c';
import TOTAL_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Total_Seconds__c';
import CUSTOMER_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Customer_Number__c';
import AIRCALL_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Number__c';
import AIRCALL_LINE_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Line_Name__c';
import AGENT_FIELD from '@salesforce/schema/Aircall_Voice__c.Agent__c';
import AGENT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Agent__r.Name';
import ACCOUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__c';
import ACCOUNT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__r.Name';
import CONTACT_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__c';
import CONTACT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__r.Name';
import LEAD_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__c';
import LEAD_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__r.Name';
import CASE_FIELD from '@salesforce/schema/Aircall_Voice__c.Case__c';
import CASE_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Case__r.CaseNumber';
import OPPORTUNITY_FIELD from '@salesforce/schema/Aircall_Voice__c.Opportunity__c';
import OPPORTUNITY_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Opportunity__r.Name';
import VOICE_CALL_FIELD from '@salesforce/schema/Aircall_Voice__c.Voice_Call__c';
import VOICE_CALL_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Voice_Call__r.Name';
import RECORDING_URL_FIELD from '@salesforce/schema/Aircall_Voice__c.Recording_Url__c';
import VOICEMAIL_URL_FIELD from '@salesforce/schema/Aircall_Voice__c.Voicemail_Url__c';
import AIRCALL_LINK_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Link__c';
import TAGS_FIELD from '@salesforce/schema/Aircall_Voice__c.Tags__c';
import COMMENTS_FIELD from '@salesforce/schema/Aircall_Voice__c.Comments__c';
import ASSIGNED_TO_FIELD from '@salesforce/schema/Aircall_Voice__c.Assigned_To__c';
import AI_SUMMARY_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Summary__c';
import AI_SENTIMENT_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Sentiment__c';
import AI_TOPICS_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Topics__c';
import AI_ACTION_ITEMS_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Action_Items__c';
import OUTSIDE_BUSINESS_HOURS_FIELD from '@salesforce/schema/Aircall_Voice__c.Outside_Business_Hours__c';
import LAST_EVENT_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Last_Event_At__c';
import TRANSCRIPT_FIELD from '@salesforce/schema/Aircall_Voice__c.Transcript__c';
import CALL_JOURNEY_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Journey__c';
import CALL_PATH_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Path__c';
import HOLD_COUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Hold_Count__c';
import HOLD_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Hold_Seconds__c';
import TRANSFER_COUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Transfer_Count__c';
import MATCH_CANDIDATES_FIELD from '@salesforce/schema/Aircall_Voice__c.Match_Candidates__c';
import MATCH_REASON_FIELD from '@salesforce/schema/Aircall_Voice__c.Match_Reason__c';

export const F = {
  CALL_NAME_FIELD,
  AIRCALL_CALL_ID_FIELD,
  DIRECTION_FIELD,
  CALL_TYPE_FIELD,
  STATUS_FIELD,
  MISSED_REASON_FIELD,
  STARTED_AT_FIELD,
  ANSWERED_AT_FIELD,
  ENDED_AT_FIELD,
  RING_SECONDS_FIELD,
  TALK_SECONDS_FIELD,
  TOTAL_SECONDS_FIELD,
  CUSTOMER_NUMBER_FIELD,
  AIRCALL_NUMBER_FIELD,
  AIRCALL_LINE_NAME_FIELD,
  AGENT_FIELD,
  AGENT_NAME_FIELD,
  ACCOUNT_FIELD,
  ACCOUNT_NAME_FIELD,
  CONTACT_FIELD,
  CONTACT_NAME_FIELD,
  LEAD_FIELD,
  LEAD_NAME_FIELD,
  CASE_FIELD,
  CASE_NUMBER_FIELD,
  OPPORTUNITY_FIELD,
  OPPORTUNITY_NAME_FIELD,
  VOICE_CALL_FIELD,
  VOICE_CALL_NAME_FIELD,
  RECORDING_URL_FIELD,
  VOICEMAIL_URL_FIELD,
  AIRCALL_LINK_FIELD,
  TAGS_FIELD,
  COMMENTS_FIELD,
  ASSIGNED_TO_FIELD,
  AI_SUMMARY_FIELD,
  AI_SENTIMENT_FIELD,
  AI_TOPICS_FIELD,
  AI_ACTION_ITEMS_FIELD,
  OUTSIDE_BUSINESS_HOURS_FIELD,
  LAST_EVENT_AT_FIELD,
  TRANSCRIPT_FIELD,
  CALL_JOURNEY_FIELD,
  CALL_PATH_FIELD,
  HOLD_COUNT_FIELD,
  HOLD_SECONDS_FIELD,
  TRANSFER_COUNT_FIELD,
  MATCH_CANDIDATES_FIELD,
  MATCH_REASON_FIELD,
};

/** Without these the card has nothing to show: if the user cannot read them, the wire fails. */
export const REQUIRED_FIELDS = [CALL_NAME_FIELD, AIRCALL_CALL_ID_FIELD];
/**
 * Every other field of `F`, read when the user may: field-level security silently drops the ones
 * they cannot see.
 */
export const OPTIONAL_FIELDS = Object.values(F).filter((f) => !REQUIRED_FIELDS.includes(f));
