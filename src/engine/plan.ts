/**
 * The contract between the rules engine (pure, no I/O) and the connector's unit of work.
 *
 * The engine receives a batch of Aircall calls (every event known so far for each call touched by
 * the batch, plus what has already been written to Salesforce for it) and returns ONE plan for the
 * whole batch. The connector executes a plan in this order:
 *
 *   1. `writes` for Lead / Contact / Account (records created for unknown numbers), one sObject
 *      Collections upsert per object per <=200 records, keyed by `Aircall_Phone_Key__c`;
 *   2. `telephony` ops of kind `create` (POST /voiceCalls) -> yields VoiceCall ids;
 *   3. `writes` for Aircall_Voice__c, upsert keyed by `Aircall_Call_Id__c`; the connector fills
 *      `Voice_Call__c` from the VoiceCall id it knows (sync state or step 2);
 *   4. `telephony` ops of kind `update` (PATCH /voiceCalls/{vendorCallKey}); when `linkAircallVoice`
 *      is true the connector adds `{"Aircall_Voice__c": <id>}` to `callAttributes`;
 *   5. `platformEvents`, one publish (collection create) per event type per batch;
 *   6. `aircallContacts` (save to phone) through the Aircall REST API.
 *
 * After all of it succeeds the connector stores `sync` as each call's new CallSyncState.
 */

import type { CallCategory, PhoneEvent } from './types';

export type CrmObject = 'Lead' | 'Contact' | 'Account';
/**
 * What this product creates for an unknown number: a Lead, Contact or business Account, or a
 * Person Account (an Account of a person record type, with its person contact).
 */
export type CreatedObject = CrmObject | 'PersonAccount';
export type WritableObject = CrmObject | 'Aircall_Voice__c' | 'Case';

/** External id fields used by the upserts (so replays and crashes never duplicate). */
export const EXTERNAL_ID: Record<WritableObject, string> = {
  Aircall_Voice__c: 'Aircall_Call_Id__c',
  Lead: 'Aircall_Phone_Key__c',
  Contact: 'Aircall_Phone_Key__c',
  Account: 'Aircall_Phone_Key__c',
  Case: 'Aircall_Call_Id__c',
};

/**
 * A Person Account is upserted by its person contact's key: a custom Contact field is on a person
 * account as `…__pc` (Change Data Capture Developer Guide, "Creating and Undeleting a Person
 * Account": "the contact custom field ends with the `__pc` suffix"), so `Contact.Aircall_Phone_Key__c`
 * is `Account.Aircall_Phone_Key__pc`. Business Accounts keep `Account.Aircall_Phone_Key__c`, so
 * the two kinds never answer for each other's key; the person contact is found by its own key.
 */
export const PERSON_ACCOUNT_KEY = 'Aircall_Phone_Key__pc';

/** The field a record created for an unknown number is upserted (and referenced) by. */
export function createdKeyField(object: CreatedObject): string {
  return object === 'PersonAccount' ? PERSON_ACCOUNT_KEY : EXTERNAL_ID[object];
}

/** How a created record is named for people: `Person Account`, `Lead`. */
export function createdLabel(object: CreatedObject): string {
  return object === 'PersonAccount' ? 'Person Account' : object;
}

/** The sObject a created record is written as (a Person Account is an Account). */
export function createdSObject(object: CreatedObject): CrmObject {
  return object === 'PersonAccount' ? 'Account' : object;
}

/** The created record a write is: a Person Account when it is keyed by the person contact's key. */
export function createdObjectOf(write: RecordWrite): CreatedObject | null {
  if (write.sobject === 'Aircall_Voice__c' || write.sobject === 'Case') return null;
  return write.externalIdField === PERSON_ACCOUNT_KEY ? 'PersonAccount' : write.sobject;
}

/** The external id field of a write: its own, else the one of its object. */
export function externalIdOf(write: RecordWrite): string {
  return write.externalIdField ?? EXTERNAL_ID[write.sobject];
}

/** Field values for an sObject write. A relationship to a record that is itself being upserted by
 * external id in the same plan is written the Salesforce way: `Lead__r: { Aircall_Phone_Key__c: '+33…' }`. */
export type SObjectFields = Record<
  string,
  string | number | boolean | null | Record<string, string>
>;

export interface RecordWrite {
  sobject: WritableObject;
  /** The field named by `externalIdField`, else EXTERNAL_ID[sobject], is always set in `fields`. */
  fields: SObjectFields;
  /** The upsert key when it is not EXTERNAL_ID[sobject]: a Person Account's `Aircall_Phone_Key__pc`. */
  externalIdField?: string;
  /** Aircall call id this write belongs to (for Aircall_Voice__c; for a created CRM record, the call that caused it). */
  callId: string;
  /**
   * For a Case: whether the org's active assignment rules run on this write (the REST API's
   * `Sforce-Auto-Assign` header). True only for a Case being created with no owner chosen; a
   * Case's later updates and a Case with a chosen owner send FALSE (the header's default is TRUE).
   */
  assignmentRules?: boolean;
}

/** Body of POST /telephony/v1/voiceCalls (Service Cloud Voice Telephony Integration API). */
export interface TelephonyCreateBody {
  callCenterApiName: string;
  vendorCallKey: string;
  to: string;
  from: string;
  initiationMethod: 'Inbound' | 'Transfer';
  startTime: string; // ISO 8601
  participants: { participantKey: string; type: 'END_USER' }[];
  callAttributes?: string; // JSON string of VoiceCall fields
}

/** Body of PATCH /telephony/v1/voiceCalls/{vendorCallKey}. */
export interface TelephonyUpdateBody {
  startTime?: string;
  endTime?: string;
  acceptTime?: string;
  enqueueTime?: string;
  fromNumber?: string;
  agent?: string;
  agentInteractionDuration?: number;
  totalHoldDuration?: number;
  longestHoldDuration?: number;
  numberOfHolds?: number;
  recordingLocation?: string;
  totalRecordingDuration?: number;
  isActiveCall?: boolean;
  disconnectReason?: { value: string; isError: boolean };
  callAttributes?: string; // JSON string; the connector merges Aircall_Voice__c into it
  // Fields only used when the PATCH creates the VoiceCall of an ended call (outbound, missed, invalid):
  callType?: 'Inbound' | 'Outbound';
  toNumber?: string;
  callCenterApiName?: string;
}

/**
 * One utterance for "Create Transcripts in Bulk" (`POST /telephony/v1/voiceCalls/messages`, Salesforce
 * Voice with Telephony Providers Implementation Guide): times in milliseconds since the epoch;
 * `participantId` is `{vendorCallKey}END_USER` for the customer, the rep's User id (005…) for
 * HUMAN_AGENT, `{vendorCallKey}VIRTUAL_AGENT` for a rep with no Salesforce user.
 */
export interface TranscriptMessage {
  messageId: string;
  participantId: string;
  senderType: 'END_USER' | 'HUMAN_AGENT' | 'VIRTUAL_AGENT';
  startTime: number;
  endTime: number;
  content: string;
}

export type TelephonyOp =
  | { kind: 'create'; callId: string; vendorCallKey: string; body: TelephonyCreateBody }
  | {
      /** The call's transcript, sent once after the VoiceCall is complete (the connector packs
       * several calls' messages into each request, within the endpoint's limits). */
      kind: 'transcript';
      callId: string;
      vendorCallKey: string;
      /** Which transcript (so a new transcription of the call is sent, the same one never twice). */
      transcriptKey: string;
      messages: TranscriptMessage[];
    }
  | {
      kind: 'update';
      callId: string;
      vendorCallKey: string;
      body: TelephonyUpdateBody;
      /** Add the Aircall Voice id to callAttributes (VoiceCall.Aircall_Voice__c). */
      linkAircallVoice: boolean;
      /**
       * The Case the VoiceCall's related record (RelatedRecordId, in callAttributes) points to: an
       * open Case's Id, or `created` for the Case this plan or an earlier one created for the call
       * (its Id is known once its upsert answered, or from the sync state).
       */
      relatedCase?: string;
    };

/**
 * A Task write (Activity timeline). Tasks cannot be upserted by an external id, so the connector
 * updates a Task whose id it knows, looks one up when a create's answer may have been lost, and
 * creates it otherwise (src/connector/tasks.ts). A Task the org refuses never fails its call.
 */
export interface TaskWrite {
  /** The call this write belongs to; a refused write is this call's Task dead letter. */
  callId: string;
  /**
   * `call`: the call's completed Task (`CallObject` = the call id); `follow-up`: the open Task a
   * call type's "Log + open follow-up Task" asks for (`Aircall_Follow_Up_For__c` = the call id);
   * `close-follow-up`: closes the follow-up Task of another call (`followUpOf`), called back.
   */
  kind: 'call' | 'follow-up' | 'close-follow-up';
  /** Fields sent on create and on update. */
  fields: SObjectFields;
  /** Fields sent only when the Task is created (TaskSubtype cannot be updated). */
  createOnly: SObjectFields;
  /** close-follow-up: the call whose follow-up Task is closed, and that Task's id when known. */
  followUpOf?: string;
  taskId?: string | null;
  /** follow-up create: what the connector remembers to close it when the number is called back. */
  opens?: { e164: string | null; category: CallCategory; openedAt: number };
}

export interface VoiceUpdateEvent {
  sobject: 'Aircall_Voice_Update__e';
  callId: string;
  /** What changed, e.g. "created", "ended", "tagged", "ai". */
  change: string;
}

export interface AgentStatusEvent {
  sobject: 'Aircall_Agent_Status__e';
  userId: string; // Salesforce User Id
  omniStatus: string; // ServicePresenceStatus DeveloperName
  /** The phone-side state the status comes from (Phone_Event__c; also the agent's Aircall_Agent_State__c). */
  phoneEvent: PhoneEvent;
  /** Prose for people (support, an admin's flow): no reader parses it. */
  reason: string;
  /** The call a Ringing / In Call status is for (Call_Id__c; also used to skip repeats). */
  callId?: string;
  /**
   * Who that call is with, as the agent's Aircall_Agent_State__c shows it to the utility bar
   * before the call's Aircall Voice is written (Caller_Number__c, E.164; Caller_Name__c, the
   * matched Contact, Lead or Account). Not published on the event.
   */
  caller?: { number: string | null; name: string | null };
  /**
   * The rep's Omni status is the one last published, only the phone state changed (In Call after
   * Ringing, After-Call Work after In Call: the default mapping makes all three Busy). The agent's
   * Aircall_Agent_State__c is still written, so the utility bar shows the phone as it is, but no
   * Aircall_Agent_Status__e is published for it.
   */
  stateOnly?: true;
}

/** The fields of one published Aircall_Agent_Status__e (see docs/METADATA.md). */
export interface AgentStatusFields {
  User_Id__c: string;
  Omni_Status__c: string;
  Phone_Event__c: PhoneEvent;
  Call_Id__c: string | null;
  Reason__c: string;
}

/**
 * An agent status event as the record the connector publishes — and the one shape its readers (the
 * presence sync, an admin's flow or trigger) read: Phone_Event__c and Call_Id__c are the contract,
 * Reason__c is for people.
 */
export function agentStatusFields(e: AgentStatusEvent): AgentStatusFields {
  return {
    User_Id__c: e.userId,
    Omni_Status__c: e.omniStatus,
    Phone_Event__c: e.phoneEvent,
    Call_Id__c: e.callId ?? null,
    Reason__c: e.reason,
  };
}

/** The full transcript of a call, kept as a text file attached to its Aircall Voice because it
 * does not fit in `Transcript__c` (ContentVersion with FirstPublishLocationId = the record). */
export interface TranscriptFile {
  callId: string;
  /** `Transcript 4186790001.txt` */
  title: string;
  text: string;
  /** Which transcript it holds (the same key as its telephony op). */
  transcriptKey: string;
}

export interface SaveToPhone {
  callId: string;
  number: string; // E.164
  firstName?: string;
  lastName?: string;
  companyName?: string;
  salesforceId?: string;
}

export interface Skipped {
  /** Aircall call id, or the event's id for non-call events. */
  key: string;
  reason: string;
}

/** What has been written to Salesforce for one call so far (persisted by the connector). */
export interface CallSyncState {
  /**
   * The VoiceCall's id once known (from the Telephony POST, a lookup by VendorCallKey, or the link
   * sweep). The inbox keeps it in its own `voice_call_id` column as soon as the POST answers.
   */
  voiceCallId?: string;
  /**
   * A `POST /voiceCalls` was sent for this call but its answer was never recorded (the process died,
   * or the request failed): the VoiceCall may exist, so it is looked up by VendorCallKey before any
   * new POST. (Set by the inbox from its `voice_call_posted_at` column.)
   */
  voiceCallPosted?: boolean;
  aircallVoiceId?: string;
  telephonyCreated: boolean; // the VoiceCall exists
  telephonyCompleted: boolean; // the final PATCH (endTime, isActiveCall false) was sent
  /** Hash of the last Aircall_Voice__c field values written, so unchanged records are not rewritten. */
  aircallVoiceHash?: string;
  /**
   * The record this product last linked the call to (planner.ts `linkKeyOf`): the link fields are
   * written again only when it changes, so a link set by an agent survives later events.
   */
  linkKey?: string;
  /** The same, for the Who and What of the call Task. */
  taskLinkKey?: string;
  /** The call was skipped for good (e.g. outside business hours); later events are skipped too. */
  skippedReason?: string;
  /** Event names already planned for, so a platform event says what changed and agent-status
   * events are not republished for old call events. (Added by the engine.) */
  seen?: string[];
  /** Recording/voicemail link already sent to the VoiceCall (recordingLocation), so it is sent once. */
  voiceCallRecording?: string;
  /** The transcript sent to the VoiceCall (its key), so each transcript is sent once. */
  transcriptSent?: string;
  /** The transcript whose full text was saved as a file on the Aircall Voice (its key). */
  transcriptFile?: string;
  /** The matched record was already pushed to Aircall contacts (Save to phone). */
  savedToPhone?: boolean;
  /**
   * The open Case / Opportunity chosen for the call when its Aircall Voice was first written with
   * the link settings' answer (null: none). Kept for the call's life, so its later events need no
   * query and the call stays on the record it was logged on.
   */
  openLinks?: { caseId: string | null; opportunityId: string | null };
  /** Hash of the Description last written on the Case created for the call (set once it exists). */
  caseHash?: string;
  /** The Case created for the call (its Id, once the upsert answered). */
  caseId?: string;
  /** The org refused the call's Case for good: the reason; no Case is planned again until retried. */
  caseRefused?: string;
  /** Hash of the call Task's fields last written (`Activity_Task__c`). */
  taskHash?: string;
  /** The call Task's id once known (the inbox keeps it in its `task_id` column as soon as it is). */
  taskId?: string;
  /** A create of the call Task was sent but its answer was never recorded: look it up by CallObject. */
  taskPosted?: boolean;
  /** Hash of the follow-up Task's fields last written. */
  followUpHash?: string;
  /** The record this product last named as the follow-up Task's Who and What (`linkKey`). */
  followUpLinkKey?: string;
  followUpTaskId?: string;
  /** A create of the follow-up Task was sent but its answer was never recorded. */
  followUpPosted?: boolean;
  /**
   * Why the call's Aircall Voice and Task are not written (its kind of call is "Don't log", or a
   * filter); unlike `skippedReason` the VoiceCall still follows the Log Calls rule, and the call is
   * looked at again (a missed call can become a voicemail).
   */
  notLoggedReason?: string;
  /** The call has hung up but `call.ended` has not arrived: if no event comes, re-plan the call at
   * this time (ISO 8601) with its stored events, and the engine sends the final PATCH anyway. */
  finalPatchDueAt?: string;
}

export interface Plan {
  writes: RecordWrite[];
  telephony: TelephonyOp[];
  platformEvents: (VoiceUpdateEvent | AgentStatusEvent)[];
  aircallContacts: SaveToPhone[];
  /** Task writes (call Tasks, follow-ups), carried by the same Composite as the call's records. */
  tasks: TaskWrite[];
  /** Full transcripts too long for their field, saved as files on the Aircall Voice. */
  files?: TranscriptFile[];
  skipped: Skipped[];
  /** The sync state of each call once this plan has been applied. */
  sync: { callId: string; state: CallSyncState }[];
  /** Problems with the inputs (settings, business hours, payload values) worth logging once per batch;
   * nothing in them stopped the plan. (Added by the engine.) */
  warnings?: string[];
}
