/**
 * SOQL evaluation over the local org's records as `Store` (store.ts) holds them: in memory, written
 * through to SQLite. Parsing is @jetstreamapp/soql-parser-js; this file gives the parsed tree its
 * meaning: field lists with relationship paths, WHERE (=, !=, <, <=, >, >=,
 * LIKE, IN, NOT IN, AND/OR/NOT, date literals), ORDER BY, LIMIT/OFFSET and COUNT(). The WHERE
 * clause is compiled in soql-where.ts; what a query runs against and how paths resolve, in
 * soql-context.ts.
 */
import {
  parseQuery,
  type FieldType as SelectField,
  type OrderByClause,
  type Query,
} from '@jetstreamapp/soql-parser-js';
import type { Access } from './access';
import { SfError } from './errors';
import { getObject, readField } from './dml';
import { childRelationship, type FieldDef, type ObjectDef } from './schema';
import type { Rec, Value } from './store';

export { resolvePath, type QueryContext, type QueryResult, type RunOptions } from './soql-context';
export { compileWhere, dateRange } from './soql-where';
import {
  type QueryContext,
  type RunOptions,
  type QueryResult,
  invalidType,
  invalidField,
  resolvePath,
  readPath,
} from './soql-context';
import { compare, compileExpr, candidates, compileWhere } from './soql-where';

// ---- SELECT --------------------------------------------------------------------------------------

type Projector = (rec: Rec, out: Record<string, unknown>) => void;

function projector(ctx: QueryContext, obj: ObjectDef, sel: SelectField): Projector {
  const s = sel as SelectField & { field?: string; relationships?: string[]; type: string };
  if (s.type === 'Field') {
    const f = obj.fields.get(s.field.toLowerCase());
    if (!f || (ctx.access && !ctx.access.fieldReadable(obj, f))) throw invalidField(obj, s.field);
    return (rec, out) => {
      out[f.name] = readField(f, rec);
    };
  }
  if (s.type === 'FieldRelationship') {
    const path = resolvePath(ctx.schema, obj, [...s.relationships, s.field].join('.'), ctx.access);
    return (rec, out) => {
      let current: Record<string, unknown> = out;
      let currentRec: Rec | undefined = rec;
      for (let i = 0; i < path.hops.length; i++) {
        const hop = path.hops[i]!;
        const rel = path.rels[i]!;
        const id: Value | undefined = currentRec?.[hop.name];
        const target: ObjectDef | undefined =
          typeof id === 'string' ? ctx.schema.byPrefix.get(id.slice(0, 3)) : undefined;
        const next: Rec | undefined =
          target && typeof id === 'string' ? ctx.store.get(target, id) : undefined;
        if (!next || !target) {
          if (!(rel in current)) current[rel] = null;
          return;
        }
        const existing = current[rel];
        const node =
          existing && typeof existing === 'object'
            ? (existing as Record<string, unknown>)
            : {
                attributes: {
                  type: target.name,
                  url: `/services/data/v${ctx.apiVersion}/sobjects/${target.name}/${id as string}`,
                },
              };
        current[rel] = node;
        current = node;
        currentRec = next;
        if (i === path.hops.length - 1) {
          const f = path.field ?? target.fields.get(path.name.toLowerCase());
          node[f?.name ?? path.name] = f ? readField(f, next) : null;
        }
      }
    };
  }
  if (s.type === 'FieldSubquery') return subqueryProjector(ctx, obj, s);
  throw new SfError(
    'MALFORMED_QUERY',
    `The local org does not support ${s.type} in a SELECT list.`,
  );
}

interface SubqueryField {
  subquery: Query & { relationshipName: string };
}

/**
 * A parent-to-child subquery (`SELECT Id, (SELECT Id FROM Contacts) FROM Account`, SOQL and SOSL
 * Reference, "Relationship Queries"): each parent row carries `{totalSize, done, records}` of its
 * children through the named child relationship, or null when it has none.
 */
function subqueryProjector(ctx: QueryContext, obj: ObjectDef, s: SubqueryField): Projector {
  const sub = s.subquery;
  const found = childRelationship(ctx.schema, obj, sub.relationshipName);
  if (!found) {
    throw new SfError(
      'INVALID_TYPE',
      `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const childQuery: Query = { ...sub, sObject: found.child.name };
  // Validates the subquery once, before any row is read.
  runQuery(ctx, childQuery, { source: [], allRows: ctx.allRows === true });
  let byParent: Map<string, Rec[]> | undefined;
  return (rec, out) => {
    if (!byParent) {
      byParent = new Map();
      const all = [...ctx.store.table(found.child).values()];
      if (ctx.allRows) all.push(...ctx.store.binOf(found.child).values());
      for (const c of all) {
        const parent = c[found.field.name];
        if (typeof parent !== 'string') continue;
        let list = byParent.get(parent);
        if (!list) byParent.set(parent, (list = []));
        list.push(c);
      }
    }
    const children = byParent.get(rec.Id as string) ?? [];
    const r = children.length
      ? runQuery(ctx, childQuery, { source: children, allRows: ctx.allRows === true })
      : undefined;
    out[sub.relationshipName] = r && r.records.length ? r : null;
  };
}

function orderComparator(
  ctx: QueryContext,
  obj: ObjectDef,
  orderBy: OrderByClause[],
): (a: Rec, b: Rec) => number {
  const keys = orderBy.map((o) => {
    const ob = o as OrderByClause & { field?: string; order?: string; nulls?: string };
    if (!ob.field)
      throw new SfError('MALFORMED_QUERY', 'ORDER BY supports fields only in the local org.');
    const path = resolvePath(ctx.schema, obj, ob.field, ctx.access);
    const desc = ob.order?.toUpperCase() === 'DESC';
    const nullsFirst = ob.nulls ? ob.nulls.toUpperCase() === 'FIRST' : !desc;
    return { path, desc, nullsFirst };
  });
  return (a, b) => {
    for (const k of keys) {
      const va = readPath(ctx, a, k.path);
      const vb = readPath(ctx, b, k.path);
      if (va === null && vb === null) continue;
      if (va === null) return k.nullsFirst ? -1 : 1;
      if (vb === null) return k.nullsFirst ? 1 : -1;
      const d = compare(k.path.field, va, vb);
      if (d !== 0) return k.desc ? -d : d;
    }
    return 0;
  };
}

/** A parsed query; `allRows` when it ended with `ALL ROWS` (which the parser does not know). */
export function parseSoql(q: string): Query & { allRows?: boolean } {
  const allRows = /\s+ALL\s+ROWS\s*$/i.exec(q);
  try {
    if (allRows) return { ...parseQuery(q.slice(0, allRows.index)), allRows: true };
    return parseQuery(q);
  } catch (e) {
    throw new SfError(
      'MALFORMED_QUERY',
      `unexpected token: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

/** Runs a parsed query; `filter` lets SOSL hide records the search index has not caught up with. */
type SelectItem = SelectField & {
  type: string;
  field?: string;
  functionName?: string;
  parameters?: unknown[];
  alias?: string;
  rawValue?: string;
  isAggregateFn?: boolean;
};

/** `FIELDS(ALL | STANDARD | CUSTOM)` expanded to plain fields (an org caps FIELDS(ALL) queries at 200 rows). */
function expandFields(obj: ObjectDef, query: Query, access?: Access): SelectItem[] {
  const out: SelectItem[] = [];
  for (const item of (query.fields ?? []) as SelectItem[]) {
    if (item.type !== 'FieldFunctionExpression' || item.functionName?.toUpperCase() !== 'FIELDS') {
      out.push(item);
      continue;
    }
    const param = item.parameters?.[0];
    const kind = typeof param === 'string' ? param.toUpperCase() : '';
    if (kind !== 'STANDARD' && (query.limit === undefined || query.limit > 200)) {
      throw new SfError(
        'MALFORMED_QUERY',
        `The SOQL FIELDS function must have a LIMIT of at most 200`,
      );
    }
    for (const f of obj.fields.values()) {
      if (access && !access.fieldReadable(obj, f)) continue;
      if (kind === 'ALL' || (kind === 'CUSTOM' ? f.custom : !f.custom))
        out.push({ type: 'Field', field: f.name });
    }
  }
  return out;
}

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

function aggregate(fn: string, values: Value[], f: FieldDef | undefined): Value {
  const present = values.filter((v) => v !== null && v !== undefined);
  switch (fn) {
    case 'COUNT':
      return present.length;
    case 'COUNT_DISTINCT':
      return new Set(present.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    case 'SUM':
      return present.length ? present.reduce<number>((a, v) => a + Number(v), 0) : null;
    case 'AVG':
      return present.length
        ? present.reduce<number>((a, v) => a + Number(v), 0) / present.length
        : null;
    case 'MIN':
    case 'MAX': {
      if (!present.length) return null;
      const sorted = [...present].sort((a, b) => compare(f, a, b));
      return fn === 'MIN' ? sorted[0]! : sorted[sorted.length - 1]!;
    }
    default:
      throw new SfError(
        'MALFORMED_QUERY',
        `Aggregate function ${fn} is not supported by the local org.`,
      );
  }
}

/** GROUP BY and aggregate functions: rows of type AggregateResult, unaliased aggregates named expr0, expr1, … */
function runAggregate(
  ctx: QueryContext,
  obj: ObjectDef,
  query: Query,
  items: SelectItem[],
  rows: Rec[],
): QueryResult {
  const groupBy = ((query.groupBy ?? []) as { field?: string }[]).map((g) => {
    if (!g.field)
      throw new SfError('MALFORMED_QUERY', 'GROUP BY supports fields only in the local org.');
    return resolvePath(ctx.schema, obj, g.field, ctx.access);
  });
  let expr = 0;
  const columns = items.map((item) => {
    if (item.type === 'Field' || item.type === 'FieldRelationship') {
      const dotted =
        item.type === 'Field'
          ? item.field
          : [...((item as { relationships?: string[] }).relationships ?? []), item.field].join('.');
      const path = resolvePath(ctx.schema, obj, dotted, ctx.access);
      if (!groupBy.some((g) => g.name === path.name && g.hops.length === path.hops.length)) {
        throw new SfError('MALFORMED_QUERY', `Field must be grouped or aggregated: ${dotted}`);
      }
      return { name: path.name, raw: dotted, path, fn: undefined as string | undefined };
    }
    const fn = item.functionName?.toUpperCase() ?? '';
    if (!AGGREGATES.has(fn))
      throw new SfError('MALFORMED_QUERY', `${fn} is not supported by the local org.`);
    const param = item.parameters?.[0];
    const path =
      typeof param === 'string' ? resolvePath(ctx.schema, obj, param, ctx.access) : undefined;
    return { name: item.alias ?? `expr${expr++}`, raw: item.rawValue ?? fn, path, fn };
  });
  const groups = new Map<string, Rec[]>();
  for (const rec of rows) {
    const key = JSON.stringify(groupBy.map((g) => readPath(ctx, rec, g)));
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(rec);
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set('[]', []);
  let out = [...groups.values()].map((members) => {
    const row: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const c of columns) {
      if (c.fn === undefined)
        row[c.name] = members.length ? readPath(ctx, members[0]!, c.path!) : null;
      else
        row[c.name] = aggregate(
          c.fn,
          c.path ? members.map((m) => readPath(ctx, m, c.path!)) : members.map(() => 1),
          c.path?.field,
        );
    }
    return row;
  });
  if (query.orderBy) {
    const ob = (Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy]) as {
      field?: string;
      fn?: { rawValue?: string };
      order?: string;
      nulls?: string;
    }[];
    const keys = ob.map((o) => {
      const col = columns.find((c) =>
        o.fn
          ? c.raw.toLowerCase() === o.fn.rawValue?.toLowerCase()
          : c.raw.toLowerCase() === o.field?.toLowerCase(),
      );
      if (!col)
        throw new SfError(
          'MALFORMED_QUERY',
          'ORDER BY in an aggregate query must name a selected column.',
        );
      const desc = o.order?.toUpperCase() === 'DESC';
      return { col, desc, nullsFirst: o.nulls ? o.nulls.toUpperCase() === 'FIRST' : !desc };
    });
    out.sort((a, b) => {
      for (const k of keys) {
        const va = a[k.col.name] as Value;
        const vb = b[k.col.name] as Value;
        if (va === null && vb === null) continue;
        if (va === null) return k.nullsFirst ? -1 : 1;
        if (vb === null) return k.nullsFirst ? 1 : -1;
        const d = compare(k.col.fn ? undefined : k.col.path?.field, va, vb);
        if (d !== 0) return k.desc ? -d : d;
      }
      return 0;
    });
  }
  const offset = query.offset ?? 0;
  out = out.slice(offset, query.limit !== undefined ? offset + query.limit : undefined);
  return { totalSize: out.length, done: true, records: out };
}

/**
 * Runs a parsed query. `ALL ROWS` or `allRows` (queryAll) include the recycle bin (REST API Developer
 * Guide, "QueryAll"); `FOR VIEW` / `FOR REFERENCE` stamp LastViewedDate / LastReferencedDate on the
 * returned records, which is what recently-viewed lists read (SOQL and SOSL Reference, "FOR VIEW").
 */
export function runQuery(
  ctx: QueryContext,
  query: Query & { allRows?: boolean },
  optsOrFilter?: RunOptions | ((rec: Rec) => boolean),
): QueryResult {
  const opts: RunOptions =
    typeof optsOrFilter === 'function' ? { filter: optsOrFilter } : (optsOrFilter ?? {});
  const filter = opts.filter;
  const allRows = opts.allRows === true || query.allRows === true;
  if (allRows && !ctx.allRows) ctx = { ...ctx, allRows: true };
  const obj = getObject(ctx.schema, query.sObject ?? '');
  if (!obj || obj.isPlatformEvent || ctx.access?.object(obj, 'read') === false)
    throw invalidType(query.sObject ?? '');
  const items = expandFields(obj, query, ctx.access);
  // COUNT() with no argument is the record-count form: totalSize only, no rows.
  const isCount =
    items.length === 1 &&
    items[0]!.type === 'FieldFunctionExpression' &&
    items[0]!.functionName?.toUpperCase() === 'COUNT' &&
    (items[0]!.parameters ?? []).length === 0;
  const isAggregate =
    !isCount && (query.groupBy !== undefined || items.some((i) => i.isAggregateFn === true));
  const projectors = isCount || isAggregate ? [] : items.map((f) => projector(ctx, obj, f));
  const expr = compileWhere(ctx, obj, query.where);
  const predicate = expr ? compileExpr(ctx, obj, expr) : () => true;
  let rows: Rec[] = [];
  const sources: Iterable<Rec>[] = opts.source
    ? [opts.source]
    : [candidates(ctx, obj, expr), ...(allRows ? [ctx.store.binOf(obj).values()] : [])];
  for (const source of sources) {
    for (const rec of source) {
      if (filter && !filter(rec)) continue;
      if (predicate(rec)) rows.push(rec);
    }
  }
  if (isCount) {
    return { totalSize: rows.length, done: true, records: [] };
  }
  if (isAggregate) return runAggregate(ctx, obj, query, items, rows);
  if (query.orderBy) {
    const ob = Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy];
    rows.sort(orderComparator(ctx, obj, ob));
  }
  const offset = query.offset ?? 0;
  rows = rows.slice(offset, query.limit !== undefined ? offset + query.limit : undefined);
  const viewed = (query as Query & { for?: string }).for?.toUpperCase();
  if ((viewed === 'VIEW' || viewed === 'REFERENCE') && obj.fields.has('lastreferenceddate')) {
    const stamp = sfDateTimeOf(ctx.now());
    for (const rec of rows) {
      if (rec.IsDeleted === true) continue;
      ctx.store.touch(obj, rec.Id as string, {
        LastReferencedDate: stamp,
        ...(viewed === 'VIEW' ? { LastViewedDate: stamp } : {}),
      });
    }
  }
  const records = rows.map((rec) => {
    const out: Record<string, unknown> = {
      attributes: {
        type: obj.name,
        url: `/services/data/v${ctx.apiVersion}/sobjects/${obj.name}/${String(rec.Id)}`,
      },
    };
    for (const p of projectors) p(rec, out);
    return out;
  });
  return { totalSize: records.length, done: true, records };
}

function sfDateTimeOf(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}
