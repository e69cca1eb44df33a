/**
 * The local org's schema: the standard objects of `standard-schema.json` (taken from Salesforce's
 * Field Reference / Object Reference, one source page per object) merged with the package's own
 * metadata (force-app objects and fields), so a field that is not in the org fails here the way it
 * fails in an org.
 *
 * Beside it: schema-model.ts (the shapes), schema-xml.ts (metadata files), schema-describe.ts
 * (standard objects, describe).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type FieldDef,
  type ChildRelationship,
  type ObjectDef,
  type ObjectTranslation,
  type Schema,
  type FieldSpec,
  field,
  ref,
  readOnly,
  systemFields,
  buildObject,
  addField,
} from './schema-model';
import {
  xml,
  type XmlNode,
  str,
  asArray,
  parseFieldXml,
  parseDefault,
  customPrefix,
} from './schema-xml';
import { loadStandardSchema, standardField } from './schema-describe';

export {
  type FieldType,
  type PicklistValue,
  type FieldDef,
  type ChildRelationship,
  type ObjectDef,
  type ObjectTranslation,
  type Schema,
  buildObject,
  addField,
} from './schema-model';
export {
  parseMetadataXml,
  type XmlNode,
  parseFieldXml,
  parseFieldNode,
  parseDefault,
  customPrefix,
} from './schema-xml';
export {
  STANDARD_SCHEMA_FILE,
  standardRows,
  compoundValue,
  describeObject,
} from './schema-describe';

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
    let root: XmlNode = {};
    const fields: XmlNode[] = [];
    for (const file of readdirSync(join(dir, folder)).sort()) {
      try {
        const text = readFileSync(join(dir, folder, file), 'utf8');
        if (file.endsWith('.objectTranslation-meta.xml'))
          root = ((xml.parse(text) as XmlNode).CustomObjectTranslation ?? {}) as XmlNode;
        else if (file.endsWith('.fieldTranslation-meta.xml'))
          fields.push(((xml.parse(text) as XmlNode).CustomFieldTranslation ?? {}) as XmlNode);
      } catch (e) {
        schema.warnings.push(`objectTranslations/${folder}/${file}: ${(e as Error).message}`);
      }
    }
    const tr = objectTranslation(root, fields, own);
    (obj.translations ??= new Map()).set(language, tr);
  }
}

/**
 * One object's translation from its CustomObjectTranslation element and its field elements (in a
 * Metadata API folder, the `<fields>` of that element; in source format, one
 * `.fieldTranslation-meta.xml` each): names, field labels, picklist value labels by master label.
 * `own` names a field as the org does (the package namespace).
 */
export function objectTranslation(
  root: XmlNode,
  fields: XmlNode[],
  own: (field: string) => string,
): ObjectTranslation {
  const tr: ObjectTranslation = { fields: new Map() };
  for (const c of asArray(root.caseValues)) {
    // The shared parser reads every <value> as a list (picklist values).
    const value = asArray((c as XmlNode).value)[0];
    if (typeof value !== 'string' || !value) continue;
    if (str(c as XmlNode, 'plural') === 'true') tr.labelPlural = value;
    else tr.label ??= value;
  }
  const nameLabel = str(root, 'nameFieldLabel');
  if (nameLabel) tr.fields.set('name', { label: nameLabel, values: new Map() });
  for (const f of fields) {
    const name = str(f, 'name');
    if (!name) continue;
    const values = new Map<string, string>();
    for (const v of asArray(f.picklistValues)) {
      const master = str(v as XmlNode, 'masterLabel');
      const translation = str(v as XmlNode, 'translation');
      if (master && translation) values.set(master, translation);
    }
    const label = str(f, 'label');
    tr.fields.set(own(name).toLowerCase(), { ...(label ? { label } : {}), values });
  }
  return tr;
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
