import { LightningElement, api, wire } from 'lwc';
import { graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import USER_ID from '@salesforce/user/Id';
import ACCOUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__c';
import CONTACT_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__c';
import LEAD_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__c';
import MATCH_REASON_FIELD from '@salesforce/schema/Aircall_Voice__c.Match_Reason__c';
import LINKED_BY_FIELD from '@salesforce/schema/Aircall_Voice__c.Linked_By__c';
import RELATED_RECORD_FIELD from '@salesforce/schema/VoiceCall.RelatedRecordId';
import NUMBER_LINK_OBJECT from '@salesforce/schema/Aircall_Number_Link__c';
import NUMBER_LINK_NAME from '@salesforce/schema/Aircall_Number_Link__c.Name';
import NUMBER_LINK_KEY from '@salesforce/schema/Aircall_Number_Link__c.Phone_Key__c';
import NUMBER_LINK_PHONE from '@salesforce/schema/Aircall_Number_Link__c.Phone__c';
import NUMBER_LINK_CONTACT from '@salesforce/schema/Aircall_Number_Link__c.Contact__c';
import NUMBER_LINK_LEAD from '@salesforce/schema/Aircall_Number_Link__c.Lead__c';
import NUMBER_LINK_ACCOUNT from '@salesforce/schema/Aircall_Number_Link__c.Account__c';
import { formatLabel, reduceErrors } from 'c/aircallUtils';
import {
  CONTEXT_OPERATION,
  CONTEXT_QUERY,
  SEARCH_OPERATION,
  SEARCH_QUERY,
  currentOption,
  numberLinkFields,
  parseCandidates,
  searchOptions,
  searchTerm,
  taskFields,
  voiceFields,
} from './changeLink';
import type { ContextData, LinkOption, LinkTarget, SearchData } from './changeLink';
import { LABELS, TYPE_LABELS } from './labels';

const NO_LINK = 'none';

/** Where the keyboard focus goes once the panel has rendered. */
type FocusTarget = 'choice' | 'open' | 'error';

/**
 * Change link, on the call page: the records the matcher found for the number (with why each was
 * or was not linked), a search by name across Contacts, Leads and Accounts, and "No link". Saving
 * writes, through Lightning Data Service, the Aircall Voice's link fields with who linked it (the
 * connector then keeps that link), the Who/What of the call's Task and of its open follow-up Task,
 * and the VoiceCall's related record when the call is on no Case. Only fields the Aircall_Agent permission set makes editable.
 */
export default class AircallChangeLink extends LightningElement {
  @api recordId?: string;
  /** Aircall_Call_Id__c: the call Task's CallObject. */
  @api callId?: string;
  /** Match_Candidates__c. */
  @api candidates = '';
  /** The option of the record linked now (`Contact:003…`), checked when the panel opens. */
  @api currentValue = '';
  /** Its name, offered under "Linked now" when the records found do not include it. */
  @api currentName = '';
  /** A linked Contact's Account (kept if the agent saves the same Contact to remember it). */
  @api currentAccountId = '';
  /** The connector created the record linked now for this number (Match Reason "Created for…"). */
  @api createdForNumber = false;
  /** The call is on a Case or an Opportunity: it stays the Task's What. */
  @api hasCaseOrOpportunity = false;
  /** The call's Case: the VoiceCall's related record stays that Case. */
  @api hasCase = false;
  @api voiceCallId?: string;
  /** The caller's number (E.164): "Remember for this number" is offered when there is one. */
  @api number = '';

  labels = LABELS;
  open = false;
  saving = false;
  error = '';
  choice = '';
  searchText = '';
  searchResults: LinkOption[] = [];
  taskId?: string;
  followUpTaskId?: string;
  numberLinkId?: string;
  userName = '';
  remember = false;
  /** Not a reactive field: setting it must not render again. */
  private readonly pendingFocus: { target?: FocusTarget } = {};

  @wire(graphql, {
    query: SEARCH_QUERY,
    operationName: SEARCH_OPERATION,
    variables: '$searchVariables',
  })
  wiredSearch({ data }: { data?: SearchData; errors?: unknown }): void {
    this.searchResults = this.searchVariables ? searchOptions(data, TYPE_LABELS) : [];
  }

  @wire(graphql, {
    query: CONTEXT_QUERY,
    operationName: CONTEXT_OPERATION,
    variables: '$contextVariables',
  })
  wiredContext({ data }: { data?: ContextData; errors?: unknown }): void {
    this.taskId = data?.uiapi.query.Task?.edges[0]?.node.Id;
    this.followUpTaskId = data?.uiapi.query.FollowUp?.edges[0]?.node.Id;
    this.numberLinkId = data?.uiapi.query.Aircall_Number_Link__c?.edges[0]?.node.Id;
    this.userName = data?.uiapi.query.User?.edges[0]?.node.Name.value ?? '';
  }

  /** Undefined until the panel opens and two characters are typed: the search wire stays idle. */
  get searchVariables(): { term: string } | undefined {
    const term = this.open ? searchTerm(this.searchText) : undefined;
    return term ? { term } : undefined;
  }

  get contextVariables(): { callId: string; userId: string; number: string } | undefined {
    return this.open && this.callId
      ? { callId: this.callId, userId: USER_ID, number: this.number }
      : undefined;
  }

  /** A number to remember, and a record to remember it for. */
  get canRemember(): boolean {
    return this.number !== '' && this.choice !== '' && this.choice !== NO_LINK;
  }

  get candidateOptions(): (LinkOption & { checked: boolean; whyId: string | undefined })[] {
    return parseCandidates(this.candidates, TYPE_LABELS).map((o) => this.decorate(o));
  }

  /**
   * The record linked now, when it is not one of the records found; a record the connector created
   * for the number says so, or "Linked now" would read as a contradiction of "none found".
   */
  private get current(): LinkOption | null {
    const current = currentOption(
      this.currentValue,
      this.currentName,
      this.currentAccountId,
      parseCandidates(this.candidates, TYPE_LABELS),
      TYPE_LABELS,
    );
    return current && this.createdForNumber ? { ...current, why: LABELS.created } : current;
  }

  /** Nothing found for the number: then, or except the record created for it since. */
  get noneFoundText(): string {
    return this.createdForNumber && this.hasCurrent ? LABELS.noneOther : LABELS.noneFound;
  }

  get currentOptions(): (LinkOption & { checked: boolean; whyId: string | undefined })[] {
    const current = this.current;
    return current ? [this.decorate(current)] : [];
  }

  get hasCurrent(): boolean {
    return this.current !== null;
  }

  get hasCandidates(): boolean {
    return this.candidateOptions.length > 0;
  }

  get resultOptions(): (LinkOption & { checked: boolean; whyId: string | undefined })[] {
    const found = new Set([...this.currentOptions, ...this.candidateOptions].map((o) => o.value));
    return this.searchResults.filter((o) => !found.has(o.value)).map((o) => this.decorate(o));
  }

  get searched(): boolean {
    return this.searchVariables !== undefined;
  }

  get hasResults(): boolean {
    return this.resultOptions.length > 0;
  }

  get noLinkChecked(): boolean {
    return this.choice === NO_LINK;
  }

  get cannotSave(): boolean {
    if (this.saving || this.choice === '') return true;
    return this.choice === this.currentValue && !(this.remember && this.canRemember);
  }

  /** `whyId` names the option's reason (its aria-describedby), absent when there is none. */
  private decorate(o: LinkOption): LinkOption & { checked: boolean; whyId: string | undefined } {
    return { ...o, checked: o.value === this.choice, whyId: o.why ? `why-${o.value}` : undefined };
  }

  private get target(): LinkTarget | null {
    if (this.choice === NO_LINK) return null;
    const all = [
      ...(this.current ? [this.current] : []),
      ...parseCandidates(this.candidates, TYPE_LABELS),
      ...this.searchResults,
    ];
    return all.find((o) => o.value === this.choice)?.target ?? null;
  }

  /**
   * Keyboard and screen reader users land where they left off: on the chosen option when the panel
   * opens (arrow keys move through every option from there), back on Change link when it closes,
   * and on the org's error when a save fails (it is read out, then Tab reaches Save again).
   */
  override renderedCallback(): void {
    const target = this.pendingFocus.target;
    if (!target) return;
    this.pendingFocus.target = undefined;
    const selector = {
      choice: 'input[name="link"]:checked',
      open: '.change-link-open',
      error: '.link-error [role="alert"]',
    }[target];
    this.template?.querySelector<HTMLElement>(selector)?.focus();
  }

  handleOpen(): void {
    this.open = true;
    this.error = '';
    this.choice = this.currentValue || NO_LINK;
    this.pendingFocus.target = 'choice';
  }

  handleCancel(): void {
    this.open = false;
    this.searchText = '';
    this.pendingFocus.target = 'open';
  }

  /**
   * Escape closes the panel as Cancel does, except in the search box with text in it: there the
   * first Escape clears the search (as a search input does natively), and the next one closes.
   * Nothing closes while a save is under way.
   */
  handleKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.saving) return;
    event.preventDefault();
    event.stopPropagation();
    const inSearch = (event.target as Element | null)?.classList?.contains('search') === true;
    if (inSearch && this.searchText !== '') this.searchText = '';
    else this.handleCancel();
  }

  handleSearch(event: Event): void {
    this.searchText = String((event.target as HTMLInputElement).value ?? '');
  }

  handleRemember(event: Event): void {
    this.remember = (event.target as HTMLInputElement).checked;
  }

  handlePick(event: Event): void {
    this.choice = (event.target as HTMLInputElement).value;
  }

  /** Creates the number's Aircall_Number_Link__c, or points the existing one at the record. */
  private async rememberNumber(target: LinkTarget): Promise<void> {
    const fields = numberLinkFields(
      this.number,
      target,
      {
        name: NUMBER_LINK_NAME.fieldApiName,
        key: NUMBER_LINK_KEY.fieldApiName,
        phone: NUMBER_LINK_PHONE.fieldApiName,
        contact: NUMBER_LINK_CONTACT.fieldApiName,
        lead: NUMBER_LINK_LEAD.fieldApiName,
        account: NUMBER_LINK_ACCOUNT.fieldApiName,
      },
      this.numberLinkId,
    );
    if (this.numberLinkId) await updateRecord({ fields });
    else {
      const created = (await createRecord({
        apiName: NUMBER_LINK_OBJECT.objectApiName,
        fields,
      })) as { id?: string } | undefined;
      this.numberLinkId = created?.id;
    }
  }

  async handleSave(): Promise<void> {
    if (!this.recordId || this.cannotSave) return;
    const target = this.target;
    this.saving = true;
    this.error = '';
    try {
      const user = { id: USER_ID, name: this.userName || USER_ID };
      await updateRecord({
        fields: voiceFields(
          this.recordId,
          target,
          {
            account: ACCOUNT_FIELD.fieldApiName,
            contact: CONTACT_FIELD.fieldApiName,
            lead: LEAD_FIELD.fieldApiName,
            matchReason: MATCH_REASON_FIELD.fieldApiName,
            linkedBy: LINKED_BY_FIELD.fieldApiName,
          },
          user,
          new Date(),
        ),
      });
      if (this.taskId)
        await updateRecord({ fields: taskFields(this.taskId, target, this.hasCaseOrOpportunity) });
      // The call-back to do goes to the record chosen too, by the same rule.
      if (this.followUpTaskId)
        await updateRecord({
          fields: taskFields(this.followUpTaskId, target, this.hasCaseOrOpportunity),
        });
      if (this.voiceCallId && !this.hasCase)
        await updateRecord({
          fields: { Id: this.voiceCallId, [RELATED_RECORD_FIELD.fieldApiName]: target?.id ?? null },
        });
      if (this.remember && this.canRemember && target) await this.rememberNumber(target);
      this.open = false;
      this.searchText = '';
      this.remember = false;
      this.pendingFocus.target = 'open';
      this.dispatchEvent(new CustomEvent('linked'));
    } catch (error) {
      this.error = formatLabel(LABELS.saveError, reduceErrors(error).join(' '));
      this.pendingFocus.target = 'error';
    } finally {
      this.saving = false;
    }
  }
}
