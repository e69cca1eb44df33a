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
};
