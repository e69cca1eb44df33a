import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import CALL from '@salesforce/schema/Aircall_Voice__c';
import { t } from 'console/i18n';

interface Rep {
  apiName: string;
  fields: Record<string, { value: unknown } | undefined>;
}

/** Objects whose record pages carry the package's call component (its js-meta.xml targets). */
const NAMED = ['Contact', 'Lead', 'Account', 'Opportunity', 'VoiceCall', CALL.objectApiName];

/**
 * A record page as Lightning shows it: a header with the record's name, then the package's
 * `aircallVoiceRecord` component with the page's recordId and objectApiName.
 */
export default class RecordPage extends LightningElement {
  @api recordId?: string;
  record?: Rep;
  error?: unknown;

  @wire(getRecord, {
    recordId: '$recordId',
    optionalFields: [
      ...NAMED.map((o) => `${o}.Name`),
      'Contact.Phone',
      'Lead.Phone',
      'Account.Phone',
      'Lead.Company',
      // In an org with Person Accounts: a person's Account is shown as a Person Account.
      'Account.IsPersonAccount',
      // A Case has no Name: its subject, else its number.
      'Case.Subject',
      'Case.CaseNumber',
    ],
  })
  wiredRecord(result: unknown): void {
    const { data, error } = result as { data?: Rep; error?: unknown };
    this.record = data;
    this.error = error;
  }

  /** The object's label ("Aircall Voice", "Contact") for the header, as Lightning shows it. */
  @wire(getObjectInfo, { objectApiName: '$objectApiName' })
  wiredObjectInfo(result: unknown): void {
    const { data } = result as { data?: { label?: string } };
    this.objectLabel = data?.label;
  }

  objectLabel?: string;

  get objectApiName(): string | undefined {
    return this.record?.apiName;
  }

  /** Contact, Lead and Account pages carry Lightning's Activity timeline (the call Tasks). */
  get hasActivity(): boolean {
    return ['Contact', 'Lead', 'Account'].includes(this.objectApiName ?? '');
  }

  get heading(): string {
    const fields = this.record?.fields;
    const name = fields?.Name?.value ?? fields?.Subject?.value ?? fields?.CaseNumber?.value;
    return typeof name === 'string' ? name : (this.recordId ?? '');
  }

  get subtitle(): string {
    const phone = this.record?.fields.Phone?.value;
    const company = this.record?.fields.Company?.value;
    const label =
      this.record?.fields.IsPersonAccount?.value === true ? t('personAccount') : this.objectLabel;
    return [label ?? '', company, phone].filter((v) => typeof v === 'string' && v).join(' · ');
  }

  get errorText(): string {
    const body = (this.error as { body?: { message?: string }[] | { message?: string } })?.body;
    const list = Array.isArray(body) ? body : body ? [body] : [];
    return (
      list
        .map((b) => b.message)
        .filter(Boolean)
        .join(' ') || 'The record could not be loaded.'
    );
  }
}
