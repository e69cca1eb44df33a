/**
 * One CSV row of a Bulk API 2.0 ingest job applied as the REST API would apply that record
 * (insert, update, upsert, delete), and the header columns a job may name.
 */
import {
  deleteRecord,
  getObject,
  insertRecord,
  parseRecord,
  updateRecord,
  upsertRecord,
  type DmlContext,
  type SaveResult,
} from './dml';
import { normalizeId } from './ids';
import type { FieldDef, ObjectDef, Schema } from './schema';
import type { Value } from './store';
import { MAX_FIELD_CHARS, MAX_RECORD_CHARS, type IngestJob } from './bulk-model';

/** A header column: a field, or `Relationship.ExternalIdField` naming a parent. */
export function columnTarget(schema: Schema, obj: ObjectDef, column: string): true | undefined {
  if (obj.fields.has(column.toLowerCase())) return true;
  const dot = column.indexOf('.');
  if (dot < 0) return undefined;
  const rel = obj.relationships.get(column.slice(0, dot).toLowerCase());
  const target = rel ? getObject(schema, rel.referenceTo[0] ?? '') : undefined;
  const f = target?.fields.get(column.slice(dot + 1).toLowerCase());
  return f && (f.externalId || f.unique || f.idLookup || f.type === 'id') ? true : undefined;
}

export function processRow(
  schema: Schema,
  job: IngestJob,
  dml: DmlContext,
  row: string[],
  extCol: number,
  extCounts: Map<string, number>,
): SaveResult {
  if (row.length !== job.header.length) {
    return failure(
      'INVALID_FIELD',
      `The row has ${row.length} values but the header has ${job.header.length} columns.`,
    );
  }
  let chars = 0;
  for (const v of row) {
    chars += v.length;
    if (v.length > MAX_FIELD_CHARS)
      return failure(
        'STRING_TOO_LONG',
        `A field value is longer than ${MAX_FIELD_CHARS} characters.`,
      );
  }
  if (chars > MAX_RECORD_CHARS)
    return failure('STRING_TOO_LONG', `The record is longer than ${MAX_RECORD_CHARS} characters.`);
  const idCol = job.header.findIndex((h) => h.toLowerCase() === 'id');
  const rawId = idCol >= 0 ? (row[idCol] ?? '') : '';
  if (job.operation === 'delete' || job.operation === 'hardDelete') {
    const id = normalizeId(rawId);
    const obj = id ? schema.byPrefix.get(id.slice(0, 3)) : undefined;
    if (!id || obj !== job.obj)
      return failure('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [], rawId);
    // No recycle bin here: delete and hardDelete both remove the record.
    return deleteRecord(dml, job.obj, id);
  }
  // Empty values are left alone (null on insert); #N/A sets a field to null ("Prepare CSV Files").
  const body: Record<string, unknown> = {};
  job.header.forEach((h, c) => {
    if (job.operation !== 'insert' && c === idCol) return;
    const v = row[c] ?? '';
    if (v === '') return;
    const dot = h.indexOf('.');
    if (dot >= 0 && !job.obj.fields.has(h.toLowerCase())) {
      body[h.slice(0, dot)] = { [h.slice(dot + 1)]: v === '#N/A' ? null : v };
      return;
    }
    const f = job.obj.fields.get(h.toLowerCase())!;
    body[f.name] = v === '#N/A' ? null : csvInput(f, v);
  });
  if (job.operation === 'insert') {
    return insertRecord(dml, parseRecord(schema, job.obj, body));
  }
  if (job.operation === 'update') {
    const id = normalizeId(rawId);
    if (!rawId) return failure('MISSING_ARGUMENT', 'Id not specified in an update call');
    if (!id || !dml.store.get(job.obj, id))
      return failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], rawId);
    return updateRecord(dml, parseRecord(schema, job.obj, body), id);
  }
  const ext = job.externalIdField!;
  const v = extCol >= 0 ? (row[extCol] ?? '') : '';
  if (v === '') return failure('MISSING_ARGUMENT', `${ext.name} not specified`);
  if ((extCounts.get(ext.caseSensitive ? v : v.toLowerCase()) ?? 0) > 1)
    return failure('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${v}`, [ext.name]);
  if (ext.type === 'id') {
    delete body.Id;
    const id = normalizeId(v);
    if (id && dml.store.get(job.obj, id)) {
      const r = updateRecord(dml, parseRecord(schema, job.obj, body), id);
      return { ...r, created: false };
    }
    return failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], v);
  }
  delete body[ext.name];
  const p = parseRecord(schema, job.obj, body);
  return upsertRecord(dml, p, ext, csvInput(ext, v) as Value);
}

function failure(code: string, message: string, fields: string[] = [], id?: string): SaveResult {
  return { success: false, errors: [{ statusCode: code, message, fields }], ...(id ? { id } : {}) };
}

/** A CSV text value as the JSON value parseRecord expects for the field's type. */
function csvInput(f: FieldDef, v: string): unknown {
  if (f.type === 'boolean') {
    const l = v.toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
  }
  return v;
}
