import { LightningElement, api, wire } from 'lwc';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import type { RecordRepresentation } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import type { RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfoRepresentation } from 'lightning/uiObjectInfoApi';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import {
  formatDuration,
  isAccessError,
  qualifiedName,
  reduceErrors,
  splitList,
} from 'c/aircallUtils';
import type { FieldRef } from 'c/aircallUtils';
import AIRCALL_VOICE_OBJECT from '@salesforce/schema/Aircall_Voice__c';
import CALL_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Name';
import AIRCALL_CALL_ID_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Call_Id__c';
import DIRECTION_FIELD from '@salesforce/schema/Aircall_Voice__c.Direction__c';
import CALL_TYPE_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Type__c';
import STATUS_FIELD from '@salesforce/schema/Aircall_Voice__c.Status__c';
import MISSED_REASON_FIELD from '@salesforce/schema/Aircall_Voice__c.Missed_Reason__c';
import STARTED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Started_At__c';
import ANSWERED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Answered_At__c';
import ENDED_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Ended_At__c';
import RING_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Ring_Seconds__c';
import TALK_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Talk_Seconds__c';
import TOTAL_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Total_Seconds__c';
import CUSTOMER_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Customer_Number__c';
import AIRCALL_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Number__c';
import AIRCALL_LINE_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Line_Name__c';
import AGENT_FIELD from '@salesforce/schema/Aircall_Voice__c.Agent__c';
import AGENT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Agent__r.Name';
import ACCOUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__c';
import ACCOUNT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Account__r.Name';
import CONTACT_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__c';
import CONTACT_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Contact__r.Name';
import LEAD_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__c';
import LEAD_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Lead__r.Name';
import VOICE_CALL_FIELD from '@salesforce/schema/Aircall_Voice__c.Voice_Call__c';
import VOICE_CALL_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Voice_Call__r.Name';
import RECORDING_URL_FIELD from '@salesforce/schema/Aircall_Voice__c.Recording_Url__c';
import VOICEMAIL_URL_FIELD from '@salesforce/schema/Aircall_Voice__c.Voicemail_Url__c';
import AIRCALL_LINK_FIELD from '@salesforce/schema/Aircall_Voice__c.Aircall_Link__c';
import TAGS_FIELD from '@salesforce/schema/Aircall_Voice__c.Tags__c';
import COMMENTS_FIELD from '@salesforce/schema/Aircall_Voice__c.Comments__c';
import ASSIGNED_TO_FIELD from '@salesforce/schema/Aircall_Voice__c.Assigned_To__c';
import AI_SUMMARY_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Summary__c';
import AI_SENTIMENT_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Sentiment__c';
import AI_TOPICS_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Topics__c';
import AI_ACTION_ITEMS_FIELD from '@salesforce/schema/Aircall_Voice__c.AI_Action_Items__c';
import OUTSIDE_BUSINESS_HOURS_FIELD from '@salesforce/schema/Aircall_Voice__c.Outside_Business_Hours__c';
import LAST_EVENT_AT_FIELD from '@salesforce/schema/Aircall_Voice__c.Last_Event_At__c';

/** The lookups whose child relationship (Aircall_Calls__r) is the related list on each parent page. */
const PARENT_LOOKUPS = [ACCOUNT_FIELD, CONTACT_FIELD, LEAD_FIELD, VOICE_CALL_FIELD];
/**
 * Live refresh: while the call on screen is live (not Ended), the page re-reads its own record
 * through Lightning Data Service this often; it stops as soon as the call is final. No streaming
 * subscription, so a page costs no event delivery and no streaming client (see the README).
 */
export const LIVE_REFRESH_MS = 5000;
/** A related list re-reads while one of the calls it lists is live, less often. */
export const RELATED_LIVE_REFRESH_MS = 15000;
/** A call still "live" after this long is a call whose end was lost: the page stops polling. */
const LIVE_MAX_MS = 4 * 3600_000;

/** Without these the card has nothing to show: if the user cannot read them, the wire fails. */
const REQUIRED_FIELDS = [CALL_NAME_FIELD, AIRCALL_CALL_ID_FIELD];
/** Read when the user may: field-level security silently drops the ones they cannot see. */
const OPTIONAL_FIELDS = [
  DIRECTION_FIELD,
  CALL_TYPE_FIELD,
  STATUS_FIELD,
  MISSED_REASON_FIELD,
  STARTED_AT_FIELD,
  ANSWERED_AT_FIELD,
  ENDED_AT_FIELD,
  RING_SECONDS_FIELD,
  TALK_SECONDS_FIELD,
  TOTAL_SECONDS_FIELD,
  CUSTOMER_NUMBER_FIELD,
  AIRCALL_NUMBER_FIELD,
  AIRCALL_LINE_NAME_FIELD,
  AGENT_FIELD,
  AGENT_NAME_FIELD,
  ACCOUNT_FIELD,
  ACCOUNT_NAME_FIELD,
  CONTACT_FIELD,
  CONTACT_NAME_FIELD,
  LEAD_FIELD,
  LEAD_NAME_FIELD,
  VOICE_CALL_FIELD,
  VOICE_CALL_NAME_FIELD,
  RECORDING_URL_FIELD,
  VOICEMAIL_URL_FIELD,
  AIRCALL_LINK_FIELD,
  TAGS_FIELD,
  COMMENTS_FIELD,
  ASSIGNED_TO_FIELD,
  AI_SUMMARY_FIELD,
  AI_SENTIMENT_FIELD,
  AI_TOPICS_FIELD,
  AI_ACTION_ITEMS_FIELD,
  OUTSIDE_BUSINESS_HOURS_FIELD,
  LAST_EVENT_AT_FIELD,
];
/** The related list adapter takes `Object.Field` strings: built from the imported references. */
const RELATED_FIELDS = [
  CALL_NAME_FIELD,
  AIRCALL_CALL_ID_FIELD,
  STATUS_FIELD,
  DIRECTION_FIELD,
  CALL_TYPE_FIELD,
  STARTED_AT_FIELD,
  TALK_SECONDS_FIELD,
  CUSTOMER_NUMBER_FIELD,
  AGENT_NAME_FIELD,
].map(qualifiedName);

interface LinkedRecord {
  key: string;
  label: string;
  name: string;
  recordId: string;
}

interface RelatedCall {
  id: string;
  name: string;
  title: string;
  direction: string;
  callType: string;
  startedAt: string | null;
  talk: string;
  customerNumber: string;
  agent: string;
  directionIcon: string;
}

function ignore(): void {
  // Nothing to do: see the caller.
}

/** Reads a field (dotted path through relationships) from a UI API record. */
function read(record: RecordRepresentation | undefined, ref: FieldRef): unknown {
  let current: RecordRepresentation | undefined = record;
  const parts = ref.fieldApiName.split('.');
  for (let i = 0; i < parts.length; i++) {
    const field = current?.fields[parts[i] as string];
    if (!field) return undefined;
    if (i === parts.length - 1) return field.value;
    current = (field.value ?? undefined) as RecordRepresentation | undefined;
  }
  return undefined;
}

function text(record: RecordRepresentation | undefined, ref: FieldRef): string {
  const value = read(record, ref);
  return value === null || value === undefined ? '' : String(value);
}

/** Display value when the platform formats one (picklist labels), else the raw value. */
function label(record: RecordRepresentation | undefined, ref: FieldRef): string {
  const field = record?.fields[ref.fieldApiName];
  if (!field) return '';
  return field.displayValue ?? (field.value === null ? '' : String(field.value));
}

export default class AircallVoiceRecord extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  @api objectApiName?: string;
  /** Design attribute: how many calls the related view shows. */
  @api maxCalls = 10;

  call?: RecordRepresentation;
  callError?: unknown;
  relatedResult?: { data?: RelatedListRecordCollection; error?: unknown };
  parentInfo?: ObjectInfoRepresentation;
  parentInfoError?: unknown;

  private liveTimer?: ReturnType<typeof setInterval>;
  private liveInterval = 0;
  private liveSince = 0;
  private connected = false;
  private refreshHandlerId?: number;

  get isCallPage(): boolean {
    return this.objectApiName === AIRCALL_VOICE_OBJECT.objectApiName;
  }

  /** Undefined keeps the other mode's wire idle. */
  get callRecordId(): string | undefined {
    return this.isCallPage ? this.recordId : undefined;
  }

  get relatedParentId(): string | undefined {
    return this.isCallPage || !this.objectApiName ? undefined : this.recordId;
  }

  /** The page's object, read for the name of its Aircall calls relationship. */
  get relatedParentObject(): string | undefined {
    return this.relatedParentId ? this.objectApiName : undefined;
  }

  /**
   * The related list is the child relationship of one of the call's lookups (Aircall_Calls__r,
   * namespaced when the package is installed): read from the parent's object info, not spelled
   * out, so it follows the org's namespace like the imported fields do.
   */
  get relatedListId(): string | undefined {
    const lookups = PARENT_LOOKUPS.map((l) => l.fieldApiName);
    const relationship = this.parentInfo?.childRelationships?.find(
      (r) =>
        r.childObjectApiName === AIRCALL_VOICE_OBJECT.objectApiName &&
        lookups.includes(r.fieldName),
    );
    return relationship?.relationshipName ?? undefined;
  }

  /** Set when the page's object has no Aircall calls: the component was placed on the wrong page. */
  get unrelatedPageError(): Error | undefined {
    if (!this.parentInfo || this.relatedListId) return undefined;
    return new Error(
      `${this.parentInfo.label} records have no Aircall calls. Place this component on an Aircall Voice, Account, Contact, Lead or Voice Call page`,
    );
  }

  get pageSize(): number {
    return Math.min(Math.max(Math.trunc(Number(this.maxCalls)) || 10, 1), 50);
  }

  @wire(getRecord, {
    recordId: '$callRecordId',
    fields: REQUIRED_FIELDS,
    optionalFields: OPTIONAL_FIELDS,
  })
  wiredCall({ data, error }: { data?: RecordRepresentation; error?: unknown }): void {
    this.call = data;
    this.callError = error;
    this.followLiveCall();
  }

  @wire(getRelatedListRecords, {
    parentRecordId: '$relatedParentId',
    relatedListId: '$relatedListId',
    fields: RELATED_FIELDS,
    pageSize: '$pageSize',
  })
  wiredRelated(result: { data?: RelatedListRecordCollection; error?: unknown }): void {
    this.relatedResult = result;
    this.followLiveCall();
  }

  @wire(getObjectInfo, { objectApiName: '$relatedParentObject' })
  wiredParentInfo({ data, error }: { data?: ObjectInfoRepresentation; error?: unknown }): void {
    this.parentInfo = data;
    this.parentInfoError = error;
  }

  override connectedCallback(): void {
    this.connected = true;
    // Standard page refreshes (after an edit, a quick action) reach the component through this.
    this.refreshHandlerId = registerRefreshHandler(this, () => {
      this.handleRefresh();
      return true;
    });
    this.followLiveCall();
  }

  override disconnectedCallback(): void {
    this.connected = false;
    this.stopLiveRefresh();
    if (this.refreshHandlerId !== undefined) unregisterRefreshHandler(this.refreshHandlerId);
  }

  /** Whether a call is still going on: not Ended. A call whose status is unknown is not polled. */
  private static isLive(record: RecordRepresentation | undefined): boolean {
    const status = text(record, STATUS_FIELD);
    return status !== '' && status !== 'Ended';
  }

  /** Whether the page shows a live call (call page) or lists one (related view). */
  get showsLiveCall(): boolean {
    if (this.isCallPage) return AircallVoiceRecord.isLive(this.call);
    return (this.relatedResult?.data?.records ?? []).some((r) => AircallVoiceRecord.isLive(r));
  }

  /**
   * Starts the refresh timer while the page shows a live call, stops it once the call is final
   * (the next read brings Ended), the page is left, or the call has looked live for hours.
   */
  private followLiveCall(): void {
    if (!this.connected || !this.showsLiveCall) {
      this.stopLiveRefresh();
      return;
    }
    const interval = this.isCallPage ? LIVE_REFRESH_MS : RELATED_LIVE_REFRESH_MS;
    if (this.liveTimer !== undefined && this.liveInterval === interval) return;
    this.stopLiveRefresh();
    this.liveInterval = interval;
    this.liveSince = Date.now();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.liveTimer = setInterval(() => this.liveTick(), interval);
  }

  private liveTick(): void {
    if (Date.now() - this.liveSince > LIVE_MAX_MS) {
      this.stopLiveRefresh();
      return;
    }
    // A hidden tab reads nothing; the next tick after it shows again catches up.
    if (document.visibilityState === 'hidden') return;
    this.handleRefresh();
  }

  private stopLiveRefresh(): void {
    if (this.liveTimer !== undefined) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
    this.liveInterval = 0;
  }

  private reloadCall(): void {
    if (!this.recordId) return;
    // A failed reload leaves the wire's last value and error handling in charge.
    notifyRecordUpdateAvailable([{ recordId: this.recordId }]).catch(ignore);
  }

  private reloadRelated(): void {
    if (this.relatedResult) refreshApex(this.relatedResult).catch(ignore);
  }

  // ----- states -----

  get isLoading(): boolean {
    if (!this.recordId || !this.objectApiName) return false;
    if (this.isCallPage) return !this.call && !this.callError;
    return !this.relatedResult?.data && !this.error;
  }

  get error(): unknown {
    if (this.isCallPage) return this.callError;
    return this.parentInfoError ?? this.unrelatedPageError ?? this.relatedResult?.error;
  }

  get hasError(): boolean {
    return !!this.error;
  }

  get errorMessage(): string {
    if (isAccessError(this.error)) {
      return "You don't have access to Aircall Voice fields. Ask your admin for the Aircall Agent permission set.";
    }
    const details = reduceErrors(this.error).join(' ');
    return `The call could not be loaded${details ? `: ${details}` : ''}. Reload the page; if it keeps failing, send this message to your admin.`;
  }

  get noContext(): boolean {
    return !this.recordId || !this.objectApiName;
  }

  get showCall(): boolean {
    return this.isCallPage && !!this.call;
  }

  get showRelated(): boolean {
    return !this.isCallPage && !!this.relatedResult?.data;
  }

  // ----- call view -----

  get cardTitle(): string {
    if (!this.isCallPage) return 'Aircall calls';
    const name = text(this.call, CALL_NAME_FIELD);
    return name ? `Aircall call ${name}` : 'Aircall call';
  }

  get direction(): string {
    return label(this.call, DIRECTION_FIELD);
  }

  get directionIcon(): string {
    return text(this.call, DIRECTION_FIELD) === 'Outbound'
      ? 'utility:outbound_call'
      : 'utility:incoming_call';
  }

  get callType(): string {
    return label(this.call, CALL_TYPE_FIELD);
  }

  get status(): string {
    return label(this.call, STATUS_FIELD);
  }

  get missedReason(): string {
    const raw = text(this.call, MISSED_REASON_FIELD);
    return raw ? raw.replace(/_/g, ' ') : '';
  }

  get customerNumber(): string {
    return text(this.call, CUSTOMER_NUMBER_FIELD);
  }

  get aircallLine(): string {
    const name = text(this.call, AIRCALL_LINE_NAME_FIELD);
    const number = text(this.call, AIRCALL_NUMBER_FIELD);
    return [name, number].filter(Boolean).join(' · ');
  }

  get agentName(): string {
    return text(this.call, AGENT_NAME_FIELD);
  }

  get outsideBusinessHours(): boolean {
    return read(this.call, OUTSIDE_BUSINESS_HOURS_FIELD) === true;
  }

  get linkedRecords(): LinkedRecord[] {
    const links: [FieldRef, FieldRef, string][] = [
      [ACCOUNT_FIELD, ACCOUNT_NAME_FIELD, 'Account'],
      [CONTACT_FIELD, CONTACT_NAME_FIELD, 'Contact'],
      [LEAD_FIELD, LEAD_NAME_FIELD, 'Lead'],
      [VOICE_CALL_FIELD, VOICE_CALL_NAME_FIELD, 'Voice Call'],
    ];
    return links
      .map(([field, nameField, linkLabel]) => {
        const recordId = text(this.call, field);
        const name = text(this.call, nameField) || recordId;
        return { key: field.fieldApiName, label: linkLabel, name, recordId };
      })
      .filter((l) => l.recordId !== '');
  }

  get hasLinkedRecords(): boolean {
    return this.linkedRecords.length > 0;
  }

  get startedAt(): string | null {
    return (read(this.call, STARTED_AT_FIELD) as string | null | undefined) ?? null;
  }

  get answeredAt(): string | null {
    return (read(this.call, ANSWERED_AT_FIELD) as string | null | undefined) ?? null;
  }

  get endedAt(): string | null {
    return (read(this.call, ENDED_AT_FIELD) as string | null | undefined) ?? null;
  }

  get ringDuration(): string {
    return formatDuration(read(this.call, RING_SECONDS_FIELD));
  }

  get talkDuration(): string {
    return formatDuration(read(this.call, TALK_SECONDS_FIELD));
  }

  get totalDuration(): string {
    return formatDuration(read(this.call, TOTAL_SECONDS_FIELD));
  }

  get recordingUrl(): string {
    return text(this.call, RECORDING_URL_FIELD);
  }

  get voicemailUrl(): string {
    return text(this.call, VOICEMAIL_URL_FIELD);
  }

  get aircallLink(): string {
    return text(this.call, AIRCALL_LINK_FIELD);
  }

  get hasMedia(): boolean {
    return !!(this.recordingUrl || this.voicemailUrl);
  }

  get tags(): string[] {
    return splitList(read(this.call, TAGS_FIELD));
  }

  get hasTags(): boolean {
    return this.tags.length > 0;
  }

  /** Comments__c holds one comment per paragraph (author and time first), so blank lines split them. */
  get comments(): { key: string; text: string }[] {
    return text(this.call, COMMENTS_FIELD)
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean)
      .map((paragraph, i) => ({ key: `c${i}`, text: paragraph }));
  }

  get hasComments(): boolean {
    return this.comments.length > 0;
  }

  get assignedTo(): string {
    return label(this.call, ASSIGNED_TO_FIELD);
  }

  get aiSummary(): string {
    return text(this.call, AI_SUMMARY_FIELD);
  }

  get aiSentiment(): string {
    return label(this.call, AI_SENTIMENT_FIELD);
  }

  get aiTopics(): string[] {
    return splitList(read(this.call, AI_TOPICS_FIELD));
  }

  get aiActionItems(): { key: string; text: string }[] {
    return text(this.call, AI_ACTION_ITEMS_FIELD)
      .split('\n')
      .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
      .filter(Boolean)
      .map((line, i) => ({ key: `a${i}`, text: line }));
  }

  get hasAi(): boolean {
    return !!(
      this.aiSummary ||
      this.aiSentiment ||
      this.aiTopics.length ||
      this.aiActionItems.length
    );
  }

  get sentimentClass(): string {
    const tone: Record<string, string> = {
      Positive: 'slds-theme_success',
      Negative: 'slds-theme_error',
      Mixed: 'slds-theme_warning',
    };
    return `slds-badge ${tone[text(this.call, AI_SENTIMENT_FIELD)] ?? ''}`.trim();
  }

  // ----- related view -----

  get relatedCalls(): RelatedCall[] {
    const records = [...(this.relatedResult?.data?.records ?? [])];
    // Newest first: the related list API does not promise an order.
    records.sort((a, b) => text(b, STARTED_AT_FIELD).localeCompare(text(a, STARTED_AT_FIELD)));
    return records.map((r) => {
      const direction = label(r, DIRECTION_FIELD);
      const callType = label(r, CALL_TYPE_FIELD);
      return {
        id: r.id,
        name: text(r, CALL_NAME_FIELD),
        title: [direction, callType].filter(Boolean).join(' · ') || text(r, CALL_NAME_FIELD),
        direction,
        callType,
        startedAt: (read(r, STARTED_AT_FIELD) as string | null | undefined) ?? null,
        talk: formatDuration(read(r, TALK_SECONDS_FIELD)),
        customerNumber: text(r, CUSTOMER_NUMBER_FIELD),
        agent: text(r, AGENT_NAME_FIELD),
        directionIcon:
          text(r, DIRECTION_FIELD) === 'Outbound'
            ? 'utility:outbound_call'
            : 'utility:incoming_call',
      };
    });
  }

  get hasRelatedCalls(): boolean {
    return this.relatedCalls.length > 0;
  }

  get relatedCount(): number {
    return this.relatedResult?.data?.count ?? 0;
  }

  get moreCallsThanShown(): boolean {
    return this.relatedCount > this.relatedCalls.length;
  }

  // ----- actions -----

  handleNavigate(event: Event): void {
    event.preventDefault();
    const recordId = (event.currentTarget as HTMLElement).dataset.recordId;
    if (!recordId) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId, actionName: 'view' },
    });
  }

  handleRefresh(): void {
    if (this.isCallPage) this.reloadCall();
    else this.reloadRelated();
  }
}
