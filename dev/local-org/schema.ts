/**
 * The local org's schema: the standard objects of `standard-schema.json` (taken from Salesforce's
 * Field Reference / Object Reference, one source page per object) merged with the package's own
 * metadata (force-app objects and fields), so a field that is not in the org fails here the way it
 * fails in an org.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

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

type Value = string | number | boolean | null;

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

type FieldSpec = Partial<FieldDef> & { name: string; type: FieldType };

function field(spec: FieldSpec): FieldDef {
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

const ref = (
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

const readOnly = { createable: false, updateable: false };

/** Fields every object has (system fields are maintained by the org, never written by clients). */
function systemFields(opts: { owner: boolean }): FieldSpec[] {
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

/** Elements that repeat in the package's metadata files: always read as arrays. */
const REPEATED = new Set([
  'value',
  'referenceTo',
  'fields',
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'tabSettings',
  'applicationVisibilities',
  'userPermissions',
  'labels',
  'customLabels',
  'types',
  'members',
  'listViews',
  'compactLayouts',
  'layoutSections',
  'flexiPageRegions',
]);

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => REPEATED.has(tagName),
});

/** Parses a metadata file (source or Metadata API format) with the repeated elements as arrays. */
export function parseMetadataXml(text: string): XmlNode {
  return xml.parse(text) as XmlNode;
}

export type XmlNode = Record<string, unknown>;

function str(node: XmlNode, key: string): string | undefined {
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
}

function asArray(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function bool(node: XmlNode, key: string): boolean {
  return str(node, key) === 'true';
}

/** Translates one CustomField into the shape `describe` reports; undefined for types the org cannot store. */
export function parseFieldXml(objectName: string, xmlText: string): FieldDef | undefined {
  const root = (xml.parse(xmlText) as XmlNode).CustomField as XmlNode | undefined;
  if (!root) return undefined;
  return parseFieldNode(root);
}

/** One CustomField element (source file or an mdapi `.object`'s `<fields>`), parsed. */
export function parseFieldNode(root: XmlNode): FieldDef | undefined {
  const name = str(root, 'fullName');
  const mdType = str(root, 'type');
  if (!name) return undefined;
  const label = str(root, 'label') ?? name;
  const required = bool(root, 'required');
  const length = Number(str(root, 'length') ?? 0);
  const precision = Number(str(root, 'precision') ?? 18);
  const scale = Number(str(root, 'scale') ?? 0);
  const rawDefault = str(root, 'defaultValue');
  const base: FieldSpec = {
    name,
    label,
    type: 'string',
    nillable: !required,
    unique: bool(root, 'unique'),
    externalId: bool(root, 'externalId'),
    caseSensitive: bool(root, 'caseSensitive'),
    custom: true,
  };
  if (str(root, 'formula') !== undefined) {
    // Formulas are not evaluated locally: the field exists (so queries naming it work) but reads null.
    return field({
      ...base,
      type: mdType === 'Checkbox' ? 'boolean' : 'string',
      calculated: true,
      ...readOnly,
    });
  }
  switch (mdType) {
    case 'Text':
      return field({ ...base, type: 'string', length: length || 255 });
    case 'EncryptedText':
      return field({ ...base, type: 'string', length: length || 175 });
    case 'TextArea':
      return field({ ...base, type: 'textarea', length: 255 });
    case 'LongTextArea':
    case 'Html':
      return field({ ...base, type: 'textarea', length: length || 32768 });
    case 'Phone':
      return field({ ...base, type: 'phone', length: 40 });
    case 'Email':
      return field({ ...base, type: 'email', length: 80 });
    case 'Url':
      return field({ ...base, type: 'url', length: 255 });
    case 'Number':
      return field({ ...base, type: 'double', precision, scale });
    case 'Currency':
      return field({ ...base, type: 'currency', precision, scale });
    case 'Percent':
      return field({ ...base, type: 'percent', precision, scale });
    case 'Checkbox':
      return field({
        ...base,
        type: 'boolean',
        nillable: false,
        defaultValue: rawDefault === 'true',
      });
    case 'Date':
      return field({ ...base, type: 'date' });
    case 'DateTime':
      return field({ ...base, type: 'datetime' });
    case 'Time':
      return field({ ...base, type: 'time' });
    case 'AutoNumber':
      return field({
        ...base,
        type: 'string',
        length: 30,
        autoNumber: { displayFormat: str(root, 'displayFormat') ?? '{0}' },
        ...readOnly,
      });
    case 'Picklist':
    case 'MultiselectPicklist': {
      const valueSet = (root.valueSet ?? {}) as XmlNode;
      const definition = (valueSet.valueSetDefinition ?? {}) as XmlNode;
      const values = ((definition.value ?? []) as XmlNode[]).map((v) => ({
        value: str(v, 'fullName') ?? '',
        label: str(v, 'label') ?? str(v, 'fullName') ?? '',
        active: str(v, 'isActive') !== 'false',
        defaultValue: bool(v, 'default'),
      }));
      const dflt = values.find((v) => v.defaultValue)?.value;
      return field({
        ...base,
        type: mdType === 'Picklist' ? 'picklist' : 'multipicklist',
        picklistValues: values,
        restrictedPicklist: bool(valueSet, 'restricted'),
        ...(dflt !== undefined ? { defaultValue: dflt } : {}),
      });
    }
    case 'Lookup':
    case 'MasterDetail': {
      const to = (root.referenceTo as string[] | undefined) ?? [];
      // In the API a custom lookup Foo__c is traversed as Foo__r; the metadata's <relationshipName>
      // is the child relationship seen from the parent (Lead.Aircall_Calls__r), not this name.
      const childRel = str(root, 'relationshipName');
      return field({
        ...base,
        type: 'reference',
        referenceTo: to,
        relationshipName: name.replace(/__c$/, '__r'),
        ...(childRel !== undefined ? { childRelationshipName: `${childRel}__r` } : {}),
        // Deleting a master record deletes its detail records (Object Reference, "Relationships
        // Among Objects"); a lookup clears instead.
        cascadeDelete: mdType === 'MasterDetail',
        nillable: mdType === 'MasterDetail' ? false : !required,
      });
    }
    default:
      return undefined;
  }
}

export function parseDefault(f: FieldDef, raw: string | undefined): FieldDef {
  if (raw === undefined || f.defaultValue !== undefined || f.type === 'boolean') return f;
  // Formula-style defaults: a quoted string literal or a number are the only forms evaluated locally.
  const quoted = /^["'](.*)["']$/.exec(raw);
  if (quoted) return { ...f, defaultValue: quoted[1]! };
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { ...f, defaultValue: Number(raw) };
  return f;
}

/** A stable key prefix for a custom object, derived from its name so it survives restarts. */
export function customPrefix(name: string, taken: Set<string>): string {
  const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const digest = createHash('sha1').update(name).digest();
  const event = name.endsWith('__e');
  let n = digest.readUInt16BE(0);
  for (;;) {
    const prefix = (event ? 'e' : 'a') + base62[(n >> 6) % 62]! + base62[n % 62]!;
    if (!taken.has(prefix)) return prefix;
    n++;
  }
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort();
}

/**
 * Builds the schema: built-in standard objects, plus every object and field under
 * `metadataDir/objects`. A directory still being written (no object file yet, a half-written field)
 * is skipped with a warning rather than failing the whole org.
 */
export function loadSchema(
  metadataDir: string | undefined,
  namespace = '',
  options: { personAccounts?: boolean } = {},
): Schema {
  if (namespace !== '' && !NAMESPACE.test(namespace)) {
    throw new Error(
      `"${namespace}" is not a namespace prefix: letters and digits only, starting with a letter, at most 15 characters (e.g. aircallsfv).`,
    );
  }
  const schema: Schema = {
    namespace,
    objects: new Map(),
    byPrefix: new Map(),
    warnings: [],
    standardApiVersion: '',
  };
  const taken = new Set<string>();
  const standard = loadStandardSchema();
  schema.standardApiVersion = standard.apiVersion;
  for (const b of standard.objects) {
    const obj = buildObject(
      b.name,
      b.keyPrefix,
      [...systemFields({ owner: b.owner }), ...b.fields.map(standardField)],
      {
        custom: false,
        label: b.label,
        labelPlural: b.labelPlural,
        writable: b.readOnly !== true,
        source: b.source,
      },
    );
    schema.objects.set(b.name.toLowerCase(), obj);
    taken.add(b.keyPrefix);
  }
  const objectsDir = metadataDir ? join(metadataDir, 'objects') : undefined;
  const packageDirs = objectsDir ? listDirs(objectsDir) : [];
  // The package's own objects and events (not the standard objects it adds fields to).
  const packageObjects = new Set(
    packageDirs.filter((d) => /__[ce]$/.test(d) && !schema.objects.has(d.toLowerCase())),
  );
  const names = packageNaming(namespace, packageObjects);
  const addFieldFiles = (
    obj: ObjectDef,
    objName: string,
    logicalName: string,
    fieldsDir: string,
  ) => {
    if (!existsSync(fieldsDir)) return;
    for (const file of readdirSync(fieldsDir).sort()) {
      if (!file.endsWith('.field-meta.xml')) continue;
      try {
        const text = readFileSync(join(fieldsDir, file), 'utf8');
        const f = parseFieldXml(objName, text);
        if (!f) {
          schema.warnings.push(
            `${logicalName}/${file}: field type not supported locally; the field is ignored.`,
          );
          continue;
        }
        // An Activity lookup seen from its parent: the Tasks, or the Events, pointing at it.
        if (logicalName === 'Activity' && f.childRelationshipName)
          f.childRelationshipName = objName === 'Event' ? 'Events' : 'Tasks';
        const root = (xml.parse(text) as XmlNode).CustomField as XmlNode;
        addField(obj, names.field(parseDefault(f, str(root, 'defaultValue'))));
      } catch (e) {
        schema.warnings.push(`${logicalName}/${file}: ${(e as Error).message}`);
      }
    }
  };
  for (const logicalName of packageDirs) {
    const dir = join(objectsDir!, logicalName);
    if (logicalName === 'Activity') {
      // Custom fields of activities are defined once on Activity and are fields of both Task and
      // Event (Object Reference "Task": custom fields are shared through Activity).
      for (const target of ['Task', 'Event']) {
        const obj = schema.objects.get(target.toLowerCase());
        if (obj) addFieldFiles(obj, target, logicalName, join(dir, 'fields'));
      }
      continue;
    }
    const objName = names.object(logicalName);
    let obj = schema.objects.get(objName.toLowerCase());
    if (!obj) {
      if (!/__[ce]$/.test(objName)) {
        schema.warnings.push(
          `Standard object ${objName} is not modelled by the local org; its fields are ignored.`,
        );
        continue;
      }
      const objFile = join(dir, `${logicalName}.object-meta.xml`);
      let root: XmlNode = {};
      if (existsSync(objFile)) {
        try {
          root = ((xml.parse(readFileSync(objFile, 'utf8')) as XmlNode).CustomObject ??
            {}) as XmlNode;
        } catch (e) {
          schema.warnings.push(`${objFile}: ${(e as Error).message}`);
        }
      }
      obj = customObjectDef(logicalName, objName, root, taken);
      schema.objects.set(objName.toLowerCase(), obj);
    }
    addFieldFiles(obj, objName, logicalName, join(dir, 'fields'));
  }
  if (metadataDir)
    loadObjectTranslations(schema, join(metadataDir, 'objectTranslations'), namespace);
  if (options.personAccounts) addPersonAccountSchema(schema);
  linkSchema(schema);
  return schema;
}

/**
 * Indexes the objects by key prefix and rebuilds every child relationship (each lookup seen from
 * the object it points to): after loading, and after a deploy changed objects or lookups.
 */
export function linkSchema(schema: Schema): void {
  schema.byPrefix.clear();
  for (const obj of schema.objects.values()) {
    schema.byPrefix.set(obj.keyPrefix, obj);
    obj.childRelationships = [];
  }
  for (const child of schema.objects.values()) {
    for (const f of child.fields.values()) {
      if (f.type !== 'reference') continue;
      for (const target of f.referenceTo) {
        schema.objects.get(target.toLowerCase())?.childRelationships.push({
          childSObject: child.name,
          field: f.name,
          relationshipName: f.childRelationshipName ?? null,
          cascadeDelete: f.cascadeDelete === true,
        });
      }
    }
  }
}

/**
 * A package's custom object or platform event as the org creates it from its CustomObject metadata
 * (`root`): system fields, the name field (text or auto-number), label and plural label. Its key
 * prefix comes from the name in force-app (`logicalName`), so it is the same namespaced or not.
 */
export function customObjectDef(
  logicalName: string,
  objName: string,
  root: XmlNode,
  taken: Set<string>,
): ObjectDef {
  const isEvent = objName.endsWith('__e');
  const nameField = (root.nameField ?? {}) as XmlNode;
  const nameSpecs: FieldSpec[] = isEvent
    ? []
    : str(nameField, 'type') === 'AutoNumber'
      ? [
          {
            name: 'Name',
            type: 'string',
            length: 80,
            label: str(nameField, 'label') ?? 'Name',
            autoNumber: { displayFormat: str(nameField, 'displayFormat') ?? '{0}' },
            ...readOnly,
          },
        ]
      : [
          {
            name: 'Name',
            type: 'string',
            length: 80,
            label: str(nameField, 'label') ?? 'Name',
          },
        ];
  const system: FieldSpec[] = isEvent
    ? [
        { name: 'ReplayId', type: 'string', ...readOnly },
        { name: 'CreatedDate', type: 'datetime', ...readOnly },
        ref('CreatedById', ['User'], 'CreatedBy', readOnly),
        { name: 'EventUuid', type: 'string', length: 36, ...readOnly },
      ]
    : systemFields({ owner: true });
  // Key prefixes come from the name in force-app, so they are the same in both modes.
  const prefix = customPrefix(logicalName, taken);
  taken.add(prefix);
  return buildObject(objName, prefix, [...system, ...nameSpecs], {
    custom: true,
    ...(str(root, 'label') !== undefined ? { label: str(root, 'label')! } : {}),
    ...(str(root, 'pluralLabel') !== undefined ? { labelPlural: str(root, 'pluralLabel')! } : {}),
  });
}

/**
 * Reads `objectTranslations/<Object>-<language>/` (source format: the object's
 * `.objectTranslation-meta.xml` and one `.fieldTranslation-meta.xml` per field) onto the objects,
 * under their names in the org (namespaced like the objects and fields themselves).
 */
function loadObjectTranslations(schema: Schema, dir: string, namespace: string): void {
  const prefix = namespace ? `${namespace}__` : '';
  const own = (name: string) => (prefix && /__[ce]$/.test(name) ? prefix + name : name);
  for (const folder of listDirs(dir)) {
    const m = /^(.+)-([A-Za-z_]+)$/.exec(folder);
    if (!m) continue;
    const [, logical = '', language = ''] = m;
    const obj =
      schema.objects.get(own(logical).toLowerCase()) ?? schema.objects.get(logical.toLowerCase());
    if (!obj) {
      schema.warnings.push(`objectTranslations/${folder}: no object ${logical}; ignored.`);
      continue;
    }
    const tr: ObjectTranslation = { fields: new Map() };
    for (const file of readdirSync(join(dir, folder)).sort()) {
      try {
        const text = readFileSync(join(dir, folder, file), 'utf8');
        if (file.endsWith('.objectTranslation-meta.xml')) {
          const root = ((xml.parse(text) as XmlNode).CustomObjectTranslation ?? {}) as XmlNode;
          for (const c of asArray(root.caseValues)) {
            // The shared parser reads every <value> as a list (picklist values).
            const value = asArray((c as XmlNode).value)[0];
            if (typeof value !== 'string' || !value) continue;
            if (str(c as XmlNode, 'plural') === 'true') tr.labelPlural = value;
            else tr.label ??= value;
          }
          const nameLabel = str(root, 'nameFieldLabel');
          if (nameLabel) tr.fields.set('name', { label: nameLabel, values: new Map() });
        } else if (file.endsWith('.fieldTranslation-meta.xml')) {
          const root = ((xml.parse(text) as XmlNode).CustomFieldTranslation ?? {}) as XmlNode;
          const name = str(root, 'name');
          if (!name) continue;
          const values = new Map<string, string>();
          for (const v of asArray(root.picklistValues)) {
            const master = str(v as XmlNode, 'masterLabel');
            const translation = str(v as XmlNode, 'translation');
            if (master && translation) values.set(master, translation);
          }
          const label = str(root, 'label');
          tr.fields.set(own(name).toLowerCase(), { ...(label ? { label } : {}), values });
        }
      } catch (e) {
        schema.warnings.push(`objectTranslations/${folder}/${file}: ${(e as Error).message}`);
      }
    }
    (obj.translations ??= new Map()).set(language, tr);
  }
}

/** A namespace prefix as Salesforce allows it: letters and digits, starting with a letter, ≤ 15. */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]{0,14}$/;

/**
 * How a subscriber org names the components of a package installed with `namespace` (Object
 * Reference, "AppExchange Object Prefixes and the API": `name__c` becomes `prefix__name__c`): the
 * package's objects and events, every custom field it defines (on its own objects and on standard
 * ones: `Contact.aircallsfv__Aircall_Phone_Key__c`), the relationship names of its lookups
 * (`aircallsfv__Lead__r`) and their child relationships (`aircallsfv__Aircall_Calls__r`), and the
 * lookups' targets when they are package objects. Standard objects and fields keep their names;
 * with no namespace every name is left as written in force-app.
 */
export function packageNaming(namespace: string, packageObjects: ReadonlySet<string>) {
  const prefix = namespace ? `${namespace}__` : '';
  const own = (name: string): string => (prefix && /__[cre]$/.test(name) ? prefix + name : name);
  return {
    object: (name: string): string => (packageObjects.has(name) ? own(name) : name),
    field: (f: FieldDef): FieldDef => {
      if (!prefix || !f.custom) return f;
      return {
        ...f,
        name: own(f.name),
        referenceTo: f.referenceTo.map((t) => (packageObjects.has(t) ? own(t) : t)),
        ...(f.relationshipName !== undefined ? { relationshipName: own(f.relationshipName) } : {}),
        ...(f.childRelationshipName !== undefined
          ? { childRelationshipName: own(f.childRelationshipName) }
          : {}),
      };
    },
  };
}

/** The child relationship `name` (Contacts) of `obj`, case-insensitive. */
export function childRelationship(
  schema: Schema,
  obj: ObjectDef,
  name: string,
): { rel: ChildRelationship; child: ObjectDef; field: FieldDef } | undefined {
  const rel = obj.childRelationships.find(
    (r) => r.relationshipName !== null && r.relationshipName.toLowerCase() === name.toLowerCase(),
  );
  if (!rel) return undefined;
  const child = schema.objects.get(rel.childSObject.toLowerCase())!;
  return { rel, child, field: child.fields.get(rel.field.toLowerCase())! };
}

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

function loadStandardSchema(): StandardSchemaData {
  standardCache ??= JSON.parse(readFileSync(STANDARD_SCHEMA_FILE, 'utf8')) as StandardSchemaData;
  return standardCache;
}

function standardField(d: StandardFieldData): FieldSpec {
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

/**
 * Account's person fields and the Contact field each one is (Object Reference, "Account", the
 * fields marked "only for person accounts"; "Person Account Fields"): a person account's person
 * contact holds the same values under the Contact name.
 */
export const PERSON_ACCOUNT_FIELDS: readonly (readonly [account: string, contact: string])[] = [
  ['FirstName', 'FirstName'],
  ['LastName', 'LastName'],
  ['MiddleName', 'MiddleName'],
  ['Suffix', 'Suffix'],
  ['Salutation', 'Salutation'],
  ['Phone', 'Phone'],
  ['PersonMobilePhone', 'MobilePhone'],
  ['PersonHomePhone', 'HomePhone'],
  ['PersonOtherPhone', 'OtherPhone'],
  ['PersonAssistantPhone', 'AssistantPhone'],
  ['PersonAssistantName', 'AssistantName'],
  ['PersonEmail', 'Email'],
  ['PersonTitle', 'Title'],
  ['PersonDepartment', 'Department'],
  ['PersonBirthdate', 'Birthdate'],
  ['PersonLeadSource', 'LeadSource'],
  ['PersonDoNotCall', 'DoNotCall'],
  ['PersonHasOptedOutOfEmail', 'HasOptedOutOfEmail'],
  ['PersonHasOptedOutOfFax', 'HasOptedOutOfFax'],
  ['PersonMailingStreet', 'MailingStreet'],
  ['PersonMailingCity', 'MailingCity'],
  ['PersonMailingState', 'MailingState'],
  ['PersonMailingPostalCode', 'MailingPostalCode'],
  ['PersonMailingCountry', 'MailingCountry'],
  ['PersonOtherStreet', 'OtherStreet'],
  ['PersonOtherCity', 'OtherCity'],
  ['PersonOtherState', 'OtherState'],
  ['PersonOtherPostalCode', 'OtherPostalCode'],
  ['PersonOtherCountry', 'OtherCountry'],
];

/**
 * Person Accounts enabled (API Developer Guide, "Person Account Record Types"; Object Reference,
 * "Account", "Contact", "RecordType"): the RecordType object (with `IsPersonType`), Account's
 * `RecordTypeId`, `IsPersonAccount`, `PersonContactId` and person fields (the Contact fields they
 * mirror, `PERSON_ACCOUNT_FIELDS`), every custom Contact field again on Account as `…__pc`, and
 * `Contact.IsPersonAccount`. What may be written where is person-accounts.ts.
 */
function addPersonAccountSchema(schema: Schema): void {
  schema.personAccounts = true;
  const account = schema.objects.get('account')!;
  const contact = schema.objects.get('contact')!;
  const recordType = buildObject(
    'RecordType',
    '012',
    [
      ...systemFields({ owner: false }),
      { name: 'Name', type: 'string', length: 80, nillable: false, nameField: true },
      { name: 'DeveloperName', type: 'string', length: 80, nillable: false },
      { name: 'NamespacePrefix', type: 'string', length: 15, ...readOnly },
      { name: 'Description', type: 'string', length: 255 },
      { name: 'SobjectType', type: 'picklist', length: 40, nillable: false },
      { name: 'IsActive', type: 'boolean' },
      { name: 'IsPersonType', type: 'boolean', ...readOnly },
    ],
    {
      custom: false,
      label: 'Record Type',
      labelPlural: 'Record Types',
      source:
        'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_recordtype.htm',
    },
  );
  schema.objects.set('recordtype', recordType);
  addField(
    account,
    field(ref('RecordTypeId', ['RecordType'], 'RecordType', { label: 'Record Type ID' })),
  );
  addField(
    account,
    field({ name: 'IsPersonAccount', type: 'boolean', label: 'Is Person Account', ...readOnly }),
  );
  addField(
    account,
    field(
      ref('PersonContactId', ['Contact'], 'PersonContact', {
        label: 'Person Contact ID',
        ...readOnly,
      }),
    ),
  );
  addField(
    contact,
    field({ name: 'IsPersonAccount', type: 'boolean', label: 'Is Person Account', ...readOnly }),
  );
  for (const [accountName, contactName] of PERSON_ACCOUNT_FIELDS) {
    if (account.fields.has(accountName.toLowerCase())) continue;
    const source = contact.fields.get(contactName.toLowerCase());
    if (!source) continue;
    addField(account, { ...source, name: accountName, nillable: source.type !== 'boolean' });
  }
  for (const f of [...contact.fields.values()]) {
    if (!f.custom || !f.name.endsWith('__c')) continue;
    const name = `${f.name.slice(0, -3)}__pc`;
    // The copy's lookup is named `…__pr` on Account; the child relationship stays the Contact's.
    const { childRelationshipName: _child, ...copy } = f;
    const rel = f.relationshipName
      ? { relationshipName: f.relationshipName.replace(/__r$/, '__pr') }
      : {};
    addField(account, { ...copy, name, ...rel });
  }
}
