/** The Custom Labels of the status mapper (English and Spanish ship with the package). */
import { EMPTY } from 'c/aircallUtils';
import L_AIRCALL_MAPPER_TITLE from '@salesforce/label/c.Aircall_Mapper_Title';
import L_AIRCALL_MAPPER_LOADING from '@salesforce/label/c.Aircall_Mapper_Loading';
import L_AIRCALL_MAPPER_MODE from '@salesforce/label/c.Aircall_Mapper_Mode';
import L_AIRCALL_MAPPER_MODE_DEFAULT from '@salesforce/label/c.Aircall_Mapper_Mode_Default';
import L_AIRCALL_MAPPER_MODE_CUSTOM from '@salesforce/label/c.Aircall_Mapper_Mode_Custom';
import L_AIRCALL_MAPPER_OMNI_TO_AIRCALL from '@salesforce/label/c.Aircall_Mapper_Omni_To_Aircall';
import L_AIRCALL_MAPPER_PHONE_TO_OMNI from '@salesforce/label/c.Aircall_Mapper_Phone_To_Omni';
import L_AIRCALL_MAPPER_OMNI_STATUS from '@salesforce/label/c.Aircall_Mapper_Omni_Status';
import L_AIRCALL_MAPPER_AVAILABILITY from '@salesforce/label/c.Aircall_Mapper_Availability';
import L_AIRCALL_MAPPER_SUBSTATUS from '@salesforce/label/c.Aircall_Mapper_Substatus';
import L_AIRCALL_MAPPER_PHONE_EVENT from '@salesforce/label/c.Aircall_Mapper_Phone_Event';
import L_AIRCALL_MAPPER_NOT_MAPPED from '@salesforce/label/c.Aircall_Mapper_Not_Mapped';
import L_AIRCALL_MAPPER_AVAILABLE from '@salesforce/label/c.Aircall_Mapper_Available';
import L_AIRCALL_MAPPER_UNAVAILABLE from '@salesforce/label/c.Aircall_Mapper_Unavailable';
import L_AIRCALL_MAPPER_CUSTOM_AVAILABILITY from '@salesforce/label/c.Aircall_Mapper_Custom_Availability';
import L_AIRCALL_MAPPER_NO_CHANGE from '@salesforce/label/c.Aircall_Mapper_No_Change';
import L_AIRCALL_MAPPER_AVAILABILITY_FOR from '@salesforce/label/c.Aircall_Mapper_Availability_For';
import L_AIRCALL_MAPPER_SUBSTATUS_FOR from '@salesforce/label/c.Aircall_Mapper_Substatus_For';
import L_AIRCALL_MAPPER_STATUS_FOR from '@salesforce/label/c.Aircall_Mapper_Status_For';
import L_AIRCALL_MAPPER_REMOVE_RULE from '@salesforce/label/c.Aircall_Mapper_Remove_Rule';
import L_AIRCALL_MAPPER_REMOVE_RULE_FOR from '@salesforce/label/c.Aircall_Mapper_Remove_Rule_For';
import L_AIRCALL_MAPPER_ORPHAN_NOTE from '@salesforce/label/c.Aircall_Mapper_Orphan_Note';
import L_AIRCALL_MAPPER_PHONE_SET_NOTE from '@salesforce/label/c.Aircall_Mapper_Phone_Set_Note';
import L_AIRCALL_MAPPER_MISSING_STATUS from '@salesforce/label/c.Aircall_Mapper_Missing_Status';
import L_AIRCALL_MAPPER_NO_STATUSES from '@salesforce/label/c.Aircall_Mapper_No_Statuses';
import L_AIRCALL_MAPPER_STATUS_API_NAME from '@salesforce/label/c.Aircall_Mapper_Status_Api_Name';
import L_AIRCALL_MAPPER_ADD_STATUS from '@salesforce/label/c.Aircall_Mapper_Add_Status';
import L_AIRCALL_MAPPER_HELP_DEFAULT from '@salesforce/label/c.Aircall_Mapper_Help_Default';
import L_AIRCALL_MAPPER_HELP_READ_ONLY from '@salesforce/label/c.Aircall_Mapper_Help_Read_Only';
import L_AIRCALL_MAPPER_HELP_CUSTOM from '@salesforce/label/c.Aircall_Mapper_Help_Custom';
import L_AIRCALL_MAPPER_HELP_CUSTOM_FROM_DEFAULTS from '@salesforce/label/c.Aircall_Mapper_Help_Custom_From_Defaults';
import L_AIRCALL_MAPPER_ACCESS_ERROR from '@salesforce/label/c.Aircall_Mapper_Access_Error';
import L_AIRCALL_MAPPER_LOAD_ERROR from '@salesforce/label/c.Aircall_Mapper_Load_Error';
import L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE from '@salesforce/label/c.Aircall_Mapper_Statuses_Unavailable';
import L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE_ADD from '@salesforce/label/c.Aircall_Mapper_Statuses_Unavailable_Add';
import L_AIRCALL_MAPPER_UNMAPPED_WARNING from '@salesforce/label/c.Aircall_Mapper_Unmapped_Warning';
import L_AIRCALL_MAPPER_MISSING_WARNING from '@salesforce/label/c.Aircall_Mapper_Missing_Warning';
import L_AIRCALL_MAPPER_MISSING_WARNING_DEFAULT from '@salesforce/label/c.Aircall_Mapper_Missing_Warning_Default';
import L_AIRCALL_MAPPER_ORPHAN_WARNING from '@salesforce/label/c.Aircall_Mapper_Orphan_Warning';
import L_AIRCALL_MAPPER_BAD_API_NAME from '@salesforce/label/c.Aircall_Mapper_Bad_Api_Name';
import L_AIRCALL_MAPPER_NEEDS_SUBSTATUS from '@salesforce/label/c.Aircall_Mapper_Needs_Substatus';
import L_AIRCALL_MAPPER_SUBSTATUS_TOO_LONG from '@salesforce/label/c.Aircall_Mapper_Substatus_Too_Long';
import L_AIRCALL_MAPPER_CHECK_MESSAGE from '@salesforce/label/c.Aircall_Mapper_Check_Message';
import L_AIRCALL_MAPPER_PARTIAL_TITLE from '@salesforce/label/c.Aircall_Mapper_Partial_Title';
import L_AIRCALL_MAPPER_PARTIAL_MESSAGE from '@salesforce/label/c.Aircall_Mapper_Partial_Message';
import L_AIRCALL_MAPPER_SAVED_TITLE from '@salesforce/label/c.Aircall_Mapper_Saved_Title';
import L_AIRCALL_MAPPER_RULES_SAVED from '@salesforce/label/c.Aircall_Mapper_Rules_Saved';
import L_AIRCALL_MAPPER_MODE_SAVED from '@salesforce/label/c.Aircall_Mapper_Mode_Saved';
import L_AIRCALL_MAPPER_MODE_FAILED from '@salesforce/label/c.Aircall_Mapper_Mode_Failed';
import L_AIRCALL_MAPPER_MODE_NOT_SAVED from '@salesforce/label/c.Aircall_Mapper_Mode_Not_Saved';
import L_AIRCALL_MAPPER_SAVE_AGAIN from '@salesforce/label/c.Aircall_Mapper_Save_Again';
import L_AIRCALL_MAPPER_APPLIES_NEXT from '@salesforce/label/c.Aircall_Mapper_Applies_Next';
import L_AIRCALL_MAPPER_SETTINGS_LINK from '@salesforce/label/c.Aircall_Mapper_Settings_Link';
import L_AIRCALL_PHONE_RINGING from '@salesforce/label/c.Aircall_Phone_Ringing';
import L_AIRCALL_PHONE_IN_CALL from '@salesforce/label/c.Aircall_Phone_In_Call';
import L_AIRCALL_PHONE_AFTER_CALL_WORK from '@salesforce/label/c.Aircall_Phone_After_Call_Work';
import L_AIRCALL_PHONE_AVAILABLE from '@salesforce/label/c.Aircall_Phone_Available';
import L_AIRCALL_CANCEL from '@salesforce/label/c.Aircall_Cancel';
import L_AIRCALL_SAVE from '@salesforce/label/c.Aircall_Save';
import L_AIRCALL_UNSAVED_CHANGES from '@salesforce/label/c.Aircall_Unsaved_Changes';

export const LABELS = {
  title: L_AIRCALL_MAPPER_TITLE,
  loading: L_AIRCALL_MAPPER_LOADING,
  mode: L_AIRCALL_MAPPER_MODE,
  modeDefault: L_AIRCALL_MAPPER_MODE_DEFAULT,
  modeCustom: L_AIRCALL_MAPPER_MODE_CUSTOM,
  omniToAircall: L_AIRCALL_MAPPER_OMNI_TO_AIRCALL,
  phoneToOmni: L_AIRCALL_MAPPER_PHONE_TO_OMNI,
  omniStatus: L_AIRCALL_MAPPER_OMNI_STATUS,
  availability: L_AIRCALL_MAPPER_AVAILABILITY,
  substatus: L_AIRCALL_MAPPER_SUBSTATUS,
  phoneEvent: L_AIRCALL_MAPPER_PHONE_EVENT,
  notMapped: L_AIRCALL_MAPPER_NOT_MAPPED,
  available: L_AIRCALL_MAPPER_AVAILABLE,
  unavailable: L_AIRCALL_MAPPER_UNAVAILABLE,
  customAvailability: L_AIRCALL_MAPPER_CUSTOM_AVAILABILITY,
  noChange: L_AIRCALL_MAPPER_NO_CHANGE,
  availabilityFor: L_AIRCALL_MAPPER_AVAILABILITY_FOR,
  substatusFor: L_AIRCALL_MAPPER_SUBSTATUS_FOR,
  statusFor: L_AIRCALL_MAPPER_STATUS_FOR,
  removeRule: L_AIRCALL_MAPPER_REMOVE_RULE,
  removeRuleFor: L_AIRCALL_MAPPER_REMOVE_RULE_FOR,
  orphanNote: L_AIRCALL_MAPPER_ORPHAN_NOTE,
  phoneSetNote: L_AIRCALL_MAPPER_PHONE_SET_NOTE,
  missingStatus: L_AIRCALL_MAPPER_MISSING_STATUS,
  noStatuses: L_AIRCALL_MAPPER_NO_STATUSES,
  statusApiName: L_AIRCALL_MAPPER_STATUS_API_NAME,
  addStatus: L_AIRCALL_MAPPER_ADD_STATUS,
  helpDefault: L_AIRCALL_MAPPER_HELP_DEFAULT,
  helpReadOnly: L_AIRCALL_MAPPER_HELP_READ_ONLY,
  helpCustom: L_AIRCALL_MAPPER_HELP_CUSTOM,
  helpCustomFromDefaults: L_AIRCALL_MAPPER_HELP_CUSTOM_FROM_DEFAULTS,
  accessError: L_AIRCALL_MAPPER_ACCESS_ERROR,
  loadError: L_AIRCALL_MAPPER_LOAD_ERROR,
  statusesUnavailable: L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE,
  statusesUnavailableAdd: L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE_ADD,
  unmappedWarning: L_AIRCALL_MAPPER_UNMAPPED_WARNING,
  missingWarning: L_AIRCALL_MAPPER_MISSING_WARNING,
  missingWarningDefault: L_AIRCALL_MAPPER_MISSING_WARNING_DEFAULT,
  orphanWarning: L_AIRCALL_MAPPER_ORPHAN_WARNING,
  badApiName: L_AIRCALL_MAPPER_BAD_API_NAME,
  needsSubstatus: L_AIRCALL_MAPPER_NEEDS_SUBSTATUS,
  substatusTooLong: L_AIRCALL_MAPPER_SUBSTATUS_TOO_LONG,
  checkMessage: L_AIRCALL_MAPPER_CHECK_MESSAGE,
  partialTitle: L_AIRCALL_MAPPER_PARTIAL_TITLE,
  partialMessage: L_AIRCALL_MAPPER_PARTIAL_MESSAGE,
  savedTitle: L_AIRCALL_MAPPER_SAVED_TITLE,
  rulesSaved: L_AIRCALL_MAPPER_RULES_SAVED,
  modeSaved: L_AIRCALL_MAPPER_MODE_SAVED,
  modeFailed: L_AIRCALL_MAPPER_MODE_FAILED,
  modeNotSaved: L_AIRCALL_MAPPER_MODE_NOT_SAVED,
  saveAgain: L_AIRCALL_MAPPER_SAVE_AGAIN,
  appliesNext: L_AIRCALL_MAPPER_APPLIES_NEXT,
  settingsLink: L_AIRCALL_MAPPER_SETTINGS_LINK,
  phoneRinging: L_AIRCALL_PHONE_RINGING,
  phoneInCall: L_AIRCALL_PHONE_IN_CALL,
  phoneAfterCallWork: L_AIRCALL_PHONE_AFTER_CALL_WORK,
  phoneAvailable: L_AIRCALL_PHONE_AVAILABLE,
  cancel: L_AIRCALL_CANCEL,
  save: L_AIRCALL_SAVE,
  unsaved: L_AIRCALL_UNSAVED_CHANGES,
  empty: EMPTY,
};

export const PHONE_EVENT_LABELS: Record<string, string> = {
  Ringing: LABELS.phoneRinging,
  'In Call': LABELS.phoneInCall,
  'After-Call Work': LABELS.phoneAfterCallWork,
  Available: LABELS.phoneAvailable,
};

export const AVAILABILITY_LABELS: Record<string, string> = {
  '': LABELS.notMapped,
  available: LABELS.available,
  unavailable: LABELS.unavailable,
  custom: LABELS.customAvailability,
};
