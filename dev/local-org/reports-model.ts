/**
 * What the Analytics class (reports.ts) is built from: a report's filters and time frame as SOQL,
 * custom summary formulas, labels in the user's language, and the Report and Dashboard records
 * installing the package creates.
 */
import { SfError } from './errors';
import type { Org } from './runtime';
import { requireObject } from './dml';
import type { FieldDef, ObjectDef } from './schema';
import type { Rec } from './store';
import type { AnalyticsMetadata, ReportFilterItem } from './report-metadata';

export type Json = Record<string, unknown>;
export type Cell = { label: string; value: unknown };

/** Report time frames (Metadata API "ReportTimeFrameFilter" intervals) → SOQL date literals. */
export const INTERVALS: Record<string, { literal: string; duration: string }> = {
  INTERVAL_TODAY: { literal: 'TODAY', duration: 'TODAY' },
  INTERVAL_YESTERDAY: { literal: 'YESTERDAY', duration: 'YESTERDAY' },
  INTERVAL_THISWEEK: { literal: 'THIS_WEEK', duration: 'THIS_WEEK' },
  INTERVAL_LASTWEEK: { literal: 'LAST_WEEK', duration: 'LAST_WEEK' },
  INTERVAL_THISMONTH: { literal: 'THIS_MONTH', duration: 'THIS_MONTH' },
  INTERVAL_LASTMONTH: { literal: 'LAST_MONTH', duration: 'LAST_MONTH' },
  INTERVAL_LAST7: { literal: 'LAST_N_DAYS:7', duration: 'LAST_N_DAYS:7' },
  INTERVAL_LAST30: { literal: 'LAST_N_DAYS:30', duration: 'LAST_N_DAYS:30' },
  INTERVAL_CURY: { literal: 'THIS_YEAR', duration: 'THIS_YEAR' },
};

export const AGGREGATE_PREFIX: Record<string, string> = {
  Sum: 's',
  Average: 'a',
  Minimum: 'm',
  Maximum: 'x',
  Unique: 'u',
};
export const FORMULA_KIND: Record<string, string> = { SUM: 's', AVG: 'a', MIN: 'm', MAX: 'x' };

/** `Object$Field` → the field of the report type's base object. */
export function fieldOf(obj: ObjectDef, column: string): FieldDef {
  const [object, name] = column.split('$');
  const f =
    object?.toLowerCase() === obj.name.toLowerCase()
      ? obj.fields.get((name ?? '').toLowerCase())
      : undefined;
  if (!f)
    throw new SfError(
      'BAD_REQUEST',
      `The column ${column} is not a field of ${obj.name}.`,
      [],
      400,
    );
  return f;
}

const soqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** One report filter as a SOQL condition (Analytics filter operators: equals, notEqual, lessThan, …). */
export function condition(obj: ObjectDef, item: ReportFilterItem): string {
  const f = fieldOf(obj, item.column);
  const lookup = f.type === 'reference';
  // A lookup is filtered by the related record's name (a blank value means no related record).
  const path = lookup && item.value !== '' ? `${f.relationshipName}.Name` : f.name;
  const values = item.value === '' ? [''] : item.value.split(',').map((v) => v.trim());
  const literal = (v: string): string => {
    if (v === '') return 'null';
    if (lookup) return soqlString(v);
    switch (f.type) {
      case 'boolean':
        return v === '1' || v.toLowerCase() === 'true' ? 'true' : 'false';
      case 'double':
      case 'int':
      case 'currency':
      case 'percent':
        if (!Number.isFinite(Number(v)))
          throw new SfError('BAD_REQUEST', `${v} is not a number for ${item.column}.`, [], 400);
        return String(Number(v));
      case 'date':
      case 'datetime':
        return v;
      default:
        return soqlString(v);
    }
  };
  const like = (pattern: (v: string) => string) =>
    `(${values.map((v) => `${path} LIKE ${soqlString(pattern(v.replace(/[%_]/g, '\\$&')))}`).join(' OR ')})`;
  switch (item.operator) {
    case 'equals':
      return values.length === 1
        ? `${path} = ${literal(values[0]!)}`
        : `${path} IN (${values.map(literal).join(', ')})`;
    case 'notEqual':
      return values.length === 1
        ? `${path} != ${literal(values[0]!)}`
        : `${path} NOT IN (${values.map(literal).join(', ')})`;
    case 'lessThan':
      return `${path} < ${literal(values[0]!)}`;
    case 'greaterThan':
      return `${path} > ${literal(values[0]!)}`;
    case 'lessOrEqual':
      return `${path} <= ${literal(values[0]!)}`;
    case 'greaterOrEqual':
      return `${path} >= ${literal(values[0]!)}`;
    case 'contains':
      return like((v) => `%${v}%`);
    case 'notContain':
      return `(NOT ${like((v) => `%${v}%`)})`;
    case 'startsWith':
      return like((v) => `${v}%`);
    default:
      throw new SfError(
        'BAD_REQUEST',
        `The filter operator ${item.operator} is not served by the local org.`,
        [],
        400,
      );
  }
}

/** Filter logic ("(1 AND 2) OR 3") with each number replaced by its condition. */
export function filterLogic(logic: string | null, conditions: string[]): string {
  if (!logic) return conditions.join(' AND ');
  return logic.replace(/\d+/g, (n) => {
    const c = conditions[Number(n) - 1];
    if (!c)
      throw new SfError(
        'BAD_REQUEST',
        `Filter logic refers to filter ${n}, which does not exist.`,
        [],
        400,
      );
    return c;
  });
}

/** Evaluates a custom summary formula on one cell's records: + - * / ( ), numbers, RowCount, X.Y:SUM. */
export function evaluateFormula(
  formula: string,
  value: (token: string) => number | null,
): number | null {
  const tokens =
    formula.match(
      /[A-Za-z0-9_]+\.[A-Za-z0-9_]+:(?:SUM|AVG|MIN|MAX)|RowCount|\d+(?:\.\d+)?|[-+*/()]/g,
    ) ?? [];
  let i = 0;
  const primary = (): number | null => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      i++;
      return v;
    }
    if (t === '-') {
      const v = primary();
      return v === null ? null : -v;
    }
    if (t === undefined)
      throw new SfError('BAD_REQUEST', `Formula ${formula} is incomplete.`, [], 400);
    if (/^\d/.test(t)) return Number(t);
    return value(t);
  };
  const product = (): number | null => {
    let v = primary();
    while (tokens[i] === '*' || tokens[i] === '/') {
      const op = tokens[i++];
      const r = primary();
      v = v === null || r === null ? null : op === '*' ? v * r : r === 0 ? null : v / r;
    }
    return v;
  };
  const sum = (): number | null => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++];
      const r = product();
      v = v === null || r === null ? null : op === '+' ? v + r : v - r;
    }
    return v;
  };
  return sum();
}

export const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export interface Aggregate {
  key: string;
  label: string;
  dataType: string;
  compute(records: Rec[]): Cell;
}

/** A field's translation for `language` (Translation Workbench: reports show translated labels). */
function translatedField(obj: ObjectDef, f: FieldDef, language: string) {
  const tr = obj.translations?.get(language) ?? obj.translations?.get(language.split('_')[0]!);
  return tr?.fields.get(f.name.toLowerCase());
}

export function fieldLabel(obj: ObjectDef, f: FieldDef, language: string): string {
  return translatedField(obj, f, language)?.label ?? f.label;
}

export function picklistLabel(
  obj: ObjectDef,
  f: FieldDef,
  value: string,
  language: string,
): string {
  const master = f.picklistValues.find((p) => p.value === value)?.label ?? value;
  return translatedField(obj, f, language)?.values.get(master) ?? master;
}

export function reportDataType(f: FieldDef): string {
  return f.type === 'reference' ? 'string' : f.type;
}

/** Report and Dashboard records, as installing the package creates them (queryable by SOQL). */
export function installAnalyticsRecords(
  org: Org,
  metadata: AnalyticsMetadata,
): { reportIds: Map<string, string>; dashboardIds: Map<string, string> } {
  const reportIds = new Map<string, string>();
  const dashboardIds = new Map<string, string>();
  const { schema, store } = org;
  const ns = schema.namespace || null;
  const put = (object: string, developerName: string, fields: Rec): string => {
    const obj = requireObject(schema, object);
    for (const rec of store.table(obj).values())
      if (rec.DeveloperName === developerName) return rec.Id as string;
    const id = store.nextId(obj);
    const now = new Date().toISOString().replace('Z', '+0000');
    const rec: Rec = {};
    for (const f of obj.fields.values()) rec[f.name] = null;
    Object.assign(rec, fields, {
      Id: id,
      DeveloperName: developerName,
      NamespacePrefix: ns,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      CreatedById: org.userId,
      LastModifiedById: org.userId,
      IsDeleted: false,
    });
    store.put(obj, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
    return id;
  };
  store.begin();
  for (const r of metadata.reports) {
    const id = put('Report', r.developerName, {
      Name: r.name,
      FolderName: metadata.folders.get(r.folder) ?? r.folder,
      Description: r.description,
      Format: r.format.charAt(0) + r.format.slice(1).toLowerCase(),
    });
    reportIds.set(id, `${r.folder}/${r.developerName}`);
  }
  for (const d of metadata.dashboards) {
    const id = put('Dashboard', d.developerName, {
      Title: d.title,
      FolderName: metadata.folders.get(d.folder) ?? d.folder,
      Description: d.description,
      Type: 'SpecifiedUser',
    });
    dashboardIds.set(id, `${d.folder}/${d.developerName}`);
  }
  store.commit();
  return { reportIds, dashboardIds };
}
