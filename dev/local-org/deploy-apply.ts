/**
 * What a deploy does to the org: each component checked the way the Metadata API checks it, then —
 * unless the deploy is check-only or a component failed with rollbackOnError — the package becomes
 * the org's schema (objects and fields with their types, lengths, picklists, external ids and
 * lookups), its permission sets, labels and translations, layouts and pages.
 *
 * Refusals, with the problem text the Metadata API gives (each is cited in
 * test/local-org/deploy-refusals.test.ts):
 * - a lookup to an object the org does not have: "referenceTo value of 'X' does not resolve to a
 *   valid sObject type";
 * - a picklist with more than one default value;
 * - a permission set (or translation) naming a field, object or label the org does not have:
 *   "In field: field - no CustomField named X.Y found";
 * - the same API name twice: "Duplicate name 'X.Y' specified";
 * - a field changed to a lookup ("Cannot update a field to a Lookup, MasterDetail, or Hierarchy
 *   from something else"), from a lookup, or to another type while records hold values ("Cannot
 *   change type due to existing data");
 * - a member of package.xml without its file.
 */
import type { Component, DeployPackage } from './deploy-package';
import { analyticsOfComponents, mergeAnalytics, type AnalyticsMetadata } from './report-metadata';
import type { Org } from './runtime';
import {
  addField,
  customObjectDef,
  objectTranslation,
  linkSchema,
  packageNaming,
  parseDefault,
  parseFieldNode,
  type FieldDef,
  type FieldType,
  type ObjectDef,
  type ObjectTranslation,
  type XmlNode,
} from './schema';

export interface DeployMessage {
  changed: boolean;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  success: boolean;
  problem?: string;
  problemType?: 'Error' | 'Warning';
}

/** What the org keeps of a deployed package besides its schema. */
export interface DeployedMetadata {
  /** Permission sets by API name (as the org names them): object and field permissions. */
  permissionSets: Map<string, PermissionSetDef>;
  /** Custom labels by name → value, and their translations by language. */
  labels: Map<string, string>;
  translations: Map<string, Map<string, string>>;
  /** Layouts, flexipages, tabs, applications, LWC and Aura bundles… by `Type:fullName`. */
  components: Map<string, Component>;
  /** Custom objects of the package, named as in force-app (for the namespace). */
  packageObjects: Set<string>;
  /** Report types, reports, dashboards and folders deployed (what the Analytics API serves). */
  analytics: AnalyticsMetadata;
}

export interface PermissionSetDef {
  /** The permission set's Name (without the namespace, which is its NamespacePrefix). */
  name: string;
  label: string;
  /** Lower-cased object API name → access. */
  objects: Map<string, { read: boolean; create: boolean; edit: boolean; del: boolean }>;
  /** Lower-cased `Object.Field` → access. */
  fields: Map<string, { read: boolean; edit: boolean }>;
}

export interface DeployPlan {
  successes: DeployMessage[];
  failures: DeployMessage[];
  /** Makes the deployed components the org's (only the successful ones). */
  apply: () => void;
}

const asArray = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const text = (node: XmlNode | undefined, key: string): string | undefined => {
  const v = node?.[key];
  return typeof v === 'string' ? v : undefined;
};

/** Activity (the fields Task and Event share) is read as Task. */
const activity = (object: string): string => (object === 'Activity' ? 'Task' : object);

/** Field types that hold the same kind of value (a change inside one keeps the data). */
const FAMILY: Partial<Record<FieldType, string>> = {
  string: 'text',
  textarea: 'text',
  phone: 'text',
  email: 'text',
  url: 'text',
  picklist: 'text',
  multipicklist: 'text',
  combobox: 'text',
  double: 'number',
  int: 'number',
  currency: 'number',
  percent: 'number',
  date: 'date',
  datetime: 'date',
};

export function planDeploy(org: Org, pkg: DeployPackage, deployed: DeployedMetadata): DeployPlan {
  const schema = org.schema;
  const ns = schema.namespace;
  const now = new Date().toISOString();
  const results = new Map<Component, string | undefined>();
  const fail = (c: Component, problem: string): void => {
    if (!results.get(c)) results.set(c, problem);
  };
  for (const c of pkg.components) results.set(c, c.problem);

  const byType = (type: string): Component[] => pkg.components.filter((c) => c.type === type);
  const objectComponents = byType('CustomObject');
  // The package's own objects (named as in force-app), this deploy's and earlier ones'.
  const packageObjects = new Set(deployed.packageObjects);
  for (const c of objectComponents) if (/__[ce]$/.test(c.fullName)) packageObjects.add(c.fullName);
  for (const o of schema.objects.values()) {
    if (o.custom)
      packageObjects.add(ns && o.name.startsWith(`${ns}__`) ? o.name.slice(ns.length + 2) : o.name);
  }
  const names = packageNaming(ns, packageObjects);
  const orgField = (object: string, field: string): string =>
    ns && /__c$/.test(field) ? `${ns}__${field}` : field;

  // ---- objects ----
  const taken = new Set([...schema.objects.values()].map((o) => o.keyPrefix));
  const newObjects = new Map<string, ObjectDef>();
  const objectUpdates: { obj: ObjectDef; label?: string; plural?: string }[] = [];
  for (const c of objectComponents) {
    if (results.get(c)) continue;
    const root = c.node ?? {};
    const orgName = names.object(c.fullName);
    const existing = schema.objects.get(orgName.toLowerCase());
    if (existing) {
      objectUpdates.push({
        obj: existing,
        label: text(root, 'label'),
        plural: text(root, 'pluralLabel'),
      });
      continue;
    }
    if (!/__[ce]$/.test(c.fullName)) {
      // A standard object the local org does not model: its fields cannot be checked here.
      org.schema.warnings.push(
        `Standard object ${c.fullName} is not modelled by the local org; deployed without its fields.`,
      );
      continue;
    }
    // Metadata API Developer Guide, "CustomObject": label is required.
    if (!text(root, 'label')) {
      fail(c, 'Must specify a non-empty label for the CustomObject');
      continue;
    }
    newObjects.set(orgName.toLowerCase(), customObjectDef(c.fullName, orgName, root, taken));
  }
  const objectOf = (name: string): ObjectDef | undefined =>
    newObjects.get(name.toLowerCase()) ?? schema.objects.get(name.toLowerCase());
  const failedObjects = new Set(
    objectComponents.filter((c) => results.get(c)).map((c) => c.fullName.toLowerCase()),
  );

  // ---- fields ----
  const fieldPlans: { obj: ObjectDef; f: FieldDef; c: Component }[] = [];
  const seen = new Map<string, Component>();
  // The same field twice in an object's file (API names are case-insensitive).
  const twice = new Set<string>();
  for (const c of objectComponents) {
    const names = new Set<string>();
    for (const f of asArray(c.node?.fields as XmlNode[] | undefined)) {
      const key = `${c.fullName}.${text(f, 'fullName') ?? ''}`.toLowerCase();
      if (names.has(key)) twice.add(key);
      names.add(key);
    }
  }
  for (const c of byType('CustomField')) {
    if (results.get(c)) continue;
    const dot = c.fullName.indexOf('.');
    const objectName = c.fullName.slice(0, dot);
    const fieldName = c.fullName.slice(dot + 1);
    const key = c.fullName.toLowerCase();
    if (seen.has(key)) {
      fail(c, `Duplicate name '${c.fullName}' specified`);
      fail(seen.get(key)!, `Duplicate name '${c.fullName}' specified`);
      continue;
    }
    seen.set(key, c);
    if (twice.has(key)) {
      fail(c, `Duplicate name '${c.fullName}' specified`);
      continue;
    }
    if (failedObjects.has(objectName.toLowerCase())) {
      fail(c, 'Parent entity failed to deploy');
      continue;
    }
    // Custom fields of activities are defined once on Activity and are fields of both Task and
    // Event (Object Reference, "Task": custom fields are shared through Activity).
    const obj = objectOf(names.object(activity(objectName)));
    if (!obj) {
      if (/__[ce]$/.test(objectName)) fail(c, `Entity '${objectName}' not found`);
      // else: a standard object not modelled locally (warned above).
      continue;
    }
    if (!/__c$/.test(fieldName)) {
      // Customising a standard field (its picklist values, help text…): it must exist.
      if (!obj.fields.has(fieldName.toLowerCase()))
        fail(c, "Could not resolve standard field's name.");
      continue;
    }
    const parsed = c.node ? parseFieldNode(c.node) : undefined;
    if (!parsed) {
      org.schema.warnings.push(
        `${c.fullName}: field type ${text(c.node, 'type') ?? '?'} not supported locally; the field is ignored.`,
      );
      continue;
    }
    const f = names.field(parseDefault(parsed, text(c.node, 'defaultValue')));
    const problem = checkField(f, c.node!, obj, (name) => objectOf(name) !== undefined, org);
    if (problem) fail(c, problem);
    else if (objectName === 'Activity') {
      // An Activity lookup seen from its parent: the Tasks, or the Events, pointing at it.
      for (const target of ['Task', 'Event']) {
        const o = objectOf(target);
        if (!o) continue;
        const childRelationshipName = target === 'Event' ? 'Events' : 'Tasks';
        fieldPlans.push({
          obj: o,
          f: f.childRelationshipName ? { ...f, childRelationshipName } : f,
          c,
        });
      }
    } else fieldPlans.push({ obj, f, c });
  }
  // The org as it would be: fields by `object.field`, lower-cased.
  const willHave = (object: string, field: string): boolean => {
    const obj = objectOf(activity(object));
    if (!obj) return false;
    if (obj.fields.has(field.toLowerCase())) return true;
    return fieldPlans.some((p) => p.obj === obj && p.f.name.toLowerCase() === field.toLowerCase());
  };

  // ---- labels ----
  const labels = new Map(deployed.labels);
  const labelSeen = new Set<string>();
  for (const c of byType('CustomLabel')) {
    if (results.get(c)) continue;
    if (labelSeen.has(c.fullName.toLowerCase()))
      fail(c, `Duplicate name '${c.fullName}' specified`);
    labelSeen.add(c.fullName.toLowerCase());
    labels.set(c.fullName, text(c.node, 'value') ?? '');
  }

  // ---- permission sets ----
  const permissionSets: PermissionSetDef[] = [];
  for (const c of byType('PermissionSet')) {
    if (results.get(c)) continue;
    const root = c.node ?? {};
    const def: PermissionSetDef = {
      name: c.fullName,
      label: text(root, 'label') ?? c.fullName,
      objects: new Map(),
      fields: new Map(),
    };
    for (const p of asArray(root.objectPermissions as XmlNode[] | undefined)) {
      const logical = text(p, 'object') ?? '';
      const object = names.object(logical);
      if (!objectOf(object)) {
        fail(c, `In field: object - no CustomObject named ${logical} found`);
        continue;
      }
      def.objects.set(object.toLowerCase(), {
        read: text(p, 'allowRead') === 'true',
        create: text(p, 'allowCreate') === 'true',
        edit: text(p, 'allowEdit') === 'true',
        del: text(p, 'allowDelete') === 'true',
      });
    }
    for (const p of asArray(root.fieldPermissions as XmlNode[] | undefined)) {
      const logical = text(p, 'field') ?? '';
      const dot = logical.indexOf('.');
      const object = names.object(logical.slice(0, dot));
      const field = orgField(object, logical.slice(dot + 1));
      if (!willHave(object, field)) {
        fail(c, `In field: field - no CustomField named ${logical} found`);
        continue;
      }
      def.fields.set(`${object}.${field}`.toLowerCase(), {
        read: text(p, 'readable') === 'true',
        edit: text(p, 'editable') === 'true',
      });
    }
    permissionSets.push(def);
  }

  // ---- translations ----
  const translations: [string, Map<string, string>][] = [];
  for (const c of byType('Translations')) {
    if (results.get(c)) continue;
    const map = new Map<string, string>();
    for (const t of asArray(c.node?.customLabels as XmlNode[] | undefined)) {
      const name = text(t, 'name') ?? '';
      if (!labels.has(name)) fail(c, `In field: name - no CustomLabel named ${name} found`);
      map.set(name, text(t, 'label') ?? '');
    }
    translations.push([c.fullName, map]);
  }

  // ---- object translations (Metadata API Developer Guide, "CustomObjectTranslation") ----
  // `Object-language`: the object's names, field labels and picklist value labels for the users of
  // that language (what describe answers them).
  const objectTranslations: {
    c: Component;
    obj: () => ObjectDef | undefined;
    language: string;
    tr: ObjectTranslation;
  }[] = [];
  for (const c of byType('CustomObjectTranslation')) {
    if (results.get(c)) continue;
    const dash = c.fullName.lastIndexOf('-');
    const logical = c.fullName.slice(0, dash);
    const language = c.fullName.slice(dash + 1);
    const object = names.object(activity(logical));
    if (!objectOf(object)) {
      fail(c, `In field: name - no CustomObject named ${logical} found`);
      continue;
    }
    const fields = asArray(c.node?.fields as XmlNode[] | undefined);
    const missing = fields
      .map((f) => text(f, 'name') ?? '')
      .find((f) => /__c$/.test(f) && !willHave(object, orgField(object, f)));
    if (missing) {
      fail(c, `In field: name - no CustomField named ${logical}.${missing} found`);
      continue;
    }
    objectTranslations.push({
      c,
      obj: () => schema.objects.get(object.toLowerCase()),
      language,
      tr: objectTranslation(c.node ?? {}, fields, (f) => orgField(object, f)),
    });
  }

  // ---- results ----
  const successes: DeployMessage[] = [];
  const failures: DeployMessage[] = [];
  for (const c of pkg.components) {
    const problem = results.get(c);
    const existed =
      c.type === 'CustomObject'
        ? schema.objects.has(names.object(c.fullName).toLowerCase())
        : c.type === 'CustomField'
          ? (() => {
              const [o, f] = [
                c.fullName.slice(0, c.fullName.indexOf('.')),
                c.fullName.slice(c.fullName.indexOf('.') + 1),
              ];
              return (
                schema.objects
                  .get(names.object(activity(o)).toLowerCase())
                  ?.fields.has(orgField(o, f).toLowerCase()) === true
              );
            })()
          : deployed.components.has(`${c.type}:${c.fullName}`);
    const base = {
      componentType: c.type,
      createdDate: now,
      deleted: false,
      fileName: c.fileName,
      fullName: c.fullName,
    };
    if (problem)
      failures.push({
        ...base,
        changed: false,
        created: false,
        success: false,
        problem,
        problemType: 'Error',
      });
    else successes.push({ ...base, changed: true, created: !existed, success: true });
  }
  const ok = new Set(pkg.components.filter((c) => !results.get(c)));

  return {
    successes,
    failures,
    apply: () => {
      for (const [key, obj] of newObjects) {
        const c = objectComponents.find((o) => names.object(o.fullName).toLowerCase() === key);
        if (c && ok.has(c)) schema.objects.set(key, obj);
      }
      for (const u of objectUpdates) {
        if (u.label) u.obj.label = u.label;
        if (u.plural) u.obj.labelPlural = u.plural;
      }
      for (const p of fieldPlans)
        if (ok.has(p.c) && schema.objects.get(p.obj.name.toLowerCase()) === p.obj)
          addField(p.obj, p.f);
      for (const c of objectComponents)
        if (ok.has(c) && /__[ce]$/.test(c.fullName)) deployed.packageObjects.add(c.fullName);
      linkSchema(schema);
      for (const obj of schema.objects.values()) org.store.ensureObject(obj);
      for (const c of byType('CustomLabel'))
        if (ok.has(c)) deployed.labels.set(c.fullName, labels.get(c.fullName) ?? '');
      for (const def of permissionSets) {
        const c = byType('PermissionSet').find((p) => p.fullName === def.name);
        if (!c || !ok.has(c)) continue;
        deployed.permissionSets.set(def.name, def);
        // The PermissionSet record `sf org assign permset` looks up (Name, NamespacePrefix).
        org.store.begin();
        org.systemRecord(
          'PermissionSet',
          (r) => r.Name === def.name && (r.NamespacePrefix ?? '') === ns,
          {
            Name: def.name,
            Label: def.label,
            Description: text(c.node, 'description')?.slice(0, 255) ?? null,
            NamespacePrefix: ns || null,
            IsCustom: true,
            IsOwnedByProfile: false,
            Type: 'Regular',
          },
        );
        org.store.commit();
      }
      for (const [lang, map] of translations) {
        const all = deployed.translations.get(lang) ?? new Map<string, string>();
        for (const [k, v] of map) all.set(k, v);
        deployed.translations.set(lang, all);
      }
      for (const t of objectTranslations) {
        const obj = t.obj();
        if (!ok.has(t.c) || !obj) continue;
        (obj.translations ??= new Map()).set(t.language, t.tr);
        // An Activity translation is the Task's and the Event's.
        const event = schema.objects.get('event');
        if (obj.name === 'Task' && event) (event.translations ??= new Map()).set(t.language, t.tr);
      }
      const analytics = analyticsOfComponents(
        pkg.components.filter((c) => ok.has(c)),
        ns,
      );
      mergeAnalytics(deployed.analytics, analytics);
      // Undefined while a file-backed org replays its deployments (it adds them all afterwards).
      (org.analytics as Org['analytics'] | undefined)?.add(analytics);
      for (const c of pkg.components) {
        if (!ok.has(c)) continue;
        deployed.components.set(`${c.type}:${c.fullName}`, c);
        if (c.type === 'PlatformEventChannelMember') org.selectForCdc(c.node ?? {});
      }
    },
  };
}

/** A field's own checks: its lookup target, its picklist, and the change from the field it replaces. */
function checkField(
  f: FieldDef,
  node: XmlNode,
  obj: ObjectDef,
  objectExists: (name: string) => boolean,
  org: Org,
): string | undefined {
  if (f.type === 'reference') {
    for (const target of f.referenceTo) {
      if (!objectExists(target))
        return `referenceTo value of '${asArray(node.referenceTo as string[] | undefined)[f.referenceTo.indexOf(target)] ?? target}' does not resolve to a valid sObject type`;
    }
  }
  if (f.type === 'picklist' || f.type === 'multipicklist') {
    const defaults = f.picklistValues.filter((v) => v.defaultValue);
    if (f.type === 'picklist' && defaults.length > 1)
      return `Picklist ${obj.name}.${f.name} can have only one default value: ${defaults.map((d) => d.value).join(', ')} are all marked default`;
    const values = new Set<string>();
    for (const v of f.picklistValues) {
      if (values.has(v.value.toLowerCase())) return `Duplicate picklist value: ${v.value}`;
      values.add(v.value.toLowerCase());
    }
  }
  const old = obj.fields.get(f.name.toLowerCase());
  if (!old || old.type === f.type) return undefined;
  if (f.type === 'reference')
    return 'Cannot update a field to a Lookup, MasterDetail, or Hierarchy from something else';
  if (old.type === 'reference')
    return 'Cannot update a field from a Lookup, MasterDetail, or Hierarchy to something else';
  const hasData = [...org.store.table(obj).values()].some(
    (r) => r[old.name] !== null && r[old.name] !== undefined,
  );
  if (hasData && (FAMILY[old.type] === undefined || FAMILY[old.type] !== FAMILY[f.type]))
    return 'Cannot change type due to existing data';
  return undefined;
}
