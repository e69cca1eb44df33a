import { LightningElement, api, wire } from 'lwc';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import type { RecordRepresentation } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import type { RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { formatDuration, isAccessError, reduceErrors, splitList } from 'c/aircallUtils';

const OBJECT = 'Aircall_Voice__c';
/** Child relationship of the Account__c, Contact__c, Lead__c and Voice_Call__c lookups. */
const RELATED_LIST_ID = 'Aircall_Calls__r';
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

const f = (name: string): string => `${OBJECT}.${name}`;
/** Without these the card has nothing to show: if the user cannot read them, the wire fails. */
const REQUIRED_FIELDS = [f('Name'), f('Aircall_Call_Id__c')];
/** Read when the user may: field-level security silently drops the ones they cannot see. */
const OPTIONAL_FIELDS = [
  'Direction__c',
  'Call_Type__c',
  'Status__c',
  'Missed_Reason__c',
  'Started_At__c',
  'Answered_At__c',
  'Ended_At__c',
  'Ring_Seconds__c',
  'Talk_Seconds__c',
  'Total_Seconds__c',
  'Customer_Number__c',
  'Aircall_Number__c',
  'Aircall_Line_Name__c',
  'Agent__c',
  'Agent__r.Name',
  'Account__c',
  'Account__r.Name',
  'Contact__c',
  'Contact__r.Name',
  'Lead__c',
  'Lead__r.Name',
  'Voice_Call__c',
  'Voice_Call__r.Name',
  'Recording_Url__c',
  'Voicemail_Url__c',
  'Aircall_Link__c',
  'Tags__c',
  'Comments__c',
  'Assigned_To__c',
  'AI_Summary__c',
  'AI_Sentiment__c',
  'AI_Topics__c',
  'AI_Action_Items__c',
  'Outside_Business_Hours__c',
  'Last_Event_At__c',
].map(f);
const RELATED_FIELDS = [
  'Name',
  'Aircall_Call_Id__c',
  'Status__c',
  'Direction__c',
  'Call_Type__c',
  'Started_At__c',
  'Talk_Seconds__c',
  'Customer_Number__c',
  'Agent__r.Name',
].map(f);

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
function read(record: RecordRepresentation | undefined, path: string): unknown {
  let current: RecordRepresentation | undefined = record;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const field = current?.fields[parts[i] as string];
    if (!field) return undefined;
    if (i === parts.length - 1) return field.value;
    current = (field.value ?? undefined) as RecordRepresentation | undefined;
  }
  return undefined;
}

function text(record: RecordRepresentation | undefined, path: string): string {
  const value = read(record, path);
  return value === null || value === undefined ? '' : String(value);
}

/** Display value when the platform formats one (picklist labels), else the raw value. */
function label(record: RecordRepresentation | undefined, name: string): string {
  const field = record?.fields[name];
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

  private liveTimer?: ReturnType<typeof setInterval>;
  private liveInterval = 0;
  private liveSince = 0;
  private connected = false;
  private refreshHandlerId?: number;

  get isCallPage(): boolean {
    return this.objectApiName === OBJECT;
  }

  /** Undefined keeps the other mode's wire idle. */
  get callRecordId(): string | undefined {
    return this.isCallPage ? this.recordId : undefined;
  }

  get relatedParentId(): string | undefined {
    return this.isCallPage || !this.objectApiName ? undefined : this.recordId;
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
    relatedListId: RELATED_LIST_ID,
    fields: RELATED_FIELDS,
    pageSize: '$pageSize',
  })
  wiredRelated(result: { data?: RelatedListRecordCollection; error?: unknown }): void {
    this.relatedResult = result;
    this.followLiveCall();
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
    const status = text(record, 'Status__c');
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
    return !this.relatedResult?.data && !this.relatedResult?.error;
  }

  get error(): unknown {
    return this.isCallPage ? this.callError : this.relatedResult?.error;
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
    const name = text(this.call, 'Name');
    return name ? `Aircall call ${name}` : 'Aircall call';
  }

  get direction(): string {
    return label(this.call, 'Direction__c');
  }

  get directionIcon(): string {
    return text(this.call, 'Direction__c') === 'Outbound'
      ? 'utility:outbound_call'
      : 'utility:incoming_call';
  }

  get callType(): string {
    return label(this.call, 'Call_Type__c');
  }

  get status(): string {
    return label(this.call, 'Status__c');
  }

  get missedReason(): string {
    const raw = text(this.call, 'Missed_Reason__c');
    return raw ? raw.replace(/_/g, ' ') : '';
  }

  get customerNumber(): string {
    return text(this.call, 'Customer_Number__c');
  }

  get aircallLine(): string {
    const name = text(this.call, 'Aircall_Line_Name__c');
    const number = text(this.call, 'Aircall_Number__c');
    return [name, number].filter(Boolean).join(' · ');
  }

  get agentName(): string {
    return text(this.call, 'Agent__r.Name');
  }

  get outsideBusinessHours(): boolean {
    return read(this.call, 'Outside_Business_Hours__c') === true;
  }

  get linkedRecords(): LinkedRecord[] {
    const links: [string, string][] = [
      ['Account__c', 'Account'],
      ['Contact__c', 'Contact'],
      ['Lead__c', 'Lead'],
      ['Voice_Call__c', 'Voice Call'],
    ];
    return links
      .map(([field, linkLabel]) => {
        const recordId = text(this.call, field);
        const name = text(this.call, `${field.replace(/__c$/, '__r')}.Name`) || recordId;
        return { key: field, label: linkLabel, name, recordId };
      })
      .filter((l) => l.recordId !== '');
  }

  get hasLinkedRecords(): boolean {
    return this.linkedRecords.length > 0;
  }

  get startedAt(): string | null {
    return (read(this.call, 'Started_At__c') as string | null | undefined) ?? null;
  }

  get answeredAt(): string | null {
    return (read(this.call, 'Answered_At__c') as string | null | undefined) ?? null;
  }

  get endedAt(): string | null {
    return (read(this.call, 'Ended_At__c') as string | null | undefined) ?? null;
  }

  get ringDuration(): string {
    return formatDuration(read(this.call, 'Ring_Seconds__c'));
  }

  get talkDuration(): string {
    return formatDuration(read(this.call, 'Talk_Seconds__c'));
  }

  get totalDuration(): string {
    return formatDuration(read(this.call, 'Total_Seconds__c'));
  }

  get recordingUrl(): string {
    return text(this.call, 'Recording_Url__c');
  }

  get voicemailUrl(): string {
    return text(this.call, 'Voicemail_Url__c');
  }

  get aircallLink(): string {
    return text(this.call, 'Aircall_Link__c');
  }

  get hasMedia(): boolean {
    return !!(this.recordingUrl || this.voicemailUrl);
  }

  get tags(): string[] {
    return splitList(read(this.call, 'Tags__c'));
  }

  get hasTags(): boolean {
    return this.tags.length > 0;
  }

  /** Comments__c holds one comment per paragraph (author and time first), so blank lines split them. */
  get comments(): { key: string; text: string }[] {
    return text(this.call, 'Comments__c')
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean)
      .map((paragraph, i) => ({ key: `c${i}`, text: paragraph }));
  }

  get hasComments(): boolean {
    return this.comments.length > 0;
  }

  get assignedTo(): string {
    return label(this.call, 'Assigned_To__c');
  }

  get aiSummary(): string {
    return text(this.call, 'AI_Summary__c');
  }

  get aiSentiment(): string {
    return label(this.call, 'AI_Sentiment__c');
  }

  get aiTopics(): string[] {
    return splitList(read(this.call, 'AI_Topics__c'));
  }

  get aiActionItems(): { key: string; text: string }[] {
    return text(this.call, 'AI_Action_Items__c')
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
    return `slds-badge ${tone[text(this.call, 'AI_Sentiment__c')] ?? ''}`.trim();
  }

  // ----- related view -----

  get relatedCalls(): RelatedCall[] {
    const records = [...(this.relatedResult?.data?.records ?? [])];
    // Newest first: the related list API does not promise an order.
    records.sort((a, b) => text(b, 'Started_At__c').localeCompare(text(a, 'Started_At__c')));
    return records.map((r) => {
      const direction = label(r, 'Direction__c');
      const callType = label(r, 'Call_Type__c');
      return {
        id: r.id,
        name: text(r, 'Name'),
        title: [direction, callType].filter(Boolean).join(' · ') || text(r, 'Name'),
        direction,
        callType,
        startedAt: (read(r, 'Started_At__c') as string | null | undefined) ?? null,
        talk: formatDuration(read(r, 'Talk_Seconds__c')),
        customerNumber: text(r, 'Customer_Number__c'),
        agent: text(r, 'Agent__r.Name'),
        directionIcon:
          text(r, 'Direction__c') === 'Outbound'
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
