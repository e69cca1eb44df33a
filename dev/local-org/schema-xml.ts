/**
 * The package's metadata files read into the schema: an object's or field's XML as a FieldDef,
 * default values, custom key prefixes.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { type FieldDef, type FieldSpec, field, readOnly } from './schema-model';

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

export const xml = new XMLParser({
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

export function str(node: XmlNode, key: string): string | undefined {
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
}

export function asArray(v: unknown): unknown[] {
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
