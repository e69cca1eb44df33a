/**
 * The shape of the local org's schema (objects, fields, relationships, translations) and the
 * builders of its objects and fields. The schema itself is loaded by schema.ts.
 */

/** Field types as `describe` reports them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'phone'
  | 'email'
  | 'url'
  | 'combobox'
  /** Compound address (BillingAddress): read-only, read as an object built from its components. */
  | 'address'
  /** A file's bytes as base64 (ContentVersion.VersionData). */
  | 'base64';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  /** false = required on create (REQUIRED_FIELD_MISSING when absent and no default). */
  nillable: boolean;
  unique: boolean;
  externalId: boolean;
  /** Indexed for lookups (Id, unique and external-id fields, and standard keys such as VendorCallKey). */
  idLookup?: boolean;
  caseSensitive: boolean;
  createable: boolean;
  updateable: boolean;
  calculated: boolean;
  autoNumber?: { displayFormat: string };
  defaultValue?: string | number | boolean;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName?: string;
  /** The parent's name for the children this lookup points from (Contact.AccountId → Account.Contacts). */
  childRelationshipName?: string;
  /** Deleting the parent deletes the children through this lookup (master-detail, Account → Contact). */
  cascadeDelete?: boolean;
  custom: boolean;
  /** Compound fields: an address's component fields by key, or the fields a name joins with spaces. */
  compound?: { address?: Record<string, string>; join?: string[] };
  nameField?: boolean;
  /** Picklist value → values other fields take when it is set (Opportunity.StageName → Probability…). */
  derives?: Record<string, Record<string, Value>>;
  /** Setting it true on one record sets it false on every other record (BusinessHours.IsDefault). */
  singleTrue?: boolean;
  /** Digits of an int field. */
  digits?: number;
}

/** A parent's view of a lookup that points to it (describe's `childRelationships`). */
export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export type Value = string | number | boolean | null;

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  isPlatformEvent: boolean;
  /** false for objects no client may create or change (Organization, UserServicePresence). */
  writable: boolean;
  /** Where the standard field list comes from (a Field Reference / Object Reference page). */
  source?: string;
  /** Lookups of other objects pointing here, filled once every object is loaded (linkSchema). */
  childRelationships: ChildRelationship[];
  /** Fields by lower-cased API name (Salesforce names are case-insensitive). */
  fields: Map<string, FieldDef>;
  /** Relationship fields by lower-cased relationship name. */
  relationships: Map<string, FieldDef>;
  /** The package's object translations (objectTranslations/<Object>-<language>), by language code. */
  translations?: Map<string, ObjectTranslation>;
}

/**
 * What a user whose language is `language` reads instead of the master labels (Metadata API
 * Developer Guide, "CustomObjectTranslation"): the object's names, field labels and picklist value
 * labels, the last keyed by the value's master (English) label.
 */
export interface ObjectTranslation {
  label?: string;
  labelPlural?: string;
  fields: Map<string, { label?: string; values: Map<string, string> }>;
}

export interface Schema {
  /**
   * The namespace the package is installed under ('' = deployed from source, unprefixed). Every
   * object, field, relationship and event the package defines carries `<namespace>__`.
   */
  namespace: string;
  /** Objects by lower-cased API name. */
  objects: Map<string, ObjectDef>;
  byPrefix: Map<string, ObjectDef>;
  /** Files that could not be read, so `doctor`-like callers can say what is missing. */
  warnings: string[];
  /** The API version the standard schema reflects. */
  standardApiVersion: string;
  /** Person Accounts are enabled (person-accounts.ts): RecordType, Account's person fields. */
  personAccounts?: boolean;
}

export type FieldSpec = Partial<FieldDef> & { name: string; type: FieldType };

export function field(spec: FieldSpec): FieldDef {
  const defaults: Record<FieldType, number> = {
    id: 18,
    string: 255,
    textarea: 255,
    picklist: 255,
    multipicklist: 4099,
    reference: 18,
    boolean: 0,
    double: 0,
    int: 0,
    currency: 0,
    percent: 0,
    date: 0,
    datetime: 0,
    time: 0,
    phone: 40,
    email: 80,
    url: 255,
    combobox: 255,
    address: 0,
    base64: 0,
  };
  return {
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    length: defaults[spec.type],
    precision:
      spec.type === 'double' || spec.type === 'currency' || spec.type === 'percent' ? 18 : 0,
    scale: 0,
    nillable: spec.type !== 'boolean',
    unique: false,
    externalId: false,
    caseSensitive: false,
    createable: true,
    updateable: true,
    calculated: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    custom: spec.name.endsWith('__c'),
    ...spec,
  };
}

export const ref = (
  name: string,
  to: string[],
  relationshipName: string,
  extra: Partial<FieldDef> = {},
): FieldSpec => ({
  name,
  type: 'reference',
  referenceTo: to,
  relationshipName,
  ...extra,
});

export const readOnly = { createable: false, updateable: false };

/** Fields every object has (system fields are maintained by the org, never written by clients). */
export function systemFields(opts: { owner: boolean }): FieldSpec[] {
  const fields: FieldSpec[] = [
    { name: 'Id', type: 'id', nillable: false, ...readOnly },
    { name: 'IsDeleted', type: 'boolean', ...readOnly },
    { name: 'CreatedDate', type: 'datetime', nillable: false, ...readOnly },
    ref('CreatedById', ['User'], 'CreatedBy', { nillable: false, ...readOnly }),
    { name: 'LastModifiedDate', type: 'datetime', nillable: false, ...readOnly },
    ref('LastModifiedById', ['User'], 'LastModifiedBy', { nillable: false, ...readOnly }),
    { name: 'SystemModstamp', type: 'datetime', nillable: false, ...readOnly },
  ];
  // OwnerId is required but defaulted on create to the running user, so clients may omit it.
  if (opts.owner) fields.push(ref('OwnerId', ['User'], 'Owner', { nillable: false }));
  return fields;
}

export function buildObject(
  name: string,
  keyPrefix: string,
  specs: FieldSpec[],
  opts: {
    custom: boolean;
    label?: string;
    labelPlural?: string;
    writable?: boolean;
    source?: string;
  },
): ObjectDef {
  const def: ObjectDef = {
    name,
    label: opts.label ?? name.replace(/__[ce]$/, '').replace(/_/g, ' '),
    labelPlural: opts.labelPlural ?? `${opts.label ?? name}s`,
    keyPrefix,
    custom: opts.custom,
    isPlatformEvent: name.endsWith('__e'),
    writable: opts.writable ?? true,
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    childRelationships: [],
    fields: new Map(),
    relationships: new Map(),
  };
  for (const spec of specs) addField(def, field(spec));
  return def;
}

export function addField(obj: ObjectDef, f: FieldDef): void {
  obj.fields.set(f.name.toLowerCase(), f);
  if (f.relationshipName) obj.relationships.set(f.relationshipName.toLowerCase(), f);
}
