/**
 * Record writes with the validation a real org applies, producing the same error codes and
 * messages (REST API Developer Guide, "Status Codes and Error Responses"; Object Reference for
 * field properties).
 */
import { randomUUID } from 'node:crypto';
import { SfError, type SaveError } from './errors';
import { normalizeId } from './ids';
import type { FieldDef, ObjectDef, Schema } from './schema';
import type { Rec, Store, Value } from './store';
import * as personAccounts from './person-accounts';
import type { Access } from './access';
import {
  coerce,
  getObject,
  noSuchColumn,
  parseRecord,
  readField,
  requireObject,
  sfDateTime,
  toApiRecord,
  type ParsedRecord,
} from './dml-parse';

export {
  coerce,
  getObject,
  noSuchColumn,
  parseRecord,
  readField,
  requireObject,
  sfDateTime,
  toApiRecord,
  type ParsedRecord,
};

export interface DmlContext {
  schema: Schema;
  store: Store;
  userId: string;
  now: () => Date;
  /**
   * Receives published platform events; the server delivers them once the request succeeds. A
   * refusal (the hourly publishing allocation is used up) is returned as the record's error.
   */
  publish: (obj: ObjectDef, event: Rec) => SaveError | null;
  /**
   * The org's validation rules (injected for tests, see faults.ts): the first error for a record
   * about to be saved, after the system checks of its values, as Salesforce orders them
   * (Apex Developer Guide, "Triggers and Order of Execution": system validation, then custom
   * validation rules).
   */
  validate?: (obj: ObjectDef, rec: Rec) => SaveError | undefined;
  /** The running user's object and field permissions (access.ts); absent = every permission. */
  access?: Access;
  /**
   * The org's active lead and case assignment rules, as the request in progress lets them run
   * (assignment-rules.ts): may give a record being created or updated another owner.
   */
  assign?: (obj: ObjectDef, rec: Rec, created: boolean) => void;
}

function fieldsError(code: string, message: string, fields: string[]): SaveError {
  return { statusCode: code, message, fields };
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Per-record validation of explicit values (length, picklists, ids, e-mails). */
function validateValues(
  ctx: DmlContext,
  p: ParsedRecord,
  mode: 'create' | 'update',
): SaveError | undefined {
  const notWritable: string[] = [];
  for (const f of p.values.keys()) {
    if (f.type === 'id') continue;
    if (mode === 'create' ? !f.createable : !f.updateable) notWritable.push(f.name);
    else if (ctx.access && !ctx.access.fieldEditable(p.obj, f)) notWritable.push(f.name);
  }
  if (notWritable.length > 0) {
    return fieldsError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      notWritable,
    );
  }
  for (const [f, v] of p.values) {
    if (v === null) continue;
    if (
      typeof v === 'string' &&
      f.length > 0 &&
      f.type !== 'reference' &&
      f.type !== 'id' &&
      v.length > f.length
    ) {
      return fieldsError(
        'STRING_TOO_LONG',
        `${f.label}: data value too large: ${v.slice(0, 100)} (max length=${f.length})`,
        [f.name],
      );
    }
    if (
      f.type === 'picklist' &&
      f.restrictedPicklist &&
      !f.picklistValues.some((pv) => pv.value === v && pv.active)
    ) {
      return fieldsError(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${f.label}: bad value for restricted picklist field: ${String(v)}`,
        [f.name],
      );
    }
    if (f.type === 'multipicklist' && f.restrictedPicklist) {
      const bad = String(v)
        .split(';')
        .find((part) => !f.picklistValues.some((pv) => pv.value === part));
      if (bad !== undefined) {
        return fieldsError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${f.label}: bad value for restricted picklist field: ${bad}`,
          [f.name],
        );
      }
    }
    if (
      (f.type === 'double' || f.type === 'currency' || f.type === 'percent') &&
      typeof v === 'number'
    ) {
      if (Math.abs(Math.trunc(v)).toString().length > f.precision - f.scale) {
        return fieldsError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${f.label}: value outside of valid range on numeric field: ${v}`,
          [f.name],
        );
      }
      // The org rounds to the field's scale rather than rejecting extra decimals.
      p.values.set(f, Number(v.toFixed(f.scale)));
    }
    if (f.type === 'email' && !EMAIL_RE.test(String(v))) {
      return fieldsError(
        'INVALID_EMAIL_ADDRESS',
        `${f.label}: invalid email address: ${String(v)}`,
        [f.name],
      );
    }
    if (f.type === 'reference') {
      const id = normalizeId(String(v));
      const target = id ? ctx.schema.byPrefix.get(id.slice(0, 3)) : undefined;
      if (
        !id ||
        !target ||
        // `*`: a lookup to any object (ContentVersion.FirstPublishLocationId).
        !f.referenceTo.some((r) => r === '*' || r.toLowerCase() === target.name.toLowerCase())
      ) {
        return fieldsError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(v)}`, [
          f.name,
        ]);
      }
      if (!ctx.store.get(target, id)) {
        return fieldsError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      }
      p.values.set(f, id);
    }
  }
  return undefined;
}

/** Resolves `Rel__r: {ExtId__c: value}` to an id; a missing target is a per-record error, as in an org. */
function resolveRefs(ctx: DmlContext, p: ParsedRecord): SaveError | undefined {
  for (const r of p.refs) {
    if (r.value === null) {
      p.values.set(r.field, null);
      continue;
    }
    let ids: Set<string> | undefined;
    if (r.extField.type === 'id') {
      const id = normalizeId(String(r.value));
      ids = id && ctx.store.get(r.target, id) ? new Set([id]) : undefined;
    } else {
      ids = ctx.store.lookup(r.target, r.extField, r.value);
    }
    if (!ids || ids.size === 0) {
      return fieldsError(
        'INVALID_FIELD',
        `Foreign key external ID: ${String(r.value)} not found for field ${r.extField.name} in entity ${r.target.name}`,
        [],
      );
    }
    if (ids.size > 1) {
      return fieldsError(
        'INVALID_FIELD',
        `More than 1 record found for external id field: ${String(r.value)} in entity ${r.target.name}`,
        [],
      );
    }
    p.values.set(r.field, [...ids][0]!);
  }
  return undefined;
}

interface ObjectPlan {
  required: FieldDef[];
  unique: FieldDef[];
  autoNumber: FieldDef[];
  computed: FieldDef[];
  singleTrue: FieldDef[];
  /** A new record's starting values: defaults, false for checkboxes, null elsewhere. */
  template: Rec;
}

const plans = new WeakMap<ObjectDef, ObjectPlan>();

/** Per-object field lists, computed once, so a 200-record collection does not rescan every field. */
function planOf(obj: ObjectDef): ObjectPlan {
  let plan = plans.get(obj);
  if (!plan) {
    const fields = [...obj.fields.values()];
    const template: Rec = {};
    for (const f of fields) {
      if (f.type !== 'id' && f.type !== 'address')
        template[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    }
    plan = {
      required: fields.filter(
        (f) => !f.nillable && f.createable && f.type !== 'boolean' && !f.calculated,
      ),
      unique: fields.filter((f) => f.unique),
      autoNumber: fields.filter((f) => f.autoNumber !== undefined),
      computed: fields.filter((f) => f.compound?.join !== undefined || f.derives !== undefined),
      singleTrue: fields.filter((f) => f.singleTrue === true),
      template,
    };
    plans.set(obj, plan);
  }
  return plan;
}

function checkRequiredAndUnique(ctx: DmlContext, obj: ObjectDef, rec: Rec): SaveError | undefined {
  const missing: string[] = [];
  const plan = planOf(obj);
  for (const f of plan.required) {
    const v = rec[f.name];
    if (v === null || v === undefined || v === '') missing.push(f.name);
  }
  if (missing.length > 0) {
    return fieldsError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }
  for (const f of plan.unique) {
    const v = rec[f.name];
    if (v === null || v === undefined) continue;
    const ids = ctx.store.lookup(obj, f, v);
    const other = ids && [...ids].find((id) => id !== rec.Id);
    if (other) {
      return fieldsError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
        [],
      );
    }
  }
  return undefined;
}

/**
 * Values the org computes from others, as the standard-schema file describes them: compound names
 * (Contact.Name = FirstName MiddleName LastName Suffix), picklist-derived fields (Opportunity
 * StageName → Probability, IsClosed, IsWon, ForecastCategory: Object Reference "Opportunity") —
 * a derived field the client set itself in this request keeps the client's value when updateable.
 */
function computeFields(obj: ObjectDef, rec: Rec, given: Set<FieldDef>): void {
  for (const f of planOf(obj).computed) {
    if (f.compound?.join) {
      rec[f.name] = f.compound.join
        .map((c) => rec[c])
        .filter((v) => v !== null && v !== undefined && v !== '')
        .join(' ');
    }
    if (f.derives && given.has(f)) {
      for (const [name, v] of Object.entries(f.derives[String(rec[f.name])] ?? {})) {
        const target = obj.fields.get(name.toLowerCase());
        if (target && !(target.updateable && given.has(target))) rec[target.name] = v;
      }
    }
  }
}

/** A field that is true on one record only (BusinessHours.IsDefault): the others are set false. */
function enforceSingleTrue(ctx: DmlContext, obj: ObjectDef, rec: Rec): void {
  for (const f of planOf(obj).singleTrue) {
    if (rec[f.name] !== true) continue;
    for (const other of ctx.store.table(obj).values()) {
      if (other.Id === rec.Id || other[f.name] !== true) continue;
      ctx.store.put(
        obj,
        { ...other, [f.name]: false },
        { type: 'UPDATE', changedFields: [f.name] },
      );
    }
  }
}

function notWritableObject(obj: ObjectDef, verb: 'inserted' | 'updated' | 'deleted'): SaveError {
  return fieldsError(
    'INVALID_TYPE_FOR_OPERATION',
    `entity type cannot be ${verb}: ${obj.name}`,
    [],
  );
}

export type SaveResult =
  | { id: string; success: true; errors: SaveError[]; created?: boolean }
  | { success: false; errors: SaveError[]; created?: boolean; id?: string };

export function insertRecord(ctx: DmlContext, p: ParsedRecord): SaveResult {
  const { obj } = p;
  const err = resolveRefs(ctx, p) ?? validateValues(ctx, p, 'create');
  if (err) return { success: false, errors: [err] };
  if (!obj.writable || ctx.access?.object(obj, 'create') === false)
    return { success: false, errors: [notWritableObject(obj, 'inserted')] };
  const now = sfDateTime(ctx.now());
  const id = ctx.store.nextId(obj);
  const rec: Rec = { Id: id, ...planOf(obj).template };
  for (const [f, v] of p.values) if (f.type !== 'id') rec[f.name] = v;
  if (obj.isPlatformEvent) {
    rec.CreatedDate = now;
    rec.CreatedById = ctx.userId;
    rec.EventUuid = randomUUID();
    const refused = ctx.publish(obj, rec);
    if (refused) return { success: false, errors: [refused] };
    // Platform events are published, not stored. A high-volume event publish answers success with an
    // OPERATION_ENQUEUED entry carrying the event UUID (Platform Events Developer Guide,
    // "Publish Event Messages with Salesforce APIs").
    return {
      id,
      success: true,
      errors: [{ statusCode: 'OPERATION_ENQUEUED', message: rec.EventUuid, fields: [] }],
    };
  }
  rec.IsDeleted = false;
  rec.CreatedDate = now;
  rec.LastModifiedDate = now;
  rec.SystemModstamp = now;
  rec.CreatedById = ctx.userId;
  rec.LastModifiedById = ctx.userId;
  if ('OwnerId' in rec && !rec.OwnerId) rec.OwnerId = ctx.userId;
  ctx.assign?.(obj, rec, true);
  for (const f of planOf(obj).autoNumber) {
    rec[f.name] = ctx.store.nextAutoNumber(obj, f.autoNumber!.displayFormat);
  }
  const given = new Set(p.values.keys());
  const person = personAccounts.beforeInsert(ctx, obj, given, rec);
  if (person) return { success: false, errors: [person] };
  computeFields(obj, rec, given);
  const err2 = checkRequiredAndUnique(ctx, obj, rec) ?? ctx.validate?.(obj, rec);
  if (err2) return { success: false, errors: [err2] };
  enforceSingleTrue(ctx, obj, rec);
  ctx.store.put(obj, rec, {
    type: 'CREATE',
    changedFields: [...p.values.keys()].map((f) => f.name),
  });
  personAccounts.afterInsert(ctx, obj, rec);
  return { id, success: true, errors: [] };
}

export function updateRecord(ctx: DmlContext, p: ParsedRecord, id: string): SaveResult {
  const { obj } = p;
  const existing = ctx.store.get(obj, id);
  if (!existing) {
    return {
      success: false,
      errors: [fieldsError('ENTITY_IS_DELETED', 'entity is deleted', [])],
    };
  }
  const err = resolveRefs(ctx, p) ?? validateValues(ctx, p, 'update');
  if (err) return { id, success: false, errors: [err] };
  if (!obj.writable || ctx.access?.object(obj, 'edit') === false)
    return { id, success: false, errors: [notWritableObject(obj, 'updated')] };
  const rec: Rec = { ...existing };
  const changed: string[] = [];
  for (const [f, v] of p.values) {
    if (f.type === 'id') continue;
    if (rec[f.name] !== v) changed.push(f.name);
    rec[f.name] = v;
  }
  const given = new Set(p.values.keys());
  const person = personAccounts.beforeUpdate(ctx, obj, given, existing, rec);
  if (person) return { id, success: false, errors: [person] };
  ctx.assign?.(obj, rec, false);
  if (rec.OwnerId !== existing.OwnerId && !changed.includes('OwnerId')) changed.push('OwnerId');
  computeFields(obj, rec, given);
  const err2 = checkRequiredAndUnique(ctx, obj, rec) ?? ctx.validate?.(obj, rec);
  if (err2) return { id, success: false, errors: [err2] };
  enforceSingleTrue(ctx, obj, rec);
  const now = sfDateTime(ctx.now());
  rec.LastModifiedDate = now;
  rec.SystemModstamp = now;
  rec.LastModifiedById = ctx.userId;
  ctx.store.put(obj, rec, { type: 'UPDATE', changedFields: changed });
  personAccounts.afterUpdate(ctx, obj, rec);
  return { id, success: true, errors: [] };
}

/** Checks that a field may key an upsert (REST "sObject Rows by External ID"). */
export function requireExternalIdField(obj: ObjectDef, name: string): FieldDef {
  const f = obj.fields.get(name.toLowerCase());
  if (!f || !(f.externalId || f.type === 'id' || f.unique)) {
    throw new SfError(
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
      [],
      404,
    );
  }
  return f;
}

export function upsertRecord(
  ctx: DmlContext,
  p: ParsedRecord,
  extField: FieldDef,
  extValue: Value,
): SaveResult {
  const given = p.values.get(extField);
  if (given !== undefined && given !== null && String(given) !== String(extValue)) {
    return {
      success: false,
      errors: [
        fieldsError(
          'INVALID_FIELD',
          `The value of field ${extField.name} in the request body doesn't match the value in the URL`,
          [extField.name],
        ),
      ],
    };
  }
  const ids =
    extField.type === 'id'
      ? (() => {
          const id = normalizeId(String(extValue));
          return id && ctx.store.get(p.obj, id) ? new Set([id]) : undefined;
        })()
      : ctx.store.lookup(p.obj, extField, extValue);
  if (ids && ids.size > 1) {
    return {
      success: false,
      errors: [
        fieldsError(
          'DUPLICATE_EXTERNAL_ID',
          `${extField.name}: more than one record found for external id field: ${[...ids].join(', ')}`,
          [extField.name],
        ),
      ],
    };
  }
  if (ids && ids.size === 1) {
    p.values.delete(extField);
    const r = updateRecord(ctx, p, [...ids][0]!);
    return { ...r, created: false };
  }
  if (extField.type !== 'id') p.values.set(extField, extValue);
  const r = insertRecord(ctx, p);
  // UpsertResult.created says which operation the record was given: true for an insert, even when
  // the insert failed or an allOrNone request rolled it back (what a real org answers; jsforce's
  // real-org suite, "upsert … with allOrNone=true and one invalid record, expect rollback").
  return { ...r, created: true };
}

/**
 * Deletes a record into the recycle bin, with the children that cascade (master-detail; Account →
 * Contacts, Opportunities; activities of a deleted record): Object Reference, "Relationships Among
 * Objects", and SOAP API Developer Guide, "delete()".
 */
export function deleteRecord(ctx: DmlContext, obj: ObjectDef, id: string): SaveResult {
  const existing = ctx.store.get(obj, id);
  if (!existing) {
    return { success: false, errors: [fieldsError('ENTITY_IS_DELETED', 'entity is deleted', [])] };
  }
  if (!obj.writable) return { id, success: false, errors: [notWritableObject(obj, 'deleted')] };
  const person = personAccounts.beforeDelete(ctx, obj, existing);
  if (person) return { id, success: false, errors: [person] };
  cascadeDelete(ctx, obj, id, sfDateTime(ctx.now()));
  return { id, success: true, errors: [] };
}

function cascadeDelete(ctx: DmlContext, obj: ObjectDef, id: string, at: string): void {
  ctx.store.remove(obj, id, { at });
  for (const rel of obj.childRelationships) {
    if (!rel.cascadeDelete) continue;
    const child = getObject(ctx.schema, rel.childSObject)!;
    const children = [...ctx.store.table(child).values()].filter((r) => r[rel.field] === id);
    for (const c of children) {
      if (ctx.store.get(child, c.Id as string)) cascadeDelete(ctx, child, c.Id as string, at);
    }
  }
}

/**
 * Restores a record (and the children its deletion took along) from the recycle bin (SOAP API
 * Developer Guide, "undelete()"): an id not in the bin answers UNDELETE_FAILED.
 */
export function undeleteRecord(ctx: DmlContext, obj: ObjectDef, id: string): SaveResult {
  const rec = ctx.store.getDeleted(obj, id);
  if (!rec) {
    return {
      success: false,
      errors: [
        fieldsError(
          'UNDELETE_FAILED',
          ctx.store.get(obj, id)
            ? 'Entity is not in the recycle bin'
            : 'Entity is not in the recycle bin or has been purged',
          [],
        ),
      ],
    };
  }
  const deletedAt = rec.SystemModstamp;
  const now = sfDateTime(ctx.now());
  const restored = ctx.store.restore(obj, id, { SystemModstamp: now });
  const err = restored && checkRequiredAndUnique(ctx, obj, restored);
  if (err) return { id, success: false, errors: [err] };
  for (const rel of obj.childRelationships) {
    if (!rel.cascadeDelete) continue;
    const child = getObject(ctx.schema, rel.childSObject)!;
    const children = [...ctx.store.binOf(child).values()].filter(
      (r) => r[rel.field] === id && r.SystemModstamp === deletedAt,
    );
    for (const c of children) undeleteRecord(ctx, child, c.Id as string);
  }
  return { id, success: true, errors: [] };
}
