/**
 * Every picklist value the product's code writes or reads, by `Object.Field`.
 * `npm run test:metadata` fails when one of them is missing from the package metadata, so a typo
 * here or a value renamed in Setup is caught before an org rejects a write with
 * INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.
 */
/** What the admin chooses per call type (Aircall Settings grid). */
const CALL_TYPE_ACTIONS = ['Log', 'Log + open follow-up Task', "Don't log"] as const;

export const PICKLIST_VALUES = {
  'Aircall_Voice__c.Direction__c': ['Inbound', 'Outbound'],
  'Aircall_Voice__c.Call_Type__c': [
    'Answered',
    'Missed',
    'Voicemail',
    'Abandoned',
    'Unanswered Outbound',
    'Invalid Number',
  ],
  'Aircall_Voice__c.Status__c': ['Ringing', 'In Progress', 'Ended'],
  'Aircall_Voice__c.Missed_Reason__c': [
    'out_of_opening_hours',
    'short_abandoned',
    'abandoned_in_ivr',
    'abandoned_in_classic',
    'no_available_agent',
    'agents_did_not_answer',
  ],
  'Aircall_Voice__c.AI_Sentiment__c': ['Positive', 'Neutral', 'Negative', 'Mixed'],
  'Aircall_Settings__c.Log_Calls__c': ['Always', 'Business Hours Only'],
  'Aircall_Settings__c.Unknown_Number_Action__c': [
    'Create Lead',
    'Create Contact',
    'Create Account',
    'Create Person Account',
    'Do Nothing',
  ],
  'Aircall_Settings__c.Multiple_Matches__c': [
    'Most Recently Modified',
    'Oldest',
    'Do Not Link',
    'Their Common Account',
  ],
  'Aircall_Settings__c.Created_Record_Owner__c': [
    'Agent Who Handled The Call',
    'Integration User',
    'Assignment Rules',
  ],
  'Aircall_Settings__c.Recording_Destination__c': [
    'Do Not Log',
    'Aircall Voice',
    'Voice Call',
    'Both',
  ],
  'Aircall_Settings__c.Voicemail_Destination__c': [
    'Do Not Log',
    'Aircall Voice',
    'Voice Call',
    'Both',
  ],
  'Aircall_Settings__c.Omni_Mapping_Mode__c': ['Default', 'Custom'],
  'Aircall_Settings__c.Create_Case_For__c': ['None', 'Missed Calls', 'Voicemails', 'Both'],
  'Aircall_Settings__c.Activity_Task__c': ['None', 'Completed Task'],
  'Aircall_Settings__c.Answered_Inbound_Action__c': CALL_TYPE_ACTIONS,
  'Aircall_Settings__c.Answered_Outbound_Action__c': CALL_TYPE_ACTIONS,
  'Aircall_Settings__c.Missed_Inbound_Action__c': CALL_TYPE_ACTIONS,
  'Aircall_Settings__c.Voicemail_Action__c': CALL_TYPE_ACTIONS,
  'Aircall_Settings__c.Unanswered_Outbound_Action__c': CALL_TYPE_ACTIONS,

  'Aircall_Status_Mapping__c.Direction__c': ['Omni to Aircall', 'Phone to Omni'],
  'Aircall_Status_Mapping__c.Aircall_Availability__c': ['available', 'unavailable', 'custom'],
  'Aircall_Status_Mapping__c.Phone_Event__c': [
    'Ringing',
    'In Call',
    'After-Call Work',
    'Available',
  ],
} as const satisfies Record<string, readonly string[]>;

export type PicklistField = keyof typeof PICKLIST_VALUES;
export type PicklistValue<F extends PicklistField> = (typeof PICKLIST_VALUES)[F][number];
