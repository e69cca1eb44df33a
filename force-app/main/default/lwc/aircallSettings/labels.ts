/** The Custom Labels of the settings form. */
import L_AIRCALL_SETTINGS_TITLE from '@salesforce/label/c.Aircall_Settings_Title';
import L_AIRCALL_SETTINGS_LOADING from '@salesforce/label/c.Aircall_Settings_Loading';
import L_AIRCALL_SETTINGS_NEW_NOTICE from '@salesforce/label/c.Aircall_Settings_New_Notice';
import L_AIRCALL_SETTINGS_READ_ONLY from '@salesforce/label/c.Aircall_Settings_Read_Only';
import L_AIRCALL_SETTINGS_ACCESS_ERROR from '@salesforce/label/c.Aircall_Settings_Access_Error';
import L_AIRCALL_SETTINGS_LOAD_ERROR from '@salesforce/label/c.Aircall_Settings_Load_Error';
import L_AIRCALL_SETTINGS_WHEN_TO_LOG from '@salesforce/label/c.Aircall_Settings_When_To_Log';
import L_AIRCALL_SETTINGS_LOG_CALLS from '@salesforce/label/c.Aircall_Settings_Log_Calls';
import L_AIRCALL_SETTINGS_LOG_ALWAYS from '@salesforce/label/c.Aircall_Settings_Log_Always';
import L_AIRCALL_SETTINGS_LOG_BUSINESS_HOURS from '@salesforce/label/c.Aircall_Settings_Log_Business_Hours';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS from '@salesforce/label/c.Aircall_Settings_Business_Hours';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS_HELP from '@salesforce/label/c.Aircall_Settings_Business_Hours_Help';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID from '@salesforce/label/c.Aircall_Settings_Business_Hours_Id';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID_HELP from '@salesforce/label/c.Aircall_Settings_Business_Hours_Id_Help';
import L_AIRCALL_SETTINGS_ORG_DEFAULT from '@salesforce/label/c.Aircall_Settings_Org_Default';
import L_AIRCALL_SETTINGS_ORG_DEFAULT_NAMED from '@salesforce/label/c.Aircall_Settings_Org_Default_Named';
import L_AIRCALL_SETTINGS_MATCHING from '@salesforce/label/c.Aircall_Settings_Matching';
import L_AIRCALL_SETTINGS_MATCH_ORDER from '@salesforce/label/c.Aircall_Settings_Match_Order';
import L_AIRCALL_SETTINGS_MATCH_ORDER_HELP from '@salesforce/label/c.Aircall_Settings_Match_Order_Help';
import L_AIRCALL_SETTINGS_NOT_SEARCHED from '@salesforce/label/c.Aircall_Settings_Not_Searched';
import L_AIRCALL_SETTINGS_SEARCHED_IN_ORDER from '@salesforce/label/c.Aircall_Settings_Searched_In_Order';
import L_AIRCALL_SETTINGS_MULTIPLE_MATCHES from '@salesforce/label/c.Aircall_Settings_Multiple_Matches';
import L_AIRCALL_SETTINGS_MOST_RECENT from '@salesforce/label/c.Aircall_Settings_Most_Recent';
import L_AIRCALL_SETTINGS_OLDEST from '@salesforce/label/c.Aircall_Settings_Oldest';
import L_AIRCALL_SETTINGS_DO_NOT_LINK from '@salesforce/label/c.Aircall_Settings_Do_Not_Link';
import L_AIRCALL_SETTINGS_COMMON_ACCOUNT from '@salesforce/label/c.Aircall_Settings_Common_Account';
import L_AIRCALL_SETTINGS_UNKNOWN_NUMBER from '@salesforce/label/c.Aircall_Settings_Unknown_Number';
import L_AIRCALL_SETTINGS_CREATE_LEAD from '@salesforce/label/c.Aircall_Settings_Create_Lead';
import L_AIRCALL_SETTINGS_CREATE_CONTACT from '@salesforce/label/c.Aircall_Settings_Create_Contact';
import L_AIRCALL_SETTINGS_CREATE_ACCOUNT from '@salesforce/label/c.Aircall_Settings_Create_Account';
import L_AIRCALL_SETTINGS_DO_NOTHING from '@salesforce/label/c.Aircall_Settings_Do_Nothing';
import L_AIRCALL_SETTINGS_DEFAULT_COUNTRY from '@salesforce/label/c.Aircall_Settings_Default_Country';
import L_AIRCALL_SETTINGS_DEFAULT_COUNTRY_HELP from '@salesforce/label/c.Aircall_Settings_Default_Country_Help';
import L_AIRCALL_SETTINGS_LINE_COUNTRY from '@salesforce/label/c.Aircall_Settings_Line_Country';
import L_AIRCALL_SETTINGS_LINE_COUNTRY_NAMED from '@salesforce/label/c.Aircall_Settings_Line_Country_Named';
import L_AIRCALL_SETTINGS_SAVE_TO_PHONE from '@salesforce/label/c.Aircall_Settings_Save_To_Phone';
import L_AIRCALL_SETTINGS_ON from '@salesforce/label/c.Aircall_Settings_On';
import L_AIRCALL_SETTINGS_OFF from '@salesforce/label/c.Aircall_Settings_Off';
import L_AIRCALL_SETTINGS_MEDIA_AND_OMNI from '@salesforce/label/c.Aircall_Settings_Media_And_Omni';
import L_AIRCALL_SETTINGS_RECORDING_DESTINATION from '@salesforce/label/c.Aircall_Settings_Recording_Destination';
import L_AIRCALL_SETTINGS_RECORDING_DESTINATION_HELP from '@salesforce/label/c.Aircall_Settings_Recording_Destination_Help';
import L_AIRCALL_SETTINGS_VOICEMAIL_DESTINATION from '@salesforce/label/c.Aircall_Settings_Voicemail_Destination';
import L_AIRCALL_SETTINGS_DEST_NONE from '@salesforce/label/c.Aircall_Settings_Dest_None';
import L_AIRCALL_SETTINGS_DEST_AIRCALL_VOICE from '@salesforce/label/c.Aircall_Settings_Dest_Aircall_Voice';
import L_AIRCALL_SETTINGS_DEST_VOICE_CALL from '@salesforce/label/c.Aircall_Settings_Dest_Voice_Call';
import L_AIRCALL_SETTINGS_DEST_BOTH from '@salesforce/label/c.Aircall_Settings_Dest_Both';
import L_AIRCALL_SETTINGS_OMNI_MODE from '@salesforce/label/c.Aircall_Settings_Omni_Mode';
import L_AIRCALL_SETTINGS_OMNI_DEFAULT from '@salesforce/label/c.Aircall_Settings_Omni_Default';
import L_AIRCALL_SETTINGS_OMNI_CUSTOM from '@salesforce/label/c.Aircall_Settings_Omni_Custom';
import L_AIRCALL_SETTINGS_OMNI_DEFAULT_HELP from '@salesforce/label/c.Aircall_Settings_Omni_Default_Help';
import L_AIRCALL_SETTINGS_OMNI_CUSTOM_HELP from '@salesforce/label/c.Aircall_Settings_Omni_Custom_Help';
import L_AIRCALL_UNSAVED_CHANGES from '@salesforce/label/c.Aircall_Unsaved_Changes';
import L_AIRCALL_CANCEL from '@salesforce/label/c.Aircall_Cancel';
import L_AIRCALL_SAVE from '@salesforce/label/c.Aircall_Save';
import L_AIRCALL_SETTINGS_CREATE from '@salesforce/label/c.Aircall_Settings_Create';
import L_AIRCALL_SETTINGS_PICK_ONE from '@salesforce/label/c.Aircall_Settings_Pick_One';
import L_AIRCALL_SETTINGS_BH_INACTIVE from '@salesforce/label/c.Aircall_Settings_Bh_Inactive';
import L_AIRCALL_SETTINGS_BH_BAD_ID from '@salesforce/label/c.Aircall_Settings_Bh_Bad_Id';
import L_AIRCALL_SETTINGS_MATCH_EMPTY from '@salesforce/label/c.Aircall_Settings_Match_Empty';
import L_AIRCALL_SETTINGS_MATCH_DUPLICATES from '@salesforce/label/c.Aircall_Settings_Match_Duplicates';
import L_AIRCALL_SETTINGS_SAVED_TITLE from '@salesforce/label/c.Aircall_Settings_Saved_Title';
import L_AIRCALL_SETTINGS_SAVED_MESSAGE from '@salesforce/label/c.Aircall_Settings_Saved_Message';
import L_AIRCALL_SETTINGS_NOT_SAVED_TITLE from '@salesforce/label/c.Aircall_Settings_Not_Saved_Title';
import L_AIRCALL_SETTINGS_NOT_SAVED_MESSAGE from '@salesforce/label/c.Aircall_Settings_Not_Saved_Message';
import L_AIRCALL_RECORD_CONTACT from '@salesforce/label/c.Aircall_Record_Contact';
import L_AIRCALL_RECORD_LEAD from '@salesforce/label/c.Aircall_Record_Lead';
import L_AIRCALL_RECORD_ACCOUNT from '@salesforce/label/c.Aircall_Record_Account';
import L_AIRCALL_SETTINGS_COUNTRY_UNKNOWN from '@salesforce/label/c.Aircall_Settings_Country_Unknown';
import L_AIRCALL_SETTINGS_COUNTRY_UNDERSTOOD from '@salesforce/label/c.Aircall_Settings_Country_Understood';
import L_AIRCALL_SETTINGS_LOG_CALLS_HELP from '@salesforce/label/c.Aircall_Settings_Log_Calls_Help';
import L_AIRCALL_SETTINGS_MULTIPLE_MATCHES_HELP from '@salesforce/label/c.Aircall_Settings_Multiple_Matches_Help';
import L_AIRCALL_SETTINGS_UNKNOWN_NUMBER_HELP from '@salesforce/label/c.Aircall_Settings_Unknown_Number_Help';
import L_AIRCALL_SETTINGS_SAVE_TO_PHONE_HELP from '@salesforce/label/c.Aircall_Settings_Save_To_Phone_Help';
import L_AIRCALL_SETTINGS_VOICEMAIL_DESTINATION_HELP from '@salesforce/label/c.Aircall_Settings_Voicemail_Destination_Help';
import L_AIRCALL_SETTINGS_OMNI_MODE_HELP from '@salesforce/label/c.Aircall_Settings_Omni_Mode_Help';
import L_AIRCALL_SETTINGS_MAPPER_LINK from '@salesforce/label/c.Aircall_Settings_Mapper_Link';
import L_AIRCALL_SETTINGS_ERROR_SUMMARY from '@salesforce/label/c.Aircall_Settings_Error_Summary';
import L_AIRCALL_SETTINGS_TASKS_HEADING from '@salesforce/label/c.Aircall_Settings_Tasks_Heading';
import L_AIRCALL_SETTINGS_ACTIVITY_TASK from '@salesforce/label/c.Aircall_Settings_Activity_Task';
import L_AIRCALL_SETTINGS_ACTIVITY_TASK_HELP from '@salesforce/label/c.Aircall_Settings_Activity_Task_Help';
import L_AIRCALL_SETTINGS_TASK_NONE from '@salesforce/label/c.Aircall_Settings_Task_None';
import L_AIRCALL_SETTINGS_TASK_COMPLETED from '@salesforce/label/c.Aircall_Settings_Task_Completed';
import L_AIRCALL_SETTINGS_TASK_SUBJECT from '@salesforce/label/c.Aircall_Settings_Task_Subject';
import L_AIRCALL_SETTINGS_TASK_SUBJECT_HELP from '@salesforce/label/c.Aircall_Settings_Task_Subject_Help';
import L_AIRCALL_SETTINGS_TASK_SUBJECT_DEFAULT from '@salesforce/label/c.Aircall_Settings_Task_Subject_Default';
import L_AIRCALL_SETTINGS_PLACEHOLDER_UNKNOWN from '@salesforce/label/c.Aircall_Settings_Placeholder_Unknown';
import L_AIRCALL_SETTINGS_CALL_TYPES from '@salesforce/label/c.Aircall_Settings_Call_Types';
import L_AIRCALL_SETTINGS_CALL_TYPE from '@salesforce/label/c.Aircall_Settings_Call_Type';
import L_AIRCALL_SETTINGS_ACTION_LOG from '@salesforce/label/c.Aircall_Settings_Action_Log';
import L_AIRCALL_SETTINGS_ACTION_LOG_HELP from '@salesforce/label/c.Aircall_Settings_Action_Log_Help';
import L_AIRCALL_SETTINGS_ACTION_FOLLOW_UP from '@salesforce/label/c.Aircall_Settings_Action_Follow_Up';
import L_AIRCALL_SETTINGS_ACTION_FOLLOW_UP_HELP from '@salesforce/label/c.Aircall_Settings_Action_Follow_Up_Help';
import L_AIRCALL_SETTINGS_ACTION_SKIP from '@salesforce/label/c.Aircall_Settings_Action_Skip';
import L_AIRCALL_SETTINGS_ACTION_SKIP_HELP from '@salesforce/label/c.Aircall_Settings_Action_Skip_Help';
import L_AIRCALL_SETTINGS_GRID_CELL from '@salesforce/label/c.Aircall_Settings_Grid_Cell';
import L_AIRCALL_SETTINGS_TYPE_ANSWERED_INBOUND from '@salesforce/label/c.Aircall_Settings_Type_Answered_Inbound';
import L_AIRCALL_SETTINGS_TYPE_ANSWERED_INBOUND_HELP from '@salesforce/label/c.Aircall_Settings_Type_Answered_Inbound_Help';
import L_AIRCALL_SETTINGS_TYPE_ANSWERED_OUTBOUND from '@salesforce/label/c.Aircall_Settings_Type_Answered_Outbound';
import L_AIRCALL_SETTINGS_TYPE_ANSWERED_OUTBOUND_HELP from '@salesforce/label/c.Aircall_Settings_Type_Answered_Outbound_Help';
import L_AIRCALL_SETTINGS_TYPE_MISSED_INBOUND from '@salesforce/label/c.Aircall_Settings_Type_Missed_Inbound';
import L_AIRCALL_SETTINGS_TYPE_MISSED_INBOUND_HELP from '@salesforce/label/c.Aircall_Settings_Type_Missed_Inbound_Help';
import L_AIRCALL_SETTINGS_TYPE_VOICEMAIL from '@salesforce/label/c.Aircall_Settings_Type_Voicemail';
import L_AIRCALL_SETTINGS_TYPE_VOICEMAIL_HELP from '@salesforce/label/c.Aircall_Settings_Type_Voicemail_Help';
import L_AIRCALL_SETTINGS_TYPE_UNANSWERED_OUTBOUND from '@salesforce/label/c.Aircall_Settings_Type_Unanswered_Outbound';
import L_AIRCALL_SETTINGS_TYPE_UNANSWERED_OUTBOUND_HELP from '@salesforce/label/c.Aircall_Settings_Type_Unanswered_Outbound_Help';
import L_AIRCALL_SETTINGS_FOLLOW_UP_OWNER from '@salesforce/label/c.Aircall_Settings_Follow_Up_Owner';
import L_AIRCALL_SETTINGS_FOLLOW_UP_OWNER_HELP from '@salesforce/label/c.Aircall_Settings_Follow_Up_Owner_Help';
import L_AIRCALL_SETTINGS_INTEGRATION_USER from '@salesforce/label/c.Aircall_Settings_Integration_User';
import L_AIRCALL_SETTINGS_CALLBACK_WINDOW from '@salesforce/label/c.Aircall_Settings_Callback_Window';
import L_AIRCALL_SETTINGS_CALLBACK_WINDOW_HELP from '@salesforce/label/c.Aircall_Settings_Callback_Window_Help';
import L_AIRCALL_SETTINGS_CALLBACK_WINDOW_BAD from '@salesforce/label/c.Aircall_Settings_Callback_Window_Bad';
import L_AIRCALL_SETTINGS_OWNER_ID_BAD from '@salesforce/label/c.Aircall_Settings_Owner_Id_Bad';
import L_AIRCALL_SETTINGS_ONLY_MATCHED from '@salesforce/label/c.Aircall_Settings_Only_Matched';
import L_AIRCALL_SETTINGS_ONLY_MATCHED_HELP from '@salesforce/label/c.Aircall_Settings_Only_Matched_Help';
import L_AIRCALL_SETTINGS_SKIP_INTERNAL from '@salesforce/label/c.Aircall_Settings_Skip_Internal';
import L_AIRCALL_SETTINGS_SKIP_INTERNAL_HELP from '@salesforce/label/c.Aircall_Settings_Skip_Internal_Help';
import L_AIRCALL_SETTINGS_CASES_HEADING from '@salesforce/label/c.Aircall_Settings_Cases_Heading';
import L_AIRCALL_SETTINGS_LINK_CASE from '@salesforce/label/c.Aircall_Settings_Link_Case';
import L_AIRCALL_SETTINGS_LINK_CASE_HELP from '@salesforce/label/c.Aircall_Settings_Link_Case_Help';
import L_AIRCALL_SETTINGS_LINK_OPPORTUNITY from '@salesforce/label/c.Aircall_Settings_Link_Opportunity';
import L_AIRCALL_SETTINGS_LINK_OPPORTUNITY_HELP from '@salesforce/label/c.Aircall_Settings_Link_Opportunity_Help';
import L_AIRCALL_SETTINGS_CREATE_CASE_FOR from '@salesforce/label/c.Aircall_Settings_Create_Case_For';
import L_AIRCALL_SETTINGS_CREATE_CASE_FOR_HELP from '@salesforce/label/c.Aircall_Settings_Create_Case_For_Help';
import L_AIRCALL_SETTINGS_CASE_NONE from '@salesforce/label/c.Aircall_Settings_Case_None';
import L_AIRCALL_SETTINGS_CASE_MISSED from '@salesforce/label/c.Aircall_Settings_Case_Missed';
import L_AIRCALL_SETTINGS_CASE_VOICEMAILS from '@salesforce/label/c.Aircall_Settings_Case_Voicemails';
import L_AIRCALL_SETTINGS_CASE_BOTH from '@salesforce/label/c.Aircall_Settings_Case_Both';
import L_AIRCALL_SETTINGS_CASE_OWNER from '@salesforce/label/c.Aircall_Settings_Case_Owner';
import L_AIRCALL_SETTINGS_CASE_OWNER_HELP from '@salesforce/label/c.Aircall_Settings_Case_Owner_Help';
import L_AIRCALL_SETTINGS_CASE_OWNER_RULES from '@salesforce/label/c.Aircall_Settings_Case_Owner_Rules';
import L_AIRCALL_SETTINGS_CASE_OWNER_FIXED from '@salesforce/label/c.Aircall_Settings_Case_Owner_Fixed';
import L_AIRCALL_SETTINGS_CASE_OWNER_ID from '@salesforce/label/c.Aircall_Settings_Case_Owner_Id';
import L_AIRCALL_SETTINGS_CASE_OWNER_ID_HELP from '@salesforce/label/c.Aircall_Settings_Case_Owner_Id_Help';
import L_AIRCALL_SETTINGS_CASE_OWNER_MISSING from '@salesforce/label/c.Aircall_Settings_Case_Owner_Missing';
import L_AIRCALL_SETTINGS_CREATE_PERSON_ACCOUNT from '@salesforce/label/c.Aircall_Settings_Create_Person_Account';
import L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE from '@salesforce/label/c.Aircall_Settings_Person_Record_Type';
import L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE_HELP from '@salesforce/label/c.Aircall_Settings_Person_Record_Type_Help';
import L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE_DEFAULT from '@salesforce/label/c.Aircall_Settings_Person_Record_Type_Default';
import L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE_BAD from '@salesforce/label/c.Aircall_Settings_Person_Record_Type_Bad';
import L_AIRCALL_SETTINGS_PERSON_ACCOUNTS_OFF from '@salesforce/label/c.Aircall_Settings_Person_Accounts_Off';
import L_AIRCALL_SETTINGS_EXTRA_PHONE_FIELDS from '@salesforce/label/c.Aircall_Settings_Extra_Phone_Fields';
import L_AIRCALL_SETTINGS_EXTRA_PHONE_FIELDS_HELP from '@salesforce/label/c.Aircall_Settings_Extra_Phone_Fields_Help';
import L_AIRCALL_SETTINGS_EXTRA_PHONE_FIELDS_TEXT_HELP from '@salesforce/label/c.Aircall_Settings_Extra_Phone_Fields_Text_Help';
import L_AIRCALL_SETTINGS_SEARCHED_TOO from '@salesforce/label/c.Aircall_Settings_Searched_Too';
import L_AIRCALL_SETTINGS_NO_PHONE_FIELDS from '@salesforce/label/c.Aircall_Settings_No_Phone_Fields';
import L_AIRCALL_SETTINGS_PHONE_FIELD_BAD from '@salesforce/label/c.Aircall_Settings_Phone_Field_Bad';
import L_AIRCALL_SETTINGS_PHONE_FIELD_NOT_PHONE from '@salesforce/label/c.Aircall_Settings_Phone_Field_Not_Phone';
import L_AIRCALL_SETTINGS_PHONE_FIELDS_TOO_LONG from '@salesforce/label/c.Aircall_Settings_Phone_Fields_Too_Long';
import L_AIRCALL_SETTINGS_CREATED_OWNER from '@salesforce/label/c.Aircall_Settings_Created_Owner';
import L_AIRCALL_SETTINGS_CREATED_OWNER_HELP from '@salesforce/label/c.Aircall_Settings_Created_Owner_Help';
import L_AIRCALL_SETTINGS_OWNER_AGENT from '@salesforce/label/c.Aircall_Settings_Owner_Agent';
import L_AIRCALL_SETTINGS_OWNER_ASSIGNMENT_RULES from '@salesforce/label/c.Aircall_Settings_Owner_Assignment_Rules';
import L_AIRCALL_SETTINGS_CREATED_LEAD_SOURCE from '@salesforce/label/c.Aircall_Settings_Created_Lead_Source';
import L_AIRCALL_SETTINGS_CREATED_LEAD_SOURCE_HELP from '@salesforce/label/c.Aircall_Settings_Created_Lead_Source_Help';
import L_AIRCALL_SETTINGS_LEAD_SOURCE_NONE from '@salesforce/label/c.Aircall_Settings_Lead_Source_None';
import L_AIRCALL_SETTINGS_LEAD_SOURCE_OFF_LIST from '@salesforce/label/c.Aircall_Settings_Lead_Source_Off_List';

export const LABELS = {
  title: L_AIRCALL_SETTINGS_TITLE,
  loading: L_AIRCALL_SETTINGS_LOADING,
  newNotice: L_AIRCALL_SETTINGS_NEW_NOTICE,
  readOnly: L_AIRCALL_SETTINGS_READ_ONLY,
  accessError: L_AIRCALL_SETTINGS_ACCESS_ERROR,
  loadError: L_AIRCALL_SETTINGS_LOAD_ERROR,
  whenToLog: L_AIRCALL_SETTINGS_WHEN_TO_LOG,
  logCalls: L_AIRCALL_SETTINGS_LOG_CALLS,
  logAlways: L_AIRCALL_SETTINGS_LOG_ALWAYS,
  logBusinessHours: L_AIRCALL_SETTINGS_LOG_BUSINESS_HOURS,
  businessHours: L_AIRCALL_SETTINGS_BUSINESS_HOURS,
  businessHoursHelp: L_AIRCALL_SETTINGS_BUSINESS_HOURS_HELP,
  businessHoursId: L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID,
  businessHoursIdHelp: L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID_HELP,
  orgDefault: L_AIRCALL_SETTINGS_ORG_DEFAULT,
  orgDefaultNamed: L_AIRCALL_SETTINGS_ORG_DEFAULT_NAMED,
  matching: L_AIRCALL_SETTINGS_MATCHING,
  matchOrder: L_AIRCALL_SETTINGS_MATCH_ORDER,
  matchOrderHelp: L_AIRCALL_SETTINGS_MATCH_ORDER_HELP,
  notSearched: L_AIRCALL_SETTINGS_NOT_SEARCHED,
  searchedInOrder: L_AIRCALL_SETTINGS_SEARCHED_IN_ORDER,
  multipleMatches: L_AIRCALL_SETTINGS_MULTIPLE_MATCHES,
  mostRecent: L_AIRCALL_SETTINGS_MOST_RECENT,
  oldest: L_AIRCALL_SETTINGS_OLDEST,
  doNotLink: L_AIRCALL_SETTINGS_DO_NOT_LINK,
  commonAccount: L_AIRCALL_SETTINGS_COMMON_ACCOUNT,
  unknownNumber: L_AIRCALL_SETTINGS_UNKNOWN_NUMBER,
  createLead: L_AIRCALL_SETTINGS_CREATE_LEAD,
  createContact: L_AIRCALL_SETTINGS_CREATE_CONTACT,
  createAccount: L_AIRCALL_SETTINGS_CREATE_ACCOUNT,
  doNothing: L_AIRCALL_SETTINGS_DO_NOTHING,
  defaultCountry: L_AIRCALL_SETTINGS_DEFAULT_COUNTRY,
  defaultCountryHelp: L_AIRCALL_SETTINGS_DEFAULT_COUNTRY_HELP,
  lineCountry: L_AIRCALL_SETTINGS_LINE_COUNTRY,
  lineCountryNamed: L_AIRCALL_SETTINGS_LINE_COUNTRY_NAMED,
  saveToPhone: L_AIRCALL_SETTINGS_SAVE_TO_PHONE,
  on: L_AIRCALL_SETTINGS_ON,
  off: L_AIRCALL_SETTINGS_OFF,
  mediaAndOmni: L_AIRCALL_SETTINGS_MEDIA_AND_OMNI,
  recordingDestination: L_AIRCALL_SETTINGS_RECORDING_DESTINATION,
  recordingDestinationHelp: L_AIRCALL_SETTINGS_RECORDING_DESTINATION_HELP,
  voicemailDestination: L_AIRCALL_SETTINGS_VOICEMAIL_DESTINATION,
  destNone: L_AIRCALL_SETTINGS_DEST_NONE,
  destVoice: L_AIRCALL_SETTINGS_DEST_AIRCALL_VOICE,
  destVoiceCall: L_AIRCALL_SETTINGS_DEST_VOICE_CALL,
  destBoth: L_AIRCALL_SETTINGS_DEST_BOTH,
  omniMode: L_AIRCALL_SETTINGS_OMNI_MODE,
  mapperLink: L_AIRCALL_SETTINGS_MAPPER_LINK,
  omniDefault: L_AIRCALL_SETTINGS_OMNI_DEFAULT,
  omniCustom: L_AIRCALL_SETTINGS_OMNI_CUSTOM,
  omniDefaultHelp: L_AIRCALL_SETTINGS_OMNI_DEFAULT_HELP,
  omniCustomHelp: L_AIRCALL_SETTINGS_OMNI_CUSTOM_HELP,
  unsavedChanges: L_AIRCALL_UNSAVED_CHANGES,
  cancel: L_AIRCALL_CANCEL,
  save: L_AIRCALL_SAVE,
  create: L_AIRCALL_SETTINGS_CREATE,
  pickOne: L_AIRCALL_SETTINGS_PICK_ONE,
  bhInactive: L_AIRCALL_SETTINGS_BH_INACTIVE,
  bhBadId: L_AIRCALL_SETTINGS_BH_BAD_ID,
  matchEmpty: L_AIRCALL_SETTINGS_MATCH_EMPTY,
  matchDuplicates: L_AIRCALL_SETTINGS_MATCH_DUPLICATES,
  savedTitle: L_AIRCALL_SETTINGS_SAVED_TITLE,
  savedMessage: L_AIRCALL_SETTINGS_SAVED_MESSAGE,
  notSavedTitle: L_AIRCALL_SETTINGS_NOT_SAVED_TITLE,
  notSavedMessage: L_AIRCALL_SETTINGS_NOT_SAVED_MESSAGE,
  contact: L_AIRCALL_RECORD_CONTACT,
  lead: L_AIRCALL_RECORD_LEAD,
  account: L_AIRCALL_RECORD_ACCOUNT,
  countryUnknown: L_AIRCALL_SETTINGS_COUNTRY_UNKNOWN,
  countryUnderstood: L_AIRCALL_SETTINGS_COUNTRY_UNDERSTOOD,
  logCallsHelp: L_AIRCALL_SETTINGS_LOG_CALLS_HELP,
  multipleMatchesHelp: L_AIRCALL_SETTINGS_MULTIPLE_MATCHES_HELP,
  unknownNumberHelp: L_AIRCALL_SETTINGS_UNKNOWN_NUMBER_HELP,
  saveToPhoneHelp: L_AIRCALL_SETTINGS_SAVE_TO_PHONE_HELP,
  voicemailDestinationHelp: L_AIRCALL_SETTINGS_VOICEMAIL_DESTINATION_HELP,
  omniModeHelp: L_AIRCALL_SETTINGS_OMNI_MODE_HELP,
  errorSummary: L_AIRCALL_SETTINGS_ERROR_SUMMARY,
  tasksHeading: L_AIRCALL_SETTINGS_TASKS_HEADING,
  activityTask: L_AIRCALL_SETTINGS_ACTIVITY_TASK,
  activityTaskHelp: L_AIRCALL_SETTINGS_ACTIVITY_TASK_HELP,
  taskNone: L_AIRCALL_SETTINGS_TASK_NONE,
  taskCompleted: L_AIRCALL_SETTINGS_TASK_COMPLETED,
  taskSubject: L_AIRCALL_SETTINGS_TASK_SUBJECT,
  taskSubjectHelp: L_AIRCALL_SETTINGS_TASK_SUBJECT_HELP,
  taskSubjectDefault: L_AIRCALL_SETTINGS_TASK_SUBJECT_DEFAULT,
  placeholderUnknown: L_AIRCALL_SETTINGS_PLACEHOLDER_UNKNOWN,
  callTypes: L_AIRCALL_SETTINGS_CALL_TYPES,
  callType: L_AIRCALL_SETTINGS_CALL_TYPE,
  actionLog: L_AIRCALL_SETTINGS_ACTION_LOG,
  actionLogHelp: L_AIRCALL_SETTINGS_ACTION_LOG_HELP,
  actionFollowUp: L_AIRCALL_SETTINGS_ACTION_FOLLOW_UP,
  actionFollowUpHelp: L_AIRCALL_SETTINGS_ACTION_FOLLOW_UP_HELP,
  actionSkip: L_AIRCALL_SETTINGS_ACTION_SKIP,
  actionSkipHelp: L_AIRCALL_SETTINGS_ACTION_SKIP_HELP,
  gridCell: L_AIRCALL_SETTINGS_GRID_CELL,
  typeAnsweredInbound: L_AIRCALL_SETTINGS_TYPE_ANSWERED_INBOUND,
  typeAnsweredInboundHelp: L_AIRCALL_SETTINGS_TYPE_ANSWERED_INBOUND_HELP,
  typeAnsweredOutbound: L_AIRCALL_SETTINGS_TYPE_ANSWERED_OUTBOUND,
  typeAnsweredOutboundHelp: L_AIRCALL_SETTINGS_TYPE_ANSWERED_OUTBOUND_HELP,
  typeMissedInbound: L_AIRCALL_SETTINGS_TYPE_MISSED_INBOUND,
  typeMissedInboundHelp: L_AIRCALL_SETTINGS_TYPE_MISSED_INBOUND_HELP,
  typeVoicemail: L_AIRCALL_SETTINGS_TYPE_VOICEMAIL,
  typeVoicemailHelp: L_AIRCALL_SETTINGS_TYPE_VOICEMAIL_HELP,
  typeUnansweredOutbound: L_AIRCALL_SETTINGS_TYPE_UNANSWERED_OUTBOUND,
  typeUnansweredOutboundHelp: L_AIRCALL_SETTINGS_TYPE_UNANSWERED_OUTBOUND_HELP,
  followUpOwner: L_AIRCALL_SETTINGS_FOLLOW_UP_OWNER,
  followUpOwnerHelp: L_AIRCALL_SETTINGS_FOLLOW_UP_OWNER_HELP,
  integrationUser: L_AIRCALL_SETTINGS_INTEGRATION_USER,
  callbackWindow: L_AIRCALL_SETTINGS_CALLBACK_WINDOW,
  callbackWindowHelp: L_AIRCALL_SETTINGS_CALLBACK_WINDOW_HELP,
  callbackWindowBad: L_AIRCALL_SETTINGS_CALLBACK_WINDOW_BAD,
  ownerIdBad: L_AIRCALL_SETTINGS_OWNER_ID_BAD,
  onlyMatched: L_AIRCALL_SETTINGS_ONLY_MATCHED,
  onlyMatchedHelp: L_AIRCALL_SETTINGS_ONLY_MATCHED_HELP,
  skipInternal: L_AIRCALL_SETTINGS_SKIP_INTERNAL,
  skipInternalHelp: L_AIRCALL_SETTINGS_SKIP_INTERNAL_HELP,
  casesHeading: L_AIRCALL_SETTINGS_CASES_HEADING,
  linkCase: L_AIRCALL_SETTINGS_LINK_CASE,
  linkCaseHelp: L_AIRCALL_SETTINGS_LINK_CASE_HELP,
  linkOpportunity: L_AIRCALL_SETTINGS_LINK_OPPORTUNITY,
  linkOpportunityHelp: L_AIRCALL_SETTINGS_LINK_OPPORTUNITY_HELP,
  createCaseFor: L_AIRCALL_SETTINGS_CREATE_CASE_FOR,
  createCaseForHelp: L_AIRCALL_SETTINGS_CREATE_CASE_FOR_HELP,
  caseNone: L_AIRCALL_SETTINGS_CASE_NONE,
  caseMissed: L_AIRCALL_SETTINGS_CASE_MISSED,
  caseVoicemails: L_AIRCALL_SETTINGS_CASE_VOICEMAILS,
  caseBoth: L_AIRCALL_SETTINGS_CASE_BOTH,
  caseOwner: L_AIRCALL_SETTINGS_CASE_OWNER,
  caseOwnerHelp: L_AIRCALL_SETTINGS_CASE_OWNER_HELP,
  caseOwnerRules: L_AIRCALL_SETTINGS_CASE_OWNER_RULES,
  caseOwnerFixed: L_AIRCALL_SETTINGS_CASE_OWNER_FIXED,
  caseOwnerId: L_AIRCALL_SETTINGS_CASE_OWNER_ID,
  caseOwnerIdHelp: L_AIRCALL_SETTINGS_CASE_OWNER_ID_HELP,
  caseOwnerMissing: L_AIRCALL_SETTINGS_CASE_OWNER_MISSING,
  createPersonAccount: L_AIRCALL_SETTINGS_CREATE_PERSON_ACCOUNT,
  personRecordType: L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE,
  personRecordTypeHelp: L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE_HELP,
  personRecordTypeDefault: L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE_DEFAULT,
  personRecordTypeBad: L_AIRCALL_SETTINGS_PERSON_RECORD_TYPE_BAD,
  personAccountsOff: L_AIRCALL_SETTINGS_PERSON_ACCOUNTS_OFF,
  extraPhoneFields: L_AIRCALL_SETTINGS_EXTRA_PHONE_FIELDS,
  extraPhoneFieldsHelp: L_AIRCALL_SETTINGS_EXTRA_PHONE_FIELDS_HELP,
  extraPhoneFieldsTextHelp: L_AIRCALL_SETTINGS_EXTRA_PHONE_FIELDS_TEXT_HELP,
  searchedToo: L_AIRCALL_SETTINGS_SEARCHED_TOO,
  noPhoneFields: L_AIRCALL_SETTINGS_NO_PHONE_FIELDS,
  phoneFieldBad: L_AIRCALL_SETTINGS_PHONE_FIELD_BAD,
  phoneFieldNotPhone: L_AIRCALL_SETTINGS_PHONE_FIELD_NOT_PHONE,
  phoneFieldsTooLong: L_AIRCALL_SETTINGS_PHONE_FIELDS_TOO_LONG,
  createdOwner: L_AIRCALL_SETTINGS_CREATED_OWNER,
  createdOwnerHelp: L_AIRCALL_SETTINGS_CREATED_OWNER_HELP,
  ownerAgent: L_AIRCALL_SETTINGS_OWNER_AGENT,
  ownerAssignmentRules: L_AIRCALL_SETTINGS_OWNER_ASSIGNMENT_RULES,
  createdLeadSource: L_AIRCALL_SETTINGS_CREATED_LEAD_SOURCE,
  createdLeadSourceHelp: L_AIRCALL_SETTINGS_CREATED_LEAD_SOURCE_HELP,
  leadSourceNone: L_AIRCALL_SETTINGS_LEAD_SOURCE_NONE,
  leadSourceOffList: L_AIRCALL_SETTINGS_LEAD_SOURCE_OFF_LIST,
};
