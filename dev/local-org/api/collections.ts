/**
 * sObject Collections (REST API Developer Guide, "sObject Collections"): create, update, upsert,
 * delete and retrieve up to 200 records in one request, with per-record results in request order;
 * with allOrNone every record is rolled back when one fails.
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
  type ParsedRecord,
  type SaveResult,
} from '../dml';
import { SfError, type SaveError } from '../errors';
import { asObject, type Json, type Reply, type RouteRequest } from '../http';
import { normalizeId } from '../ids';
import type { CounterCategory, Org } from '../runtime';
import type { ObjectDef } from '../schema';

const MAX_COLLECTION = 200;

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

const LOCK_ERROR = (id?: string): SaveError => ({
  statusCode: 'UNABLE_TO_LOCK_ROW',
  message: `unable to obtain exclusive access to this record${id ? ` or 1 records: ${id}` : ''}`,
  fields: [],
});

const tooMany = (): SfError =>
  new SfError(
    'EXCEEDED_ID_LIMIT',
    'record limit reached. cannot submit more than 200 records into this call',
  );

interface Payload {
  allOrNone?: boolean;
  records?: unknown;
  ids?: string[];
  fields?: string[];
}

const payloadOf = (body: unknown): Payload | undefined => body as Payload | undefined;

const recordsOf = (body: unknown): Json[] => {
  const records = payloadOf(body)?.records;
  return Array.isArray(records) ? (records as Json[]) : [];
};

/** The object named by a record's `attributes.type`. */
function typeOf(org: Org, raw: Json): ObjectDef {
  const t = (raw.attributes as { type?: string } | undefined)?.type;
  if (!t)
    throw new SfError(
      'INVALID_TYPE',
      'Each record in the list must have a type in its attributes.',
    );
  const obj = getObject(org.schema, t);
  if (!obj) throw new SfError('INVALID_TYPE', `sObject type '${t}' is not supported.`);
  return obj;
}

/** A collection of platform events only counts as event publishes; anything else as composite. */
export function createCategory({ org, body }: RouteRequest): CounterCategory {
  const records = recordsOf(body);
  const allEvents =
    records.length > 0 &&
    records.every((r) => {
      const t = ((r as Json | null)?.attributes as { type?: string } | undefined)?.type;
      return t !== undefined && getObject(org.schema, t)?.isPlatformEvent === true;
    });
  return allEvents ? 'events' : 'composite';
}

type CollectionOp = (p: ParsedRecord, raw: Json, index: number) => SaveResult;

function runCollection(
  org: Org,
  rawRecords: unknown,
  allOrNone: boolean,
  typeFor: (raw: Json) => ObjectDef,
  op: CollectionOp,
  lockAll: boolean,
): Reply {
  if (!Array.isArray(rawRecords))
    throw new SfError('JSON_PARSER_ERROR', 'records must be an array of sObjects.');
  if (rawRecords.length > MAX_COLLECTION) throw tooMany();
  // Deserialization errors (unknown object or field, wrong JSON type) fail the whole request.
  const parsed = rawRecords.map((raw) => {
    const rec = asObject(raw);
    return { raw: rec, p: parseRecord(org.schema, typeFor(rec), rec) };
  });
  org.beginUnit();
  const results: SaveResult[] = [];
  parsed.forEach(({ raw, p }, i) => {
    const sp = org.store.savepoint();
    if (lockAll || org.faults.drawRecord()) {
      results.push({ success: false, errors: [LOCK_ERROR()] });
      return;
    }
    const r = op(p, raw, i);
    if (!r.success) org.store.rollbackTo(sp);
    results.push(r);
  });
  const failed = results.some((r) => !r.success);
  if (allOrNone && failed) {
    org.abortUnit();
    return {
      status: 200,
      body: results.map((r) => {
        const { id: _id, ...rest } = r;
        const created = 'created' in r ? { created: r.created } : {};
        return r.success
          ? { ...rest, ...created, success: false, errors: [ROLLED_BACK] }
          : { ...rest, ...created, success: false };
      }),
    };
  }
  org.commitUnit();
  return { status: 200, body: results };
}

/** POST /composite/sobjects */
export function createMany({ org, body }: RouteRequest): Reply {
  const payload = payloadOf(body);
  const lockAll = org.drawLockFault();
  const ctx = org.dmlContext();
  return runCollection(
    org,
    payload?.records,
    payload?.allOrNone === true,
    (raw) => typeOf(org, raw),
    (p) => insertRecord(ctx, p),
    lockAll,
  );
}

/** PATCH /composite/sobjects */
export function updateMany({ org, body }: RouteRequest): Reply {
  const payload = payloadOf(body);
  const lockAll = org.drawLockFault();
  const ctx = org.dmlContext();
  return runCollection(
    org,
    payload?.records,
    payload?.allOrNone === true,
    (raw) => typeOf(org, raw),
    (p, raw) => {
      const rawId = raw.id ?? raw.Id;
      const id = typeof rawId === 'string' ? normalizeId(rawId) : undefined;
      if (!id)
        return {
          success: false,
          errors: [
            {
              statusCode: 'MALFORMED_ID',
              message: 'Id in record is missing or malformed',
              fields: ['Id'],
            },
          ],
        };
      p.values.delete(p.obj.fields.get('id')!);
      return updateRecord(ctx, p, id);
    },
    lockAll,
  );
}

/** DELETE /composite/sobjects?ids=…&allOrNone=… */
export function deleteMany({ org, url }: RouteRequest): Reply {
  const ids = (url.searchParams.get('ids') ?? '').split(',').filter((s) => s !== '');
  if (ids.length > MAX_COLLECTION) throw tooMany();
  const all = url.searchParams.get('allOrNone') === 'true';
  const ctx = org.dmlContext();
  org.beginUnit();
  const results: SaveResult[] = ids.map((raw) => {
    const id = normalizeId(raw);
    const obj = id ? org.schema.byPrefix.get(id.slice(0, 3)) : undefined;
    if (!id || !obj)
      return {
        success: false,
        errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] }],
      };
    return deleteRecord(ctx, obj, id);
  });
  if (all && results.some((r) => !r.success)) {
    org.abortUnit();
    return {
      status: 200,
      body: results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : r)),
    };
  }
  org.commitUnit();
  return { status: 200, body: results };
}

/** PATCH /composite/sobjects/{type}/{field}: upsert by external id. */
export function upsertMany({ org, params, body }: RouteRequest): Reply {
  const payload = payloadOf(body);
  const obj = requireObject(org.schema, params.type!);
  const extField = requireExternalIdField(obj, params.field!);
  // The same external id twice in one request fails both records, as in an org.
  const counts = new Map<string, number>();
  for (const r of recordsOf(body)) {
    const found = Object.entries(r).find(
      ([k]) => k.toLowerCase() === extField.name.toLowerCase(),
    )?.[1];
    const v = typeof found === 'string' || typeof found === 'number' ? String(found) : '';
    const key = extField.caseSensitive ? v : v.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lockAll = org.drawLockFault();
  const ctx = org.dmlContext();
  return runCollection(
    org,
    payload?.records,
    payload?.allOrNone === true,
    (raw) => {
      const t = typeOf(org, raw);
      if (t !== obj)
        throw new SfError(
          'INVALID_TYPE',
          `Records must all be of type ${obj.name}, as in the URL.`,
        );
      return t;
    },
    (p) => {
      const v = p.values.get(extField);
      if (v === undefined || v === null || v === '') {
        return {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'MISSING_ARGUMENT',
              message: `${extField.name} not specified`,
              fields: [],
            },
          ],
        };
      }
      const key = extField.caseSensitive ? String(v) : String(v).toLowerCase();
      if ((counts.get(key) ?? 0) > 1) {
        return {
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'DUPLICATE_EXTERNAL_ID',
              message: `Duplicate external id specified: ${String(v)}`,
              fields: [extField.name],
            },
          ],
        };
      }
      return upsertRecord(ctx, p, extField, v);
    },
    lockAll,
  );
}

/** POST /composite/sobjects/{type} `{ids, fields}` or GET …?ids=&fields=: retrieve. */
export function retrieveMany({ org, params, method, url, body, version }: RouteRequest): Reply {
  const payload = payloadOf(body);
  const obj = requireObject(org.schema, params.type!);
  const ids =
    method === 'POST' ? (payload?.ids ?? []) : (url.searchParams.get('ids') ?? '').split(',');
  const fieldNames =
    method === 'POST' ? (payload?.fields ?? []) : (url.searchParams.get('fields') ?? '').split(',');
  const fields = fieldNames
    .filter((n) => n !== '')
    .map((n) => {
      const f = obj.fields.get(n.toLowerCase());
      if (!f)
        throw new SfError('INVALID_FIELD', `No such column '${n}' on sobject of type ${obj.name}`);
      return f;
    });
  return {
    status: 200,
    body: ids.map((raw) => {
      const id = normalizeId(raw);
      const rec = id ? org.store.get(obj, id) : undefined;
      return rec ? toApiRecord(obj, rec, version, fields.length ? fields : undefined) : null;
    }),
  };
}
