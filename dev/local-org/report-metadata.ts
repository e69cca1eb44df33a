/**
 * The package's reports, report types and dashboards as the local org holds them: read from the
 * Metadata API source files in force-app (`reportTypes/`, `reports/<Folder>/`,
 * `dashboards/<Folder>/`), with the package namespace applied to every custom name the way a
 * subscriber org sees an installed package (`aircallsfv__Aircall_Voice__c$aircallsfv__Answered__c`).
 *
 * Element names follow the Metadata API Developer Guide ("Report", "ReportType", "Dashboard");
 * what the local org computes from them is in reports.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export type ReportFormat = 'TABULAR' | 'SUMMARY' | 'MATRIX';
export type AggregateKind = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'Unique';

export interface ReportColumn {
  /** `Object$Field`, as reports name a custom report type's columns. */
  name: string;
  aggregates: AggregateKind[];
}

export interface ReportGrouping {
  name: string;
  sortOrder: 'Asc' | 'Desc';
  dateGranularity: string;
}

export interface ReportFilterItem {
  column: string;
  operator: string;
  value: string;
}

export interface SummaryFormula {
  developerName: string;
  label: string;
  description: string | null;
  formula: string;
  datatype: string;
  scale: number;
}

export interface ReportDefinition {
  developerName: string;
  folder: string;
  name: string;
  description: string | null;
  format: ReportFormat;
  reportType: string;
  columns: ReportColumn[];
  groupingsDown: ReportGrouping[];
  groupingsAcross: ReportGrouping[];
  filters: ReportFilterItem[];
  booleanFilter: string | null;
  timeFrame: { column: string; interval: string } | null;
  formulas: SummaryFormula[];
  showDetails: boolean;
}

export interface ReportTypeDefinition {
  /** As reports name it: `Aircall_Calls__c`. */
  type: string;
  label: string;
  baseObject: string;
  sections: { label: string; columns: string[] }[];
}

export interface DashboardComponentDefinition {
  header: string;
  componentType: string;
  /** `Folder/Developer_Name`. */
  report: string;
  groupingColumns: string[];
  summaries: { column: string; aggregate: string | null }[];
  tableColumns: { column: string; aggregate: string | null }[];
  maxValuesDisplayed: number | null;
  section: 'leftSection' | 'middleSection' | 'rightSection';
}

export interface DashboardDefinition {
  developerName: string;
  folder: string;
  title: string;
  description: string | null;
  components: DashboardComponentDefinition[];
}

export interface AnalyticsMetadata {
  reportTypes: ReportTypeDefinition[];
  reports: ReportDefinition[];
  dashboards: DashboardDefinition[];
  /** Folder developer name → its label. */
  folders: Map<string, string>;
}

const REPEATED = new Set([
  'columns',
  'aggregateTypes',
  'groupingsDown',
  'groupingsAcross',
  'criteriaItems',
  'aggregates',
  'sections',
  'components',
  'groupingColumn',
  'chartSummary',
  'dashboardTableColumn',
]);

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tag) => REPEATED.has(tag),
});

type Node = Record<string, unknown>;
const str = (n: Node, k: string): string | null => (typeof n[k] === 'string' ? n[k] : null);
const nodes = (n: Node, k: string): Node[] => (Array.isArray(n[k]) ? (n[k] as Node[]) : []);
const strings = (n: Node, k: string): string[] =>
  Array.isArray(n[k]) ? (n[k] as unknown[]).filter((v): v is string => typeof v === 'string') : [];

function parse(text: string, root: string, where: string): Node {
  const parsed = xml.parse(text) as Node;
  const node = parsed[root];
  if (!node || typeof node !== 'object') throw new Error(`${where} has no <${root}> element.`);
  return node as Node;
}

function read(file: string, root: string): Node {
  return parse(readFileSync(file, 'utf8'), root, file);
}

function metaFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

const base = (file: string, suffix: string): string =>
  file.slice(file.lastIndexOf('/') + 1, -suffix.length);

/** Prefixes the package's own custom names (`X__c`) in `Object$Field`, `Object.Field` and plain names. */
export function namespaced(namespace: string): (name: string) => string {
  if (!namespace) return (name) => name;
  const own = (part: string) => (/__[cre]$/.test(part) ? `${namespace}__${part}` : part);
  return (name) =>
    name
      .split('$')
      .map((side) => side.split('.').map(own).join('.'))
      .join('$');
}

const FORMATS: Record<string, ReportFormat> = {
  Tabular: 'TABULAR',
  Summary: 'SUMMARY',
  Matrix: 'MATRIX',
};

function grouping(n: Node, ns: (s: string) => string): ReportGrouping {
  return {
    name: ns(str(n, 'field') ?? ''),
    sortOrder: str(n, 'sortOrder') === 'Desc' ? 'Desc' : 'Asc',
    dateGranularity: str(n, 'dateGranularity') ?? 'None',
  };
}

function report(file: string, folder: string, ns: (s: string) => string): ReportDefinition {
  return reportOf(read(file, 'Report'), base(file, '.report-meta.xml'), folder, ns);
}

function reportOf(
  r: Node,
  developerName: string,
  folder: string,
  ns: (s: string) => string,
): ReportDefinition {
  const format = FORMATS[str(r, 'format') ?? ''];
  if (!format)
    throw new Error(`${developerName}: report format ${str(r, 'format')} is not served here.`);
  const filter = (r.filter ?? {}) as Node;
  const timeFrame = (r.timeFrameFilter ?? null) as Node | null;
  return {
    developerName,
    folder,
    name: str(r, 'name') ?? developerName,
    description: str(r, 'description'),
    format,
    reportType: ns(str(r, 'reportType') ?? ''),
    columns: nodes(r, 'columns').map((c) => ({
      name: ns(str(c, 'field') ?? ''),
      aggregates: strings(c, 'aggregateTypes') as AggregateKind[],
    })),
    groupingsDown: nodes(r, 'groupingsDown').map((g) => grouping(g, ns)),
    groupingsAcross: nodes(r, 'groupingsAcross').map((g) => grouping(g, ns)),
    filters: nodes(filter, 'criteriaItems').map((i) => ({
      column: ns(str(i, 'column') ?? ''),
      operator: str(i, 'operator') ?? 'equals',
      value: str(i, 'value') ?? '',
    })),
    booleanFilter: str(filter, 'booleanFilter'),
    timeFrame: timeFrame
      ? {
          column: ns(str(timeFrame, 'dateColumn') ?? ''),
          interval: str(timeFrame, 'interval') ?? '',
        }
      : null,
    formulas: nodes(r, 'aggregates').map((a) => ({
      developerName: str(a, 'developerName') ?? '',
      label: str(a, 'masterLabel') ?? '',
      description: str(a, 'description'),
      // A formula names its fields inside an expression (`Aircall_Voice__c.Answered__c:SUM /
      // RowCount`): each custom name in it is named as the org names it.
      formula: (str(a, 'calculatedFormula') ?? '').replace(/[A-Za-z][\w.$]*__[cre]\b/g, ns),
      datatype: str(a, 'datatype') ?? 'number',
      scale: Number(str(a, 'scale') ?? 2),
    })),
    showDetails: str(r, 'showDetails') !== 'false',
  };
}

function dashboard(file: string, folder: string, ns: (s: string) => string): DashboardDefinition {
  return dashboardOf(read(file, 'Dashboard'), base(file, '.dashboard-meta.xml'), folder, ns);
}

function dashboardOf(
  d: Node,
  developerName: string,
  folder: string,
  ns: (s: string) => string,
): DashboardDefinition {
  const components: DashboardComponentDefinition[] = [];
  for (const section of ['leftSection', 'middleSection', 'rightSection'] as const) {
    const s = (d[section] ?? {}) as Node;
    for (const c of nodes(s, 'components')) {
      components.push({
        header: str(c, 'header') ?? '',
        componentType: str(c, 'componentType') ?? 'Table',
        report: str(c, 'report') ?? '',
        groupingColumns: strings(c, 'groupingColumn').map(ns),
        summaries: nodes(c, 'chartSummary').map((x) => ({
          column: ns(str(x, 'column') ?? ''),
          aggregate: str(x, 'aggregate'),
        })),
        tableColumns: nodes(c, 'dashboardTableColumn').map((x) => ({
          column: ns(str(x, 'column') ?? ''),
          aggregate: str(x, 'aggregateType'),
        })),
        maxValuesDisplayed: str(c, 'maxValuesDisplayed')
          ? Number(str(c, 'maxValuesDisplayed'))
          : null,
        section,
      });
    }
  }
  return {
    developerName,
    folder,
    title: str(d, 'title') ?? developerName,
    description: str(d, 'description'),
    components,
  };
}

function reportTypeOf(t: Node, name: string, ns: (s: string) => string): ReportTypeDefinition {
  return {
    type: ns(`${name}__c`),
    label: str(t, 'label') ?? '',
    baseObject: ns(str(t, 'baseObject') ?? ''),
    sections: nodes(t, 'sections').map((s) => ({
      label: str(s, 'masterLabel') ?? '',
      columns: nodes(s, 'columns').map((c) => ns(str(c, 'field') ?? '')),
    })),
  };
}

export const emptyAnalytics = (): AnalyticsMetadata => ({
  reportTypes: [],
  reports: [],
  dashboards: [],
  folders: new Map(),
});

/**
 * The reports, report types, dashboards and their folders of a Metadata API deploy (each
 * component's XML text as deployed: `ReportType` `Name`, `Report` `Folder/Name`, `Folder/` for a
 * folder), named as the org names them (`namespace`).
 */
export function analyticsOfComponents(
  components: readonly { type: string; fullName: string; text?: string }[],
  namespace = '',
): AnalyticsMetadata {
  const ns = namespaced(namespace);
  const out = emptyAnalytics();
  for (const c of components) {
    if (c.text === undefined) continue;
    const slash = c.fullName.indexOf('/');
    const folder = slash < 0 ? '' : c.fullName.slice(0, slash);
    const name = c.fullName.slice(slash + 1);
    if (c.type === 'ReportType')
      out.reportTypes.push(reportTypeOf(parse(c.text, 'ReportType', c.fullName), c.fullName, ns));
    else if ((c.type === 'Report' || c.type === 'Dashboard') && name === '') {
      const root = c.type === 'Report' ? 'ReportFolder' : 'DashboardFolder';
      out.folders.set(folder, str(parse(c.text, root, c.fullName), 'name') ?? folder);
    } else if (c.type === 'Report')
      out.reports.push(reportOf(parse(c.text, 'Report', c.fullName), name, folder, ns));
    else if (c.type === 'Dashboard')
      out.dashboards.push(dashboardOf(parse(c.text, 'Dashboard', c.fullName), name, folder, ns));
  }
  return out;
}

/** Adds `more` to `into`; a report, dashboard or report type of the same name is replaced. */
export function mergeAnalytics(into: AnalyticsMetadata, more: AnalyticsMetadata): void {
  const replace = <T>(list: T[], items: T[], key: (t: T) => string) => {
    for (const item of items) {
      const at = list.findIndex((x) => key(x) === key(item));
      if (at >= 0) list[at] = item;
      else list.push(item);
    }
  };
  replace(into.reportTypes, more.reportTypes, (t) => t.type);
  replace(into.reports, more.reports, (r) => `${r.folder}/${r.developerName}`);
  replace(into.dashboards, more.dashboards, (d) => `${d.folder}/${d.developerName}`);
  for (const [k, v] of more.folders) into.folders.set(k, v);
}

/** Everything under `metadataDir` (force-app/main/default); empty when the package ships none. */
export function loadAnalyticsMetadata(metadataDir: string, namespace = ''): AnalyticsMetadata {
  const ns = namespaced(namespace);
  const out = emptyAnalytics();
  for (const file of metaFiles(join(metadataDir, 'reportTypes'), '.reportType-meta.xml'))
    out.reportTypes.push(
      reportTypeOf(read(file, 'ReportType'), base(file, '.reportType-meta.xml'), ns),
    );
  for (const [kind, suffix, root] of [
    ['reports', '.reportFolder-meta.xml', 'ReportFolder'],
    ['dashboards', '.dashboardFolder-meta.xml', 'DashboardFolder'],
  ] as const) {
    for (const file of metaFiles(join(metadataDir, kind), suffix)) {
      const folder = base(file, suffix);
      out.folders.set(folder, str(read(file, root), 'name') ?? folder);
      const dir = join(metadataDir, kind, folder);
      if (kind === 'reports')
        for (const f of metaFiles(dir, '.report-meta.xml')) out.reports.push(report(f, folder, ns));
      else
        for (const f of metaFiles(dir, '.dashboard-meta.xml'))
          out.dashboards.push(dashboard(f, folder, ns));
    }
  }
  return out;
}
