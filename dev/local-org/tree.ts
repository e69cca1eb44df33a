/**
 * sObject Tree (REST API Developer Guide, "sObject Tree" / "Create Nested Records"):
 * `POST /composite/tree/{type}` creates record trees — each record with
 * `attributes: {type, referenceId}`, children under their child relationship name as
 * `{records: [...]}` — in one all-or-nothing transaction. What `sf data import tree` sends.
 *
 * Limits from the guide: at most 200 records in all, 5 levels deep, 5 different object types;
 * referenceIds unique within the request.
 * Success 201 `{hasErrors: false, results: [{referenceId, id}]}`; any failure rolls everything
 * back and answers 400 `{hasErrors: true, results: [{referenceId, errors: [...]}]}`.
 */
import { getObject, insertRecord, parseRecord, type DmlContext } from './dml';
import { SfError, type SaveError } from './errors';
import { childRelationship, type FieldDef, type ObjectDef } from './schema';

export const TREE_MAX_RECORDS = 200;
export const TREE_MAX_DEPTH = 5;
export const TREE_MAX_TYPES = 5;

interface Node {
  obj: ObjectDef;
  referenceId: string;
  fields: Record<string, unknown>;
  children: { field: FieldDef; nodes: Node[] }[];
}

export interface TreeReply {
  status: number;
  body: { hasErrors: boolean; results: Record<string, unknown>[] };
}

const invalid = (message: string): SfError => new SfError('INVALID_INPUT', message);

function parseNodes(
  dml: DmlContext,
  raw: unknown,
  expected: ObjectDef,
  depth: number,
  seen: { refs: Set<string>; count: number; types: Set<string> },
): Node[] {
  const records = (raw as { records?: unknown } | undefined)?.records;
  if (!Array.isArray(records))
    throw invalid(`Send {"records": [...]} with each record's attributes {type, referenceId}.`);
  if (depth > TREE_MAX_DEPTH)
    throw invalid(`A record tree can be at most ${TREE_MAX_DEPTH} levels deep.`);
  return records.map((r: unknown) => {
    if (!r || typeof r !== 'object' || Array.isArray(r))
      throw invalid('Each record must be a JSON object.');
    const { attributes, ...rest } = r as Record<string, unknown>;
    const attrs = (attributes ?? {}) as { type?: unknown; referenceId?: unknown };
    if (typeof attrs.type !== 'string' || getObject(dml.schema, attrs.type) !== expected) {
      throw invalid(
        `Each record's attributes.type must be ${expected.name} here; got ${JSON.stringify(attrs.type)}.`,
      );
    }
    if (typeof attrs.referenceId !== 'string' || attrs.referenceId === '')
      throw invalid('Each record needs attributes.referenceId.');
    if (seen.refs.has(attrs.referenceId.toLowerCase()))
      throw invalid(
        `Duplicate referenceId: ${attrs.referenceId}. Each must be unique in the request.`,
      );
    seen.refs.add(attrs.referenceId.toLowerCase());
    seen.types.add(expected.name);
    if (++seen.count > TREE_MAX_RECORDS)
      throw invalid(`A tree request can create at most ${TREE_MAX_RECORDS} records.`);
    if (seen.types.size > TREE_MAX_TYPES)
      throw invalid(`A tree request can hold at most ${TREE_MAX_TYPES} object types.`);
    const node: Node = { obj: expected, referenceId: attrs.referenceId, fields: {}, children: [] };
    for (const [k, v] of Object.entries(rest)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'records' in v) {
        const link = childRelationship(dml.schema, expected, k);
        if (!link)
          throw new SfError(
            'INVALID_FIELD',
            `No child relationship named ${k} on ${expected.name}.`,
          );
        node.children.push({
          field: link.field,
          nodes: parseNodes(dml, v, link.child, depth + 1, seen),
        });
      } else node.fields[k] = v;
    }
    return node;
  });
}

/**
 * Runs the tree request inside the caller's transaction `unit`; throws SfError for a malformed
 * request (400 with the REST error shape), answers 400 `hasErrors` when a record fails.
 */
export function createTree(
  dml: DmlContext,
  sobject: string,
  body: unknown,
  transaction: (fn: () => boolean) => void,
): TreeReply {
  const root = getObject(dml.schema, sobject);
  if (!root) throw new SfError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  const nodes = parseNodes(dml, body, root, 1, { refs: new Set(), count: 0, types: new Set() });
  const results: Record<string, unknown>[] = [];
  let failed: { referenceId: string; errors: SaveError[] } | undefined;
  const insert = (list: Node[], parent?: { field: FieldDef; id: string }): void => {
    for (const n of list) {
      if (failed) return;
      let errors: SaveError[];
      try {
        const fields = parent ? { ...n.fields, [parent.field.name]: parent.id } : n.fields;
        const r = insertRecord(dml, parseRecord(dml.schema, n.obj, fields));
        if (r.success) {
          results.push({ referenceId: n.referenceId, id: r.id });
          for (const c of n.children) insert(c.nodes, { field: c.field, id: r.id });
          continue;
        }
        errors = r.errors;
      } catch (e) {
        if (!(e instanceof SfError)) throw e;
        errors = [e.toSaveError()];
      }
      failed = { referenceId: n.referenceId, errors };
    }
  };
  transaction(() => {
    insert(nodes);
    return failed === undefined;
  });
  if (failed) return { status: 400, body: { hasErrors: true, results: [failed] } };
  return { status: 201, body: { hasErrors: false, results } };
}
