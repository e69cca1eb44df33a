import { LightningElement, api } from 'lwc';
import AIRCALL_VOICE_OBJECT from '@salesforce/schema/Aircall_Voice__c';
import { LIVE_REFRESH_MS, RELATED_LIVE_REFRESH_MS } from 'c/aircallCallData';

export { LIVE_REFRESH_MS, RELATED_LIVE_REFRESH_MS };

/**
 * The Aircall Call component placed on record pages: on an Aircall Voice record, the call page
 * (c-aircall-call-page); on a Voice Call, Account, Contact, Lead, Case or Opportunity, the calls
 * linked to it (c-aircall-related-calls).
 */
export default class AircallVoiceRecord extends LightningElement {
  @api recordId?: string;
  @api objectApiName?: string;
  /** Design attribute: how many calls the related view shows. */
  @api maxCalls = 10;

  get isCallPage(): boolean {
    return this.objectApiName === AIRCALL_VOICE_OBJECT.objectApiName;
  }
}
