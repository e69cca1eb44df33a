/**
 * The rules of the settings form, free of the DOM: which field is wrong and why (each error belongs
 * to one field, so the page can show it there and move focus to it), which fields differ from what
 * is saved, how a saved record becomes a draft and a draft the values to save.
 */
import { countryCode } from './countries';

export { countryCode, countryName, foldCountry } from './countries';

/** A settings draft: field name (as written in this source) → value. */
export type DraftValues = Readonly<Record<string, string | boolean>>;

/** The sentences errors are made of (Custom Labels, passed in so this module stays pure). */
export interface RuleTexts {
  /** "{0}: pick one of {1}." */
  pickOne: string;
  bhInactive: string;
  bhBadId: string;
  matchEmpty: string;
  matchDuplicates: string;
  /** "{0}" names no country… */
  countryUnknown: string;
  ownerIdBad: string;
  callbackWindowBad: string;
  /** "{0} is not a placeholder…" */
  placeholderUnknown: string;
  caseOwnerMissing: string;
  personRecordTypeBad: string;
  personAccountsOff: string;
  /** "{0}" is not Object.Field… */
  phoneFieldBad: string;
  /** "{0}" is not a phone field of {1}… */
  phoneFieldNotPhone: string;
  /** At most 255 characters ({0} now)… */
  phoneFieldsTooLong: string;
}

export interface RuleContext {
  /** Picklist fields and the values each accepts. */
  picklists: Readonly<Record<string, readonly string[]>>;
  /** The objects Match Order may name. */
  matchObjects: readonly string[];
  /** Active business hours ids, when they could be read. */
  activeBusinessHoursIds?: readonly string[];
  fieldLabels: Readonly<Record<string, string>>;
  valueLabels: Readonly<Record<string, string>>;
  /** Words of values that depend on the field, before `valueLabels`. */
  fieldValueLabels?: Readonly<Partial<Record<string, Readonly<Record<string, string>>>>>;
  /** The org has Person Accounts (false: unknown; the action is refused only when known absent). */
  personAccounts?: boolean;
  /** The admin chose a user or queue as the owner of created Cases: its Id is required. */
  caseOwnerChosen?: boolean;
  /** The phone fields of each object whose fields could be read (only those are searched). */
  phoneFields?: Readonly<Partial<Record<PhoneObject, readonly string[]>>>;
  texts: RuleTexts;
}

const BUSINESS_HOURS_ID = /^01m[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;
/** A User (005) or queue (Group, 00G) Id, 15 or 18 characters, as the engine accepts it. */
const OWNER_ID = /^(005|00G)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;
/** A record type's Id (012…, 15 or 18 characters) or API name. */
const RECORD_TYPE = /^(012[A-Za-z0-9]{12}([A-Za-z0-9]{3})?|[A-Za-z][A-Za-z0-9_]*)$/;
export const CREATE_PERSON_ACCOUNT = 'Create Person Account';
/** What a Task subject template may name (src/engine/activity.ts fills these in). */
const SUBJECT_PLACEHOLDERS = ['{direction}', '{outcome}', '{number}', '{line}', '{agent}'];
/** The objects whose phone fields matching searches (src/engine/matching.ts). */
export const PHONE_OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export type PhoneObject = (typeof PHONE_OBJECTS)[number];
/**
 * The phone fields matching always searches (src/engine/matching.ts STANDARD_PHONE_FIELDS and, with
 * Person Accounts, PERSON_PHONE_FIELDS on Account): not offered as extra ones.
 */
export const SEARCHED_PHONE_FIELDS: Record<PhoneObject, readonly string[]> = {
  Contact: ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone'],
  Lead: ['Phone', 'MobilePhone'],
  Account: [
    'Phone',
    'PersonMobilePhone',
    'PersonHomePhone',
    'PersonOtherPhone',
    'PersonAssistantPhone',
  ],
};
/** `Extra_Phone_Fields__c`'s length: what the entries make once joined by commas. */
export const EXTRA_PHONE_FIELDS_LENGTH = 255;
/** An entry as the engine accepts it (src/engine/settings.ts): Object.Field, any case of Object. */
const PHONE_FIELD_ENTRY = /^(contact|lead|account)\.([A-Za-z][A-Za-z0-9_]*)$/i;
/** What the unknown-number action creates: Lead Source and the owner apply (not to Do Nothing). */
const CREATING_ACTIONS = [
  'Create Lead',
  'Create Contact',
  'Create Account',
  'Create Person Account',
];
/** The longest callback window the engine accepts, in hours. */
const MAX_CALLBACK_HOURS = 720;

/** The setting of each kind of call (draft keys), in the order the panel shows them. */
const CALL_TYPE_KEYS = {
  Answered_Inbound_Action__c: true,
  Answered_Outbound_Action__c: true,
  Missed_Inbound_Action__c: true,
  Voicemail_Action__c: true,
  Unanswered_Outbound_Action__c: true,
} as const;
export type CallTypeField = keyof typeof CALL_TYPE_KEYS;
export const CALL_TYPE_FIELDS = Object.keys(CALL_TYPE_KEYS) as CallTypeField[];
export const FOLLOW_UP = 'Log + open follow-up Task';

/** Some kind of call opens a follow-up Task: its owner and callback window apply. */
export function usesFollowUps(draft: DraftValues): boolean {
  return CALL_TYPE_FIELDS.some((field) => draft[field] === FOLLOW_UP);
}

/** Each logged call gets a Task: its subject applies. */
export function usesTasks(draft: DraftValues): boolean {
  return draft.Activity_Task__c === 'Completed Task';
}

/** Text fields saved as null when left empty (the engine then uses its default). */
const OPTIONAL_TEXT = Object.keys({
  Business_Hours_Id__c: true,
  Task_Subject_Template__c: true,
  Follow_Up_Owner_Id__c: true,
  Case_Owner__c: true,
  Person_Account_Record_Type__c: true,
  Created_Lead_Source__c: true,
});
/** Number fields: the draft holds the text of the input. */
const NUMBER_FIELDS = Object.keys({ Callback_Window_Hours__c: true });

/** `{0}`, `{1}`… replaced by the arguments. */
export function fill(template: string, ...args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** Field → the sentence saying what to change in it; an empty object when the draft can be saved. */
export function fieldErrors(draft: DraftValues, ctx: RuleContext): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, allowed] of Object.entries(ctx.picklists)) {
    const value = draft[field];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      errors[field] = fill(
        ctx.texts.pickOne,
        ctx.fieldLabels[field] ?? field,
        allowed
          .map((v) => ctx.fieldValueLabels?.[field]?.[v] ?? ctx.valueLabels[v] ?? v)
          .join(', '),
      );
    }
  }
  const bh = String(draft.Business_Hours_Id__c ?? '').trim();
  if (draft.Log_Calls__c === 'Business Hours Only' && bh !== '') {
    if (ctx.activeBusinessHoursIds) {
      if (!ctx.activeBusinessHoursIds.includes(bh))
        errors.Business_Hours_Id__c = ctx.texts.bhInactive;
    } else if (!BUSINESS_HOURS_ID.test(bh)) {
      errors.Business_Hours_Id__c = ctx.texts.bhBadId;
    }
  }
  const order = String(draft.Match_Order__c ?? '')
    .split(',')
    .filter(Boolean);
  if (order.length === 0) errors.Match_Order__c = ctx.texts.matchEmpty;
  else if (
    order.some((o) => !ctx.matchObjects.includes(o)) ||
    new Set(order).size !== order.length
  ) {
    errors.Match_Order__c = ctx.texts.matchDuplicates;
  }
  const country = String(draft.Default_Country__c ?? '').trim();
  if (country !== '' && !countryCode(country)) {
    errors.Default_Country__c = fill(ctx.texts.countryUnknown, country);
  }
  if (usesTasks(draft)) {
    const unknown = String(draft.Task_Subject_Template__c ?? '')
      .match(/\{[^{}]*\}/g)
      ?.find((p) => !SUBJECT_PLACEHOLDERS.includes(p));
    if (unknown) errors.Task_Subject_Template__c = fill(ctx.texts.placeholderUnknown, unknown);
  }
  if (usesFollowUps(draft)) {
    if (!isOwnerId(draft.Follow_Up_Owner_Id__c, true))
      errors.Follow_Up_Owner_Id__c = ctx.texts.ownerIdBad;
    const hours = String(draft.Callback_Window_Hours__c ?? '').trim();
    if (!/^\d+$/.test(hours) || Number(hours) > MAX_CALLBACK_HOURS)
      errors.Callback_Window_Hours__c = ctx.texts.callbackWindowBad;
  }
  if (draft.Unknown_Number_Action__c === CREATE_PERSON_ACCOUNT) {
    if (ctx.personAccounts === false) errors.Unknown_Number_Action__c = ctx.texts.personAccountsOff;
    const type = String(draft.Person_Account_Record_Type__c ?? '').trim();
    if (type !== '' && !RECORD_TYPE.test(type))
      errors.Person_Account_Record_Type__c = ctx.texts.personRecordTypeBad;
  }
  if (!createsRecords(draft)) delete errors.Created_Record_Owner__c;
  const phoneFields = extraPhoneFieldsError(draft.Extra_Phone_Fields__c, ctx);
  if (phoneFields) errors.Extra_Phone_Fields__c = phoneFields;
  if (usesCases(draft)) {
    const owner = String(draft.Case_Owner__c ?? '').trim();
    if (owner === '' && ctx.caseOwnerChosen) errors.Case_Owner__c = ctx.texts.caseOwnerMissing;
    else if (!isOwnerId(owner, true)) errors.Case_Owner__c = ctx.texts.ownerIdBad;
  }
  return errors;
}

/** Unknown numbers get a record: its owner and Lead Source apply. */
export function createsRecords(draft: DraftValues): boolean {
  return CREATING_ACTIONS.includes(String(draft.Unknown_Number_Action__c));
}

/** The entries of `Extra_Phone_Fields__c`, split as the engine splits them (commas, semicolons, spaces). */
export function phoneFieldEntries(value: unknown): string[] {
  return String(value ?? '')
    .split(/[,;\s]+/)
    .filter(Boolean);
}

/** An entry's object and field (the object spelled as the platform does), or null if it is none. */
export function parsePhoneField(entry: string): { object: PhoneObject; field: string } | null {
  const match = PHONE_FIELD_ENTRY.exec(entry);
  const object = PHONE_OBJECTS.find((o) => o.toLowerCase() === match?.[1]?.toLowerCase());
  return object && match?.[2] ? { object, field: match[2] } : null;
}

/**
 * What is wrong with the extra phone fields, if anything: an entry that is not Object.Field (the
 * engine would ignore it), a field that is not a phone field of its object when its fields are
 * known (searches read phone fields only: SOSL IN PHONE FIELDS), or more than the setting holds.
 */
export function extraPhoneFieldsError(value: unknown, ctx: RuleContext): string | undefined {
  const entries = phoneFieldEntries(value);
  for (const entry of entries) {
    const parsed = parsePhoneField(entry);
    if (!parsed) return fill(ctx.texts.phoneFieldBad, entry);
    const known = ctx.phoneFields?.[parsed.object];
    const field = parsed.field.toLowerCase();
    if (known && !known.some((f) => f.toLowerCase() === field))
      return fill(
        ctx.texts.phoneFieldNotPhone,
        entry,
        ctx.valueLabels[parsed.object] ?? parsed.object,
      );
  }
  const length = entries.join(',').length;
  return length > EXTRA_PHONE_FIELDS_LENGTH
    ? fill(ctx.texts.phoneFieldsTooLong, String(EXTRA_PHONE_FIELDS_LENGTH), String(length))
    : undefined;
}

/** Calls nobody answered get a Case: its owner applies. */
export function usesCases(draft: DraftValues): boolean {
  return draft.Create_Case_For__c !== undefined && draft.Create_Case_For__c !== 'None';
}

/** A User or queue Id (or, when `emptyOk`, nothing). */
export function isOwnerId(value: unknown, emptyOk: boolean): boolean {
  const text = String(value ?? '').trim();
  return text === '' ? emptyOk : OWNER_ID.test(text);
}

/** The first field of `order` (the order on the page) that has an error. */
export function firstError(errors: Readonly<Record<string, string>>, order: readonly string[]) {
  return order.find((field) => errors[field] !== undefined);
}

/** Fields whose draft value differs from the saved one. */
export function changedFields(draft: DraftValues, saved: DraftValues): string[] {
  return Object.keys(saved).filter((field) => draft[field] !== saved[field]);
}

// ----- records and drafts -----

/**
 * The draft of a saved record: each field of `defaults` takes the record's value when it has one
 * (numbers become the text the input shows), else the default.
 */
export function draftFromRecord<D extends DraftValues>(
  defaults: D,
  record: Readonly<Record<string, unknown>> | undefined,
): D {
  const draft: Record<string, string | boolean> = { ...defaults };
  for (const field of Object.keys(defaults)) {
    const value = record?.[field];
    if (typeof value === 'string' || typeof value === 'boolean') draft[field] = value;
    // Saved empty: empty, even where a new record starts with a value (Lead Source: Phone).
    else if (value === null && OPTIONAL_TEXT.includes(field)) draft[field] = '';
    else if (typeof value === 'number' && Number.isFinite(value)) draft[field] = String(value);
  }
  return draft as D;
}

/**
 * What a control's change event sets: a toggle its checked state, a dual listbox its values
 * joined by commas, any other its value.
 */
export function valueFromChange(
  current: string | boolean | undefined,
  detail: { value?: string | string[]; checked?: boolean },
): string | boolean {
  if (typeof current === 'boolean') return detail.checked === true;
  if (Array.isArray(detail.value)) return detail.value.join(',');
  return detail.value ?? '';
}

/**
 * The values a draft saves: an optional text left empty is null (empty business hours mean the org
 * default, an empty owner the engine's); a number is a number; a country is saved as the ISO code
 * it was understood as, whatever was typed, since that is what matching reads (null: the line's).
 */
export function valuesToSave(draft: DraftValues): Record<string, string | number | boolean | null> {
  const values: Record<string, string | number | boolean | null> = { ...draft };
  for (const field of OPTIONAL_TEXT) {
    if (field in draft) values[field] = String(draft[field]).trim() || null;
  }
  for (const field of NUMBER_FIELDS) {
    const text = String(draft[field] ?? '').trim();
    if (field in draft) values[field] = text === '' ? null : Number(text);
  }
  if (draft.Extra_Phone_Fields__c !== undefined)
    values.Extra_Phone_Fields__c = phoneFieldEntries(draft.Extra_Phone_Fields__c).join(',') || null;
  if (draft.Default_Country__c !== undefined)
    values.Default_Country__c = countryCode(String(draft.Default_Country__c)) ?? null;
  return values;
}

/** The draft as it reads once saved: what `valuesToSave` wrote, as the controls show it. */
export function savedDraft<D extends DraftValues>(draft: D): D {
  const values = valuesToSave(draft);
  const out: Record<string, string | boolean> = {};
  for (const [field, value] of Object.entries(draft)) {
    const saved = values[field];
    out[field] = typeof value === 'boolean' ? value : saved === null ? '' : String(saved);
  }
  return out as D;
}
