import type { RecordRepresentation } from 'lightning/uiRecordApi';
import {
  EMPTY,
  formatDuration,
  formatLabel,
  humanize,
  personName,
  secondsSince,
  splitList,
  stateStyle,
} from 'c/aircallUtils';
import type { FieldRef } from 'c/aircallUtils';
import { CALL_BACK_TYPES, dateTime, isLive, label, read, telHref, text } from 'c/aircallCallData';
import { F } from './callFields';
import { LABELS } from './labels';

export interface LinkedRecord {
  key: string;
  label: string;
  name: string;
  recordId: string;
}

export interface Comment {
  key: string;
  author: string;
  /** ISO date-time (UTC) when the comment carries one. */
  at: string | null;
  text: string;
}

/** What the call page shows, computed from the record alone (and the clock, for a live call). */
/** What Change link (c-aircall-change-link) needs of the call. */
export interface LinkView {
  callId: string;
  candidates: string;
  /** The option of the record linked now: `Contact:003…`, `Lead:00Q…`, `Account:001…`, or ''. */
  currentValue: string;
  /** Its name ('' when the user cannot read it), and a linked Contact's Account. */
  currentName: string;
  currentAccountId: string;
  /** The connector created the record linked now for this number, which no record had. */
  createdForNumber: boolean;
  hasCase: boolean;
  hasCaseOrOpportunity: boolean;
  voiceCallId: string;
}

export interface CallView {
  link: LinkView;
  person: string;
  recordNumber: string;
  isLive: boolean;
  outcomeLabel: string;
  outcomeClass: string;
  outcomeIcon: string;
  direction: string;
  directionIcon: string;
  callType: string;
  status: string;
  missedReason: string;
  showCallBack: boolean;
  callBackHref: string;
  callBackName: string;
  customerNumber: string;
  aircallLine: string;
  agentName: string;
  assignedTo: string;
  showAssignedTo: boolean;
  outsideBusinessHours: boolean;
  linkedRecords: LinkedRecord[];
  hasLinkedRecords: boolean;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  ringDuration: string;
  talkDuration: string;
  totalDuration: string;
  recordingUrl: string;
  voicemailUrl: string;
  aircallLink: string;
  hasMedia: boolean;
  tags: string[];
  hasTags: boolean;
  comments: Comment[];
  hasComments: boolean;
  aiSummary: string;
  aiSentiment: string;
  sentimentClass: string;
  aiTopics: string[];
  aiActionItems: { key: string; text: string }[];
  hasAi: boolean;
  transcript: string;
  journey: string;
  callPath: string;
  holdCount: number;
  holdSeconds: number;
  transferCount: number;
}

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

/** Who the call was with: the linked person or company, else the number. */
export function callPerson(call: RecordRepresentation | undefined): string {
  for (const [field, nameField] of [
    [F.CONTACT_FIELD, F.CONTACT_NAME_FIELD],
    [F.LEAD_FIELD, F.LEAD_NAME_FIELD],
    [F.ACCOUNT_FIELD, F.ACCOUNT_NAME_FIELD],
  ] as const) {
    if (text(call, field)) {
      const name = text(call, nameField);
      if (name) return name;
    }
  }
  return text(call, F.CUSTOMER_NUMBER_FIELD) || LABELS.unknownCaller;
}

/** The picklist label the platform gives ("No available agent"), not the stored code. */
function missedReason(call: RecordRepresentation | undefined): string {
  const field = call?.fields[F.MISSED_REASON_FIELD.fieldApiName];
  if (!field || field.value === null || field.value === '') return '';
  const shown = field.displayValue;
  return shown && shown !== field.value ? shown : humanize(String(field.value));
}

function linkedRecords(call: RecordRepresentation | undefined): LinkedRecord[] {
  const links: [FieldRef, FieldRef, string][] = [
    [F.CONTACT_FIELD, F.CONTACT_NAME_FIELD, LABELS.contact],
    [F.LEAD_FIELD, F.LEAD_NAME_FIELD, LABELS.lead],
    [F.ACCOUNT_FIELD, F.ACCOUNT_NAME_FIELD, LABELS.account],
    [F.CASE_FIELD, F.CASE_NUMBER_FIELD, LABELS.case],
    [F.OPPORTUNITY_FIELD, F.OPPORTUNITY_NAME_FIELD, LABELS.opportunity],
    [F.VOICE_CALL_FIELD, F.VOICE_CALL_NAME_FIELD, LABELS.voiceCall],
  ];
  return links
    .map(([field, nameField, linkLabel]) => {
      const recordId = text(call, field);
      const name = text(call, nameField) || recordId;
      return { key: field.fieldApiName, label: linkLabel, name, recordId };
    })
    .filter((l) => l.recordId !== '');
}

const SENTIMENT_TONE: Record<string, string> = {
  Positive: 'slds-theme_success',
  Negative: 'slds-theme_error',
  Mixed: 'slds-theme_warning',
};

/** While the call is live, the durations run from its times; once it ended, the stored ones. */
function durations(
  call: RecordRepresentation | undefined,
  live: boolean,
  now: number,
): { ring: unknown; talk: unknown; total: unknown } {
  const started = dateTime(call, F.STARTED_AT_FIELD);
  const answered = dateTime(call, F.ANSWERED_AT_FIELD);
  if (!live) {
    return {
      ring: read(call, F.RING_SECONDS_FIELD),
      talk: read(call, F.TALK_SECONDS_FIELD),
      total: read(call, F.TOTAL_SECONDS_FIELD),
    };
  }
  return {
    ring: secondsSince(started, answered ? Date.parse(answered) : now),
    talk: secondsSince(answered, now),
    total: secondsSince(started, now),
  };
}

function linkView(call: RecordRepresentation | undefined): LinkView {
  const contact = text(call, F.CONTACT_FIELD);
  const lead = text(call, F.LEAD_FIELD);
  const account = text(call, F.ACCOUNT_FIELD);
  const hasCase = text(call, F.CASE_FIELD) !== '';
  return {
    callId: text(call, F.AIRCALL_CALL_ID_FIELD),
    candidates: text(call, F.MATCH_CANDIDATES_FIELD),
    currentValue: contact
      ? `Contact:${contact}`
      : lead
        ? `Lead:${lead}`
        : account
          ? `Account:${account}`
          : '',
    currentName: text(
      call,
      contact ? F.CONTACT_NAME_FIELD : lead ? F.LEAD_NAME_FIELD : F.ACCOUNT_NAME_FIELD,
    ),
    currentAccountId: contact ? account : '',
    // The connector's Match Reason for a record it created (src/engine/record-links.ts); English,
    // as every Match Reason. A person's link replaces it with "Linked by …".
    createdForNumber: text(call, F.MATCH_REASON_FIELD).startsWith('Created for this number'),
    hasCase,
    hasCaseOrOpportunity: hasCase || text(call, F.OPPORTUNITY_FIELD) !== '',
    voiceCallId: text(call, F.VOICE_CALL_FIELD),
  };
}

export function buildCallView(call: RecordRepresentation | undefined, now: number): CallView {
  const live = isLive(call, F.STATUS_FIELD);
  const status = text(call, F.STATUS_FIELD);
  const type = text(call, F.CALL_TYPE_FIELD);
  const style = stateStyle(status, type);
  const person = callPerson(call);
  const customerNumber = text(call, F.CUSTOMER_NUMBER_FIELD);
  const name = text(call, F.CALL_NAME_FIELD);
  const lineName = text(call, F.AIRCALL_LINE_NAME_FIELD);
  const lineNumber = text(call, F.AIRCALL_NUMBER_FIELD);
  const agent = text(call, F.AGENT_NAME_FIELD);
  const assignedTo = personName(label(call, F.ASSIGNED_TO_FIELD));
  const links = linkedRecords(call);
  const time = durations(call, live, now);
  const recordingUrl = text(call, F.RECORDING_URL_FIELD);
  const voicemailUrl = text(call, F.VOICEMAIL_URL_FIELD);
  const tags = splitList(read(call, F.TAGS_FIELD));
  const comments = parseComments(text(call, F.COMMENTS_FIELD));
  const aiSummary = text(call, F.AI_SUMMARY_FIELD);
  const aiSentiment = label(call, F.AI_SENTIMENT_FIELD);
  const aiTopics = splitList(read(call, F.AI_TOPICS_FIELD));
  const aiActionItems = text(call, F.AI_ACTION_ITEMS_FIELD)
    .split('\n')
    .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean)
    .map((line, i) => ({ key: `a${i}`, text: line }));
  return {
    link: linkView(call),
    person,
    recordNumber: name ? formatLabel(LABELS.recordNumber, name) : '',
    isLive: live,
    // Answered, Missed, Voicemail…; while the call is going on, its status (Ringing, In Progress).
    outcomeLabel: live
      ? label(call, F.STATUS_FIELD) || LABELS.live
      : label(call, F.CALL_TYPE_FIELD) || label(call, F.STATUS_FIELD) || EMPTY,
    outcomeClass: `outcome ${style.badge}`,
    outcomeIcon: style.icon,
    direction: label(call, F.DIRECTION_FIELD),
    directionIcon:
      text(call, F.DIRECTION_FIELD) === 'Outbound'
        ? 'utility:outbound_call'
        : 'utility:incoming_call',
    callType: label(call, F.CALL_TYPE_FIELD) || EMPTY,
    status: label(call, F.STATUS_FIELD) || EMPTY,
    missedReason: missedReason(call),
    showCallBack: !live && !!customerNumber && CALL_BACK_TYPES.has(type),
    callBackHref: telHref(customerNumber),
    callBackName: formatLabel(LABELS.callBackName, person),
    customerNumber,
    aircallLine: [lineName, lineNumber].filter(Boolean).join(' · ') || EMPTY,
    agentName: agent || LABELS.unassigned,
    // Assigned to someone other than the agent: shown apart; else it would only repeat the agent.
    assignedTo,
    showAssignedTo: assignedTo !== '' && assignedTo !== agent,
    outsideBusinessHours: read(call, F.OUTSIDE_BUSINESS_HOURS_FIELD) === true,
    linkedRecords: links,
    hasLinkedRecords: links.length > 0,
    startedAt: dateTime(call, F.STARTED_AT_FIELD),
    answeredAt: dateTime(call, F.ANSWERED_AT_FIELD),
    endedAt: dateTime(call, F.ENDED_AT_FIELD),
    ringDuration: formatDuration(time.ring),
    talkDuration: formatDuration(time.talk),
    totalDuration: formatDuration(time.total),
    recordingUrl,
    voicemailUrl,
    aircallLink: text(call, F.AIRCALL_LINK_FIELD),
    hasMedia: !!(recordingUrl || voicemailUrl),
    tags,
    hasTags: tags.length > 0,
    comments,
    hasComments: comments.length > 0,
    aiSummary,
    aiSentiment,
    sentimentClass: `slds-badge ${SENTIMENT_TONE[text(call, F.AI_SENTIMENT_FIELD)] ?? ''}`.trim(),
    aiTopics,
    aiActionItems,
    hasAi: !!(aiSummary || aiSentiment || aiTopics.length || aiActionItems.length),
    // The conversation (c-aircall-transcript) and the journey (c-aircall-journey) of the call.
    transcript: text(call, F.TRANSCRIPT_FIELD),
    journey: text(call, F.CALL_JOURNEY_FIELD),
    callPath: text(call, F.CALL_PATH_FIELD),
    holdCount: Number(read(call, F.HOLD_COUNT_FIELD) ?? 0),
    holdSeconds: Number(read(call, F.HOLD_SECONDS_FIELD) ?? 0),
    transferCount: Number(read(call, F.TRANSFER_COUNT_FIELD) ?? 0),
  };
}
