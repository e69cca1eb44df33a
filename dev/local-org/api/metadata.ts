/**
 * Describe-side and org-metadata resources a real org serves next to the sObject rows (REST API
 * Developer Guide, resource pages named on each handler): layouts, compact / named / approval
 * layouts, list views, recently viewed items, getUpdated / getDeleted windows, query plans, tabs
 * and theme. Everything is derived from the schema (standard-schema.json + force-app) and the
 * stored records; nothing is answered for an object or id the org does not have.
 */
import { requireObject } from '../dml';
import { SfError } from '../errors';
import { notFound, type Reply, type RouteRequest } from '../http';
import { makeId } from '../ids';
import type { Org } from '../runtime';
import type { FieldDef, ObjectDef } from '../schema';
import { parseSoql, runQuery } from '../soql';
import type { Rec } from '../store';

const sobjectUrl = (version: string, obj: ObjectDef, id: string): string =>
  `/services/data/v${version}/sobjects/${obj.name}/${id}`;

/** The object's name field (Name, CaseNumber, MasterLabel…), as describe's nameField reports it. */
function nameField(obj: ObjectDef): FieldDef | undefined {
  return [...obj.fields.values()].find((f) => f.nameField) ?? obj.fields.get('name');
}

// ---- layouts -------------------------------------------------------------------------------------

/**
 * The object's page layout as DescribeLayoutResult shapes it (REST API Developer Guide, "sObject
 * Describe Layouts"). The local org has no page-layout editor: the one layout lists the object's
 * fields the user can see, two columns, in schema order.
 */
function layoutOf(obj: ObjectDef, name: string): Record<string, unknown> {
  const fields = [...obj.fields.values()].filter(
    (f) => f.type !== 'id' && !['IsDeleted', 'SystemModstamp'].includes(f.name),
  );
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    rows.push({
      layoutItems: fields.slice(i, i + 2).map((f) => ({
        editableForNew: f.createable,
        editableForUpdate: f.updateable,
        label: f.label,
        layoutComponents: [
          { details: null, displayLines: 1, tabOrder: i, type: 'Field', value: f.name },
        ],
        placeholder: false,
        required: !f.nillable && f.createable && f.defaultValue === undefined,
      })),
      numItems: Math.min(2, fields.length - i),
    });
  }
  const section = (): Record<string, unknown> => ({
    collapsed: false,
    columns: 2,
    heading: `${obj.label} Information`,
    layoutRows: rows,
    layoutSectionId: null,
    parentLayoutId: null,
    rows: rows.length,
    tabOrder: 'TopToBottom',
    useCollapsibleSection: false,
    useHeading: true,
  });
  return {
    buttonLayoutSection: { detailButtons: [] },
    detailLayoutSections: [section()],
    editLayoutSections: [section()],
    feedView: null,
    highlightsPanelLayoutSection: null,
    id: null,
    multirowEditLayoutSections: [],
    name,
    offlineLinks: [],
    quickActionList: { quickActionListItems: [] },
    relatedContent: null,
    relatedLists: obj.childRelationships
      .filter((r) => r.relationshipName !== null)
      .map((r) => ({
        accessLevelRequiredForCreate: null,
        buttons: [],
        columns: [],
        custom: r.relationshipName!.endsWith('__r'),
        field: r.field,
        label: r.relationshipName,
        limitRows: 5,
        name: r.relationshipName,
        sobject: r.childSObject,
        sort: [],
      })),
    saveOptions: [],
  };
}

const layoutsBody = (obj: ObjectDef, name: string): Record<string, unknown> => ({
  layouts: [layoutOf(obj, name)],
  recordTypeMappings: [],
  recordTypeSelectorRequired: [false],
});

/** Named layouts an org has (REST API Developer Guide, "sObject Describe Layouts": `UserAlt`). */
const NAMED_LAYOUTS: Record<string, string[]> = { User: ['UserAlt'] };

/**
 * GET /sobjects/{type}/describe/{layouts|compactLayouts|namedLayouts/{name}|approvalLayouts}[/…]:
 * anything else under describe is 404, as in an org.
 */
export function describeSub({ org, params }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  if (obj.isPlatformEvent) throw notFound();
  const [kind, arg, extra] = params.rest!.split('/');
  if (extra !== undefined) throw notFound();
  switch (kind) {
    case 'layouts':
      // `layouts/{recordTypeId}`: the local org has only the master record type 012000000000000AAA.
      if (arg !== undefined && arg !== '012000000000000AAA') throw notFound();
      return { status: 200, body: layoutsBody(obj, `${obj.label} Layout`) };
    case 'namedLayouts':
      if (!arg || !(NAMED_LAYOUTS[obj.name] ?? []).includes(arg)) throw notFound();
      return { status: 200, body: layoutsBody(obj, arg) };
    case 'compactLayouts': {
      if (arg !== undefined && arg !== 'primary') throw notFound();
      const name = nameField(obj);
      const compact = {
        actions: [],
        fieldItems: (name ? [name] : []).map((f) => ({
          editableForNew: f.createable,
          editableForUpdate: f.updateable,
          label: f.label,
          layoutComponents: [{ type: 'Field', value: f.name }],
          placeholder: false,
          required: !f.nillable,
        })),
        id: null,
        imageItems: [],
        label: 'System Default',
        name: 'SYSTEM',
        objectType: obj.name,
      };
      if (arg === 'primary') return { status: 200, body: compact };
      return {
        status: 200,
        body: {
          compactLayouts: [compact],
          defaultCompactLayoutId: null,
          recordTypeCompactLayoutMappings: [],
        },
      };
    }
    case 'approvalLayouts':
      // No approval processes in the local org: the list is empty, as in an org without any.
      if (arg !== undefined) throw notFound();
      return { status: 200, body: { approvalLayouts: [] } };
    default:
      throw notFound();
  }
}

// ---- list views ----------------------------------------------------------------------------------

interface ListView {
  id: string;
  developerName: string;
  label: string;
  where: string;
  orderBy: string;
}

/**
 * The standard list views every object with a tab has (All, My, Recently Viewed): ids in the 00B
 * key prefix, derived from the object's key prefix so they stay stable across restarts.
 */
function listViews(obj: ObjectDef, userId: string): ListView[] {
  const seq = parseInt(obj.keyPrefix.replace(/[^0-9]/g, '') || '0', 10) * 10;
  const views: ListView[] = [
    {
      id: makeId('00B', seq + 1),
      developerName: `All${obj.labelPlural.replace(/\W/g, '')}`,
      label: `All ${obj.labelPlural}`,
      where: '',
      orderBy: 'Id',
    },
  ];
  if (obj.fields.has('ownerid')) {
    views.push({
      id: makeId('00B', seq + 2),
      developerName: `My${obj.labelPlural.replace(/\W/g, '')}`,
      label: `My ${obj.labelPlural}`,
      where: `OwnerId = '${userId}'`,
      orderBy: 'Id',
    });
  }
  if (obj.fields.has('lastvieweddate')) {
    views.push({
      id: makeId('00B', seq + 3),
      developerName: 'RecentlyViewed',
      label: `Recently Viewed ${obj.labelPlural}`,
      where: 'LastViewedDate != null',
      orderBy: 'LastViewedDate DESC NULLS LAST',
    });
  }
  return views;
}

function listViewColumns(obj: ObjectDef): Record<string, unknown>[] {
  const name = nameField(obj);
  const cols = [obj.fields.get('id')!, ...(name ? [name] : [])];
  for (const n of ['Phone', 'Email', 'Status', 'StageName', 'CloseDate', 'LastModifiedDate']) {
    const f = obj.fields.get(n.toLowerCase());
    if (f && cols.length < 5) cols.push(f);
  }
  return cols.map((f, i) => ({
    ascendingLabel: f.type === 'string' ? 'A-Z' : 'Low to High',
    descendingLabel: f.type === 'string' ? 'Z-A' : 'High to Low',
    fieldNameOrPath: f.name,
    hidden: f.type === 'id',
    label: f.label,
    searchable: f.type === 'string',
    selectListItem: f.name,
    sortDirection: i === 1 ? 'ascending' : null,
    sortIndex: i === 1 ? 0 : null,
    sortable: f.type !== 'id',
    type: f.type,
  }));
}

function findListView(org: Org, obj: ObjectDef, id: string): ListView {
  const view = listViews(obj, org.userId).find(
    (v) => v.id === id || v.id.slice(0, 15) === id || v.developerName === id,
  );
  if (!view) throw notFound();
  return view;
}

function listViewSoql(obj: ObjectDef, view: ListView): string {
  const cols = listViewColumns(obj).map((c) => c.fieldNameOrPath as string);
  return `SELECT ${cols.join(', ')} FROM ${obj.name}${view.where ? ` WHERE ${view.where}` : ''} ORDER BY ${view.orderBy}`;
}

/** GET /sobjects/{type}/listviews (REST API Developer Guide, "List Views"). */
export function listViewsIndex({ org, params, version }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  if (obj.isPlatformEvent) throw notFound();
  const base = `/services/data/v${version}/sobjects/${obj.name}/listviews`;
  const views = listViews(obj, org.userId);
  return {
    status: 200,
    body: {
      done: true,
      listviews: views.map((v) => ({
        describeUrl: `${base}/${v.id}/describe`,
        developerName: v.developerName,
        id: v.id,
        label: v.label,
        resultsUrl: `${base}/${v.id}/results`,
        soqlCompatible: true,
        url: `${base}/${v.id}`,
      })),
      nextRecordsUrl: null,
      size: views.length,
      sobjectType: obj.name,
    },
  };
}

/** GET /sobjects/{type}/listviews/{id}[/describe|/results] ("List View Describe", "List View Results"). */
export function listView({ org, params, url, version }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const view = findListView(org, obj, params.id!);
  const base = `/services/data/v${version}/sobjects/${obj.name}/listviews/${view.id}`;
  const sub = params.sub;
  const columns = listViewColumns(obj);
  if (sub === undefined) {
    return {
      status: 200,
      body: {
        describeUrl: `${base}/describe`,
        developerName: view.developerName,
        id: view.id,
        label: view.label,
        resultsUrl: `${base}/results`,
        soqlCompatible: true,
        url: base,
      },
    };
  }
  if (sub === 'describe') {
    return {
      status: 200,
      body: {
        columns,
        id: view.id,
        orderBy: [
          {
            fieldNameOrPath: view.orderBy.split(' ')[0],
            nullsPosition: 'last',
            sortDirection: view.orderBy.includes('DESC') ? 'descending' : 'ascending',
          },
        ],
        query: listViewSoql(obj, view),
        relatedEntityId: null,
        scope: view.where.startsWith('OwnerId') ? 'mine' : 'everything',
        scopeEntityId: null,
        sobjectType: obj.name,
        whereCondition: null,
      },
    };
  }
  if (sub === 'results') {
    const limit = Math.min(2000, Math.max(1, Number(url.searchParams.get('limit') ?? 25) || 25));
    const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
    const result = runQuery(
      { ...org.dmlContext(), apiVersion: version },
      parseSoql(`${listViewSoql(obj, view)} LIMIT ${limit} OFFSET ${offset}`),
    );
    return {
      status: 200,
      body: {
        columns,
        developerName: view.developerName,
        done: true,
        id: view.id,
        label: view.label,
        records: result.records.map((r) => ({
          columns: columns.map((c) => ({
            fieldNameOrPath: c.fieldNameOrPath,
            value: r[c.fieldNameOrPath as string] ?? null,
          })),
        })),
        size: result.totalSize,
      },
    };
  }
  throw notFound();
}

// ---- recently viewed -----------------------------------------------------------------------------

/** Records stamped by FOR VIEW, newest first, as `{attributes, Id, Name}`. */
export function recentItems(
  org: Org,
  version: string,
  objects: ObjectDef[],
  limit: number,
): Record<string, unknown>[] {
  const rows: { obj: ObjectDef; rec: Rec; at: string }[] = [];
  for (const obj of objects) {
    if (!obj.fields.has('lastvieweddate')) continue;
    for (const rec of org.store.table(obj).values()) {
      if (typeof rec.LastViewedDate === 'string') rows.push({ obj, rec, at: rec.LastViewedDate });
    }
  }
  rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return rows.slice(0, limit).map(({ obj, rec }) => {
    const name = nameField(obj);
    return {
      attributes: { type: obj.name, url: sobjectUrl(version, obj, rec.Id as string) },
      Id: rec.Id,
      Name: name ? (rec[name.name] ?? null) : null,
    };
  });
}

/** GET /recent[?limit=n] (REST API Developer Guide, "Recently Viewed Items"): at most 200. */
export function recent({ org, url, version }: RouteRequest): Reply {
  const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 200) || 200));
  return {
    status: 200,
    body: recentItems(org, version, [...org.schema.objects.values()], limit),
  };
}

// ---- getUpdated / getDeleted ---------------------------------------------------------------------

const DAY = 86_400_000;

function window(url: URL, now: Date): { start: number; end: number } {
  const parse = (name: string): number => {
    const raw = url.searchParams.get(name);
    const t = raw ? Date.parse(raw.replace(' ', '+')) : NaN;
    if (Number.isNaN(t)) {
      throw new SfError(
        'INVALID_REPLICATION_DATE',
        `${name} must be a dateTime such as 2026-11-27T10:00:00+00:00`,
      );
    }
    return t;
  };
  const start = parse('start');
  const end = parse('end');
  if (end < start) throw new SfError('INVALID_REPLICATION_DATE', 'end must be after start');
  // SOAP API Developer Guide, "getUpdated()" / "getDeleted()": start within the last 30 days.
  if (start < now.getTime() - 30 * DAY) {
    throw new SfError('INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
  }
  return { start, end };
}

const iso = (t: number): string => new Date(t).toISOString().replace('Z', '+0000');
/** latestDateCovered: the end of the window, rounded down to the minute (as getUpdated does). */
const covered = (end: number, now: number): string =>
  iso(Math.floor(Math.min(end, now) / 60_000) * 60_000);

/** GET /sobjects/{type}/updated?start=&end= (REST API Developer Guide, "sObject Get Updated"). */
export function updated({ org, params, url }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const now = new Date();
  const { start, end } = window(url, now);
  const ids: string[] = [];
  for (const rec of org.store.table(obj).values()) {
    const t = Date.parse(String(rec.SystemModstamp).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (t >= start && t < end) ids.push(rec.Id as string);
  }
  return { status: 200, body: { ids, latestDateCovered: covered(end, now.getTime()) } };
}

/** GET /sobjects/{type}/deleted?start=&end= (REST API Developer Guide, "sObject Get Deleted"). */
export function deleted({ org, params, url }: RouteRequest): Reply {
  const obj = requireObject(org.schema, params.type!);
  const now = new Date();
  const { start, end } = window(url, now);
  const deletedRecords: { id: string; deletedDate: string }[] = [];
  let earliest: string | null = null;
  for (const rec of org.store.binOf(obj).values()) {
    const at = String(rec.SystemModstamp);
    const t = Date.parse(at.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (earliest === null || at < earliest) earliest = at;
    if (t >= start && t < end) deletedRecords.push({ id: rec.Id as string, deletedDate: at });
  }
  return {
    status: 200,
    body: {
      deletedRecords,
      earliestDateAvailable: earliest ?? covered(now.getTime() - 15 * DAY, now.getTime()),
      latestDateCovered: covered(end, now.getTime()),
    },
  };
}

// ---- query plans ---------------------------------------------------------------------------------

/**
 * GET /query?explain=SOQL or a list view id (REST API Developer Guide, "Get Feedback on Query
 * Performance"): one plan; an index when the WHERE tests Id or an indexed field, else a table scan.
 */
export function explain(org: Org, version: string, target: string): Reply {
  let soql = target;
  const id = /^00B[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(target) ? target : undefined;
  if (id) {
    const obj = [...org.schema.objects.values()].find((o) =>
      listViews(o, org.userId).some((v) => v.id.startsWith(id.slice(0, 15))),
    );
    if (!obj) throw notFound();
    soql = listViewSoql(obj, findListView(org, obj, id));
  }
  const query = parseSoql(soql);
  const obj = requireObject(org.schema, query.sObject ?? '');
  const result = runQuery(
    { ...org.dmlContext(), apiVersion: version },
    {
      ...query,
      fields: [{ type: 'FieldFunctionExpression', functionName: 'COUNT', parameters: [] }],
    },
  );
  const total = org.store.table(obj).size;
  const indexed = /\bWHERE\b[^]*\b(Id|\w+__c)\s*(=|IN)\b/i.exec(soql);
  const field = indexed ? [indexed[1]!] : [];
  return {
    status: 200,
    body: {
      plans: [
        {
          cardinality: result.totalSize,
          fields: field,
          leadingOperationType: indexed ? 'Index' : 'TableScan',
          notes: [],
          relativeCost: indexed
            ? 0.1
            : total > 0
              ? 0.65 + result.totalSize / Math.max(total, 1)
              : 0.65,
          sobjectCardinality: total,
          sobjectType: obj.name,
        },
      ],
      sourceQuery: soql,
    },
  };
}

// ---- tabs and theme ------------------------------------------------------------------------------

const ICON = (name: string): Record<string, unknown>[] => [
  {
    contentType: 'image/svg+xml',
    height: 0,
    theme: 'theme4',
    url: `/img/icon/t4v35/standard/${name}.svg`,
    width: 0,
  },
  {
    contentType: 'image/png',
    height: 120,
    theme: 'theme4',
    url: `/img/icon/t4v35/standard/${name}_120.png`,
    width: 120,
  },
];

/** Objects with a tab: standard objects with a layout and records, and the package's custom objects. */
function tabObjects(org: Org): ObjectDef[] {
  return [...org.schema.objects.values()].filter(
    (o) => !o.isPlatformEvent && o.writable && o.fields.has('ownerid'),
  );
}

/** GET /tabs (REST API Developer Guide, "Tabs"). */
export function tabs({ org }: RouteRequest): Reply {
  return {
    status: 200,
    body: tabObjects(org).map((o) => {
      const icon = o.custom ? 'custom' : o.name.toLowerCase();
      return {
        colors: [{ color: '7f8de1', context: 'primary', theme: 'theme4' }],
        custom: o.custom,
        iconUrl: `${org.instanceUrl}/img/icon/t4v35/standard/${icon}_120.png`,
        icons: ICON(icon),
        label: o.labelPlural,
        miniIconUrl: `${org.instanceUrl}/img/icon/t4v35/standard/${icon}_16.png`,
        name: o.custom ? `${o.name}` : `standard-${o.name}`,
        sobjectName: o.name,
        url: `${org.instanceUrl}/lightning/o/${o.name}/home`,
      };
    }),
  };
}

/** GET /theme (REST API Developer Guide, "Themes"). */
export function theme({ org }: RouteRequest): Reply {
  return {
    status: 200,
    body: {
      themeItems: tabObjects(org).map((o) => ({
        colors: [{ color: '7f8de1', context: 'primary', theme: 'theme4' }],
        icons: ICON(o.custom ? 'custom' : o.name.toLowerCase()),
        name: o.name,
      })),
    },
  };
}
