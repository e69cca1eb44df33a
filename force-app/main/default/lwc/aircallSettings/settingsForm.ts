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
  texts: RuleTexts;
}

const BUSINESS_HOURS_ID = /^01m[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

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
        allowed.map((v) => ctx.valueLabels[v] ?? v).join(', '),
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
  return errors;
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
 * The values a draft saves: empty business hours mean the org default and an empty country the
 * line's (the engine reads null that way); a country is saved as the ISO code it was understood as,
 * whatever was typed, since that is what matching reads.
 */
export function valuesToSave(draft: DraftValues): Record<string, string | boolean | null> {
  return {
    ...draft,
    Business_Hours_Id__c: String(draft.Business_Hours_Id__c ?? '').trim() || null,
    Default_Country__c: countryCode(String(draft.Default_Country__c ?? '')) ?? null,
  };
}

/** The draft as it reads once saved (the country shown as the code it was saved as). */
export function savedDraft<D extends DraftValues>(draft: D): D {
  return {
    ...draft,
    Default_Country__c: countryCode(String(draft.Default_Country__c ?? '')) ?? '',
  };
}
