/**
 * Record values as the API reads and writes them: a request body parsed into typed field values
 * (the checks that fail the whole request, as in an org), the datetime wire format, object lookup,
 * and a record as the REST API returns it. The writes themselves are `dml.ts`.
 */
import { SfError } from './errors';
import { compoundValue, type FieldDef, type ObjectDef, type Schema } from './schema';
import type { Rec, Value } from './store';

/** Salesforce's datetime wire format: `2026-11-25T13:13:53.000+0000`. */
export function sfDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function getObject(schema: Schema, name: string): ObjectDef | undefined {
  return schema.objects.get(name.toLowerCase());
}

export function requireObject(schema: Schema, name: string): ObjectDef {
  const obj = getObject(schema, name);
  if (!obj) throw new SfError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  return obj;
}

export function noSuchColumn(obj: ObjectDef, name: string): SfError {
  return new SfError(
    'INVALID_FIELD',
    `No such column '${name}' on sobject of type ${obj.name}`,
    [],
    400,
  );
}

/** A relationship written by external id (`Lead__r: {Aircall_Phone_Key__c: '+33…'}`), resolved at save time. */
interface ForeignKeyRef {
  field: FieldDef;
  target: ObjectDef;
  extField: FieldDef;
  value: Value;
}

/** A request body turned into typed field values; the checks here fail the whole request, as in an org. */
export interface ParsedRecord {
  obj: ObjectDef;
  values: Map<FieldDef, Value>;
  refs: ForeignKeyRef[];
}

function jsonError(f: FieldDef, raw: unknown): SfError {
  return new SfError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${f.type} from ${typeof raw} value ${JSON.stringify(raw)} or request may be missing a required field`,
    [],
    400,
  );
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/;

/** Coerces a JSON value to what the org stores for the field type. */
export function coerce(f: FieldDef, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw jsonError(f, raw);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(n)) throw jsonError(f, raw);
      return f.type === 'int' ? Math.trunc(n) : n;
    }
    case 'datetime': {
      if (typeof raw !== 'string' && typeof raw !== 'number') throw jsonError(f, raw);
      const d = new Date(
        typeof raw === 'string' ? raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : raw,
      );
      if (Number.isNaN(d.getTime())) throw jsonError(f, raw);
      return sfDateTime(d);
    }
    case 'date':
      if (typeof raw !== 'string' || !DATE_RE.test(raw.slice(0, 10))) throw jsonError(f, raw);
      return raw.slice(0, 10);
    case 'time': {
      if (typeof raw !== 'string' || !TIME_RE.test(raw)) throw jsonError(f, raw);
      const [h, m, rest] = raw.replace('Z', '').split(':');
      const [s, ms] = (rest ?? '00').split('.');
      return `${h}:${m}:${s!.padStart(2, '0')}.${(ms ?? '000').padEnd(3, '0')}Z`;
    }
    case 'base64':
      if (typeof raw !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw.replace(/\s/g, '')))
        throw jsonError(f, raw);
      return raw.replace(/\s/g, '');
    default:
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      throw jsonError(f, raw);
  }
}

export function parseRecord(
  schema: Schema,
  obj: ObjectDef,
  body: Record<string, unknown>,
): ParsedRecord {
  const values = new Map<FieldDef, Value>();
  const refs: ForeignKeyRef[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = obj.fields.get(key.toLowerCase());
    if (f) {
      // A compound field is read-only whatever its value: the write is refused as not writable.
      values.set(f, f.type === 'address' ? null : coerce(f, raw));
      continue;
    }
    const rel = obj.relationships.get(key.toLowerCase());
    if (rel && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const entries = Object.entries(raw as Record<string, unknown>).filter(
        ([k]) => k !== 'attributes',
      );
      const typeAttr = (
        (raw as Record<string, unknown>).attributes as { type?: string } | undefined
      )?.type;
      const target = getObject(schema, typeAttr ?? rel.referenceTo[0] ?? '');
      if (!target || entries.length !== 1) {
        throw new SfError('INVALID_FIELD', `Invalid foreign key relationship name ${key}`, [], 400);
      }
      const [extName, extRaw] = entries[0]!;
      const extField = target.fields.get(extName.toLowerCase());
      if (!extField || !(extField.externalId || extField.unique || extField.type === 'id')) {
        throw new SfError(
          'INVALID_FIELD',
          `Field name provided, ${extName} is not an External ID or indexed field for ${target.name}`,
          [],
          400,
        );
      }
      refs.push({ field: rel, target, extField, value: coerce(extField, extRaw) });
      continue;
    }
    throw noSuchColumn(obj, key);
  }
  return { obj, values, refs };
}

/** A field as the API returns it: compound addresses are built from their components. */
export function readField(f: FieldDef, rec: Rec): unknown {
  return f.type === 'address' ? compoundValue(f, rec) : (rec[f.name] ?? null);
}

/** A record as the REST API returns it: `attributes` first, every field present (null when empty). */
export function toApiRecord(
  obj: ObjectDef,
  rec: Rec,
  apiVersion: string,
  fields?: FieldDef[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: {
      type: obj.name,
      url: `/services/data/v${apiVersion}/sobjects/${obj.name}/${String(rec.Id)}`,
    },
  };
  for (const f of fields ?? obj.fields.values()) out[f.name] = readField(f, rec);
  return out;
}
