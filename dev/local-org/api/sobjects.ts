/**
 * sObject resources (REST API Developer Guide, "sObject Basic Information", "sObject Describe",
 * "sObject Rows", "sObject Rows by External ID"): describe, create, read, update, delete, upsert.
 */
import {
  deleteRecord,
  getObject,
  insertRecord,
  parseRecord,
  requireExternalIdField,
  requireObject,
  toApiRecord,
  updateRecord,
  upsertRecord,
  type SaveResult,
} from '../dml';
import { SfError } from '../errors';
import { asObject, notFound, type Reply, type RouteRequest } from '../http';
import { normalizeId } from '../ids';
import type { CounterCategory } from '../runtime';
import { describeObject, type FieldDef, type ObjectDef } from '../schema';
import type { Rec } from '../store';
import { recentItems } from './metadata';

/** The error of a single-record write that drew an injected lock fault. */
export const lockError = (): SfError =>
  new SfError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record');

function singleSave(r: SaveResult, okStatus: number): Reply {
  if (r.success) return { status: okStatus, body: r };
  const e = r.errors[0]!;
  return {
    status: e.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400,
    body: [{ message: e.message, errorCode: e.statusCode, fields: e.fields }],
  };
}

/** A platform event published with POST counts as an event publish, anything else as REST. */
export function createCategory({ org, params }: RouteRequest): CounterCategory {
  return getObject(org.schema, params.type!)?.isPlatformEvent === true ? 'events' : 'rest';
}

/**
 * An object the running user may read, else NOT_FOUND as for an object the org does not have
 * (Object Reference, "Factors that Affect Data Access": the API respects object-level and
 * field-level security; the partner API's objects are those describeGlobal returns).
 */
function readableObject(org: RouteRequest['org'], type: string): ObjectDef {
  const obj = requireObject(org.schema, type);
  if (org.access()?.object(obj, 'read') === false) throw notFound();
  return obj;
}

/** The object's fields the running user may read (all, for an unrestricted user). */
function readableFields(org: RouteRequest['org'], obj: ObjectDef): FieldDef[] | undefined {
  const access = org.access();
  return access ? [...obj.fields.values()].filter((f) => access.fieldReadable(obj, f)) : undefined;
}

/** describeObject, without the fields the running user may not read. */
function describeFor(org: RouteRequest['org'], obj: ObjectDef, version: string) {
  const d = describeObject(obj, version, userLanguage(org));
  const visible = readableFields(org, obj);
  if (visible && Array.isArray(d.fields)) {
    const names = new Set(visible.map((f) => f.name));
    d.fields = (d.fields as { name: string }[]).filter((f) => names.has(f.name));
  }
  return d;
}

/** GET /sobjects: every object the running user may read, described without its fields. */
export function describeGlobal({ org, version }: RouteRequest): Reply {
  const language = userLanguage(org);
  const access = org.access();
  return {
    status: 200,
    body: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: [...org.schema.objects.values()]
        .filter((o) => access?.object(o, 'read') !== false)
        .map((o) => {
          const d = describeObject(o, version, language);
          delete d.fields;
          return d;
        }),
    },
  };
}

/** The session user's language: describe answers in it (translated labels and picklist values). */
export function userLanguage(org: RouteRequest['org']): string {
  const user = org.store.get(requireObject(org.schema, 'User'), org.userId) as
    { LanguageLocaleKey?: unknown } | undefined;
  return typeof user?.LanguageLocaleKey === 'string' ? user.LanguageLocaleKey : 'en_US';
}

/** GET /sobjects/{type}/describe (without the fields the running user may not read). */
export function describe({ org, params, version }: RouteRequest): Reply {
  const obj = readableObject(org, params.type!);
  return { status: 200, body: describeFor(org, obj, version) };
}

/** GET /sobjects/{type}: basic information. */
export function basicInfo({ org, params, version }: RouteRequest): Reply {
  const obj = readableObject(org, params.type!);
  const d = describeObject(obj, version, userLanguage(org));
  delete d.fields;
  // recentItems: the object's records most recently viewed (FOR VIEW), newest first.
  return {
    status: 200,
    body: { objectDescribe: d, recentItems: recentItems(org, version, [obj], 200) },
  };
}

/** POST /sobjects/{type} */
export function create({ org, params, body }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const p = parseRecord(org.schema, obj, asObject(body));
  if (org.drawLockFault()) throw lockError();
  const r = org.unit(() => insertRecord(org.dmlContext(), p));
  return singleSave(r, 201);
}

/**
 * GET /sobjects/{type}/{id}[?fields=a,b]. REST API Developer Guide, "Get Field Values from a
 * Standard Object Record": without `fields`, the fields of the object's describe (those the user
 * may read); a field that does not exist or that field-level security hides is a 400.
 */
export function read({ org, params, url, version }: RouteRequest): Reply {
  const obj = readableObject(org, params.type!);
  const id = normalizeId(params.id!);
  const rec = id ? org.store.get(obj, id) : undefined;
  if (!rec) throw notFound();
  const fieldsParam = url.searchParams.get('fields');
  const visible = readableFields(org, obj);
  const fields = fieldsParam
    ? fieldsParam.split(',').map((n) => {
        const f = obj.fields.get(n.trim().toLowerCase());
        if (!f || (visible && !visible.includes(f)))
          throw new SfError(
            'INVALID_FIELD',
            `No such column '${n}' on sobject of type ${obj.name}`,
          );
        return f;
      })
    : visible;
  return { status: 200, body: toApiRecord(obj, rec, version, fields) };
}

/** PATCH /sobjects/{type}/{id} */
export function update({ org, params, body }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const id = normalizeId(params.id!);
  const p = parseRecord(org.schema, obj, asObject(body));
  if (org.drawLockFault()) throw lockError();
  if (!id || !org.store.get(obj, id)) throw notFound();
  const r = org.unit(() => updateRecord(org.dmlContext(), p, id));
  return r.success ? { status: 204 } : singleSave(r, 204);
}

/** DELETE /sobjects/{type}/{id} */
export function remove({ org, params }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const id = normalizeId(params.id!);
  if (!id || !org.store.get(obj, id)) throw notFound();
  if (org.drawLockFault()) throw lockError();
  const r = org.unit(() => deleteRecord(org.dmlContext(), obj, id));
  return r.success ? { status: 204 } : singleSave(r, 204);
}

/** GET /sobjects/{type}/{field}/{value}: 300 with the candidates when the value is not unique. */
export function readByExternalId({ org, params, version }: RouteRequest): Reply {
  const obj = readableObject(org, params.type!);
  const extField = requireExternalIdField(obj, params.field!);
  const value = decodeURIComponent(params.value!);
  const ids =
    extField.type === 'id'
      ? new Set([normalizeId(value) ?? ''])
      : org.store.lookup(obj, extField, value);
  const found = [...(ids ?? [])].map((id) => org.store.get(obj, id)).filter((r): r is Rec => !!r);
  if (found.length === 0) throw notFound();
  if (found.length > 1) {
    return {
      status: 300,
      body: found.map((r) => `/services/data/v${version}/sobjects/${obj.name}/${String(r.Id)}`),
    };
  }
  return {
    status: 200,
    body: toApiRecord(obj, found[0]!, version, readableFields(org, obj)),
  };
}

/** PATCH /sobjects/{type}/{field}/{value}: upsert. */
export function upsert({ org, params, body, version }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const extField = requireExternalIdField(obj, params.field!);
  const value = decodeURIComponent(params.value!);
  const p = parseRecord(org.schema, obj, asObject(body));
  if (org.drawLockFault()) throw lockError();
  // REST API Developer Guide, "Insert or Update (Upsert) a Record Using an External ID": when the
  // value matches several records the answer is 300 Multiple Choices with their URLs.
  const matches = extField.type === 'id' ? undefined : org.store.lookup(obj, extField, value);
  if (matches && matches.size > 1) {
    return {
      status: 300,
      body: [...matches].map((id) => `/services/data/v${version}/sobjects/${obj.name}/${id}`),
    };
  }
  const r = org.unit(() => upsertRecord(org.dmlContext(), p, extField, value));
  // API 46.0+: 201 with created:true for an insert, 200 with created:false for an update.
  return singleSave(r, r.created ? 201 : 200);
}
