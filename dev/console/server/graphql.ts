/**
 * The subset of the GraphQL API (`uiapi { query { … } }`, what `lightning/graphql` sends) that the
 * package's components use, translated to one SOQL query per object queried:
 *
 *   Object(first, after, where, orderBy) { edges { node { Id Field { value displayValue }
 *   Relationship { Field { value } } } } totalCount pageInfo { hasNextPage endCursor } }
 *
 * `where` supports eq, ne, lt, lte, gt, gte, in, nin, like and and/or/not; `orderBy` order and
 * nulls. A field the user cannot read (absent from describe) is a validation error with no data, as
 * in the GraphQL API. Results are `{data, errors}`.
 */
import {
  Kind,
  parse,
  visit,
  type DocumentNode,
  type ArgumentNode,
  type FieldNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Describe } from './ui-api';
import type { Rest } from './rest';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GraphqlResponse {
  data: unknown;
  errors: { message: string; locations?: unknown[]; path?: unknown[] }[];
}

class GraphqlError extends Error {}

const OPS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  like: 'LIKE',
  in: 'IN',
  nin: 'NOT IN',
};

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `(${value.map(literal).join(', ')})`;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  // Date and date-time values are SOQL literals, not strings.
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(s)) return s;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]),
      );
  }
}

function args(list: readonly ArgumentNode[] | undefined, variables: Record<string, unknown>) {
  return Object.fromEntries((list ?? []).map((a) => [a.name.value, valueOf(a.value, variables)]));
}

function fieldsOf(set: SelectionSetNode | undefined): FieldNode[] {
  return (set?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

type Describer = (object: string) => Promise<Describe | null>;

interface Plan {
  /** SOQL paths to select. */
  select: Set<string>;
  /** Builds the node for one REST row. */
  build: (row: Record<string, unknown>) => Record<string, unknown>;
}

async function planNode(
  object: string,
  set: SelectionSetNode | undefined,
  describe: Describer,
  prefix: string,
): Promise<Plan> {
  const d = await describe(object);
  if (!d)
    throw new GraphqlError(
      `Validation error of type FieldUndefined: Field '${object}' in type 'RecordQuery' is undefined`,
    );
  const select = new Set<string>();
  const builders: ((row: Record<string, unknown>, out: Record<string, unknown>) => void)[] = [];
  for (const field of fieldsOf(set)) {
    const name = field.name.value;
    const alias = field.alias?.value ?? name;
    if (name === '__typename') {
      builders.push((_row, out) => (out[alias] = object));
      continue;
    }
    if (name === 'Id') {
      select.add(`${prefix}Id`);
      builders.push((row, out) => (out[alias] = row.Id ?? null));
      continue;
    }
    const f = d.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
    const rel = d.fields.find(
      (x) => x.type === 'reference' && x.relationshipName?.toLowerCase() === name.toLowerCase(),
    );
    if (f) {
      select.add(`${prefix}${f.name}`);
      const wants = new Set(fieldsOf(field.selectionSet).map((s) => s.name.value));
      builders.push((row, out) => {
        const value = row[f.name] ?? null;
        const v: Record<string, unknown> = {};
        if (wants.has('value')) v.value = value;
        if (wants.has('displayValue')) {
          v.displayValue =
            f.type === 'picklist' && typeof value === 'string'
              ? (f.picklistValues?.find((p) => p.value === value)?.label ?? value)
              : null;
        }
        if (wants.has('label')) v.label = f.label;
        out[alias] = v;
      });
    } else if (rel?.relationshipName && rel.referenceTo?.[0]) {
      const inner = await planNode(
        rel.referenceTo[0],
        field.selectionSet,
        describe,
        `${prefix}${rel.relationshipName}.`,
      );
      for (const s of inner.select) select.add(s);
      const relName = rel.relationshipName;
      builders.push((row, out) => {
        const nested = row[relName] as Record<string, unknown> | null | undefined;
        out[alias] = nested ? inner.build(nested) : null;
      });
    } else {
      throw new GraphqlError(
        `Validation error of type FieldUndefined: Field '${name}' in type '${object}' is undefined`,
      );
    }
  }
  return {
    select,
    build: (row) => {
      const out: Record<string, unknown> = {};
      for (const b of builders) b(row, out);
      return out;
    },
  };
}

function whereClause(where: unknown, d: Describe): string {
  if (!where || typeof where !== 'object') return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(value) ? value : [value])
        .map((w) => whereClause(w, d))
        .filter(Boolean);
      if (list.length) parts.push(`(${list.join(key === 'and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === 'not') {
      const inner = whereClause(value, d);
      if (inner) parts.push(`(NOT ${inner})`);
      continue;
    }
    const f = d.fields.find((x) => x.name.toLowerCase() === key.toLowerCase());
    if (!f)
      throw new GraphqlError(
        `Validation error: Field '${key}' in type '${d.name}_Filter' is undefined`,
      );
    for (const [op, operand] of Object.entries((value ?? {}) as Record<string, unknown>)) {
      const soqlOp = OPS[op];
      if (!soqlOp)
        throw new GraphqlError(`Validation error: operator '${op}' is not supported on ${key}`);
      parts.push(`${f.name} ${soqlOp} ${literal(operand)}`);
    }
  }
  return parts.join(' AND ');
}

function orderClause(orderBy: unknown, d: Describe): string {
  if (!orderBy || typeof orderBy !== 'object') return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(
    orderBy as Record<string, { order?: string; nulls?: string }>,
  )) {
    const f = d.fields.find((x) => x.name.toLowerCase() === key.toLowerCase());
    if (!f)
      throw new GraphqlError(
        `Validation error: Field '${key}' in type '${d.name}_OrderBy' is undefined`,
      );
    parts.push(
      `${f.name} ${value?.order === 'DESC' ? 'DESC' : 'ASC'}${value?.nulls ? ` NULLS ${value.nulls === 'FIRST' ? 'FIRST' : 'LAST'}` : ''}`,
    );
  }
  return parts.join(', ');
}

async function runConnection(
  field: FieldNode,
  variables: Record<string, unknown>,
  rest: Rest,
  describe: Describer,
): Promise<unknown> {
  const object = field.name.value;
  const a = args(field.arguments, variables);
  const d = await describe(object);
  if (!d) {
    throw new GraphqlError(
      `Validation error of type FieldUndefined: Field '${object}' in type 'RecordQuery' is undefined`,
    );
  }
  const first = typeof a.first === 'number' ? Math.min(a.first, 2000) : 10;
  const offset = typeof a.after === 'string' ? Number(a.after) || 0 : 0;
  const selections = fieldsOf(field.selectionSet);
  const edgesNode = selections.find((s) => s.name.value === 'edges');
  const nodeField = fieldsOf(edgesNode?.selectionSet).find((s) => s.name.value === 'node');
  const plan = await planNode(object, nodeField?.selectionSet, describe, '');
  if (plan.select.size === 0) plan.select.add('Id');
  const where = whereClause(a.where, d);
  const order = orderClause(a.orderBy, d);
  const soql = [
    `SELECT ${[...plan.select].join(', ')} FROM ${d.name}`,
    where ? `WHERE ${where}` : '',
    order ? `ORDER BY ${order}` : '',
    `LIMIT ${first + 1}`,
    offset ? `OFFSET ${offset}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const { records } = await rest.query(soql);
  const hasNextPage = records.length > first;
  const rows = records.slice(0, first);
  const out: Record<string, unknown> = {};
  for (const s of selections) {
    const alias = s.alias?.value ?? s.name.value;
    if (s.name.value === 'edges') {
      out[alias] = rows.map((row, i) => ({
        node: plan.build(row),
        cursor: String(offset + i + 1),
      }));
    } else if (s.name.value === 'totalCount') {
      const count = await rest.query(
        `SELECT COUNT() FROM ${d.name}${where ? ` WHERE ${where}` : ''}`,
      );
      out[alias] = count.totalSize;
    } else if (s.name.value === 'pageInfo') {
      out[alias] = {
        hasNextPage,
        hasPreviousPage: offset > 0,
        startCursor: rows.length ? String(offset + 1) : null,
        endCursor: rows.length ? String(offset + rows.length) : null,
      };
    }
  }
  return out;
}

/**
 * The query as the platform sends it for a component of a namespaced package: the package's own
 * objects, fields and relationships written without the prefix are prefixed — in selections and in
 * `where` / `orderBy` keys ("Use a Namespace and Alias in Managed Packages", GraphQL API Developer
 * Guide: namespacing is resolved automatically when the component is deployed). A prefixed field
 * keeps the name it was written with as its alias, so the answer's keys are the ones the component
 * wrote; the package's components alias every custom field anyway, as that page recommends, so for
 * them this is what the platform answers. Names are matched without their object (a subscriber's
 * own field with the same name as one of the package's would be prefixed too).
 */
export function namespaceQuery(doc: DocumentNode, qualify: (name: string) => string): DocumentNode {
  return visit(doc, {
    Field(node) {
      const name = qualify(node.name.value);
      if (name === node.name.value) return undefined;
      return {
        ...node,
        alias: node.alias ?? { kind: Kind.NAME, value: node.name.value },
        name: { ...node.name, value: name },
      };
    },
    ObjectField(node) {
      const name = qualify(node.name.value);
      return name === node.name.value
        ? undefined
        : { ...node, name: { ...node.name, value: name } };
    },
  });
}

export async function executeGraphql(
  request: GraphqlRequest,
  rest: Rest,
  describe: Describer,
  qualify?: (name: string) => string,
): Promise<GraphqlResponse> {
  try {
    const parsed = parse(request.query);
    const doc = qualify ? namespaceQuery(parsed, qualify) : parsed;
    const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const op = request.operationName
      ? ops.find((o) => o.name?.value === request.operationName)
      : ops[0];
    if (!op) throw new GraphqlError(`Unknown operation named '${request.operationName ?? ''}'.`);
    const variables: Record<string, unknown> = { ...(request.variables ?? {}) };
    for (const v of op.variableDefinitions ?? []) {
      if (!(v.variable.name.value in variables) && v.defaultValue) {
        variables[v.variable.name.value] = valueOf(v.defaultValue, {});
      }
    }
    const uiapi = fieldsOf(op.selectionSet).find((f) => f.name.value === 'uiapi');
    const query = fieldsOf(uiapi?.selectionSet).find((f) => f.name.value === 'query');
    if (!uiapi || !query) throw new GraphqlError('Only uiapi { query { … } } is supported.');
    const result: Record<string, unknown> = {};
    for (const field of fieldsOf(query.selectionSet)) {
      result[field.alias?.value ?? field.name.value] = await runConnection(
        field,
        variables,
        rest,
        describe,
      );
    }
    return { data: { uiapi: { query: result } }, errors: [] };
  } catch (error) {
    if (
      error instanceof GraphqlError ||
      (error instanceof Error && error.name === 'GraphQLError')
    ) {
      return { data: null, errors: [{ message: error.message }] };
    }
    throw error;
  }
}
