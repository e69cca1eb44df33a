/**
 * What a SOQL query runs against (the org's schema and store, the user) and how a field path such as
 * `Account.Owner.Name` resolves on a record: the ground the WHERE and SELECT evaluation (soql.ts,
 * soql-where.ts) stand on.
 */
import type { Access } from './access';
import { SfError } from './errors';
import { getObject } from './dml';
import { type FieldDef, type ObjectDef, type Schema } from './schema';
import type { Rec, Store, Value } from './store';

export interface QueryContext {
  schema: Schema;
  store: Store;
  apiVersion: string;
  now: () => Date;
  /** The running user's time zone (TimeZoneSidKey), in which date literals are evaluated; UTC by default. */
  timeZone?: string;
  /** First month (1–12) of the org's fiscal year, for the *_FISCAL_* literals; January by default. */
  fiscalYearStartMonth?: number;
  /** Set while a queryAll runs, so subqueries include deleted children too. */
  allRows?: boolean;
  /**
   * The running user's object and field permissions (access.ts): an object it may not read is
   * INVALID_TYPE, a field it may not read INVALID_FIELD, as if neither existed. Absent = all.
   */
  access?: Access;
}

export interface RunOptions {
  /** Include the recycle bin (queryAll, or `ALL ROWS`). */
  allRows?: boolean;
  /** Lets SOSL hide records the search index has not caught up with. */
  filter?: (rec: Rec) => boolean;
  /** The rows to query instead of the whole table (a subquery's children of one parent). */
  source?: Iterable<Rec>;
}

export interface QueryResult {
  totalSize: number;
  done: boolean;
  records: Record<string, unknown>[];
}

export function invalidType(name: string): SfError {
  return new SfError(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function invalidField(obj: ObjectDef, name: string): SfError {
  return new SfError(
    'INVALID_FIELD',
    `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

/** A field reached from the queried object, possibly through relationships (`Owner.Email`). */
interface Path {
  hops: FieldDef[]; // reference fields followed, in order
  field: FieldDef | undefined; // undefined when the final object is polymorphic and checked at read time
  name: string; // final field name as written
  rels: string[]; // relationship names as canonical names
}

export function resolvePath(schema: Schema, obj: ObjectDef, dotted: string, access?: Access): Path {
  const hidden = (o: ObjectDef, f: FieldDef) => access !== undefined && !access.fieldReadable(o, f);
  const parts = dotted.split('.');
  const last = parts.pop()!;
  const hops: FieldDef[] = [];
  const rels: string[] = [];
  let current: ObjectDef | undefined = obj;
  for (const rel of parts) {
    if (!current) break;
    const r: FieldDef | undefined = current.relationships.get(rel.toLowerCase());
    if (!r || hidden(current, r)) throw invalidField(current, dotted);
    hops.push(r);
    rels.push(r.relationshipName!);
    current = r.referenceTo.length === 1 ? getObject(schema, r.referenceTo[0]!) : undefined;
  }
  if (!current) return { hops, field: undefined, name: last, rels };
  const field = current.fields.get(last.toLowerCase());
  if (!field || hidden(current, field)) throw invalidField(current, dotted);
  return { hops, field, name: field.name, rels };
}

/** Follows a path from a record; undefined when a lookup on the way is empty. */
function follow(ctx: QueryContext, rec: Rec, path: Path): { rec: Rec; obj: ObjectDef } | undefined {
  let current = rec;
  let obj: ObjectDef | undefined;
  for (const hop of path.hops) {
    const id = current[hop.name];
    if (typeof id !== 'string') return undefined;
    obj = ctx.schema.byPrefix.get(id.slice(0, 3));
    const next = obj ? ctx.store.get(obj, id) : undefined;
    if (!next) return undefined;
    current = next;
  }
  return { rec: current, obj: obj! };
}

export function readPath(ctx: QueryContext, rec: Rec, path: Path): Value {
  if (path.hops.length === 0) return rec[path.field!.name] ?? null;
  const target = follow(ctx, rec, path);
  if (!target) return null;
  const f = path.field ?? target.obj.fields.get(path.name.toLowerCase());
  return f ? (target.rec[f.name] ?? null) : null;
}
