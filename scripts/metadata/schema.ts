import { ApiSchemas } from 'jsforce/lib/api/metadata/schema';
import type { XmlElement } from './xml';

/**
 * Validates a metadata file's element tree against the Metadata API schema that jsforce generates
 * from Salesforce's WSDL: unknown elements, an element repeated where one is allowed, a required
 * element missing, text where elements are expected (and the reverse), and booleans or numbers that
 * are not. `sf project convert` passes all of these through to the org.
 */

/** A property type as jsforce writes it: 'string', '?boolean', 'CustomField', ['CustomField'], ... */
type PropType = string | readonly string[];
interface TypeDef {
  type: string;
  props: Record<string, PropType>;
  extends?: string;
}

/**
 * Types and properties newer than the schema jsforce ships (it stops before these API versions).
 * Each entry is documented in the Metadata API Developer Guide; keep this list short and cited.
 */
const ADDITIONS: Record<string, TypeDef> = {
  // FlexiPage regions hold itemInstances (each a componentInstance or fieldInstance) since API 47;
  // componentInstance.identifier is required since API 53; valueList since API 49.
  FlexiPageRegion: {
    type: 'FlexiPageRegion',
    props: {
      appendable: '?string',
      componentInstances: ['ComponentInstance'],
      itemInstances: ['ItemInstance'],
      mode: '?string',
      name: 'string',
      prependable: '?string',
      replaceable: '?string',
      type: 'string',
    },
  },
  ItemInstance: {
    type: 'ItemInstance',
    props: { componentInstance: '?ComponentInstance', fieldInstance: '?FieldInstance' },
  },
  ComponentInstance: {
    type: 'ComponentInstance',
    props: {
      componentInstanceProperties: ['ComponentInstanceProperty'],
      componentName: 'string',
      identifier: '?string',
      visibilityRule: '?UiFormulaRule',
    },
  },
  ComponentInstanceProperty: {
    type: 'ComponentInstanceProperty',
    props: {
      name: '?string',
      type: '?string',
      value: '?string',
      valueList: '?ComponentInstancePropertyList',
    },
  },
  ComponentInstancePropertyList: {
    type: 'ComponentInstancePropertyList',
    props: { valueListItems: ['ComponentInstancePropertyListItem'] },
  },
  ComponentInstancePropertyListItem: {
    type: 'ComponentInstancePropertyListItem',
    props: { value: '?string', visibilityRule: '?UiFormulaRule' },
  },
  FieldInstance: {
    type: 'FieldInstance',
    props: {
      fieldInstanceProperties: ['FieldInstanceProperty'],
      fieldItem: 'string',
      identifier: '?string',
      visibilityRule: '?UiFormulaRule',
    },
  },
  FieldInstanceProperty: {
    type: 'FieldInstanceProperty',
    props: { name: '?string', value: '?string' },
  },
};

/**
 * Elements whose content the WSDL declares as an opaque string although source files write XML
 * in them (the Metadata API carries LWC targetConfigs as an embedded document).
 */
const OPAQUE = new Set(['LightningComponentBundle.targetConfigs']);

const PRIMITIVES = new Set(['string', 'boolean', 'number', 'any']);

/**
 * Enumerations the WSDL declares but jsforce flattens to `string`, for the elements where a typo
 * is common and the value list is stable (Metadata API Developer Guide, per type).
 */
const ENUMS: Record<string, readonly string[]> = {
  'CustomField.type': [
    'AutoNumber',
    'Checkbox',
    'Currency',
    'Date',
    'DateTime',
    'Email',
    'EncryptedText',
    'ExternalLookup',
    'File',
    'Hierarchy',
    'Html',
    'IndirectLookup',
    'Location',
    'LongTextArea',
    'Lookup',
    'MasterDetail',
    'MetadataRelationship',
    'MultiselectPicklist',
    'Number',
    'Percent',
    'Phone',
    'Picklist',
    'Summary',
    'Text',
    'TextArea',
    'Time',
    'Url',
  ],
  'CustomField.deleteConstraint': ['Cascade', 'Restrict', 'SetNull'],
  'CustomObject.deploymentStatus': ['Deployed', 'InDevelopment'],
  'CustomObject.eventType': ['StandardVolume', 'HighVolume'],
  'CustomObject.publishBehavior': ['PublishAfterCommit', 'PublishImmediately'],
  'CustomObject.sharingModel': [
    'Private',
    'Read',
    'ReadSelect',
    'ReadWrite',
    'ReadWriteTransfer',
    'FullAccess',
    'ControlledByParent',
    'ControlledByCampaign',
    'ControlledByLeadOrContact',
  ],
  'LayoutItem.behavior': ['Edit', 'Required', 'Readonly'],
  'LayoutSection.style': [
    'TwoColumnsTopToBottom',
    'TwoColumnsLeftToRight',
    'OneColumn',
    'CustomLinks',
  ],
  'FlexiPageRegion.type': ['Region', 'Facet', 'Background'],
  'FlexiPageRegion.mode': ['Append', 'Prepend', 'Replace'],
  'PermissionSetTabSetting.visibility': ['Available', 'None', 'Visible'],
};

const schemas = ApiSchemas as unknown as Record<string, TypeDef>;

function typeDef(name: string): TypeDef | undefined {
  return ADDITIONS[name] ?? schemas[name];
}

/** Every property of a type, inherited ones included (jsforce lists them per type). */
function allProps(name: string): Record<string, PropType> | undefined {
  const def = typeDef(name);
  if (!def) return undefined;
  const inherited = def.extends ? (allProps(def.extends) ?? {}) : {};
  return { ...inherited, ...def.props };
}

export function isKnownMetadataType(name: string): boolean {
  return typeDef(name) !== undefined;
}

function describe(prop: PropType): { base: string; many: boolean; required: boolean } {
  if (Array.isArray(prop)) return { base: prop[0] as string, many: true, required: false };
  const text = prop as string;
  const optional = text.startsWith('?');
  return { base: optional ? text.slice(1) : text, many: false, required: !optional };
}

function checkPrimitive(base: string, value: string, where: string, problems: string[]): void {
  if (base === 'boolean' && value !== 'true' && value !== 'false') {
    problems.push(`${where}: "${value}" is not a boolean (write true or false)`);
  }
  if (base === 'number' && (value === '' || !Number.isFinite(Number(value)))) {
    problems.push(`${where}: "${value}" is not a number`);
  }
}

function validateElement(
  element: XmlElement,
  typeName: string,
  where: string,
  problems: string[],
): void {
  const props = allProps(typeName);
  if (!props) {
    problems.push(`${where}: type ${typeName} is not in the Metadata API schema`);
    return;
  }
  if (element.text.trim() !== '') {
    problems.push(
      `${where}: ${typeName} holds elements, not text ("${element.text.trim().slice(0, 40)}")`,
    );
  }
  const seen = new Map<string, number>();
  for (const child of element.children) {
    const index = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, index);
    const childWhere = `${where} > ${child.name}${index > 1 ? `[${index}]` : ''}`;
    const prop = props[child.name];
    if (prop === undefined) {
      problems.push(`${childWhere}: <${child.name}> is not an element of ${typeName}`);
      continue;
    }
    const { base, many } = describe(prop);
    if (!many && index === 2) {
      problems.push(`${childWhere}: ${typeName} allows one <${child.name}>, found several`);
    }
    if (OPAQUE.has(`${typeName}.${child.name}`) || base === 'any') continue;
    if (PRIMITIVES.has(base)) {
      if (child.children.length > 0) {
        problems.push(
          `${childWhere}: expected a ${base} value, found <${child.children[0]!.name}>`,
        );
      } else {
        checkPrimitive(base, child.text.trim(), childWhere, problems);
        const allowed = ENUMS[`${typeName}.${child.name}`];
        if (allowed && !allowed.includes(child.text.trim())) {
          problems.push(
            `${childWhere}: "${child.text.trim()}" is not one of ${allowed.join(', ')}`,
          );
        }
      }
    } else {
      validateElement(child, base, childWhere, problems);
    }
  }
  for (const [name, prop] of Object.entries(props)) {
    if (describe(prop).required && !seen.has(name) && name !== 'fullName') {
      problems.push(`${where}: required <${name}> is missing from ${typeName}`);
    }
  }
}

/** Problems of one metadata document (root element = metadata type), as readable sentences. */
export function validateMetadata(root: XmlElement): string[] {
  const problems: string[] = [];
  if (!isKnownMetadataType(root.name)) {
    return [`<${root.name}> is not a Metadata API type`];
  }
  const namespace = root.attributes.xmlns;
  if (namespace !== 'http://soap.sforce.com/2006/04/metadata') {
    problems.push(`${root.name}: xmlns must be http://soap.sforce.com/2006/04/metadata`);
  }
  validateElement(root, root.name, root.name, problems);
  return problems;
}
