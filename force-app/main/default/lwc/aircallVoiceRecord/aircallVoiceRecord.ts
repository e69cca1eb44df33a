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
  EMPTY,
  formatDuration,
  formatLabel,
  humanize,
  isAccessError,
  personName,
  qualifiedName,
  reduceErrors,
  sameRecordId,
  secondsSince,
  splitList,
  stateStyle,
} from 'c/aircallUtils';
import type { FieldRef } from 'c/aircallUtils';
import L_REFRESH from '@salesforce/label/c.Aircall_Refresh';
import L_LOADING from '@salesforce/label/c.Aircall_Record_Loading';
import L_NOCONTEXT from '@salesforce/label/c.Aircall_Record_No_Context';
import L_CALLDETAILS from '@salesforce/label/c.Aircall_Record_Call_Details';
import L_UNKNOWNCALLER from '@salesforce/label/c.Aircall_Record_Unknown_Caller';
import L_RECORDNUMBER from '@salesforce/label/c.Aircall_Record_Number';
import L_RELATEDTITLE from '@salesforce/label/c.Aircall_Related_Title';
import L_RELATEDTITLECOUNT from '@salesforce/label/c.Aircall_Related_Title_Count';
import L_ACCESSERROR from '@salesforce/label/c.Aircall_Record_Access_Error';
import L_LOADERROR from '@salesforce/label/c.Aircall_Record_Load_Error';
import L_WRONGPAGE from '@salesforce/label/c.Aircall_Related_Wrong_Page';
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
import L_CALLFROM from '@salesforce/label/c.Aircall_Related_Call_From';
import L_CALLTO from '@salesforce/label/c.Aircall_Related_Call_To';
import L_INCOMING from '@salesforce/label/c.Aircall_Related_Incoming';
import L_OUTGOING from '@salesforce/label/c.Aircall_Related_Outgoing';
import L_SHOWING from '@salesforce/label/c.Aircall_Related_Showing';
import L_VIEWALL from '@salesforce/label/c.Aircall_Related_View_All';
import L_RELATEDEMPTY from '@salesforce/label/c.Aircall_Related_Empty';
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
import CASE_FIELD from '@salesforce/schema/Aircall_Voice__c.Case__c';
import CASE_NUMBER_FIELD from '@salesforce/schema/Aircall_Voice__c.Case__r.CaseNumber';
import OPPORTUNITY_FIELD from '@salesforce/schema/Aircall_Voice__c.Opportunity__c';
import OPPORTUNITY_NAME_FIELD from '@salesforce/schema/Aircall_Voice__c.Opportunity__r.Name';
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
import TRANSCRIPT_FIELD from '@salesforce/schema/Aircall_Voice__c.Transcript__c';
import CALL_JOURNEY_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Journey__c';
import CALL_PATH_FIELD from '@salesforce/schema/Aircall_Voice__c.Call_Path__c';
import HOLD_COUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Hold_Count__c';
import HOLD_SECONDS_FIELD from '@salesforce/schema/Aircall_Voice__c.Hold_Seconds__c';
import TRANSFER_COUNT_FIELD from '@salesforce/schema/Aircall_Voice__c.Transfer_Count__c';

/** The lookups whose child relationship (Aircall_Calls__r) is the related list on each parent page. */
const PARENT_LOOKUPS = [
  ACCOUNT_FIELD,
  CONTACT_FIELD,
  LEAD_FIELD,
  VOICE_CALL_FIELD,
  CASE_FIELD,
  OPPORTUNITY_FIELD,
];
/**
 * Live refresh: while the call on screen is live (not Ended), the page re-reads its own record
 * through Lightning Data Service this often; it stops as soon as the call is final. No streaming
 * subscription, so a page costs no event delivery and no streaming client (docs/PLATFORM.md §5).
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
  CASE_FIELD,
  CASE_NUMBER_FIELD,
  OPPORTUNITY_FIELD,
  OPPORTUNITY_NAME_FIELD,
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
  TRANSCRIPT_FIELD,
  CALL_JOURNEY_FIELD,
  CALL_PATH_FIELD,
  HOLD_COUNT_FIELD,
  HOLD_SECONDS_FIELD,
  TRANSFER_COUNT_FIELD,
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
  TOTAL_SECONDS_FIELD,
  CUSTOMER_NUMBER_FIELD,
  AGENT_NAME_FIELD,
  CONTACT_FIELD,
  CONTACT_NAME_FIELD,
  LEAD_FIELD,
  LEAD_NAME_FIELD,
  ACCOUNT_FIELD,
  ACCOUNT_NAME_FIELD,
].map(qualifiedName);

/** UI text: Custom Labels, so a subscriber org can translate it (English and Spanish ship). */
const LABELS = {
  refresh: L_REFRESH,
  loading: L_LOADING,
  noContext: L_NOCONTEXT,
  callDetails: L_CALLDETAILS,
  unknownCaller: L_UNKNOWNCALLER,
  recordNumber: L_RECORDNUMBER,
  relatedTitle: L_RELATEDTITLE,
  relatedTitleCount: L_RELATEDTITLECOUNT,
  accessError: L_ACCESSERROR,
  loadError: L_LOADERROR,
  wrongPage: L_WRONGPAGE,
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
  callFrom: L_CALLFROM,
  callTo: L_CALLTO,
  incoming: L_INCOMING,
  outgoing: L_OUTGOING,
  showing: L_SHOWING,
  viewAll: L_VIEWALL,
  relatedEmpty: L_RELATEDEMPTY,
  empty: EMPTY,
};

interface LinkedRecord {
  key: string;
  label: string;
  name: string;
  recordId: string;
}

interface RelatedCall {
  id: string;
  /** Who the call was with (the page's own person: the direction instead). */
  person: string;
  /** "Call from +1 415…", for screen readers: the link says whose call and which number. */
  title: string;
  outcome: string;
  outcomeClass: string;
  duration: string;
  icon: string;
  iconClass: string;
  startedAt: string | null;
  agent: string;
  callBackHref: string;
  callBackName: string;
}

export interface Comment {
  key: string;
  author: string;
  /** ISO date-time (UTC) when the comment carries one. */
  at: string | null;
  text: string;
}

/** Calls the agent may want to return: nobody spoke to the customer. */
const CALL_BACK_TYPES = new Set(['Missed', 'Abandoned', 'Voicemail']);

const COMMENT_WITH_TIME =
  /^(.{1,80}?), (\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?: ?(?:UTC|Z))?: ([\s\S]*)$/;
const COMMENT_BY = /^([^:\n]{1,80}): ([\s\S]*)$/;

/**
 * Comments__c: one comment per line as the connector writes them (`Author: text`), or one per
 * paragraph with a time (`Author, 2026-09-28 13:45 UTC: text`), whose time is then shown in the
 * user's locale and time zone like every other time of the card.
 */
export function parseComments(value: string): Comment[] {
  const parts = /\n\s*\n/.test(value) ? value.split(/\n\s*\n/) : value.split('\n');
  return parts
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, i) => {
      const timed = COMMENT_WITH_TIME.exec(part);
      if (timed) {
        return {
          key: `c${i}`,
          author: timed[1] ?? '',
          at: `${timed[2] ?? ''}T${timed[3] ?? ''}${timed[4] ?? ':00'}.000Z`,
          text: (timed[5] ?? '').trim(),
        };
      }
      const by = COMMENT_BY.exec(part);
      if (by && !/^https?$/i.test(by[1] ?? '')) {
        return { key: `c${i}`, author: by[1] ?? '', at: null, text: (by[2] ?? '').trim() };
      }
      return { key: `c${i}`, author: '', at: null, text: part };
    });
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

  /** Now, ticking every second while a live call is shown: its ring, talk and total run. */
  now = Date.now();
  private clockTimer?: ReturnType<typeof setInterval>;
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
    return new Error(formatLabel(LABELS.wrongPage, this.parentInfo.label));
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
    this.startClock();
    const interval = this.isCallPage ? LIVE_REFRESH_MS : RELATED_LIVE_REFRESH_MS;
    if (this.liveTimer !== undefined && this.liveInterval === interval) return;
    if (this.liveTimer !== undefined) clearInterval(this.liveTimer);
    this.liveInterval = interval;
    this.liveSince = Date.now();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.liveTimer = setInterval(() => this.liveTick(), interval);
  }

  /** The second hand of the live durations (the page only re-renders, it reads nothing). */
  private startClock(): void {
    if (this.clockTimer !== undefined) return;
    this.now = Date.now();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.clockTimer = setInterval(() => {
      this.now = Date.now();
    }, 1000);
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
    if (this.clockTimer !== undefined) clearInterval(this.clockTimer);
    this.clockTimer = undefined;
    this.now = Date.now();
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

  labels = LABELS;

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
    if (isAccessError(this.error)) return LABELS.accessError;
    return formatLabel(LABELS.loadError, reduceErrors(this.error).join(' ')).trim();
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

  /** Who the call was with: the linked person or company, else the number; the record number last. */
  get person(): string {
    for (const [field, nameField] of [
      [CONTACT_FIELD, CONTACT_NAME_FIELD],
      [LEAD_FIELD, LEAD_NAME_FIELD],
      [ACCOUNT_FIELD, ACCOUNT_NAME_FIELD],
    ] as const) {
      if (text(this.call, field)) {
        const name = text(this.call, nameField);
        if (name) return name;
      }
    }
    return this.customerNumber || LABELS.unknownCaller;
  }

  get cardTitle(): string {
    if (!this.isCallPage) {
      const count = this.relatedResult?.data?.count;
      return count === undefined
        ? LABELS.relatedTitle
        : formatLabel(LABELS.relatedTitleCount, String(count));
    }
    return this.call ? this.person : LABELS.callDetails;
  }

  /** The call page is titled by the person and when the call started. */
  get titleTime(): string | null {
    return this.isCallPage ? this.startedAt : null;
  }

  get recordNumber(): string {
    const name = text(this.call, CALL_NAME_FIELD);
    return name ? formatLabel(LABELS.recordNumber, name) : '';
  }

  get isLive(): boolean {
    return AircallVoiceRecord.isLive(this.call);
  }

  /** Answered, Missed, Voicemail…; while the call is going on, its status (Ringing, In Progress). */
  get outcomeLabel(): string {
    if (this.isLive) return label(this.call, STATUS_FIELD) || LABELS.live;
    return label(this.call, CALL_TYPE_FIELD) || label(this.call, STATUS_FIELD) || EMPTY;
  }

  private get outcomeStyle(): { badge: string; icon: string } {
    return stateStyle(text(this.call, STATUS_FIELD), text(this.call, CALL_TYPE_FIELD));
  }

  get outcomeClass(): string {
    return `outcome ${this.outcomeStyle.badge}`;
  }

  get outcomeIcon(): string {
    return this.outcomeStyle.icon;
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
    return label(this.call, CALL_TYPE_FIELD) || EMPTY;
  }

  get status(): string {
    return label(this.call, STATUS_FIELD) || EMPTY;
  }

  /** The picklist label the platform gives ("No available agent"), not the stored code. */
  get missedReason(): string {
    const field = this.call?.fields[MISSED_REASON_FIELD.fieldApiName];
    if (!field || field.value === null || field.value === '') return '';
    const shown = field.displayValue;
    return shown && shown !== field.value ? shown : humanize(String(field.value));
  }

  get showCallBack(): boolean {
    return (
      !this.isLive && !!this.customerNumber && CALL_BACK_TYPES.has(text(this.call, CALL_TYPE_FIELD))
    );
  }

  /** A tel: link: Aircall's desktop and web apps answer it (click-to-call). */
  get callBackHref(): string {
    return `tel:${this.customerNumber.replace(/[^\d+]/g, '')}`;
  }

  get callBackName(): string {
    return formatLabel(LABELS.callBackName, this.person);
  }

  get customerNumber(): string {
    return text(this.call, CUSTOMER_NUMBER_FIELD);
  }

  get aircallLine(): string {
    const name = text(this.call, AIRCALL_LINE_NAME_FIELD);
    const number = text(this.call, AIRCALL_NUMBER_FIELD);
    return [name, number].filter(Boolean).join(' · ') || EMPTY;
  }

  get agentName(): string {
    return text(this.call, AGENT_NAME_FIELD) || LABELS.unassigned;
  }

  /** Assigned to someone other than the agent: shown apart; else it would only repeat the agent. */
  get showAssignedTo(): boolean {
    const assigned = this.assignedTo;
    return assigned !== '' && assigned !== text(this.call, AGENT_NAME_FIELD);
  }

  get outsideBusinessHours(): boolean {
    return read(this.call, OUTSIDE_BUSINESS_HOURS_FIELD) === true;
  }

  get linkedRecords(): LinkedRecord[] {
    const links: [FieldRef, FieldRef, string][] = [
      [CONTACT_FIELD, CONTACT_NAME_FIELD, LABELS.contact],
      [LEAD_FIELD, LEAD_NAME_FIELD, LABELS.lead],
      [ACCOUNT_FIELD, ACCOUNT_NAME_FIELD, LABELS.account],
      [CASE_FIELD, CASE_NUMBER_FIELD, LABELS.case],
      [OPPORTUNITY_FIELD, OPPORTUNITY_NAME_FIELD, LABELS.opportunity],
      [VOICE_CALL_FIELD, VOICE_CALL_NAME_FIELD, LABELS.voiceCall],
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

  /** While the call is live, the durations run from its times; once it ended, the stored ones. */
  get ringDuration(): string {
    if (!this.isLive) return formatDuration(read(this.call, RING_SECONDS_FIELD));
    const answered = this.answeredAt;
    const started = this.startedAt;
    if (!answered) return formatDuration(secondsSince(started, this.now));
    return formatDuration(secondsSince(started, Date.parse(answered)));
  }

  get talkDuration(): string {
    if (!this.isLive) return formatDuration(read(this.call, TALK_SECONDS_FIELD));
    return formatDuration(secondsSince(this.answeredAt, this.now));
  }

  get totalDuration(): string {
    if (!this.isLive) return formatDuration(read(this.call, TOTAL_SECONDS_FIELD));
    return formatDuration(secondsSince(this.startedAt, this.now));
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

  get comments(): Comment[] {
    return parseComments(text(this.call, COMMENTS_FIELD));
  }

  get hasComments(): boolean {
    return this.comments.length > 0;
  }

  /** The person's name ("Ana Diaz"), not Aircall's "Ana Diaz <ana@example.com>". */
  get assignedTo(): string {
    return personName(label(this.call, ASSIGNED_TO_FIELD));
  }

  get aiSummary(): string {
    return text(this.call, AI_SUMMARY_FIELD);
  }

  /** The conversation (c-aircall-transcript) and the journey (c-aircall-journey) of the call. */
  get transcript(): string {
    return text(this.call, TRANSCRIPT_FIELD);
  }

  get journey(): string {
    return text(this.call, CALL_JOURNEY_FIELD);
  }

  get callPath(): string {
    return text(this.call, CALL_PATH_FIELD);
  }

  get holdCount(): number {
    return Number(read(this.call, HOLD_COUNT_FIELD) ?? 0);
  }

  get holdSeconds(): number {
    return Number(read(this.call, HOLD_SECONDS_FIELD) ?? 0);
  }

  get transferCount(): number {
    return Number(read(this.call, TRANSFER_COUNT_FIELD) ?? 0);
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

  /**
   * Each row reads person first, "Léa Garnier · Missed · 0:03 · 11:01 PM GMT+1": the contact (or
   * lead, or account) the call was with — on that person's own page, the call's direction — then
   * the outcome, how long it lasted (running while live) and when. Missed calls offer a call-back.
   */
  get relatedCalls(): RelatedCall[] {
    const records = [...(this.relatedResult?.data?.records ?? [])];
    // Newest first: the related list API does not promise an order.
    records.sort((a, b) => text(b, STARTED_AT_FIELD).localeCompare(text(a, STARTED_AT_FIELD)));
    return records.map((r) => {
      const outbound = text(r, DIRECTION_FIELD) === 'Outbound';
      const number = text(r, CUSTOMER_NUMBER_FIELD);
      const live = AircallVoiceRecord.isLive(r);
      const type = text(r, CALL_TYPE_FIELD);
      const missed = !live && CALL_BACK_TYPES.has(type);
      const person = this.relatedPerson(r) || (outbound ? LABELS.outgoing : LABELS.incoming);
      const talk = read(r, TALK_SECONDS_FIELD);
      const seconds = live
        ? secondsSince(read(r, STARTED_AT_FIELD), this.now)
        : typeof talk === 'number' && talk > 0
          ? talk
          : read(r, TOTAL_SECONDS_FIELD);
      return {
        id: r.id,
        person,
        title: formatLabel(
          outbound ? LABELS.callTo : LABELS.callFrom,
          number || LABELS.unknownCaller,
        ),
        outcome:
          (live ? label(r, STATUS_FIELD) : label(r, CALL_TYPE_FIELD)) || text(r, CALL_NAME_FIELD),
        outcomeClass: stateStyle(text(r, STATUS_FIELD), type).badge,
        duration: formatDuration(seconds),
        icon: missed
          ? 'utility:missed_call'
          : outbound
            ? 'utility:outbound_call'
            : 'utility:incoming_call',
        iconClass: missed ? 'icon-missed' : outbound ? 'icon-outbound' : 'icon-inbound',
        startedAt: (read(r, STARTED_AT_FIELD) as string | null | undefined) ?? null,
        agent: text(r, AGENT_NAME_FIELD),
        callBackHref: missed && number ? `tel:${number.replace(/[^\d+]/g, '')}` : '',
        callBackName: formatLabel(LABELS.callBackName, person),
      };
    });
  }

  /** The person of a listed call, unless it is the page's own record (then ''). */
  private relatedPerson(r: RecordRepresentation): string {
    for (const [field, nameField] of [
      [CONTACT_FIELD, CONTACT_NAME_FIELD],
      [LEAD_FIELD, LEAD_NAME_FIELD],
      [ACCOUNT_FIELD, ACCOUNT_NAME_FIELD],
    ] as const) {
      const id = text(r, field);
      if (!id) continue;
      if (sameRecordId(id, this.recordId)) return '';
      const name = text(r, nameField);
      if (name) return name;
    }
    const number = text(r, CUSTOMER_NUMBER_FIELD);
    return number || LABELS.unknownCaller;
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

  get showingText(): string {
    return formatLabel(LABELS.showing, String(this.relatedCalls.length), String(this.relatedCount));
  }

  get viewAllText(): string {
    return formatLabel(LABELS.viewAll, String(this.relatedCount));
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

  /** The standard related list page of the record (every call, sortable, with list actions). */
  handleViewAll(event: Event): void {
    event.preventDefault();
    if (!this.recordId || !this.relatedListId) return;
    this[NavigationMixin.Navigate]({
      type: 'standard__recordRelationshipPage',
      attributes: {
        recordId: this.recordId,
        objectApiName: this.objectApiName,
        relationshipApiName: this.relatedListId,
        actionName: 'view',
      },
    });
  }

  handleRefresh(): void {
    if (this.isCallPage) this.reloadCall();
    else this.reloadRelated();
  }
}
