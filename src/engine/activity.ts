/**
 * Calls on the Activity timeline and the per-call-type logging rules: which calls are logged, the
 * call Task each logged call gets (`Activity_Task__c`), the follow-up Task some kinds of call open,
 * and the words of their subjects. Pure decisions shared by planBatch and explain.
 *
 * A Task cannot be upserted by an external id: `CallObject` is a plain string field of Task (Object
 * Reference "Task": Create, Filter, Group, Nillable, Sort, Update, no idLookup), so the connector
 * remembers each Task's id and looks it up by `CallObject` before creating it again (see
 * src/connector/tasks.ts).
 */
import { DateTime } from 'luxon';
import type { CallState } from './fold';
import type { SObjectFields } from './plan';
import type { CallType } from './rules';
import type { CallCategory, CallTypeAction, OpenFollowUp, Settings } from './types';

/** The kind of call the admin's per-type action applies to; null while it is not known yet. */
export function callCategoryOf(
  direction: 'inbound' | 'outbound',
  type: CallType | null,
): CallCategory | null {
  switch (type) {
    case 'Answered':
      return direction === 'inbound' ? 'answeredInbound' : 'answeredOutbound';
    case 'Missed':
    case 'Abandoned':
      return direction === 'inbound' ? 'missedInbound' : null;
    case 'Voicemail':
      return 'voicemail';
    case 'Unanswered Outbound':
      return 'unansweredOutbound';
    default:
      return null;
  }
}

/** How the settings panel and `explain` name each kind of call. */
export const CATEGORY_LABEL: Record<CallCategory, string> = {
  answeredInbound: 'Answered inbound',
  answeredOutbound: 'Answered outbound',
  missedInbound: 'Missed inbound',
  voicemail: 'Voicemail',
  unansweredOutbound: 'Unanswered outbound',
};

export type LoggingDecision =
  { log: true; followUp: boolean; rule: string } | { log: false; rule: string };

export interface LoggingInput {
  settings: Settings;
  category: CallCategory | null;
  /** The call's number matches a record (found by search, or created earlier for it). */
  matched: boolean;
  /** The other party is one of the account's own Aircall lines. */
  internal: boolean;
  /** Something was already written for the call (it is never un-logged). */
  alreadyLogged: boolean;
}

/**
 * Whether a call's Aircall Voice and Task are written, after the Log Calls rule (Always / Business
 * Hours Only, decided earlier) let it through: `Don't log internal calls`, then `Only log calls from
 * numbers that match a record`, then the action set for its kind of call. A call already logged
 * stays logged. The VoiceCall follows the Log Calls rule only (see the README).
 */
export function decideLogging(input: LoggingInput): LoggingDecision {
  const { settings, category } = input;
  const action: CallTypeAction = category ? settings.callTypeActions[category] : 'Log';
  const followUp = action === 'Log + open follow-up Task';
  const kind = category ? `${CATEGORY_LABEL[category]} calls are "${action}"` : null;
  if (input.alreadyLogged)
    return { log: true, followUp, rule: 'logged: the call was logged already' };
  if (settings.skipInternalCalls && input.internal)
    return {
      log: false,
      rule: 'not logged: the other party is one of your Aircall lines and "Don\'t log internal calls" is on',
    };
  if (settings.onlyMatchedNumbers && !input.matched)
    return {
      log: false,
      rule: 'not logged: no record has this number and "Only log calls from numbers that match a record" is on',
    };
  if (action === "Don't log") return { log: false, rule: `not logged: ${kind ?? ''}` };
  return {
    log: true,
    followUp,
    rule: kind ? `logged: ${kind}` : 'logged (the kind of call is not known yet)',
  };
}

/** Whether the other party's number is one of the account's own Aircall lines. */
export function isInternalCall(
  e164: string | null,
  lineE164: string | null,
  lines: ReadonlySet<string> | undefined,
): boolean {
  if (e164 === null) return false;
  return e164 === lineE164 || (lines?.has(e164) ?? false);
}

/**
 * The Task's WhatId, from the Aircall Voice fields the call is written with: the Case the call is
 * on (an open one, or the one created for it), else its Opportunity, else its Account (a Contact's
 * Account, or the Account matched). The one place that picks it. A Task whose WhoId is a Lead takes
 * no WhatId (Object Reference "Task": "If WhoId refers to a lead, then WhatId must be empty").
 */
export function taskWhat(voice: SObjectFields): SObjectFields {
  if (voice.Lead__c || voice.Lead__r) return { WhatId: null };
  for (const sobject of ['Case', 'Opportunity', 'Account'] as const) {
    const id = voice[`${sobject}__c`];
    if (typeof id === 'string') return { WhatId: id };
    const ref = voice[`${sobject}__r`];
    if (ref && typeof ref === 'object')
      return {
        What: { attributes: { type: sobject }, ...ref } as unknown as Record<string, string>,
      };
  }
  return { WhatId: null };
}

/** The Task's WhoId: the Contact or Lead the call is linked to. */
export function taskWho(voice: SObjectFields): SObjectFields {
  for (const sobject of ['Contact', 'Lead'] as const) {
    const id = voice[`${sobject}__c`];
    if (typeof id === 'string') return { WhoId: id };
    const ref = voice[`${sobject}__r`];
    if (ref && typeof ref === 'object')
      return {
        Who: { attributes: { type: sobject }, ...ref } as unknown as Record<string, string>,
      };
  }
  return { WhoId: null };
}

/**
 * Words of Task subjects per language. Each entry is also a Custom Label of the package (same name,
 * English value, Spanish translation), where an admin reads and translates them; `npm run
 * test:metadata` fails when a label and this table disagree (an engine without I/O cannot read
 * labels from the org; the REST API has no label resource).
 */
export const TASK_TEXTS = {
  Aircall_Task_Subject: {
    en: '{direction} call · {outcome}',
    es: 'Llamada {direction} · {outcome}',
  },
  Aircall_Task_Inbound: { en: 'Inbound', es: 'entrante' },
  Aircall_Task_Outbound: { en: 'Outbound', es: 'saliente' },
  Aircall_Task_Answered: { en: 'Answered', es: 'Contestada' },
  Aircall_Task_Missed: { en: 'Missed', es: 'Perdida' },
  Aircall_Task_Voicemail: { en: 'Voicemail', es: 'Buzón de voz' },
  Aircall_Task_Abandoned: { en: 'Abandoned', es: 'Abandonada' },
  Aircall_Task_Unanswered: { en: 'Unanswered', es: 'Sin respuesta' },
  Aircall_Task_Follow_Up_Subject: {
    en: 'Call back {number}',
    es: 'Devolver la llamada a {number}',
  },
} as const satisfies Record<string, Record<'en' | 'es', string>>;

function wordsIn(language: 'en' | 'es') {
  const t = TASK_TEXTS;
  return {
    template: t.Aircall_Task_Subject[language],
    inbound: t.Aircall_Task_Inbound[language],
    outbound: t.Aircall_Task_Outbound[language],
    answered: t.Aircall_Task_Answered[language],
    missed: t.Aircall_Task_Missed[language],
    voicemail: t.Aircall_Task_Voicemail[language],
    abandoned: t.Aircall_Task_Abandoned[language],
    unanswered: t.Aircall_Task_Unanswered[language],
    followUp: t.Aircall_Task_Follow_Up_Subject[language],
  };
}

/** The words of each language, from TASK_TEXTS. */
export const TASK_WORDS = { en: wordsIn('en'), es: wordsIn('es') } as const;
export type TaskWords = ReturnType<typeof wordsIn>;

/** The words of the org's language (`es_MX` → `es`), English when there are none for it. */
export function wordsFor(language: string | undefined): TaskWords {
  const lang = (language ?? 'en').slice(0, 2).toLowerCase();
  return lang === 'es' ? TASK_WORDS.es : TASK_WORDS.en;
}

const OUTCOME_WORD: Record<CallType, keyof TaskWords> = {
  Answered: 'answered',
  Missed: 'missed',
  Voicemail: 'voicemail',
  Abandoned: 'abandoned',
  'Unanswered Outbound': 'unanswered',
  'Invalid Number': 'unanswered',
};

export interface SubjectValues {
  direction: 'inbound' | 'outbound';
  type: CallType;
  number: string | null;
  line: string | null;
  agent: string | null;
}

/**
 * A call Task's subject: the template (`Task_Subject_Template__c`, else the org language's) with
 * `{direction}`, `{outcome}`, `{number}`, `{line}` and `{agent}` filled in; an unknown `{…}` is kept.
 */
export function taskSubject(
  template: string | null,
  values: SubjectValues,
  words: TaskWords,
): string {
  const fill: Record<string, string> = {
    direction: words[values.direction],
    outcome: words[OUTCOME_WORD[values.type]],
    number: values.number ?? '',
    line: values.line ?? '',
    agent: values.agent ?? '',
  };
  const text = (template ?? words.template)
    .replace(/\{(\w+)\}/g, (all, key: string) => fill[key] ?? all)
    .replace(/\s+/g, ' ')
    .trim();
  return clipText(text || words.template, 255);
}

export function clipText(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** The call's date where its line is (`ActivityDate`), UTC when the line names no valid zone. */
export function activityDate(seconds: number, timeZone: string | null): string {
  const local = DateTime.fromSeconds(seconds, { zone: timeZone ?? 'utc' });
  return (local.isValid ? local : DateTime.fromSeconds(seconds, { zone: 'utc' })).toISODate()!;
}

/** `CallDisposition`: the outcome, and why it was missed. */
export function callDisposition(type: CallType, missedReason: string | null): string {
  return missedReason ? `${type}: ${missedReason}` : type;
}

/** A call Task's Description: what agents read on the timeline, as the call's data arrives. */
export function taskDescription(
  state: CallState,
  e164: string | null,
  links: { recording: string | null; voicemail: string | null },
): string {
  const parts: string[] = [];
  parts.push(
    `Aircall call ${state.callId}${e164 ? ` · ${state.direction === 'inbound' ? 'from' : 'to'} ${e164}` : ''}${state.lineName ? ` · line ${state.lineName}` : ''}`,
  );
  if (state.tags.length) parts.push(`Tags: ${state.tags.join('; ')}`);
  if (state.comments.length)
    parts.push(
      ['Comments:', ...state.comments.map((c) => `- ${c.by ? `${c.by}: ` : ''}${c.content}`)].join(
        '\n',
      ),
    );
  if (state.aiSummary) parts.push(`AI summary: ${state.aiSummary}`);
  if (state.aiActionItems.length)
    parts.push(['AI action items:', ...state.aiActionItems.map((a) => `- ${a}`)].join('\n'));
  if (links.recording) parts.push(`Recording: ${links.recording}`);
  if (links.voicemail) parts.push(`Voicemail: ${links.voicemail}`);
  if (state.directLink) parts.push(`Aircall: ${state.directLink}`);
  return clipText(parts.join('\n\n'), 32000);
}

/** A follow-up Task's Description (written once, when it is opened). */
export function followUpDescription(
  callId: string,
  category: CallCategory,
  e164: string | null,
  windowHours: number,
): string {
  const who = e164 ?? 'the caller';
  return (
    `Follow-up of ${CATEGORY_LABEL[category].toLowerCase()} call ${callId}${e164 ? ` with ${e164}` : ''}. ` +
    (windowHours > 0 && e164
      ? `Closed automatically if ${who} is called back and the call is answered within ${windowHours} hour(s).`
      : 'Close it when the caller has been called back.')
  );
}

/** The note a follow-up Task gets when it is closed by a call back. */
export function closingNote(open: OpenFollowUp, callId: string, at: number): string {
  const when = DateTime.fromSeconds(at, { zone: 'utc' }).toISO({ suppressMilliseconds: true });
  return (
    `${followUpDescription(open.callId, open.category, open.e164, 0).split('. ')[0]}.\n\n` +
    `Closed automatically: ${open.e164 ?? 'the number'} was called back and the call was answered at ${when ?? ''} (Aircall call ${callId}).`
  );
}

/**
 * The open follow-ups an answered call closes: same number, answered after the follow-up was
 * opened and within the window.
 */
export function followUpsClosedBy(
  open: readonly OpenFollowUp[] | undefined,
  callId: string,
  answeredAt: number,
  windowHours: number,
): OpenFollowUp[] {
  if (!open || windowHours <= 0) return [];
  return open.filter(
    (f) =>
      f.callId !== callId &&
      answeredAt >= f.openedAt &&
      answeredAt <= f.openedAt + windowHours * 3600,
  );
}
