/**
 * The standard objects (`standard-schema.json`) and `describe`: an object's describe result as the
 * REST API answers it, compound fields, SOAP types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type FieldType,
  type PicklistValue,
  type FieldDef,
  type Value,
  type ObjectDef,
  type ObjectTranslation,
  type FieldSpec,
} from './schema-model';

// ---- the standard-schema data file ----------------------------------------------------------------

interface StandardFieldData {
  name: string;
  type: FieldType;
  label: string;
  length?: number;
  precision?: number;
  scale?: number;
  digits?: number;
  required?: boolean;
  readOnly?: boolean;
  createOnly?: boolean;
  unique?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  caseSensitive?: boolean;
  defaultValue?: string | number | boolean;
  values?: string[];
  restricted?: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  childRelationshipName?: string;
  cascadeDelete?: boolean;
  compound?: { join?: string[] } & Record<string, string | string[]>;
  nameField?: boolean;
  derives?: Record<string, Record<string, Value>>;
  singleTrue?: boolean;
  autoNumber?: string;
}

interface StandardObjectData {
  name: string;
  keyPrefix: string;
  label: string;
  labelPlural: string;
  source: string;
  owner: boolean;
  readOnly?: boolean;
  fields: StandardFieldData[];
  /** Records every org has (picklist-value objects such as CaseStatus), created with the org. */
  rows?: Record<string, Value>[];
}

interface StandardSchemaData {
  apiVersion: string;
  objects: StandardObjectData[];
}

/** The data file next to this module (see its `note` and each object's `source`). */
export const STANDARD_SCHEMA_FILE = join(__dirname, 'standard-schema.json');

let standardCache: StandardSchemaData | undefined;

/** The system records of the standard objects that have them (`rows` in the data file), by object. */
export function standardRows(): { object: string; rows: Record<string, Value>[] }[] {
  return loadStandardSchema()
    .objects.filter((o) => o.rows?.length)
    .map((o) => ({ object: o.name, rows: o.rows! }));
}

export function loadStandardSchema(): StandardSchemaData {
  standardCache ??= JSON.parse(readFileSync(STANDARD_SCHEMA_FILE, 'utf8')) as StandardSchemaData;
  return standardCache;
}

export function standardField(d: StandardFieldData): FieldSpec {
  const { join: joined, ...address } = d.compound ?? {};
  const spec: FieldSpec = {
    name: d.name,
    type: d.type,
    label: d.label,
    nillable: d.required !== true && d.type !== 'boolean',
    unique: d.unique === true,
    externalId: d.externalId === true,
    caseSensitive: d.caseSensitive === true,
    createable: d.readOnly !== true && d.type !== 'address',
    updateable: d.readOnly !== true && d.createOnly !== true && d.type !== 'address',
    custom: false,
    restrictedPicklist: d.restricted === true,
    picklistValues: (d.values ?? []).map((v) => ({
      value: v,
      label: v,
      active: true,
      defaultValue: v === d.defaultValue,
    })),
    referenceTo: d.referenceTo ?? [],
  };
  if (d.length !== undefined) spec.length = d.length;
  if (d.precision !== undefined) spec.precision = d.precision;
  if (d.scale !== undefined) spec.scale = d.scale;
  if (d.digits !== undefined) spec.digits = d.digits;
  if (d.idLookup) spec.idLookup = true;
  if (d.defaultValue !== undefined) spec.defaultValue = d.defaultValue;
  if (d.relationshipName) spec.relationshipName = d.relationshipName;
  if (d.childRelationshipName) spec.childRelationshipName = d.childRelationshipName;
  if (d.cascadeDelete) spec.cascadeDelete = true;
  if (d.nameField) spec.nameField = true;
  if (d.derives) spec.derives = d.derives;
  if (d.singleTrue) spec.singleTrue = true;
  if (d.autoNumber !== undefined) spec.autoNumber = { displayFormat: d.autoNumber };
  if (Array.isArray(joined)) spec.compound = { join: joined };
  else if (d.type === 'address') spec.compound = { address: address as Record<string, string> };
  return spec;
}

/** A compound field's value: an address object (null when every component is empty) or the joined name. */
export function compoundValue(
  f: FieldDef,
  rec: Record<string, unknown>,
): Record<string, unknown> | string | null {
  if (f.compound?.address) {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [key, component] of Object.entries(f.compound.address)) {
      const v = rec[component] ?? null;
      if (v !== null) any = true;
      out[key] = v;
    }
    return any ? out : null;
  }
  return (rec[f.name] as string | null | undefined) ?? null;
}

/** Objects with a recycle bin and recently-viewed tracking expose these (Object Reference, per object). */
function hasField(obj: ObjectDef, name: string): boolean {
  return obj.fields.has(name.toLowerCase());
}

/**
 * The `describe` body for one object, with the keys of the REST API's DescribeSObjectResult
 * (REST API Developer Guide, "sObject Describe"; SOAP API Developer Guide, "DescribeSObjectResult").
 */
export function describeObject(
  obj: ObjectDef,
  apiVersion: string,
  language = 'en_US',
): Record<string, unknown> {
  // Labels in the user's language when the package translates them (Salesforce Help, "Translation
  // Workbench": describe and every page show translated labels to users of that language).
  const tr = obj.translations?.get(language) ?? obj.translations?.get(language.split('_')[0]!);
  const base = `/services/data/v${apiVersion}/sobjects/${obj.name}`;
  const event = obj.isPlatformEvent;
  const writable = obj.writable && !event;
  // The compound field each component belongs to (BillingCity → BillingAddress).
  const compoundOf = new Map<string, string>();
  for (const f of obj.fields.values()) {
    for (const c of Object.values(f.compound?.address ?? {})) compoundOf.set(c, f.name);
  }
  const layoutable = !obj.custom || !event;
  return {
    actionOverrides: [],
    activateable: false,
    childRelationships: obj.childRelationships.map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: layoutable && !event,
    createable: obj.writable || event,
    custom: obj.custom,
    customSetting: false,
    deletable: writable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix,
    label: tr?.label ?? obj.label,
    labelPlural: tr?.labelPlural ?? obj.labelPlural,
    layoutable: layoutable && !event,
    mergeable: ['Account', 'Contact', 'Lead', 'Case'].includes(obj.name),
    mruEnabled: hasField(obj, 'LastViewedDate'),
    name: obj.name,
    queryable: !event,
    recordTypeInfos: [],
    replicateable: !event,
    retrieveable: !event,
    searchable: !event,
    triggerable: true,
    undeletable: writable && hasField(obj, 'IsDeleted'),
    updateable: writable,
    fields: [...obj.fields.values()].map((f) => ({
      aggregatable: f.type !== 'textarea' && f.type !== 'address',
      autoNumber: f.autoNumber !== undefined,
      byteLength: f.length * 3,
      calculated: f.calculated,
      cascadeDelete: false,
      caseSensitive: f.caseSensitive,
      compoundFieldName: compoundOf.get(f.name) ?? null,
      createable: f.createable && writable,
      custom: f.custom,
      defaultValue: f.defaultValue ?? null,
      defaultedOnCreate:
        f.defaultValue !== undefined ||
        f.type === 'boolean' ||
        f.name === 'OwnerId' ||
        f.autoNumber !== undefined ||
        !f.createable,
      dependentPicklist: false,
      deprecatedAndHidden: false,
      digits: f.type === 'int' ? (f.digits ?? 9) : 0,
      externalId: f.externalId,
      filterable: f.type !== 'textarea' || f.length <= 255,
      groupable: !['textarea', 'double', 'currency', 'percent', 'datetime', 'address'].includes(
        f.type,
      ),
      idLookup: f.type === 'id' || f.externalId || f.unique || f.idLookup === true,
      label: tr?.fields.get(f.name.toLowerCase())?.label ?? f.label,
      length: f.length,
      name: f.name,
      nameField: f.nameField === true,
      nillable: f.nillable,
      permissionable: f.nillable && f.createable && f.type !== 'id',
      picklistValues: translatedValues(f, tr),
      polymorphicForeignKey: f.referenceTo.length > 1,
      precision: f.precision,
      referenceTo: f.referenceTo,
      relationshipName: f.relationshipName ?? null,
      restrictedPicklist: f.restrictedPicklist,
      scale: f.scale,
      soapType: soapType(f),
      sortable: f.type !== 'textarea' && f.type !== 'address',
      type: f.type,
      unique: f.unique,
      updateable: f.updateable && writable,
    })),
    urls: {
      compactLayouts: `${base}/describe/compactLayouts`,
      rowTemplate: `${base}/{ID}`,
      approvalLayouts: `${base}/describe/approvalLayouts`,
      listviews: `${base}/listviews`,
      describe: `${base}/describe`,
      quickActions: `${base}/quickActions`,
      layouts: `${base}/describe/layouts`,
      sobject: base,
    },
  };
}

function translatedValues(f: FieldDef, tr: ObjectTranslation | undefined): PicklistValue[] {
  const values = tr?.fields.get(f.name.toLowerCase())?.values;
  if (!values?.size) return f.picklistValues;
  return f.picklistValues.map((v) => ({ ...v, label: values.get(v.label) ?? v.label }));
}

function soapType(f: FieldDef): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'double':
    case 'currency':
    case 'percent':
      return 'xsd:double';
    case 'int':
      return 'xsd:int';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    case 'time':
      return 'xsd:time';
    case 'address':
      return 'urn:address';
    default:
      return 'xsd:string';
  }
}
