/** The call page's text. */
import { EMPTY } from 'c/aircallUtils';
import L_CALLDETAILS from '@salesforce/label/c.Aircall_Record_Call_Details';
import L_UNKNOWNCALLER from '@salesforce/label/c.Aircall_Record_Unknown_Caller';
import L_RECORDNUMBER from '@salesforce/label/c.Aircall_Record_Number';
import L_ACCESSERROR from '@salesforce/label/c.Aircall_Record_Access_Error';
import L_LOADERROR from '@salesforce/label/c.Aircall_Record_Load_Error';
import L_REASON from '@salesforce/label/c.Aircall_Record_Reason';
import L_CALLBACK from '@salesforce/label/c.Aircall_Record_Call_Back';
import L_CALLBACKNAME from '@salesforce/label/c.Aircall_Record_Call_Back_Name';
import L_OUTSIDEHOURS from '@salesforce/label/c.Aircall_Record_Outside_Hours';
import L_CUSTOMERNUMBER from '@salesforce/label/c.Aircall_Record_Customer_Number';
import L_AGENT from '@salesforce/label/c.Aircall_Record_Agent';
import L_ASSIGNEDTO from '@salesforce/label/c.Aircall_Record_Assigned_To';
import L_AIRCALLLINE from '@salesforce/label/c.Aircall_Record_Aircall_Line';
import L_CALLTYPE from '@salesforce/label/c.Aircall_Record_Call_Type';
import L_STATUS from '@salesforce/label/c.Aircall_Record_Status';
import L_UNASSIGNED from '@salesforce/label/c.Aircall_Unassigned';
import L_LINKEDRECORDS from '@salesforce/label/c.Aircall_Record_Linked_Records';
import L_ACCOUNT from '@salesforce/label/c.Aircall_Record_Account';
import L_CONTACT from '@salesforce/label/c.Aircall_Record_Contact';
import L_LEAD from '@salesforce/label/c.Aircall_Record_Lead';
import L_CASE from '@salesforce/label/c.Aircall_Record_Case';
import L_OPPORTUNITY from '@salesforce/label/c.Aircall_Record_Opportunity';
import L_VOICECALL from '@salesforce/label/c.Aircall_Record_Voice_Call';
import L_RECORDINGS from '@salesforce/label/c.Aircall_Record_Recordings';
import L_RECORDING from '@salesforce/label/c.Aircall_Record_Recording';
import L_VOICEMAIL from '@salesforce/label/c.Aircall_Record_Voicemail';
import L_OPENINAIRCALL from '@salesforce/label/c.Aircall_Record_Open_In_Aircall';
import L_NEWTAB from '@salesforce/label/c.Aircall_Opens_In_New_Tab';
import L_TIMELINE from '@salesforce/label/c.Aircall_Record_Timeline';
import L_STARTED from '@salesforce/label/c.Aircall_Record_Started';
import L_ANSWERED from '@salesforce/label/c.Aircall_Record_Answered';
import L_NOTANSWERED from '@salesforce/label/c.Aircall_Record_Not_Answered';
import L_ENDED from '@salesforce/label/c.Aircall_Record_Ended';
import L_RINGING from '@salesforce/label/c.Aircall_Record_Ringing';
import L_TALKTIME from '@salesforce/label/c.Aircall_Record_Talk_Time';
import L_TOTAL from '@salesforce/label/c.Aircall_Record_Total';
import L_TAGS from '@salesforce/label/c.Aircall_Record_Tags';
import L_COMMENTS from '@salesforce/label/c.Aircall_Record_Comments';
import L_INTELLIGENCE from '@salesforce/label/c.Aircall_Record_Intelligence';
import L_SENTIMENT from '@salesforce/label/c.Aircall_Record_Sentiment';
import L_TOPICS from '@salesforce/label/c.Aircall_Record_Topics';
import L_ACTIONITEMS from '@salesforce/label/c.Aircall_Record_Action_Items';
import L_LIVE from '@salesforce/label/c.Aircall_Record_Live';

/** UI text: Custom Labels, so a subscriber org can translate it (English and Spanish ship). */
export const LABELS = {
  callDetails: L_CALLDETAILS,
  unknownCaller: L_UNKNOWNCALLER,
  recordNumber: L_RECORDNUMBER,
  accessError: L_ACCESSERROR,
  loadError: L_LOADERROR,
  reason: L_REASON,
  callBack: L_CALLBACK,
  callBackName: L_CALLBACKNAME,
  outsideHours: L_OUTSIDEHOURS,
  customerNumber: L_CUSTOMERNUMBER,
  agent: L_AGENT,
  assignedTo: L_ASSIGNEDTO,
  aircallLine: L_AIRCALLLINE,
  callType: L_CALLTYPE,
  status: L_STATUS,
  unassigned: L_UNASSIGNED,
  linkedRecords: L_LINKEDRECORDS,
  account: L_ACCOUNT,
  contact: L_CONTACT,
  lead: L_LEAD,
  case: L_CASE,
  opportunity: L_OPPORTUNITY,
  voiceCall: L_VOICECALL,
  recordings: L_RECORDINGS,
  recording: L_RECORDING,
  voicemail: L_VOICEMAIL,
  openInAircall: L_OPENINAIRCALL,
  newTab: L_NEWTAB,
  timeline: L_TIMELINE,
  started: L_STARTED,
  answered: L_ANSWERED,
  notAnswered: L_NOTANSWERED,
  ended: L_ENDED,
  ringing: L_RINGING,
  talkTime: L_TALKTIME,
  total: L_TOTAL,
  tags: L_TAGS,
  comments: L_COMMENTS,
  intelligence: L_INTELLIGENCE,
  sentiment: L_SENTIMENT,
  topics: L_TOPICS,
  actionItems: L_ACTIONITEMS,
  live: L_LIVE,
  empty: EMPTY,
};
