/**
 * `aircall-sfv explain --number N --at TIME`: what the rules would do with a call from or to N at
 * TIME, and why. It runs the same decisions as planBatch (rules.ts), not a description of them.
 */
import { DateTime } from 'luxon';
import { checkBusinessHours, selectCalendar } from './business-hours';
import {
  candidatesFor,
  classifyNumber,
  describeReading,
  readingFits,
  type SearchedRecord,
} from './matching';
import { createdRecordOwner } from './planner';
import { createdKeyField, createdLabel } from './plan';
import { decideLink, toAircallVoice, toVoiceCall } from './rules';
import { CATEGORY_LABEL, decideLogging } from './activity';
import type {
  BusinessHoursModel,
  CallCategory,
  Destination,
  KnownRecord,
  MatchIndex,
  Settings,
} from './types';

export interface ExplainInput {
  number: string;
  at: Date;
  settings: Settings;
  matches: MatchIndex;
  businessHours: BusinessHoursModel;
  /** Country of the Aircall line, for numbers written without "+". */
  country?: string | null;
  /**
   * Every record the search returned with how its stored numbers were read (readSearchRecords), so
   * the explanation shows the records that were not linked too, and why.
   */
  searched?: readonly SearchedRecord[];
  direction?: 'inbound' | 'outbound';
  known?: ReadonlyMap<string, KnownRecord>;
  /** The number is one of the account's own Aircall lines. */
  internal?: boolean;
  /** The Salesforce User of the agent who would handle the call, when known. */
  agentId?: string | null;
}

const OUTCOMES: Record<'inbound' | 'outbound', [string, CallCategory][]> = {
  inbound: [
    ['answered', 'answeredInbound'],
    ['missed (abandoned, or out of opening hours)', 'missedInbound'],
    ['it goes to voicemail', 'voicemail'],
  ],
  outbound: [
    ['answered', 'answeredOutbound'],
    ['unanswered', 'unansweredOutbound'],
  ],
};

/**
 * The filters and the per-call-type actions (decideLogging, as planBatch applies them), and the
 * Task. Returns false when the filters leave every such call out.
 */
function perTypeLines(input: ExplainInput, matched: boolean, lines: string[]): boolean {
  const { settings } = input;
  const direction = input.direction ?? 'inbound';
  const base = { settings, matched, internal: input.internal ?? false, alreadyLogged: false };
  const filters = decideLogging({ ...base, category: null });
  if (!filters.log) {
    lines.push(
      `- Not logged: ${filters.rule.replace(/^not logged: /, '')}. No Aircall Voice, no Task, no record for the number; the VoiceCall follows Log Calls.`,
    );
    return false;
  }
  if (settings.onlyMatchedNumbers)
    lines.push(
      '- "Only log calls from numbers that match a record" is on: this number matches one.',
    );
  for (const [outcome, category] of OUTCOMES[direction]) {
    const decision = decideLogging({ ...base, category });
    const what = !decision.log
      ? 'not logged (no Aircall Voice, no Task)'
      : decision.followUp
        ? 'logged, and a follow-up Task is opened'
        : 'logged';
    lines.push(
      `- If ${outcome}: ${what} (${CATEGORY_LABEL[category]} calls are "${settings.callTypeActions[category]}").`,
    );
  }
  lines.push(
    settings.activityTask === 'Completed Task'
      ? '- Task: a completed call Task on the Activity timeline when the call ends (CallObject = the Aircall call id), updated as comments, tags and AI data arrive.'
      : '- Task: none (Activity Task is "None").',
  );
  return true;
}

function where(destination: Destination): string {
  if (destination === 'Do Not Log') return 'not logged';
  if (destination === 'Both') return 'linked on both the Aircall Voice and the VoiceCall';
  return destination === 'Aircall Voice'
    ? 'linked on the Aircall Voice'
    : 'linked on the VoiceCall';
}

function recordLabel(c: { sobject: string; name: string | null; id: string }): string {
  return `${c.sobject} ${c.name ? `${c.name} ` : ''}(${c.id})`;
}

/**
 * How each stored number of the searched records was read, and whether it is this caller's: the
 * country a number without country code was read in (the record's address, the Default Country
 * setting or the line's country; the caller's, when it is not a valid number there) and why.
 */
function readingLines(input: ExplainInput, e164: string): string[] {
  const lines: string[] = [];
  if (input.searched) {
    if (input.searched.length === 0) return ['- Search: no Contact, Lead or Account came back.'];
    lines.push('- Stored numbers of the records the search returned:');
    const line = input.country?.toUpperCase() ?? null;
    for (const { candidate, readings } of input.searched) {
      for (const r of readings) {
        if (!readingFits(r, line)) continue;
        const verdict =
          r.e164 === e164
            ? `${e164}, this number`
            : r.e164
              ? `${r.e164}, another number`
              : 'not a valid number there';
        lines.push(
          `  - ${recordLabel(candidate)}: ${describeReading(r, r.e164 === e164)} → ${verdict}.`,
        );
      }
    }
    return lines;
  }
  const candidates = candidatesFor(input.matches, e164, input.country);
  for (const c of candidates)
    for (const r of c.readings ?? [])
      lines.push(`  - ${recordLabel(c)}: ${describeReading(r)} → ${e164}, this number.`);
  return lines.length ? ['- Records with this number:', ...lines] : [];
}

export function explain(input: ExplainInput): string {
  const { settings } = input;
  const direction = input.direction ?? 'inbound';
  const lines: string[] = [];
  const when = DateTime.fromJSDate(input.at, { zone: 'utc' }).toISO() ?? input.at.toISOString();
  lines.push(
    `${direction === 'inbound' ? 'Inbound call from' : 'Outbound call to'} ${input.number} at ${when}:`,
  );

  const verdict = classifyNumber(input.number, input.country);
  if (verdict.kind === 'valid') lines.push(`- Number: ${verdict.e164} (E.164).`);
  else if (verdict.kind === 'anonymous')
    lines.push('- Number: hidden caller id; it cannot be matched to a record.');
  else
    lines.push(
      `- Number: "${verdict.raw}" is not a valid phone number${input.country ? ` (read with default country ${input.country})` : ''}.`,
    );

  const calendar = selectCalendar(input.businessHours, settings.businessHoursId);
  const bh = calendar ? checkBusinessHours(input.at, calendar) : null;
  if (settings.logCalls === 'Business Hours Only') {
    if (!bh) {
      lines.push(
        '- Log Calls is "Business Hours Only" but no business hours were found, so the call is logged.',
      );
    } else if (!bh.inside) {
      lines.push(
        `- Not logged: ${bh.reason}, and Log Calls is "Business Hours Only". Nothing is written to Salesforce.`,
      );
      return lines.join('\n');
    } else {
      lines.push(`- Logged: ${bh.reason} (Log Calls is "Business Hours Only").`);
    }
  } else {
    lines.push(
      `- Logged: Log Calls is "Always"${bh && !bh.inside ? `; Outside Business Hours is checked (${bh.reason})` : ''}.`,
    );
  }

  if (direction === 'outbound' && verdict.kind === 'invalid') {
    lines.push(
      '- Invalid number: only a VoiceCall is created, after the call ends (Telephony API PATCH); no Aircall Voice, no record linked or created.',
    );
    return lines.join('\n');
  }

  const e164 = verdict.kind === 'valid' ? verdict.e164 : null;
  if (e164) lines.push(...readingLines(input, e164));
  const link = decideLink(e164, settings, input.matches, input.known ?? new Map(), input.country);
  switch (link.kind) {
    case 'matched':
      lines.push(
        `- Linked to ${link.record.sobject} ${link.record.name ?? ''} (${link.record.id}): ${link.reason}. Match order: ${settings.matchOrder.join(' > ')}.`.replace(
          '  ',
          ' ',
        ),
      );
      if (settings.saveToPhone)
        lines.push(
          '- Save to phone is on: the record is added to Aircall contacts if Aircall does not know the caller.',
        );
      break;
    case 'known':
      lines.push(
        `- Linked to ${createdLabel(link.sobject)} ${link.id ?? `with ${createdKeyField(link.sobject)} ${e164 ?? ''}`}: ${link.reason}.`,
      );
      break;
    case 'create': {
      lines.push(
        `- New ${createdLabel(link.sobject)} with ${createdKeyField(link.sobject)} ${e164 ?? ''}: ${link.reason}. Later calls from this number reuse it.`,
      );
      const answered = createdRecordOwner(link.sobject, settings, input.agentId ?? null);
      const unanswered = createdRecordOwner(link.sobject, settings, null);
      const source = settings.createdLeadSource
        ? ` ${link.sobject === 'Account' ? 'Account Source' : 'Lead Source'} "${settings.createdLeadSource}".`
        : '';
      lines.push(
        answered.reason === unanswered.reason
          ? `- Owner of the new ${createdLabel(link.sobject)}: ${answered.reason} (Owner of Created Records is "${settings.createdRecordOwner}").${source}`
          : `- Owner of the new ${createdLabel(link.sobject)}: ${input.agentId ? answered.reason : 'the agent who handles the call'} when an agent with a Salesforce user takes or makes it, else ${unanswered.reason.replace(/:.*$/, '')} (Owner of Created Records is "${settings.createdRecordOwner}").${source}`,
      );
      break;
    }
    case 'none':
      lines.push(`- Not linked: ${link.reason}.`);
      break;
  }

  const logged = perTypeLines(input, link.kind === 'matched' || link.kind === 'known', lines);
  lines.push(
    direction === 'inbound'
      ? '- VoiceCall: created when the call connects (Telephony API POST), completed when Aircall ends the call (PATCH with times, recording and the Aircall Voice link).'
      : '- VoiceCall: created when the call ends (Telephony API PATCH; outbound calls cannot be created by POST), with the Aircall Voice link.',
  );
  if (!logged) return lines.join('\n');
  lines.push(
    '- Aircall Voice: upserted by Aircall call id once the call connects (or ends unanswered), then as it progresses, with call type, exact ring/talk seconds (talk is 0 if nobody answered), tags, comments, assignment and AI data; rewritten only when a field changes.',
  );
  lines.push(
    `- Recording: ${where(settings.recordingDestination)}${toAircallVoice(settings.recordingDestination) || toVoiceCall(settings.recordingDestination) ? ' (stable Aircall asset link)' : ''}.`,
  );
  lines.push(`- Voicemail: ${where(settings.voicemailDestination)}.`);
  return lines.join('\n');
}
