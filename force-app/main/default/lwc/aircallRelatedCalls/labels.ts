/** The related calls' text. */
import { EMPTY } from 'c/aircallUtils';
import L_UNKNOWNCALLER from '@salesforce/label/c.Aircall_Record_Unknown_Caller';
import L_RELATEDTITLE from '@salesforce/label/c.Aircall_Related_Title';
import L_RELATEDTITLECOUNT from '@salesforce/label/c.Aircall_Related_Title_Count';
import L_ACCESSERROR from '@salesforce/label/c.Aircall_Record_Access_Error';
import L_LOADERROR from '@salesforce/label/c.Aircall_Record_Load_Error';
import L_WRONGPAGE from '@salesforce/label/c.Aircall_Related_Wrong_Page';
import L_CALLBACK from '@salesforce/label/c.Aircall_Record_Call_Back';
import L_CALLBACKNAME from '@salesforce/label/c.Aircall_Record_Call_Back_Name';
import L_CALLFROM from '@salesforce/label/c.Aircall_Related_Call_From';
import L_CALLTO from '@salesforce/label/c.Aircall_Related_Call_To';
import L_INCOMING from '@salesforce/label/c.Aircall_Related_Incoming';
import L_OUTGOING from '@salesforce/label/c.Aircall_Related_Outgoing';
import L_SHOWING from '@salesforce/label/c.Aircall_Related_Showing';
import L_VIEWALL from '@salesforce/label/c.Aircall_Related_View_All';
import L_RELATEDEMPTY from '@salesforce/label/c.Aircall_Related_Empty';

/** UI text: Custom Labels, so a subscriber org can translate it (English and Spanish ship). */
export const LABELS = {
  unknownCaller: L_UNKNOWNCALLER,
  relatedTitle: L_RELATEDTITLE,
  relatedTitleCount: L_RELATEDTITLECOUNT,
  accessError: L_ACCESSERROR,
  loadError: L_LOADERROR,
  wrongPage: L_WRONGPAGE,
  callBack: L_CALLBACK,
  callBackName: L_CALLBACKNAME,
  callFrom: L_CALLFROM,
  callTo: L_CALLTO,
  incoming: L_INCOMING,
  outgoing: L_OUTGOING,
  showing: L_SHOWING,
  viewAll: L_VIEWALL,
  relatedEmpty: L_RELATEDEMPTY,
  empty: EMPTY,
};
