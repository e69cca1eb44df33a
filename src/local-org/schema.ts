/**
 * The local org's schema: a small built-in description of the standard objects the product touches,
 * merged with the package's own metadata (force-app objects and fields), so a field that is not in
 * the package fails here the way it fails in an org.
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
  | 'url';

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
  custom: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  isPlatformEvent: boolean;
  /** Fields by lower-cased API name (Salesforce names are case-insensitive). */
  fields: Map<string, FieldDef>;
  /** Relationship fields by lower-cased relationship name. */
  relationships: Map<string, FieldDef>;
}

export interface Schema {
  /** Objects by lower-cased API name. */
  objects: Map<string, ObjectDef>;
  byPrefix: Map<string, ObjectDef>;
  /** Files that could not be read, so `doctor`-like callers can say what is missing. */
  warnings: string[];
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

function picklist(values: string[], defaultValue?: string): PicklistValue[] {
  return values.map((v) => ({
    value: v,
    label: v,
    active: true,
    defaultValue: v === defaultValue,
  }));
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

const PHONE = (name: string): FieldSpec => ({ name, type: 'phone' });

interface BuiltinObject {
  name: string;
  keyPrefix: string;
  owner: boolean;
  fields: FieldSpec[];
}

/**
 * Standard objects, limited to the fields the product reads or writes (plus the phone fields
 * Aircall's matching searches). Sources: Salesforce Object Reference pages for each object.
 */
const BUILTIN: BuiltinObject[] = [
  {
    name: 'Organization',
    keyPrefix: '00D',
    owner: false,
    fields: [
      { name: 'Name', type: 'string', length: 80, ...readOnly },
      { name: 'TimeZoneSidKey', type: 'picklist', ...readOnly },
      { name: 'DefaultLocaleSidKey', type: 'picklist', ...readOnly },
      { name: 'OrganizationType', type: 'picklist', ...readOnly },
      { name: 'InstanceName', type: 'string', length: 5, ...readOnly },
      { name: 'IsSandbox', type: 'boolean', ...readOnly },
    ],
  },
  {
    name: 'User',
    keyPrefix: '005',
    owner: false,
    fields: [
      { name: 'Username', type: 'string', length: 80, nillable: false, unique: true },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', length: 80, nillable: false },
      { name: 'Name', type: 'string', length: 121, ...readOnly },
      { name: 'Email', type: 'email', length: 128, nillable: false },
      { name: 'Alias', type: 'string', length: 8 },
      { name: 'IsActive', type: 'boolean', defaultValue: true },
      { name: 'TimeZoneSidKey', type: 'picklist', length: 40 },
      { name: 'Phone', type: 'phone' },
      { name: 'MobilePhone', type: 'phone' },
      { name: 'Title', type: 'string', length: 80 },
    ],
  },
  {
    name: 'Account',
    keyPrefix: '001',
    owner: true,
    fields: [
      { name: 'Name', type: 'string', length: 255, nillable: false },
      PHONE('Phone'),
      PHONE('Fax'),
      { name: 'Type', type: 'picklist', length: 255 },
      { name: 'Industry', type: 'picklist', length: 255 },
      { name: 'Website', type: 'url' },
      { name: 'AccountNumber', type: 'string', length: 40 },
      { name: 'BillingCity', type: 'string', length: 40 },
      { name: 'BillingCountry', type: 'string', length: 80 },
      { name: 'Description', type: 'textarea', length: 32000 },
    ],
  },
  {
    name: 'Contact',
    keyPrefix: '003',
    owner: true,
    fields: [
      ref('AccountId', ['Account'], 'Account'),
      { name: 'Salutation', type: 'picklist', length: 40 },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', length: 80, nillable: false },
      { name: 'Name', type: 'string', length: 121, ...readOnly },
      PHONE('Phone'),
      PHONE('MobilePhone'),
      PHONE('HomePhone'),
      PHONE('OtherPhone'),
      PHONE('AssistantPhone'),
      PHONE('Fax'),
      { name: 'Email', type: 'email' },
      { name: 'Title', type: 'string', length: 128 },
      { name: 'Description', type: 'textarea', length: 32000 },
    ],
  },
  {
    name: 'Lead',
    keyPrefix: '00Q',
    owner: true,
    fields: [
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', length: 80, nillable: false },
      { name: 'Name', type: 'string', length: 121, ...readOnly },
      { name: 'Company', type: 'string', length: 255, nillable: false },
      PHONE('Phone'),
      PHONE('MobilePhone'),
      PHONE('Fax'),
      { name: 'Email', type: 'email' },
      { name: 'Title', type: 'string', length: 128 },
      {
        name: 'Status',
        type: 'picklist',
        length: 255,
        nillable: false,
        defaultValue: 'Open - Not Contacted',
        picklistValues: picklist(
          [
            'Open - Not Contacted',
            'Working - Contacted',
            'Closed - Converted',
            'Closed - Not Converted',
          ],
          'Open - Not Contacted',
        ),
      },
      { name: 'LeadSource', type: 'picklist', length: 255 },
      { name: 'IsConverted', type: 'boolean', defaultValue: false, updateable: false },
      { name: 'ConvertedDate', type: 'date', ...readOnly },
      ref('ConvertedAccountId', ['Account'], 'ConvertedAccount', readOnly),
      ref('ConvertedContactId', ['Contact'], 'ConvertedContact', readOnly),
      { name: 'Description', type: 'textarea', length: 32000 },
    ],
  },
  {
    name: 'CallCenter',
    keyPrefix: '04v',
    owner: false,
    fields: [
      { name: 'Name', type: 'string', length: 80, nillable: false },
      { name: 'InternalName', type: 'string', length: 80, nillable: false },
      { name: 'Version', type: 'double' },
    ],
  },
  {
    // Object Reference "VoiceCall". Required-on-create fields below are those a REST create of a
    // VoiceCall needs (the Telephony API fills them itself); which fields a real org requires on a
    // REST create is not verified here, so this is deliberately strict.
    name: 'VoiceCall',
    keyPrefix: '0LQ',
    owner: true,
    fields: [
      {
        name: 'Name',
        type: 'string',
        length: 255,
        autoNumber: { displayFormat: 'VC-{00000000}' },
        ...readOnly,
      },
      {
        name: 'CallType',
        type: 'picklist',
        nillable: false,
        restrictedPicklist: true,
        picklistValues: picklist([
          'Inbound',
          'Outbound',
          'Transfer',
          'Callback',
          'Consult',
          'InternalCall',
        ]),
      },
      {
        name: 'VendorType',
        type: 'picklist',
        restrictedPicklist: true,
        defaultValue: 'ContactCenter',
        picklistValues: picklist(['ContactCenter', 'Dialer', 'SCV'], 'ContactCenter'),
      },
      { name: 'CallStartDateTime', type: 'datetime', nillable: false },
      { name: 'CallEndDateTime', type: 'datetime', nillable: false },
      { name: 'CallAcceptDateTime', type: 'datetime' },
      { name: 'CallQueuedDateTime', type: 'datetime' },
      { name: 'CallDurationInSeconds', type: 'int' },
      { name: 'FromPhoneNumber', type: 'string', length: 255, nillable: false },
      { name: 'ToPhoneNumber', type: 'string', length: 255, nillable: false },
      { name: 'VendorCallKey', type: 'string', length: 255, idLookup: true },
      ref('CallCenterId', ['CallCenter'], 'CallCenter', { nillable: false }),
      ref('RelatedRecordId', ['Account', 'Contact', 'Lead'], 'RelatedRecord'),
      ref('CallRecordingId', ['VoiceCallRecording'], 'CallRecording'),
      ref('UserId', ['User'], 'User'),
      { name: 'IsRecorded', type: 'boolean', defaultValue: false },
      { name: 'CallDisposition', type: 'string', length: 255 },
      { name: 'CallResolution', type: 'string', length: 255 },
      { name: 'CallOrigin', type: 'string', length: 255 },
      { name: 'DisconnectReason', type: 'string', length: 255 },
      { name: 'QueueName', type: 'string', length: 255 },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'TotalHoldDuration', type: 'int' },
      { name: 'LongestHoldDuration', type: 'int' },
      { name: 'NumberOfHolds', type: 'int' },
      { name: 'AgentInteractionDuration', type: 'int' },
    ],
  },
  {
    // The Telephony API creates these from recordingLocation + totalRecordingDuration. The field
    // holding the location is not verified against the Object Reference; the product reads
    // VoiceCall.IsRecorded / CallRecordingId rather than this object's fields.
    name: 'VoiceCallRecording',
    keyPrefix: '0Ls',
    owner: false,
    fields: [
      {
        name: 'Name',
        type: 'string',
        length: 255,
        autoNumber: { displayFormat: 'VCR-{00000000}' },
        ...readOnly,
      },
      ref('VoiceCallId', ['VoiceCall'], 'VoiceCall', { nillable: false }),
      { name: 'DurationInSeconds', type: 'int' },
      { name: 'MediaContentType', type: 'string', length: 255 },
      { name: 'RecordingLocation', type: 'url', length: 1000 },
    ],
  },
  {
    name: 'BusinessHours',
    keyPrefix: '01m',
    owner: false,
    fields: [
      { name: 'Name', type: 'string', length: 80, nillable: false },
      { name: 'IsActive', type: 'boolean', defaultValue: true },
      { name: 'IsDefault', type: 'boolean', defaultValue: false },
      { name: 'TimeZoneSidKey', type: 'picklist', length: 40, nillable: false },
      ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].flatMap(
        (day): FieldSpec[] => [
          { name: `${day}StartTime`, type: 'time' },
          { name: `${day}EndTime`, type: 'time' },
        ],
      ),
    ],
  },
  {
    name: 'Holiday',
    keyPrefix: '0C0',
    owner: false,
    fields: [
      { name: 'Name', type: 'string', length: 80, nillable: false },
      { name: 'Description', type: 'string', length: 100 },
      { name: 'ActivityDate', type: 'date' },
      { name: 'IsAllDay', type: 'boolean', defaultValue: true },
      { name: 'StartTimeInMinutes', type: 'int' },
      { name: 'EndTimeInMinutes', type: 'int' },
      { name: 'IsRecurrence', type: 'boolean', defaultValue: false },
      { name: 'RecurrenceType', type: 'picklist', length: 40 },
      { name: 'RecurrenceStartDate', type: 'date' },
      { name: 'RecurrenceDayOfMonth', type: 'int' },
      { name: 'RecurrenceMonthOfYear', type: 'picklist', length: 40 },
      { name: 'RecurrenceType', type: 'picklist', length: 40 },
      { name: 'RecurrenceStartDate', type: 'date' },
      { name: 'RecurrenceEndDateOnly', type: 'date' },
      { name: 'RecurrenceDayOfMonth', type: 'int' },
      { name: 'RecurrenceMonthOfYear', type: 'picklist', length: 40 },
    ],
  },
  {
    name: 'ServicePresenceStatus',
    keyPrefix: '0N5',
    owner: false,
    fields: [
      { name: 'DeveloperName', type: 'string', length: 80, nillable: false },
      { name: 'MasterLabel', type: 'string', length: 80, nillable: false },
      { name: 'Language', type: 'picklist', length: 40 },
    ],
  },
  {
    // A rep's Omni-Channel presence: one record per status period, the open one has
    // IsCurrentState = true. Read-only through the API in a real org (Omni writes it when the rep
    // changes status in the browser), so every field is read-only here too; only the local-only
    // `Org.setPresence` (POST /local/presence) writes it, the way Omni would.
    name: 'UserServicePresence',
    keyPrefix: '0Hn',
    owner: false,
    fields: [
      { name: 'Name', type: 'string', length: 255, ...readOnly },
      ref('UserId', ['User'], 'User', { ...readOnly }),
      ref('ServicePresenceStatusId', ['ServicePresenceStatus'], 'ServicePresenceStatus', {
        ...readOnly,
      }),
      { name: 'IsCurrentState', type: 'boolean', defaultValue: false, ...readOnly },
      { name: 'IsAway', type: 'boolean', defaultValue: false, ...readOnly },
      { name: 'StatusStartDate', type: 'datetime', ...readOnly },
      { name: 'StatusEndDate', type: 'datetime', ...readOnly },
      { name: 'StatusDuration', type: 'int', ...readOnly },
      { name: 'ConfiguredCapacity', type: 'int', ...readOnly },
    ],
  },
];

function buildObject(
  name: string,
  keyPrefix: string,
  specs: FieldSpec[],
  opts: { custom: boolean; label?: string; labelPlural?: string },
): ObjectDef {
  const def: ObjectDef = {
    name,
    label: opts.label ?? name.replace(/__[ce]$/, '').replace(/_/g, ' '),
    labelPlural: opts.labelPlural ?? `${opts.label ?? name}s`,
    keyPrefix,
    custom: opts.custom,
    isPlatformEvent: name.endsWith('__e'),
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

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => tagName === 'value' || tagName === 'referenceTo',
});

type XmlNode = Record<string, unknown>;

function str(node: XmlNode, key: string): string | undefined {
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
}

function bool(node: XmlNode, key: string): boolean {
  return str(node, key) === 'true';
}

/** Translates one CustomField into the shape `describe` reports; undefined for types the org cannot store. */
export function parseFieldXml(objectName: string, xmlText: string): FieldDef | undefined {
  const root = (xml.parse(xmlText) as XmlNode).CustomField as XmlNode | undefined;
  if (!root) return undefined;
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
      return field({
        ...base,
        type: 'reference',
        referenceTo: to,
        relationshipName: name.replace(/__c$/, '__r'),
        nillable: mdType === 'MasterDetail' ? false : !required,
      });
    }
    default:
      return undefined;
  }
}

function parseDefault(f: FieldDef, raw: string | undefined): FieldDef {
  if (raw === undefined || f.defaultValue !== undefined || f.type === 'boolean') return f;
  // Formula-style defaults: a quoted string literal or a number are the only forms evaluated locally.
  const quoted = /^["'](.*)["']$/.exec(raw);
  if (quoted) return { ...f, defaultValue: quoted[1]! };
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { ...f, defaultValue: Number(raw) };
  return f;
}

/** A stable key prefix for a custom object, derived from its name so it survives restarts. */
function customPrefix(name: string, taken: Set<string>): string {
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
export function loadSchema(metadataDir: string | undefined): Schema {
  const schema: Schema = { objects: new Map(), byPrefix: new Map(), warnings: [] };
  const taken = new Set<string>();
  for (const b of BUILTIN) {
    const obj = buildObject(
      b.name,
      b.keyPrefix,
      [...systemFields({ owner: b.owner }), ...b.fields],
      {
        custom: false,
        label: b.name,
      },
    );
    schema.objects.set(b.name.toLowerCase(), obj);
    taken.add(b.keyPrefix);
  }
  const objectsDir = metadataDir ? join(metadataDir, 'objects') : undefined;
  for (const objName of objectsDir ? listDirs(objectsDir) : []) {
    const dir = join(objectsDir!, objName);
    let obj = schema.objects.get(objName.toLowerCase());
    if (!obj) {
      if (!/__[ce]$/.test(objName)) {
        schema.warnings.push(
          `Standard object ${objName} is not modelled by the local org; its fields are ignored.`,
        );
        continue;
      }
      const objFile = join(dir, `${objName}.object-meta.xml`);
      let root: XmlNode = {};
      if (existsSync(objFile)) {
        try {
          root = ((xml.parse(readFileSync(objFile, 'utf8')) as XmlNode).CustomObject ??
            {}) as XmlNode;
        } catch (e) {
          schema.warnings.push(`${objFile}: ${(e as Error).message}`);
        }
      }
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
      const prefix = customPrefix(objName, taken);
      taken.add(prefix);
      obj = buildObject(objName, prefix, [...system, ...nameSpecs], {
        custom: true,
        ...(str(root, 'label') !== undefined ? { label: str(root, 'label')! } : {}),
        ...(str(root, 'pluralLabel') !== undefined
          ? { labelPlural: str(root, 'pluralLabel')! }
          : {}),
      });
      schema.objects.set(objName.toLowerCase(), obj);
    }
    const fieldsDir = join(dir, 'fields');
    if (!existsSync(fieldsDir)) continue;
    for (const file of readdirSync(fieldsDir).sort()) {
      if (!file.endsWith('.field-meta.xml')) continue;
      try {
        const text = readFileSync(join(fieldsDir, file), 'utf8');
        const f = parseFieldXml(objName, text);
        if (!f) {
          schema.warnings.push(
            `${objName}/${file}: field type not supported locally; the field is ignored.`,
          );
          continue;
        }
        const root = (xml.parse(text) as XmlNode).CustomField as XmlNode;
        addField(obj, parseDefault(f, str(root, 'defaultValue')));
      } catch (e) {
        schema.warnings.push(`${objName}/${file}: ${(e as Error).message}`);
      }
    }
  }
  for (const obj of schema.objects.values()) schema.byPrefix.set(obj.keyPrefix, obj);
  return schema;
}

/** The `describe` body for one object (the subset of keys the product and jsforce read). */
export function describeObject(obj: ObjectDef, apiVersion: string): Record<string, unknown> {
  const base = `/services/data/v${apiVersion}/sobjects/${obj.name}`;
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: obj.labelPlural,
    keyPrefix: obj.keyPrefix,
    custom: obj.custom,
    createable: true,
    updateable: !obj.isPlatformEvent,
    deletable: !obj.isPlatformEvent,
    queryable: !obj.isPlatformEvent,
    searchable: !obj.isPlatformEvent,
    retrieveable: !obj.isPlatformEvent,
    fields: [...obj.fields.values()].map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      length: f.length,
      precision: f.precision,
      scale: f.scale,
      nillable: f.nillable,
      unique: f.unique,
      externalId: f.externalId,
      idLookup: f.type === 'id' || f.externalId || f.unique || f.idLookup === true,
      caseSensitive: f.caseSensitive,
      createable: f.createable,
      updateable: f.updateable,
      calculated: f.calculated,
      custom: f.custom,
      autoNumber: f.autoNumber !== undefined,
      defaultedOnCreate:
        f.defaultValue !== undefined || f.name === 'OwnerId' || f.autoNumber !== undefined,
      defaultValue: f.defaultValue ?? null,
      picklistValues: f.picklistValues,
      restrictedPicklist: f.restrictedPicklist,
      referenceTo: f.referenceTo,
      relationshipName: f.relationshipName ?? null,
    })),
    urls: {
      sobject: base,
      describe: `${base}/describe`,
      rowTemplate: `${base}/{ID}`,
    },
  };
}
