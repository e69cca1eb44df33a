/**
 * Values fitted to the lengths of their fields, as the org's describe reports them. Aircall sends
 * whatever its users typed (a contact's name, a company, a number that is no number), and a real
 * org refuses a text longer than its field with STRING_TOO_LONG — for the whole record, so the
 * call would be dead-lettered with nothing written. Instead:
 *
 * - a text, phone or text-area value is cut to the field's length, ending with "…";
 * - a URL or e-mail that does not fit is left out (a cut one would point somewhere else);
 * - external ids are never cut (a cut key would name another record): they go as they are;
 * - on a record for an unknown number (a Lead, Contact or Account), the full values that were cut are
 *   kept in the record's long-text `Description` when the org has that field.
 *
 * The lengths come from the describes the connector reads once at start (src/salesforce/package.ts),
 * in the package's names; an object or field not described is written as it is.
 */
import { EXTERNAL_ID } from '../engine';

/** What the org's describe says about a field that holds text. */
export interface FieldShape {
  type: string;
  length: number;
}

/** Object (package name) → field (package name) → shape. */
export type FieldShapes = ReadonlyMap<string, ReadonlyMap<string, FieldShape>>;

/** Types whose values can be cut; others are left alone. */
const CUTTABLE = new Set(['string', 'textarea', 'phone', 'encryptedstring', 'combobox']);
const DROPPED = new Set(['url', 'email']);
/** External ids the connector writes by: never cut. */
const KEYS = new Set<string>([
  ...Object.values(EXTERNAL_ID),
  'Aircall_Phone_Key__c',
  'User_Key__c',
]);

/** `text` cut to at most `max` UTF-16 units (as Salesforce counts), ending with "…", never inside a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${text.slice(0, Math.max(0, end))}…`;
}

export interface Fitted<T> {
  fields: T;
  /** Fields whose value was cut or left out, with the value Aircall sent. */
  cut: { field: string; full: string }[];
}

/** A record's fields fitted to `sobject`'s described lengths. Nested references are left alone. */
export function fitRecord<T extends Record<string, unknown>>(
  sobject: string,
  fields: T,
  shapes: FieldShapes,
  options: { keepWholeIn?: string } = {},
): Fitted<T> {
  const described = shapes.get(sobject);
  if (!described) return { fields, cut: [] };
  let out: Record<string, unknown> | null = null;
  const cutList: { field: string; full: string }[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || KEYS.has(field)) continue;
    const shape = described.get(field);
    if (!shape || shape.length <= 0 || value.length <= shape.length) continue;
    let fitted: string | null;
    if (CUTTABLE.has(shape.type)) fitted = cut(value, shape.length);
    else if (DROPPED.has(shape.type)) fitted = null;
    else continue;
    out ??= { ...fields };
    out[field] = fitted;
    cutList.push({ field, full: value });
  }
  if (!out) return { fields, cut: [] };
  const whole = options.keepWholeIn ? described.get(options.keepWholeIn) : undefined;
  if (
    options.keepWholeIn &&
    whole &&
    whole.type === 'textarea' &&
    !(options.keepWholeIn in fields)
  ) {
    const note =
      'Aircall sent values longer than their fields; in full:\n' +
      cutList.map((c) => `${c.field}: ${c.full}`).join('\n');
    out[options.keepWholeIn] = cut(note, whole.length);
  }
  return { fields: out as T, cut: cutList };
}

/** Telephony API body fields → the VoiceCall field each one fills. */
const TELEPHONY_FIELDS: Readonly<Record<string, string>> = {
  from: 'FromPhoneNumber',
  to: 'ToPhoneNumber',
  fromNumber: 'FromPhoneNumber',
  toNumber: 'ToPhoneNumber',
  queue: 'QueueName',
};

/** A Telephony API body whose numbers fit the VoiceCall fields they fill. */
export function fitTelephonyBody<T extends object>(body: T, shapes: FieldShapes): T {
  const described = shapes.get('VoiceCall');
  if (!described) return body;
  let out: Record<string, unknown> | null = null;
  for (const [key, field] of Object.entries(TELEPHONY_FIELDS)) {
    const value = (body as Record<string, unknown>)[key];
    const shape = described.get(field);
    if (typeof value !== 'string' || !shape || shape.length <= 0 || value.length <= shape.length)
      continue;
    out ??= { ...(body as Record<string, unknown>) };
    out[key] = cut(value, shape.length);
  }
  const participants = (body as { participants?: unknown }).participants;
  const max = described.get('FromPhoneNumber')?.length ?? 0;
  if (out && Array.isArray(participants) && max > 0) {
    out.participants = participants.map((p: unknown) =>
      p &&
      typeof p === 'object' &&
      typeof (p as { participantKey?: unknown }).participantKey === 'string'
        ? { ...p, participantKey: cut((p as { participantKey: string }).participantKey, max) }
        : p,
    );
  }
  return (out ?? body) as T;
}
