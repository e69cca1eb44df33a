/** Change link's text. */
import L_CHANGE from '@salesforce/label/c.Aircall_Link_Change';
import L_CHANGE_NAME from '@salesforce/label/c.Aircall_Link_Change_Name';
import L_CREATED from '@salesforce/label/c.Aircall_Link_Created';
import L_CURRENT from '@salesforce/label/c.Aircall_Link_Current';
import L_FOUND from '@salesforce/label/c.Aircall_Link_Found';
import L_NONE_FOUND from '@salesforce/label/c.Aircall_Link_None_Found';
import L_NONE_OTHER from '@salesforce/label/c.Aircall_Link_None_Other';
import L_SEARCH from '@salesforce/label/c.Aircall_Link_Search';
import L_RESULTS from '@salesforce/label/c.Aircall_Link_Results';
import L_NO_RESULTS from '@salesforce/label/c.Aircall_Link_No_Results';
import L_NO_LINK from '@salesforce/label/c.Aircall_Link_No_Link';
import L_SAVE from '@salesforce/label/c.Aircall_Link_Save';
import L_CANCEL from '@salesforce/label/c.Aircall_Link_Cancel';
import L_SAVE_ERROR from '@salesforce/label/c.Aircall_Link_Save_Error';
import L_REMEMBER from '@salesforce/label/c.Aircall_Link_Remember';
import L_CONTACT from '@salesforce/label/c.Aircall_Record_Contact';
import L_LEAD from '@salesforce/label/c.Aircall_Record_Lead';
import L_ACCOUNT from '@salesforce/label/c.Aircall_Record_Account';
import L_PERSON_ACCOUNT from '@salesforce/label/c.Aircall_Link_Person_Account';

/** UI text: Custom Labels, so a subscriber org can translate it (English and Spanish ship). */
export const LABELS = {
  change: L_CHANGE,
  changeName: L_CHANGE_NAME,
  created: L_CREATED,
  current: L_CURRENT,
  found: L_FOUND,
  noneFound: L_NONE_FOUND,
  noneOther: L_NONE_OTHER,
  search: L_SEARCH,
  results: L_RESULTS,
  noResults: L_NO_RESULTS,
  noLink: L_NO_LINK,
  save: L_SAVE,
  cancel: L_CANCEL,
  saveError: L_SAVE_ERROR,
  remember: L_REMEMBER,
};

export const TYPE_LABELS = {
  Contact: L_CONTACT,
  Lead: L_LEAD,
  Account: L_ACCOUNT,
  PersonAccount: L_PERSON_ACCOUNT,
};
