/**
 * The records an org keeps itself, written directly rather than through the API (the integration
 * user, Organization, the default BusinessHours, picklist-value rows, deployed permission sets),
 * and the sample data loaded once into an empty org. The org itself is `runtime.ts`.
 */
import { readFileSync } from 'node:fs';
import {
  getObject,
  insertRecord,
  parseRecord,
  requireObject,
  sfDateTime,
  updateRecord,
  type DmlContext,
} from './dml';
import type { ObjectDef, Schema } from './schema';
import type { Rec, Store, Value } from './store';

/** What writing system records needs of the org. */
export interface SystemRecordsOrg {
  readonly schema: Schema;
  readonly store: Store;
  readonly userId: string;
}

/** What loading the sample data needs of the org. */
export interface SampleDataOrg {
  readonly schema: Schema;
  readonly store: Store;
  dmlContext(): DmlContext;
}

/**
 * An object of the sample data, named as in force-app: in a namespaced org the package's objects
 * carry the prefix (`Aircall_Settings__c` → `aircallsfv__Aircall_Settings__c`).
 */
function packageObject(schema: Schema, name: string): ObjectDef | undefined {
  const prefixed = schema.namespace ? getObject(schema, `${schema.namespace}__${name}`) : undefined;
  return prefixed?.custom ? prefixed : getObject(schema, name);
}

/** A field of the sample data, named as in force-app, in the org's name. */
function packageField(schema: Schema, obj: ObjectDef, name: string): string {
  if (!schema.namespace) return name;
  const prefixed = `${schema.namespace}__${name}`.toLowerCase();
  const f = obj.fields.get(prefixed) ?? obj.relationships.get(prefixed);
  return f?.custom ? `${schema.namespace}__${name}` : name;
}

interface SampleDataFile {
  [sobject: string]: Record<string, unknown>[];
}

/** Creates these records of a system object once, in an org that has none yet. */
export function systemRows(
  org: SystemRecordsOrg,
  name: string,
  rows: readonly Record<string, Value>[],
): void {
  const obj = requireObject(org.schema, name);
  if (org.store.table(obj).size > 0) return;
  const now = sfDateTime(new Date());
  for (const fields of rows) {
    const rec: Rec = {};
    for (const f of obj.fields.values())
      rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    Object.assign(rec, fields, {
      Id: org.store.nextId(obj),
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      CreatedById: org.userId,
      LastModifiedById: org.userId,
    });
    org.store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
  }
}

/**
 * The first record of an object, created when missing (org, integration user, call center). These
 * are system records, written directly: they exist before any user could create them.
 */
export function singleton(
  org: Pick<SystemRecordsOrg, 'schema' | 'store'>,
  name: string,
  fields: Record<string, Value>,
  createdBy?: string,
): string {
  const obj = requireObject(org.schema, name);
  const first = org.store.table(obj).values().next().value;
  if (first) return first.Id as string;
  const id = org.store.nextId(obj);
  const now = sfDateTime(new Date());
  const rec: Rec = {};
  for (const f of obj.fields.values())
    rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
  Object.assign(rec, fields, {
    Id: id,
    CreatedDate: now,
    LastModifiedDate: now,
    SystemModstamp: now,
  });
  // The integration user creates (and owns) itself.
  for (const key of ['CreatedById', 'LastModifiedById', 'OwnerId']) {
    if (key in rec) rec[key] = createdBy ?? id;
  }
  if ('FirstName' in fields) rec.Name = `${String(fields.FirstName)} ${String(fields.LastName)}`;
  org.store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
  return id;
}

/**
 * Creates or changes a record the org maintains itself (a deployed permission set), written
 * directly like the system records; returns its id.
 */
export function writeSystemRecord(
  org: SystemRecordsOrg,
  name: string,
  match: (rec: Rec) => boolean,
  fields: Record<string, Value>,
): string {
  const obj = requireObject(org.schema, name);
  const existing = [...org.store.table(obj).values()].find(match);
  const now = sfDateTime(new Date());
  if (existing) {
    org.store.put(
      obj,
      { ...existing, ...fields, LastModifiedDate: now, SystemModstamp: now },
      { type: 'UPDATE', changedFields: Object.keys(fields) },
    );
    return existing.Id as string;
  }
  const rec: Rec = {};
  for (const f of obj.fields.values())
    rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
  const id = org.store.nextId(obj);
  Object.assign(rec, fields, {
    Id: id,
    CreatedDate: now,
    LastModifiedDate: now,
    SystemModstamp: now,
    CreatedById: org.userId,
    LastModifiedById: org.userId,
  });
  org.store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
  return id;
}

/**
 * Loads the sample data once, into an empty org: records are created in file order; `@ref`
 * values name earlier records.
 */
export function loadSampleData(org: SampleDataOrg, file: string): void {
  const marker = org.store.getMeta('seeded');
  const lead = getObject(org.schema, 'Lead')!;
  if (marker || org.store.table(lead).size > 0) return;
  const data = JSON.parse(readFileSync(file, 'utf8')) as SampleDataFile;
  const refs = new Map<string, string>();
  const ctx = { ...org.dmlContext(), publish: () => null };
  org.store.begin();
  for (const [sobject, records] of Object.entries(data)) {
    if (sobject.startsWith('$')) continue;
    const obj = packageObject(org.schema, sobject);
    if (!obj) {
      org.schema.warnings.push(
        `Seed: object ${sobject} is not in the schema; its records are skipped.`,
      );
      continue;
    }
    for (const raw of records) {
      const { $ref, $converted, $match, ...fields } = raw as Record<string, unknown> & {
        $ref?: string;
        $converted?: boolean;
        $match?: Record<string, Value>;
      };
      const resolved: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(fields)) {
        const k = packageField(org.schema, obj, name);
        if (!obj.fields.has(k.toLowerCase()) && !obj.relationships.has(k.toLowerCase())) {
          // Fields of metadata still being written are skipped, not fatal.
          continue;
        }
        resolved[k] =
          typeof v === 'string' && v.startsWith('@') ? (refs.get(v.slice(1)) ?? null) : v;
      }
      const parsed = parseRecord(org.schema, obj, resolved);
      // `$match`: the sample data changes a record every org already has (its default
      // BusinessHours) instead of creating a second one.
      const existing = $match
        ? [...org.store.table(obj).values()].find((rec) =>
            Object.entries($match).every(([k, v]) => rec[k] === v),
          )
        : undefined;
      const r = existing
        ? updateRecord(ctx, parsed, existing.Id as string)
        : insertRecord(ctx, parsed);
      if (!r.success) {
        org.schema.warnings.push(
          `Seed: ${sobject} ${JSON.stringify(fields)}: ${r.errors[0]?.message ?? ''}`,
        );
        continue;
      }
      if ($ref) refs.set($ref, r.id);
      if ($converted && obj.name === 'Lead') {
        const rec = { ...org.store.get(obj, r.id)! };
        rec.IsConverted = true;
        rec.Status = 'Closed - Converted';
        rec.ConvertedDate = sfDateTime(new Date()).slice(0, 10);
        org.store.put(obj, rec, { type: 'UPDATE', changedFields: ['IsConverted'] });
      }
    }
  }
  org.store.commit();
  org.store.setMeta('seeded', new Date().toISOString());
}

/** The integration user, the org's first User. */
export const INTEGRATION_USER: Record<string, Value> = {
  Username: 'integration@aircall-sfv.local',
  LastName: 'Integration',
  FirstName: 'Aircall',
  Email: 'integration@aircall-sfv.local',
  Alias: 'aircall',
  TimeZoneSidKey: 'Europe/Paris',
  LocaleSidKey: 'en_US',
  LanguageLocaleKey: 'en_US',
  EmailEncodingKey: 'UTF-8',
  IsActive: true,
};

/** The org's Organization record. */
export const ORGANIZATION: Record<string, Value> = {
  Name: 'Aircall Local Org',
  TimeZoneSidKey: 'Europe/Paris',
  DefaultLocaleSidKey: 'en_US',
  LanguageLocaleKey: 'en_US',
  OrganizationType: 'Developer Edition',
  InstanceName: 'LOCAL',
  IsSandbox: false,
  IsReadOnly: false,
  NamespacePrefix: null,
  TrialExpirationDate: null,
  FiscalYearStartMonth: 1,
  UsesStartDateAsFiscalYearName: false,
  Country: 'FR',
  SignupCountryIsoCode: 'FR',
  UiSkin: 'Theme3',
  DefaultAccountAccess: 'Edit',
  DefaultContactAccess: 'ControlledByParent',
  DefaultLeadAccess: 'ReadEditTransfer',
  DefaultOpportunityAccess: 'Edit',
  DefaultCaseAccess: 'ReadEditTransfer',
};

/**
 * Every org has a default BusinessHours record, 24 hours a day, 7 days a week, in the org's time
 * zone until an admin changes it (Object Reference, "BusinessHours"; Salesforce Help, "Set
 * Business Hours"). A 24-hour day is written 00:00 → 00:00.
 */
export const DEFAULT_BUSINESS_HOURS: Record<string, Value> = {
  Name: 'Default',
  IsDefault: true,
  IsActive: true,
  TimeZoneSidKey: 'Europe/Paris',
};
for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
  DEFAULT_BUSINESS_HOURS[`${day}StartTime`] = '00:00:00.000Z';
  DEFAULT_BUSINESS_HOURS[`${day}EndTime`] = '00:00:00.000Z';
}
