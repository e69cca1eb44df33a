/**
 * SOQL evaluation over the local org's records as `Store` (store.ts) holds them: in memory, written
 * through to SQLite. Parsing is @jetstreamapp/soql-parser-js; this file gives the parsed tree its
 * meaning: field lists with relationship paths, WHERE (=, !=, <, <=, >, >=,
 * LIKE, IN, NOT IN, AND/OR/NOT, date literals), ORDER BY, LIMIT/OFFSET and COUNT().
 */
import {
  parseQuery,
  type Condition,
  type FieldType as SelectField,
  type OrderByClause,
  type Query,
  type WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { DateTime, IANAZone } from 'luxon';
import { SfError } from './errors';
import { getObject, readField } from './dml';
import { normalizeId } from './ids';
import { childRelationship, type FieldDef, type ObjectDef, type Schema } from './schema';
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

function invalidType(name: string): SfError {
  return new SfError(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

function invalidField(obj: ObjectDef, name: string): SfError {
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

export function resolvePath(schema: Schema, obj: ObjectDef, dotted: string): Path {
  const parts = dotted.split('.');
  const last = parts.pop()!;
  const hops: FieldDef[] = [];
  const rels: string[] = [];
  let current: ObjectDef | undefined = obj;
  for (const rel of parts) {
    if (!current) break;
    const r: FieldDef | undefined = current.relationships.get(rel.toLowerCase());
    if (!r) throw invalidField(current, dotted);
    hops.push(r);
    rels.push(r.relationshipName!);
    current = r.referenceTo.length === 1 ? getObject(schema, r.referenceTo[0]!) : undefined;
  }
  if (!current) return { hops, field: undefined, name: last, rels };
  const field = current.fields.get(last.toLowerCase());
  if (!field) throw invalidField(current, dotted);
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

function readPath(ctx: QueryContext, rec: Rec, path: Path): Value {
  if (path.hops.length === 0) return rec[path.field!.name] ?? null;
  const target = follow(ctx, rec, path);
  if (!target) return null;
  const f = path.field ?? target.obj.fields.get(path.name.toLowerCase());
  return f ? (target.rec[f.name] ?? null) : null;
}

// ---- WHERE ---------------------------------------------------------------------------------------

type Expr =
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  | { kind: 'cond'; cond: Condition };

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | Condition;

function flatten(w: WhereClause | undefined, out: Token[]): void {
  if (!w) return;
  const node = w as unknown as { left: Condition | null; operator?: string; right?: WhereClause };
  if (node.left) {
    const c = node.left as Condition & { openParen?: number; closeParen?: number };
    for (let i = 0; i < (c.openParen ?? 0); i++) out.push('(');
    out.push(c);
    for (let i = 0; i < (c.closeParen ?? 0); i++) out.push(')');
  }
  if (node.operator === 'AND' || node.operator === 'OR' || node.operator === 'NOT')
    out.push(node.operator);
  flatten(node.right, out);
}

function parseTokens(tokens: Token[]): Expr {
  let pos = 0;
  const expr = (): Expr => {
    const items = [term()];
    while (tokens[pos] === 'OR') {
      pos++;
      items.push(term());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const term = (): Expr => {
    const items = [factor()];
    while (tokens[pos] === 'AND') {
      pos++;
      items.push(factor());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const factor = (): Expr => {
    const t = tokens[pos++];
    if (t === 'NOT') return { kind: 'not', item: factor() };
    if (t === '(') {
      const e = expr();
      if (tokens[pos++] !== ')')
        throw new SfError('MALFORMED_QUERY', 'unexpected token: missing )');
      return e;
    }
    if (t === undefined || typeof t === 'string')
      throw new SfError('MALFORMED_QUERY', `unexpected token: ${String(t)}`);
    return { kind: 'cond', cond: t };
  };
  const e = expr();
  if (pos !== tokens.length)
    throw new SfError('MALFORMED_QUERY', 'unexpected token after condition');
  return e;
}

function unquote(raw: string): string {
  return raw
    .replace(/^'(.*)'$/s, '$1')
    .replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

type Literal = { kind: 'value'; v: Value } | { kind: 'range'; from: number; to: number };

/**
 * Date literals (SOQL and SOSL Reference, "Date Formats and Date Literals"), evaluated in the
 * running user's time zone as a real org does: `TODAY` is the user's calendar day. Weeks start on
 * Sunday (en_US locale); fiscal literals use the org's fiscal year start month (standard fiscal
 * years). Returns the [from, to) range in epoch milliseconds.
 */
export function dateRange(
  literal: string,
  n: number | undefined,
  now: Date,
  timeZone = 'UTC',
  fiscalStartMonth = 1,
): { from: number; to: number } {
  const zone = IANAZone.isValidZone(timeZone) ? timeZone : 'UTC';
  const here = DateTime.fromJSDate(now, { zone });
  const today = here.startOf('day');
  const k = n ?? 0;
  const name = literal.split(':')[0]!.toUpperCase();
  const range = (from: DateTime, to: DateTime): { from: number; to: number } => ({
    from: from.toMillis(),
    to: to.toMillis(),
  });
  // Sunday-based weeks: luxon weeks start on Monday.
  const weekStart = today.minus({ days: today.weekday % 7 });
  const monthStart = today.startOf('month');
  const quarterStart = today.startOf('quarter');
  const yearStart = today.startOf('year');
  // The fiscal year containing today starts on the 1st of fiscalStartMonth.
  let fiscalStart = today.set({ month: fiscalStartMonth, day: 1 });
  if (fiscalStart > today) fiscalStart = fiscalStart.minus({ years: 1 });
  const fiscalQuarterStart = fiscalStart.plus({
    months: Math.floor(today.diff(fiscalStart, 'months').months / 3) * 3,
  });
  switch (name) {
    case 'YESTERDAY':
      return range(today.minus({ days: 1 }), today);
    case 'TODAY':
      return range(today, today.plus({ days: 1 }));
    case 'TOMORROW':
      return range(today.plus({ days: 1 }), today.plus({ days: 2 }));
    case 'LAST_WEEK':
      return range(weekStart.minus({ weeks: 1 }), weekStart);
    case 'THIS_WEEK':
      return range(weekStart, weekStart.plus({ weeks: 1 }));
    case 'NEXT_WEEK':
      return range(weekStart.plus({ weeks: 1 }), weekStart.plus({ weeks: 2 }));
    case 'LAST_MONTH':
      return range(monthStart.minus({ months: 1 }), monthStart);
    case 'THIS_MONTH':
      return range(monthStart, monthStart.plus({ months: 1 }));
    case 'NEXT_MONTH':
      return range(monthStart.plus({ months: 1 }), monthStart.plus({ months: 2 }));
    case 'LAST_90_DAYS':
      return range(today.minus({ days: 90 }), today.plus({ days: 1 }));
    case 'NEXT_90_DAYS':
      return range(today.plus({ days: 1 }), today.plus({ days: 91 }));
    case 'LAST_N_DAYS':
      return range(today.minus({ days: k }), today.plus({ days: 1 }));
    case 'NEXT_N_DAYS':
      return range(today.plus({ days: 1 }), today.plus({ days: k + 1 }));
    case 'N_DAYS_AGO':
      return range(today.minus({ days: k }), today.minus({ days: k - 1 }));
    case 'N_DAYS_FROM_NOW':
      return range(today.plus({ days: k }), today.plus({ days: k + 1 }));
    case 'LAST_N_HOURS':
      return range(here.minus({ hours: k }), here);
    case 'NEXT_N_HOURS':
      return range(here, here.plus({ hours: k }));
    case 'LAST_N_WEEKS':
      return range(weekStart.minus({ weeks: k }), weekStart);
    case 'NEXT_N_WEEKS':
      return range(weekStart.plus({ weeks: 1 }), weekStart.plus({ weeks: k + 1 }));
    case 'N_WEEKS_AGO':
      return range(weekStart.minus({ weeks: k }), weekStart.minus({ weeks: k - 1 }));
    case 'N_WEEKS_FROM_NOW':
      return range(weekStart.plus({ weeks: k }), weekStart.plus({ weeks: k + 1 }));
    case 'LAST_N_MONTHS':
      return range(monthStart.minus({ months: k }), monthStart);
    case 'NEXT_N_MONTHS':
      return range(monthStart.plus({ months: 1 }), monthStart.plus({ months: k + 1 }));
    case 'N_MONTHS_AGO':
      return range(monthStart.minus({ months: k }), monthStart.minus({ months: k - 1 }));
    case 'N_MONTHS_FROM_NOW':
      return range(monthStart.plus({ months: k }), monthStart.plus({ months: k + 1 }));
    case 'LAST_QUARTER':
      return range(quarterStart.minus({ months: 3 }), quarterStart);
    case 'THIS_QUARTER':
      return range(quarterStart, quarterStart.plus({ months: 3 }));
    case 'NEXT_QUARTER':
      return range(quarterStart.plus({ months: 3 }), quarterStart.plus({ months: 6 }));
    case 'LAST_N_QUARTERS':
      return range(quarterStart.minus({ months: 3 * k }), quarterStart);
    case 'NEXT_N_QUARTERS':
      return range(quarterStart.plus({ months: 3 }), quarterStart.plus({ months: 3 * (k + 1) }));
    case 'N_QUARTERS_AGO':
      return range(
        quarterStart.minus({ months: 3 * k }),
        quarterStart.minus({ months: 3 * (k - 1) }),
      );
    case 'N_QUARTERS_FROM_NOW':
      return range(
        quarterStart.plus({ months: 3 * k }),
        quarterStart.plus({ months: 3 * (k + 1) }),
      );
    case 'LAST_YEAR':
      return range(yearStart.minus({ years: 1 }), yearStart);
    case 'THIS_YEAR':
      return range(yearStart, yearStart.plus({ years: 1 }));
    case 'NEXT_YEAR':
      return range(yearStart.plus({ years: 1 }), yearStart.plus({ years: 2 }));
    case 'LAST_N_YEARS':
      return range(yearStart.minus({ years: k }), yearStart);
    case 'NEXT_N_YEARS':
      return range(yearStart.plus({ years: 1 }), yearStart.plus({ years: k + 1 }));
    case 'N_YEARS_AGO':
      return range(yearStart.minus({ years: k }), yearStart.minus({ years: k - 1 }));
    case 'N_YEARS_FROM_NOW':
      return range(yearStart.plus({ years: k }), yearStart.plus({ years: k + 1 }));
    case 'LAST_FISCAL_QUARTER':
      return range(fiscalQuarterStart.minus({ months: 3 }), fiscalQuarterStart);
    case 'THIS_FISCAL_QUARTER':
      return range(fiscalQuarterStart, fiscalQuarterStart.plus({ months: 3 }));
    case 'NEXT_FISCAL_QUARTER':
      return range(fiscalQuarterStart.plus({ months: 3 }), fiscalQuarterStart.plus({ months: 6 }));
    case 'LAST_N_FISCAL_QUARTERS':
      return range(fiscalQuarterStart.minus({ months: 3 * k }), fiscalQuarterStart);
    case 'NEXT_N_FISCAL_QUARTERS':
      return range(
        fiscalQuarterStart.plus({ months: 3 }),
        fiscalQuarterStart.plus({ months: 3 * (k + 1) }),
      );
    case 'N_FISCAL_QUARTERS_AGO':
      return range(
        fiscalQuarterStart.minus({ months: 3 * k }),
        fiscalQuarterStart.minus({ months: 3 * (k - 1) }),
      );
    case 'N_FISCAL_QUARTERS_FROM_NOW':
      return range(
        fiscalQuarterStart.plus({ months: 3 * k }),
        fiscalQuarterStart.plus({ months: 3 * (k + 1) }),
      );
    case 'LAST_FISCAL_YEAR':
      return range(fiscalStart.minus({ years: 1 }), fiscalStart);
    case 'THIS_FISCAL_YEAR':
      return range(fiscalStart, fiscalStart.plus({ years: 1 }));
    case 'NEXT_FISCAL_YEAR':
      return range(fiscalStart.plus({ years: 1 }), fiscalStart.plus({ years: 2 }));
    case 'LAST_N_FISCAL_YEARS':
      return range(fiscalStart.minus({ years: k }), fiscalStart);
    case 'NEXT_N_FISCAL_YEARS':
      return range(fiscalStart.plus({ years: 1 }), fiscalStart.plus({ years: k + 1 }));
    case 'N_FISCAL_YEARS_AGO':
      return range(fiscalStart.minus({ years: k }), fiscalStart.minus({ years: k - 1 }));
    case 'N_FISCAL_YEARS_FROM_NOW':
      return range(fiscalStart.plus({ years: k }), fiscalStart.plus({ years: k + 1 }));
    default:
      throw new SfError(
        'MALFORMED_QUERY',
        `unexpected token: '${literal}': not a date literal (SOQL and SOSL Reference, "Date Formats and Date Literals").`,
      );
  }
}

function literal(raw: string, type: string | undefined, ctx: QueryContext, n?: number): Literal {
  switch (type) {
    case 'STRING':
      return { kind: 'value', v: unquote(raw) };
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return { kind: 'value', v: Number(raw.replace(/^[A-Z]{3}/, '')) };
    case 'BOOLEAN':
      return { kind: 'value', v: raw.toUpperCase() === 'TRUE' };
    case 'NULL':
      return { kind: 'value', v: null };
    case 'DATETIME':
    case 'DATE':
      return { kind: 'value', v: raw };
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      return {
        kind: 'range',
        ...dateRange(raw, n, ctx.now(), ctx.timeZone, ctx.fiscalYearStartMonth),
      };
    default:
      return { kind: 'value', v: unquote(raw) };
  }
}

function timeOf(f: FieldDef | undefined, v: Value): number {
  if (typeof v !== 'string') return NaN;
  if (f?.type === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(v))
    return Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
  return Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function compare(f: FieldDef | undefined, a: Value, b: Value): number {
  if (f && (f.type === 'datetime' || f.type === 'date')) return timeOf(f, a) - timeOf(f, b);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) - Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

function equals(f: FieldDef | undefined, a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (f && (f.type === 'id' || f.type === 'reference')) {
    return (
      normalizeId(String(a)) === normalizeId(String(b)) && normalizeId(String(a)) !== undefined
    );
  }
  if (f && (f.type === 'datetime' || f.type === 'date')) return timeOf(f, a) === timeOf(f, b);
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return compare(f, a, b) === 0;
}

function likeRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

type Predicate = (rec: Rec) => boolean;

function compileCond(ctx: QueryContext, obj: ObjectDef, c: Condition): Predicate {
  const cond = c as Condition & {
    field?: string;
    operator: string;
    value?: string | string[];
    literalType?: string | string[];
    dateLiteralVariable?: number | number[];
    fn?: unknown;
    valueQuery?: unknown;
  };
  if (!cond.field || cond.valueQuery) {
    throw new SfError(
      'MALFORMED_QUERY',
      'The local org supports conditions on fields only (no functions or semi-joins).',
    );
  }
  const path = resolvePath(ctx.schema, obj, cond.field);
  const f = path.field;
  const op = cond.operator.toUpperCase();
  const read = (rec: Rec): Value => readPath(ctx, rec, path);
  const litType = Array.isArray(cond.literalType) ? cond.literalType[0] : cond.literalType;
  if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
    const raws = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
    const values = raws
      .map((r) => literal(r, litType, ctx))
      .map((l) => (l.kind === 'value' ? l.v : null));
    if (op === 'INCLUDES' || op === 'EXCLUDES') {
      const wanted = values.map((v) => String(v).toLowerCase());
      return (rec) => {
        const parts = String(read(rec) ?? '')
          .toLowerCase()
          .split(';');
        const hit = wanted.some((w) => w.split(';').every((x) => parts.includes(x)));
        return op === 'INCLUDES' ? hit : !hit;
      };
    }
    // Index-friendly form for strings/ids: compare case-insensitively through a set.
    const set = new Set(
      values.map((v) =>
        f && (f.type === 'id' || f.type === 'reference')
          ? (normalizeId(String(v)) ?? String(v))
          : String(v).toLowerCase(),
      ),
    );
    const hasNull = values.includes(null);
    return (rec) => {
      const v = read(rec);
      const hit =
        v === null
          ? hasNull
          : set.has(
              f && (f.type === 'id' || f.type === 'reference')
                ? String(v)
                : String(v).toLowerCase(),
            );
      return op === 'IN' ? hit : !hit && v !== null;
    };
  }
  const lit = literal(
    Array.isArray(cond.value) ? cond.value[0]! : (cond.value ?? ''),
    litType,
    ctx,
    Array.isArray(cond.dateLiteralVariable)
      ? cond.dateLiteralVariable[0]
      : cond.dateLiteralVariable,
  );
  if (lit.kind === 'range') {
    if (f?.type === 'date') {
      // A date field holds a calendar day: compare it with the literal's days in the user's zone.
      const zone = IANAZone.isValidZone(ctx.timeZone ?? 'UTC') ? (ctx.timeZone ?? 'UTC') : 'UTC';
      const day = (ms: number): number =>
        Date.parse(`${DateTime.fromMillis(ms, { zone }).toISODate()!}T00:00:00Z`);
      lit.from = day(lit.from);
      lit.to = day(lit.to);
    }
    return (rec) => {
      const t = timeOf(f, read(rec));
      if (Number.isNaN(t)) return false;
      switch (op) {
        case '=':
          return t >= lit.from && t < lit.to;
        case '!=':
        case '<>':
          return t < lit.from || t >= lit.to;
        case '<':
          return t < lit.from;
        case '<=':
          return t < lit.to;
        case '>':
          return t >= lit.to;
        case '>=':
          return t >= lit.from;
        default:
          throw new SfError(
            'MALFORMED_QUERY',
            `Operator ${op} cannot be used with a date literal.`,
          );
      }
    };
  }
  const v = lit.v;
  switch (op) {
    case '=':
      return (rec) => equals(f, read(rec), v);
    case '!=':
    case '<>':
      return (rec) => !equals(f, read(rec), v);
    case 'LIKE': {
      const re = likeRegex(String(v));
      return (rec) => {
        const x = read(rec);
        return x !== null && re.test(String(x));
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (rec) => {
        const x = read(rec);
        if (x === null || v === null) return false;
        const d = compare(f, x, v);
        return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
      };
    default:
      throw new SfError('MALFORMED_QUERY', `Operator ${op} is not supported by the local org.`);
  }
}

function compileExpr(ctx: QueryContext, obj: ObjectDef, e: Expr): Predicate {
  switch (e.kind) {
    case 'cond':
      return compileCond(ctx, obj, e.cond);
    case 'not': {
      const p = compileExpr(ctx, obj, e.item);
      return (r) => !p(r);
    }
    case 'and': {
      const ps = e.items.map((i) => compileExpr(ctx, obj, i));
      return (r) => ps.every((p) => p(r));
    }
    case 'or': {
      const ps = e.items.map((i) => compileExpr(ctx, obj, i));
      return (r) => ps.some((p) => p(r));
    }
  }
}

/** Uses an index when the WHERE is a conjunction containing `Id =/IN` or `<unique/external id> =/IN`. */
function candidates(ctx: QueryContext, obj: ObjectDef, e: Expr | undefined): Iterable<Rec> {
  const all = ctx.store.table(obj).values();
  if (!e) return all;
  const conds = e.kind === 'cond' ? [e] : e.kind === 'and' ? e.items : [];
  for (const item of conds) {
    if (item.kind !== 'cond') continue;
    const c = item.cond as Condition & {
      field?: string;
      operator: string;
      value?: string | string[];
      literalType?: string;
    };
    if (
      !c.field ||
      c.field.includes('.') ||
      (c.operator !== '=' && c.operator.toUpperCase() !== 'IN')
    )
      continue;
    if (c.literalType !== 'STRING') continue;
    const f = obj.fields.get(c.field.toLowerCase());
    if (!f) continue;
    const raws = Array.isArray(c.value) ? c.value : [c.value ?? ''];
    const values = raws.map(unquote);
    if (f.type === 'id') {
      return values
        .map((v) => normalizeId(v))
        .map((id) => (id ? ctx.store.get(obj, id) : undefined))
        .filter((r): r is Rec => r !== undefined);
    }
    if (ctx.store.isIndexed(obj, f)) {
      const out = new Map<string, Rec>();
      for (const v of values) {
        for (const id of ctx.store.lookup(obj, f, v) ?? []) out.set(id, ctx.store.get(obj, id)!);
      }
      return out.values();
    }
  }
  return all;
}

export function compileWhere(
  ctx: QueryContext,
  obj: ObjectDef,
  where: WhereClause | undefined,
): Expr | undefined {
  if (!where) return undefined;
  const tokens: Token[] = [];
  flatten(where, tokens);
  return parseTokens(tokens);
}

// ---- SELECT --------------------------------------------------------------------------------------

type Projector = (rec: Rec, out: Record<string, unknown>) => void;

function projector(ctx: QueryContext, obj: ObjectDef, sel: SelectField): Projector {
  const s = sel as SelectField & { field?: string; relationships?: string[]; type: string };
  if (s.type === 'Field') {
    const f = obj.fields.get(s.field.toLowerCase());
    if (!f) throw invalidField(obj, s.field);
    return (rec, out) => {
      out[f.name] = readField(f, rec);
    };
  }
  if (s.type === 'FieldRelationship') {
    const path = resolvePath(ctx.schema, obj, [...s.relationships, s.field].join('.'));
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
    const path = resolvePath(ctx.schema, obj, ob.field);
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
function expandFields(obj: ObjectDef, query: Query): SelectItem[] {
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
    return resolvePath(ctx.schema, obj, g.field);
  });
  let expr = 0;
  const columns = items.map((item) => {
    if (item.type === 'Field' || item.type === 'FieldRelationship') {
      const dotted =
        item.type === 'Field'
          ? item.field
          : [...((item as { relationships?: string[] }).relationships ?? []), item.field].join('.');
      const path = resolvePath(ctx.schema, obj, dotted);
      if (!groupBy.some((g) => g.name === path.name && g.hops.length === path.hops.length)) {
        throw new SfError('MALFORMED_QUERY', `Field must be grouped or aggregated: ${dotted}`);
      }
      return { name: path.name, raw: dotted, path, fn: undefined as string | undefined };
    }
    const fn = item.functionName?.toUpperCase() ?? '';
    if (!AGGREGATES.has(fn))
      throw new SfError('MALFORMED_QUERY', `${fn} is not supported by the local org.`);
    const param = item.parameters?.[0];
    const path = typeof param === 'string' ? resolvePath(ctx.schema, obj, param) : undefined;
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
  if (!obj || obj.isPlatformEvent) throw invalidType(query.sObject ?? '');
  const items = expandFields(obj, query);
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
