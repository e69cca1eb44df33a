/**
 * SOQL WHERE: the condition tree of a parsed query compiled into a predicate over records
 * (=, !=, <, <=, >, >=, LIKE, IN, NOT IN, AND/OR/NOT, date literals), and the candidate records an
 * indexed condition narrows a query to.
 */
import { type Condition, type WhereClause } from '@jetstreamapp/soql-parser-js';
import { DateTime, IANAZone } from 'luxon';
import { SfError } from './errors';
import { normalizeId } from './ids';
import { type FieldDef, type ObjectDef } from './schema';
import type { Rec, Value } from './store';
import { type QueryContext, resolvePath, readPath } from './soql-context';

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

export function compare(f: FieldDef | undefined, a: Value, b: Value): number {
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
  const path = resolvePath(ctx.schema, obj, cond.field, ctx.access);
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

export function compileExpr(ctx: QueryContext, obj: ObjectDef, e: Expr): Predicate {
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
export function candidates(ctx: QueryContext, obj: ObjectDef, e: Expr | undefined): Iterable<Rec> {
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
