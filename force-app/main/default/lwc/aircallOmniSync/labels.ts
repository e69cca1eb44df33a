/** The Custom Labels of the utility bar item (English and Spanish ship with the package). */
import L_AIRCALL_OMNI_FOLLOWING from '@salesforce/label/c.Aircall_Omni_Following';
import L_AIRCALL_OMNI_STATE_ERROR from '@salesforce/label/c.Aircall_Omni_State_Error';
import L_AIRCALL_OMNI_NO_STATUS from '@salesforce/label/c.Aircall_Omni_No_Status';
import L_AIRCALL_OMNI_READ_FAILED from '@salesforce/label/c.Aircall_Omni_Read_Failed';
import L_AIRCALL_OMNI_OFFLINE from '@salesforce/label/c.Aircall_Omni_Offline';
import L_AIRCALL_OMNI_KEPT from '@salesforce/label/c.Aircall_Omni_Kept';
import L_AIRCALL_OMNI_SET_FAILED from '@salesforce/label/c.Aircall_Omni_Set_Failed';
import L_AIRCALL_OMNI_SET from '@salesforce/label/c.Aircall_Omni_Set';
import L_AIRCALL_OMNI_CLOSED from '@salesforce/label/c.Aircall_Omni_Closed';
import L_AIRCALL_OMNI_TITLE from '@salesforce/label/c.Aircall_Omni_Title';
import L_AIRCALL_OMNI_PHONE from '@salesforce/label/c.Aircall_Omni_Phone';
import L_AIRCALL_OMNI_CALL_WITH from '@salesforce/label/c.Aircall_Omni_Call_With';
import L_AIRCALL_OMNI_SINCE from '@salesforce/label/c.Aircall_Omni_Since';
import L_AIRCALL_OMNI_TIME_IN_STATE from '@salesforce/label/c.Aircall_Omni_Time_In_State';
import L_AIRCALL_OMNI_SET_STATUS from '@salesforce/label/c.Aircall_Omni_Set_Status';
import L_AIRCALL_OMNI_NONE_SET from '@salesforce/label/c.Aircall_Omni_None_Set';
import L_AIRCALL_OMNI_NO_ACTIVITY from '@salesforce/label/c.Aircall_Omni_No_Activity';
import L_AIRCALL_OMNI_CALLER_PENDING from '@salesforce/label/c.Aircall_Omni_Caller_Pending';
import L_AIRCALL_OMNI_OPEN_CALL from '@salesforce/label/c.Aircall_Omni_Open_Call';
import L_AIRCALL_OMNI_OPEN_CALL_WITH from '@salesforce/label/c.Aircall_Omni_Open_Call_With';
import L_AIRCALL_PHONE_RINGING from '@salesforce/label/c.Aircall_Phone_Ringing';
import L_AIRCALL_PHONE_IN_CALL from '@salesforce/label/c.Aircall_Phone_In_Call';
import L_AIRCALL_PHONE_AFTER_CALL_WORK from '@salesforce/label/c.Aircall_Phone_After_Call_Work';
import L_AIRCALL_PHONE_AVAILABLE from '@salesforce/label/c.Aircall_Phone_Available';

export const LABELS = {
  following: L_AIRCALL_OMNI_FOLLOWING,
  stateError: L_AIRCALL_OMNI_STATE_ERROR,
  noStatus: L_AIRCALL_OMNI_NO_STATUS,
  readFailed: L_AIRCALL_OMNI_READ_FAILED,
  offline: L_AIRCALL_OMNI_OFFLINE,
  kept: L_AIRCALL_OMNI_KEPT,
  setFailed: L_AIRCALL_OMNI_SET_FAILED,
  set: L_AIRCALL_OMNI_SET,
  closed: L_AIRCALL_OMNI_CLOSED,
  title: L_AIRCALL_OMNI_TITLE,
  phone: L_AIRCALL_OMNI_PHONE,
  callWith: L_AIRCALL_OMNI_CALL_WITH,
  since: L_AIRCALL_OMNI_SINCE,
  timeInState: L_AIRCALL_OMNI_TIME_IN_STATE,
  setStatus: L_AIRCALL_OMNI_SET_STATUS,
  noneSet: L_AIRCALL_OMNI_NONE_SET,
  noActivity: L_AIRCALL_OMNI_NO_ACTIVITY,
  callerPending: L_AIRCALL_OMNI_CALLER_PENDING,
  openCall: L_AIRCALL_OMNI_OPEN_CALL,
  openCallWith: L_AIRCALL_OMNI_OPEN_CALL_WITH,
};

/** A phone event's label in the user's language (the stored value is the English API name). */
export const PHONE_EVENT_LABELS: Readonly<Record<string, string>> = {
  Ringing: L_AIRCALL_PHONE_RINGING,
  'In Call': L_AIRCALL_PHONE_IN_CALL,
  'After-Call Work': L_AIRCALL_PHONE_AFTER_CALL_WORK,
  Available: L_AIRCALL_PHONE_AVAILABLE,
};

export function phoneEventLabel(phoneEvent: string): string {
  return PHONE_EVENT_LABELS[phoneEvent] ?? phoneEvent;
}
