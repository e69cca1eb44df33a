/**
 * `GET /query?q=…&columns=true`: the org describes the columns of a query instead of running it
 * (what `sf data query` asks to lay out its table). The answer is
 * `{columnMetadata, entityName, groupBy, idSelected, keyPrefix}`; each column has `columnName`,
 * `displayName`, `aggregate`, `joinColumns` (the fields read through a relationship, or a
 * subquery's fields with `aggregate: true`), `apexType`, `custom`, `foreignKeyName`, `insertable`,
 * `updatable`, `booleanType`, `numberType`, `textType`.
 */
import type { Query } from '@jetstreamapp/soql-parser-js';
import { getObject } from './dml';
import { SfError } from './errors';
import { childRelationship, type FieldDef, type ObjectDef, type Schema } from './schema';
import { resolvePath } from './soql';

export interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Record<string, string> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Decimal',
  percent: 'Decimal',
  date: 'Date',
  datetime: 'Datetime',
  time: 'Time',
};

function fieldColumn(f: FieldDef): ColumnMetadata {
  const numeric = ['int', 'double', 'currency', 'percent'].includes(f.type);
  return {
    aggregate: false,
    apexType: APEX_TYPES[f.type] ?? 'String',
    booleanType: f.type === 'boolean',
    columnName: f.name,
    custom: f.custom,
    displayName: f.name,
    foreignKeyName: null,
    insertable: f.createable,
    joinColumns: [],
    numberType: numeric,
    textType: !numeric && f.type !== 'boolean' && !APEX_TYPES[f.type],
    updatable: f.updateable,
  };
}

function joinColumn(name: string, custom: boolean): ColumnMetadata {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

/** Adds `rels… → field` under `into`, merging columns read through the same relationship. */
function addPath(into: ColumnMetadata[], rels: string[], leaf: ColumnMetadata): void {
  if (rels.length === 0) {
    into.push(leaf);
    return;
  }
  const [first, ...rest] = rels as [string, ...string[]];
  let col = into.find((c) => c.columnName === first && c.joinColumns.length > 0 && !c.aggregate);
  if (!col) {
    col = joinColumn(first, first.endsWith('__r'));
    into.push(col);
  }
  addPath(col.joinColumns, rest, leaf);
}

type SelectItem = NonNullable<Query['fields']>[number];

function columnsOf(
  schema: Schema,
  obj: ObjectDef,
  fields: SelectItem[],
  counter: { expr: number },
): ColumnMetadata[] {
  const out: ColumnMetadata[] = [];
  for (const item of fields) {
    if (item.type === 'Field' || item.type === 'FieldRelationship') {
      const dotted =
        item.type === 'Field' ? item.field : [...item.relationships, item.field].join('.');
      const path = resolvePath(schema, obj, dotted);
      const leaf = path.field ? fieldColumn(path.field) : joinColumn(path.name, false);
      addPath(out, path.rels, leaf);
      continue;
    }
    if (item.type === 'FieldSubquery') {
      const rel = item.subquery.relationshipName;
      const child = childRelationship(schema, obj, rel);
      const col = joinColumn(rel, rel.endsWith('__r'));
      col.aggregate = true;
      if (child)
        col.joinColumns = columnsOf(schema, child.child, item.subquery.fields ?? [], { expr: 0 });
      out.push(col);
      continue;
    }
    if (item.type === 'FieldFunctionExpression') {
      const display = item.rawValue ?? `${item.functionName}()`;
      const name = item.alias ?? (item.isAggregateFn ? `expr${counter.expr++}` : display);
      const col = joinColumn(name, false);
      col.aggregate = item.isAggregateFn === true;
      col.displayName = display;
      col.apexType = item.functionName.toUpperCase().startsWith('COUNT') ? 'Integer' : null;
      out.push(col);
      continue;
    }
    out.push(joinColumn(item.field, false));
  }
  return out;
}

/** The column description of a parsed query (object and field errors as when it runs). */
export function describeQueryColumns(schema: Schema, query: Query): Record<string, unknown> {
  const obj = getObject(schema, query.sObject ?? '');
  if (!obj || obj.isPlatformEvent) {
    throw new SfError(
      'INVALID_TYPE',
      `sObject type '${query.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const fields = query.fields ?? [];
  const expanded: SelectItem[] = [];
  for (const item of fields) {
    if (item.type === 'FieldFunctionExpression' && item.functionName.toUpperCase() === 'FIELDS') {
      const param = item.parameters[0];
      const kind = typeof param === 'string' ? param.toUpperCase() : '';
      for (const f of obj.fields.values()) {
        if (kind === 'ALL' || (kind === 'CUSTOM' ? f.custom : !f.custom))
          expanded.push({ type: 'Field', field: f.name });
      }
    } else expanded.push(item);
  }
  const columnMetadata = columnsOf(schema, obj, expanded, { expr: 0 });
  return {
    columnMetadata,
    entityName: obj.name,
    groupBy: query.groupBy !== undefined,
    idSelected: columnMetadata.some((c) => c.columnName === 'Id'),
    keyPrefix: obj.keyPrefix,
  };
}
