// Shared helpers of the Aircall components (an LWC service module: no template, not exposed).
// The default presence rules are in presenceRules.ts (the connector's engine imports that file, which
// imports nothing); the GraphQL queries several components run are in queries.ts; the Aircall Setup
// tab's page reference in setupPage.ts.
export * from './presenceRules';
export * from './queries';
export * from './setupPage';

/**
 * Picklist values, duplicated from src/engine/picklists.ts because LWC bundles cannot import from
 * the Node side. The aircallUtils test compares the two, so they cannot drift apart unnoticed.
 */
export const PICKLISTS = {
  logCalls: ['Always', 'Business Hours Only'],
  unknownNumberAction: [
    'Create Lead',
    'Create Contact',
    'Create Account',
    'Create Person Account',
    'Do Nothing',
  ],
  multipleMatches: ['Most Recently Modified', 'Oldest', 'Do Not Link', 'Their Common Account'],
  mediaDestination: ['Do Not Log', 'Aircall Voice', 'Voice Call', 'Both'],
  omniMappingMode: ['Default', 'Custom'],
  activityTask: ['None', 'Completed Task'],
  callTypeAction: ['Log', 'Log + open follow-up Task', "Don't log"],
  createCaseFor: ['None', 'Missed Calls', 'Voicemails', 'Both'],
  createdRecordOwner: ['Agent Who Handled The Call', 'Integration User', 'Assignment Rules'],
  mappingDirection: ['Omni to Aircall', 'Phone to Omni'],
  aircallAvailability: ['available', 'unavailable', 'custom'],
  phoneEvent: ['Ringing', 'In Call', 'After-Call Work', 'Available'],
  sentiment: ['Positive', 'Neutral', 'Negative', 'Mixed'],
} as const;

/** The objects a phone number can be matched to, in the default order of Aircall's own integration. */
export const MATCH_OBJECTS = ['Contact', 'Lead', 'Account'] as const;

/** What the engine uses while no settings record exists (src/engine/settings.ts DEFAULT_SETTINGS). */
export const DEFAULT_SETTINGS = {
  Log_Calls__c: 'Always',
  Business_Hours_Id__c: '',
  Unknown_Number_Action__c: 'Create Lead',
  Match_Order__c: 'Contact,Lead,Account',
  Multiple_Matches__c: 'Most Recently Modified',
  Save_To_Phone__c: false,
  Recording_Destination__c: 'Aircall Voice',
  Voicemail_Destination__c: 'Aircall Voice',
  Omni_Mapping_Mode__c: 'Default',
  // Empty: numbers stored without country code are read in the country of the Aircall line.
  Default_Country__c: '',
  Activity_Task__c: 'None',
  Answered_Inbound_Action__c: 'Log',
  Answered_Outbound_Action__c: 'Log',
  Missed_Inbound_Action__c: 'Log',
  Voicemail_Action__c: 'Log',
  Unanswered_Outbound_Action__c: 'Log',
  // Empty: the default subject in the org's language ("{direction} call · {outcome}").
  Task_Subject_Template__c: '',
  // Empty: the integration user.
  Follow_Up_Owner_Id__c: '',
  Callback_Window_Hours__c: 24,
  Only_Log_Matched_Numbers__c: false,
  Skip_Internal_Calls__c: false,
  Link_To_Open_Case__c: false,
  Link_To_Open_Opportunity__c: false,
  Create_Case_For__c: 'None',
  // Empty: the org's case assignment rules.
  Case_Owner__c: '',
  // Empty: the org's default person record type.
  Person_Account_Record_Type__c: '',
  // Empty: only the standard phone fields are searched.
  Extra_Phone_Fields__c: '',
  Created_Record_Owner__c: 'Agent Who Handled The Call',
  // Saved empty: records created for unknown numbers get no Lead Source.
  Created_Lead_Source__c: 'Phone Inquiry',
} as const;

/** What an `@salesforce/schema` field import gives: the platform adds the namespace when the package has one. */
export interface FieldRef {
  objectApiName: string;
  fieldApiName: string;
}

/** `Object.Field`, for the adapters that take field names as strings (related list records). */
export function qualifiedName(ref: FieldRef): string {
  return `${ref.objectApiName}.${ref.fieldApiName}`;
}

export interface Option {
  label: string;
  value: string;
}

export function toOptions(values: readonly string[]): Option[] {
  return values.map((value) => ({ label: value, value }));
}

/** Shown where a value is missing, so no row is ever blank. */
export const EMPTY = '—';

/**
 * A Custom Label with `{0}`, `{1}`… placeholders filled in (labels are whole sentences, so a
 * translation can put the values where its grammar wants them).
 */
export function formatLabel(label: string, ...values: string[]): string {
  return label.replace(/\{(\d+)\}/g, (whole, index: string) => values[Number(index)] ?? whole);
}

/** A stored code shown to a person when the platform has no label for it: `no_answer` → `No answer`. */
export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `0:00`, `0:45`, `3:05`, `1:02:05`: minutes and seconds as a phone shows them (0:00 when none). */
export function formatDuration(seconds: unknown): string {
  // A clock, as phones show durations: 0:03, 12:45, 1:02:09. No duration reads 0:00.
  const total =
    typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
      ? Math.round(seconds)
      : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Seconds from an ISO date-time to `now` (ms), 0 when unknown or in the future. */
export function secondsSince(iso: unknown, now: number): number {
  const start = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isFinite(start) && now > start ? Math.floor((now - start) / 1000) : 0;
}

/**
 * One colour per state on every page: the badge of a call's outcome, or of its live status while
 * it is going on (Ringing and In Progress look the same everywhere).
 */
export const STATE_STYLE: Readonly<Record<string, { badge: string; icon: string }>> = {
  Answered: { badge: 'slds-badge slds-theme_success', icon: 'utility:call' },
  Missed: { badge: 'slds-badge slds-theme_error', icon: 'utility:missed_call' },
  Abandoned: { badge: 'slds-badge slds-theme_error', icon: 'utility:missed_call' },
  Voicemail: { badge: 'slds-badge slds-theme_warning', icon: 'utility:voicemail_drop' },
  'Unanswered Outbound': { badge: 'slds-badge slds-badge_inverse', icon: 'utility:end_call' },
  'Invalid Number': { badge: 'slds-badge slds-badge_inverse', icon: 'utility:end_call' },
  Ringing: { badge: 'slds-badge slds-theme_info', icon: 'utility:incoming_call' },
  'In Progress': { badge: 'slds-badge slds-theme_info', icon: 'utility:incoming_call' },
};

/** The style of a call: its live status while not Ended, else its outcome (call type). */
export function stateStyle(status: string, callType: string): { badge: string; icon: string } {
  const live = status !== '' && status !== 'Ended';
  return (
    STATE_STYLE[live ? status : callType] ??
    (live ? STATE_STYLE.Ringing! : { badge: 'slds-badge slds-badge_inverse', icon: 'utility:call' })
  );
}

/** "Ana Diaz" from "Ana Diaz <ana@example.com>" (how Aircall names a user); the address alone when that is all. */
export function personName(value: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!m) return value.trim();
  return (m[1] ?? '').trim() || (m[2] ?? '').trim();
}

/** Salesforce ids are 15 characters case-sensitive or 18 with a checksum suffix: compare the first 15. */
export function sameRecordId(a: unknown, b: unknown): boolean {
  return (
    typeof a === 'string' &&
    typeof b === 'string' &&
    a.length >= 15 &&
    a.slice(0, 15) === b.slice(0, 15)
  );
}

/** Splits a multi-value text field (one value per line, or separated by `;`) into its values. */
export function splitList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[\n;]+/)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

interface UiApiErrorBody {
  message?: string;
  errorCode?: string;
  output?: {
    errors?: { message?: string; errorCode?: string }[];
    fieldErrors?: Record<string, { message?: string }[]>;
  };
}

/**
 * Turns what LDS hands back on failure (a FetchResponse with a UI API body, an array of them,
 * GraphQL `errors`, or a JS Error) into messages a person can read.
 */
export function reduceErrors(error: unknown): string[] {
  const list = Array.isArray(error) ? (error as unknown[]) : [error];
  const messages: string[] = [];
  for (const e of list) {
    if (e === null || e === undefined) continue;
    if (typeof e === 'string') {
      messages.push(e);
      continue;
    }
    const rec = e as {
      body?: UiApiErrorBody | UiApiErrorBody[];
      message?: string;
      statusText?: string;
    };
    const bodies = Array.isArray(rec.body) ? rec.body : rec.body ? [rec.body] : [];
    const before = messages.length;
    for (const body of bodies) {
      const detailed = [
        ...(body.output?.errors ?? []).map((pageError) => pageError.message),
        ...Object.values(body.output?.fieldErrors ?? {}).flatMap((fieldErrors) =>
          fieldErrors.map((fe) => fe.message),
        ),
      ].filter((m): m is string => !!m);
      // The top-level message is generic ("An error occurred...") when details exist.
      if (detailed.length) messages.push(...detailed);
      else if (body.message) messages.push(body.message);
    }
    if (messages.length === before) {
      if (rec.message) messages.push(rec.message);
      else if (rec.statusText) messages.push(rec.statusText);
    }
  }
  return [...new Set(messages)];
}

/** True when the failure is the platform refusing access (object, field or record). */
export function isAccessError(error: unknown): boolean {
  const list = Array.isArray(error) ? (error as unknown[]) : [error];
  return list.some((e) => {
    const rec = e as
      { status?: number; body?: UiApiErrorBody | UiApiErrorBody[] } | null | undefined;
    if (!rec) return false;
    if (rec.status === 403) return true;
    const bodies = Array.isArray(rec.body) ? rec.body : rec.body ? [rec.body] : [];
    return bodies.some(
      (b) => b.errorCode === 'INSUFFICIENT_ACCESS' || b.errorCode === 'INVALID_FIELD',
    );
  });
}
