import type { RecordRepresentation } from 'lightning/uiRecordApi';
import {
  formatDuration,
  formatLabel,
  sameRecordId,
  secondsSince,
  stateStyle,
} from 'c/aircallUtils';
import { CALL_BACK_TYPES, isLive, label, read, telHref, text } from 'c/aircallCallData';
import { F } from './relatedFields';
import { LABELS } from './labels';

export interface RelatedCall {
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

/** The person of a listed call, unless it is the page's own record (then ''). */
function relatedPerson(r: RecordRepresentation, pageRecordId: string | undefined): string {
  for (const [field, nameField] of [
    [F.CONTACT_FIELD, F.CONTACT_NAME_FIELD],
    [F.LEAD_FIELD, F.LEAD_NAME_FIELD],
    [F.ACCOUNT_FIELD, F.ACCOUNT_NAME_FIELD],
  ] as const) {
    const id = text(r, field);
    if (!id) continue;
    if (sameRecordId(id, pageRecordId)) return '';
    const name = text(r, nameField);
    if (name) return name;
  }
  const number = text(r, F.CUSTOMER_NUMBER_FIELD);
  return number || LABELS.unknownCaller;
}

export function isLiveCall(record: RecordRepresentation): boolean {
  return isLive(record, F.STATUS_FIELD);
}

/**
 * Each row reads person first, "Léa Garnier · Missed · 0:03 · 11:01 PM GMT+1": the contact (or
 * lead, or account) the call was with — on that person's own page, the call's direction — then
 * the outcome, how long it lasted (running while live) and when. Missed calls offer a call-back.
 */
export function relatedRows(
  list: readonly RecordRepresentation[],
  pageRecordId: string | undefined,
  now: number,
): RelatedCall[] {
  const records = [...list];
  // Newest first: the related list API does not promise an order.
  records.sort((a, b) => text(b, F.STARTED_AT_FIELD).localeCompare(text(a, F.STARTED_AT_FIELD)));
  return records.map((r) => {
    const outbound = text(r, F.DIRECTION_FIELD) === 'Outbound';
    const number = text(r, F.CUSTOMER_NUMBER_FIELD);
    const live = isLiveCall(r);
    const type = text(r, F.CALL_TYPE_FIELD);
    const missed = !live && CALL_BACK_TYPES.has(type);
    const person = relatedPerson(r, pageRecordId) || (outbound ? LABELS.outgoing : LABELS.incoming);
    const talk = read(r, F.TALK_SECONDS_FIELD);
    const seconds = live
      ? secondsSince(read(r, F.STARTED_AT_FIELD), now)
      : typeof talk === 'number' && talk > 0
        ? talk
        : read(r, F.TOTAL_SECONDS_FIELD);
    return {
      id: r.id,
      person,
      title: formatLabel(
        outbound ? LABELS.callTo : LABELS.callFrom,
        number || LABELS.unknownCaller,
      ),
      outcome:
        (live ? label(r, F.STATUS_FIELD) : label(r, F.CALL_TYPE_FIELD)) ||
        text(r, F.CALL_NAME_FIELD),
      outcomeClass: stateStyle(text(r, F.STATUS_FIELD), type).badge,
      duration: formatDuration(seconds),
      icon: missed
        ? 'utility:missed_call'
        : outbound
          ? 'utility:outbound_call'
          : 'utility:incoming_call',
      iconClass: missed ? 'icon-missed' : outbound ? 'icon-outbound' : 'icon-inbound',
      startedAt: (read(r, F.STARTED_AT_FIELD) as string | null | undefined) ?? null,
      agent: text(r, F.AGENT_NAME_FIELD),
      callBackHref: missed && number ? telHref(number) : '',
      callBackName: formatLabel(LABELS.callBackName, person),
    };
  });
}
