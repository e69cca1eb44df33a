/**
 * Runs the package's reports on the local org's records and answers in the shapes of the Reports
 * and Dashboards REST API (Reports and Dashboards REST API Developer Guide: "Describe" for
 * reportMetadata / reportExtendedMetadata / reportTypeMetadata, "Execute Sync" for the fact map and
 * groupings, "Dashboard Results" for componentData and dashboardMetadata).
 *
 * What is computed, as the guide describes it:
 * - the records: the report type's base object, the time frame (a date literal evaluated in the
 *   running user's time zone, like a report's standard date filter) and the filters with their
 *   filter logic, run as one SOQL query through the org's own SOQL engine;
 * - groupings down and across (summary: down only; matrix: both), each level sorted by its value
 *   (picklists in their value order), keys `0`, `0_1`, … and fact map keys `down!across` with `T`
 *   for a total (`T!T` is the grand total, `0!T` a row's total, `T!0` a column's);
 * - aggregates in the report's order: `s!`, `a!`, `m!`, `x!`, `u!` column summaries, `RowCount`,
 *   and custom summary formulas (`Object.Field:SUM / RowCount`) computed per cell.
 * Not served: joined reports, buckets, cross filters, row-level formulas, asynchronous runs.
 */
import { DateTime } from 'luxon';
import { SfError } from './errors';
import type { Org } from './runtime';
import { getObject, requireObject } from './dml';
import type { FieldDef, ObjectDef } from './schema';
import { parseSoql, runQuery } from './soql';
import type { Rec } from './store';
import type {
  AnalyticsMetadata,
  DashboardComponentDefinition,
  ReportDefinition,
  ReportGrouping,
  SummaryFormula,
} from './report-metadata';
import { mergeAnalytics } from './report-metadata';
import {
  type Json,
  type Cell,
  INTERVALS,
  AGGREGATE_PREFIX,
  FORMULA_KIND,
  fieldOf,
  condition,
  filterLogic,
  evaluateFormula,
  NUMBER,
  type Aggregate,
  fieldLabel,
  picklistLabel,
  reportDataType,
  installAnalyticsRecords,
} from './reports-model';

export class Analytics {
  private readonly reportIds: Map<string, string>;
  private readonly dashboardIds: Map<string, string>;

  constructor(
    private readonly org: Org,
    private readonly metadata: AnalyticsMetadata,
  ) {
    // Report and Dashboard records, as installing the package creates them (queryable by SOQL).
    const installed = installAnalyticsRecords(org, metadata);
    this.reportIds = installed.reportIds;
    this.dashboardIds = installed.dashboardIds;
  }

  /**
   * Reports, report types and dashboards a Metadata API deploy brought (deploy-apply.ts): served
   * from then on, with their Report and Dashboard records; one of the same name is replaced.
   */
  add(more: AnalyticsMetadata): void {
    mergeAnalytics(this.metadata, more);
    const installed = installAnalyticsRecords(this.org, this.metadata);
    for (const [id, key] of installed.reportIds) this.reportIds.set(id, key);
    for (const [id, key] of installed.dashboardIds) this.dashboardIds.set(id, key);
  }

  private reportById(id: string): { id: string; def: ReportDefinition } {
    const key = [...this.reportIds].find(([rid]) => rid.slice(0, 15) === id.slice(0, 15))?.[1];
    const def = this.metadata.reports.find((r) => `${r.folder}/${r.developerName}` === key);
    if (!def || !key)
      throw new SfError('NOT_FOUND', 'The requested resource does not exist', [], 404);
    return { id: this.idOf(key), def };
  }

  private idOf(reportName: string): string {
    const found = [...this.reportIds].find(([, name]) => name === reportName);
    if (!found) throw new SfError('NOT_FOUND', `The report ${reportName} does not exist`, [], 404);
    return found[0];
  }

  /** `GET /analytics/reports`: id, name and URLs of every report. */
  list(version: string): Json[] {
    return [...this.reportIds].map(([id, key]) => {
      const def = this.metadata.reports.find((r) => `${r.folder}/${r.developerName}` === key)!;
      const url = `/services/data/v${version}/analytics/reports/${id}`;
      return {
        id,
        name: def.name,
        url,
        describeUrl: `${url}/describe`,
        instancesUrl: `${url}/instances`,
      };
    });
  }

  private base(def: ReportDefinition): {
    obj: ObjectDef;
    typeLabel: string;
    sections: { label: string; columns: string[] }[];
  } {
    const type = this.metadata.reportTypes.find((t) => t.type === def.reportType);
    if (!type)
      throw new SfError('NOT_FOUND', `The report type ${def.reportType} does not exist`, [], 404);
    return {
      obj: requireObject(this.org.schema, type.baseObject),
      typeLabel: type.label,
      sections: type.sections,
    };
  }

  private aggregates(def: ReportDefinition, obj: ObjectDef, language: string): Aggregate[] {
    const out: Aggregate[] = [];
    const numeric = (records: Rec[], f: FieldDef) =>
      records.map((r) => r[f.name]).filter((v): v is number => typeof v === 'number');
    const summarize = (kind: string, f: FieldDef, records: Rec[]): number | null => {
      const values = numeric(records, f);
      if (kind === 'u')
        return new Set(records.map((r) => r[f.name]).filter((v) => v !== null)).size;
      if (values.length === 0) return kind === 's' ? 0 : null;
      if (kind === 's') return values.reduce((a, b) => a + b, 0);
      if (kind === 'a') return values.reduce((a, b) => a + b, 0) / values.length;
      if (kind === 'm') return Math.min(...values);
      return Math.max(...values);
    };
    const names: Record<string, string> = {
      s: 'Sum',
      a: 'Average',
      m: 'Smallest',
      x: 'Largest',
      u: 'Unique',
    };
    for (const c of def.columns)
      for (const kind of c.aggregates) {
        const f = fieldOf(obj, c.name);
        const prefix = AGGREGATE_PREFIX[kind]!;
        out.push({
          key: `${prefix}!${c.name}`,
          label: `${names[prefix]} of ${fieldLabel(obj, f, language)}`,
          dataType: prefix === 'u' ? 'int' : 'double',
          compute: (records) => {
            const v = summarize(prefix, f, records);
            return { label: v === null ? '' : NUMBER.format(v), value: v };
          },
        });
      }
    out.push({
      key: 'RowCount',
      label: 'Record Count',
      dataType: 'int',
      compute: (records) => ({ label: NUMBER.format(records.length), value: records.length }),
    });
    for (const formula of def.formulas) out.push(this.formulaAggregate(formula, obj, summarize));
    return out;
  }

  private formulaAggregate(
    formula: SummaryFormula,
    obj: ObjectDef,
    summarize: (kind: string, f: FieldDef, records: Rec[]) => number | null,
  ): Aggregate {
    const percent = formula.datatype === 'percent';
    return {
      key: formula.developerName,
      label: formula.label,
      dataType: formula.datatype,
      compute: (records) => {
        const v = evaluateFormula(formula.formula, (token) => {
          if (token === 'RowCount') return records.length;
          const m = /^(\w+)\.(\w+):(SUM|AVG|MIN|MAX)$/.exec(token);
          if (!m)
            throw new SfError('BAD_REQUEST', `Formula token ${token} is not served.`, [], 400);
          return summarize(FORMULA_KIND[m[3]!]!, fieldOf(obj, `${m[1]}$${m[2]}`), records);
        });
        // A percent formula's value is the percentage (0.5 → 50), as the report shows it.
        const shown = v === null ? null : percent ? v * 100 : v;
        const rounded = shown === null ? null : Number(shown.toFixed(formula.scale));
        return {
          label: rounded === null ? '' : `${rounded.toFixed(formula.scale)}${percent ? '%' : ''}`,
          value: rounded,
        };
      },
    };
  }

  /** The records a report covers, with the fields it shows. */
  private records(def: ReportDefinition, obj: ObjectDef, version: string): Rec[] {
    const fields = new Set<string>(['Id']);
    const add = (column: string) => {
      const f = fieldOf(obj, column);
      fields.add(f.name);
      if (f.type === 'reference' && f.relationshipName) fields.add(`${f.relationshipName}.Name`);
    };
    def.columns.forEach((c) => add(c.name));
    [...def.groupingsDown, ...def.groupingsAcross].forEach((g) => add(g.name));
    const where: string[] = [];
    if (def.timeFrame) {
      const interval = INTERVALS[def.timeFrame.interval];
      if (!interval)
        throw new SfError(
          'BAD_REQUEST',
          `The time frame ${def.timeFrame.interval} is not served by the local org.`,
          [],
          400,
        );
      where.push(`${fieldOf(obj, def.timeFrame.column).name} = ${interval.literal}`);
    }
    if (def.filters.length)
      where.push(
        `(${filterLogic(
          def.booleanFilter,
          def.filters.map((f) => condition(obj, f)),
        )})`,
      );
    const soql = `SELECT ${[...fields].join(', ')} FROM ${obj.name}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return runQuery(this.org.queryContext(version), parseSoql(soql)).records as Rec[];
  }

  private groupValue(obj: ObjectDef, g: ReportGrouping, rec: Rec, language: string): Cell {
    const f = fieldOf(obj, g.name);
    const v = rec[f.name] ?? null;
    if (v === null || v === '') return { label: '-', value: null };
    if (f.type === 'reference') {
      const related = rec[f.relationshipName ?? ''] as unknown as { Name?: string } | null;
      return { label: related?.Name ?? String(v), value: v };
    }
    if (f.type === 'picklist')
      return { label: picklistLabel(obj, f, String(v), language), value: v };
    if (f.type === 'boolean') return { label: v ? 'True' : 'False', value: v };
    if (f.type === 'date') {
      const d = DateTime.fromISO(String(v));
      return { label: d.isValid ? d.toFormat('M/d/yyyy') : String(v), value: v };
    }
    if (typeof v === 'number') return { label: NUMBER.format(v), value: v };
    return { label: String(v), value: v };
  }

  /** Groups records by one level after another: the Analytics API's nested `groupings`. */
  private groupTree(
    obj: ObjectDef,
    levels: ReportGrouping[],
    records: Rec[],
    language: string,
    prefix = '',
  ): { tree: Json[]; cells: Map<string, Rec[]> } {
    const cells = new Map<string, Rec[]>();
    if (levels.length === 0) return { tree: [], cells };
    const [level, ...rest] = levels as [ReportGrouping, ...ReportGrouping[]];
    const f = fieldOf(obj, level.name);
    const groups = new Map<string, { cell: Cell; records: Rec[] }>();
    for (const rec of records) {
      const cell = this.groupValue(obj, level, rec, language);
      const k = JSON.stringify(cell.value);
      const g = groups.get(k) ?? { cell, records: [] };
      g.records.push(rec);
      groups.set(k, g);
    }
    const order = (c: Cell): number | string => {
      if (c.value === null) return Number.POSITIVE_INFINITY;
      if (f.type === 'picklist') {
        const i = f.picklistValues.findIndex((p) => p.value === c.value);
        return i < 0 ? f.picklistValues.length : i;
      }
      return typeof c.value === 'number' ? c.value : c.label.toLowerCase();
    };
    const sorted = [...groups.values()].sort((a, b) => {
      const x = order(a.cell);
      const y = order(b.cell);
      const cmp =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return level.sortOrder === 'Desc' ? -cmp : cmp;
    });
    const tree = sorted.map((g, i) => {
      const key = prefix ? `${prefix}_${i}` : String(i);
      cells.set(key, g.records);
      const inner = this.groupTree(obj, rest, g.records, language, key);
      for (const [k, v] of inner.cells) cells.set(k, v);
      return { groupings: inner.tree, key, label: g.cell.label, value: g.cell.value };
    });
    return { tree, cells };
  }

  private metadataOf(
    id: string,
    def: ReportDefinition,
    typeLabel: string,
    aggregates: Aggregate[],
  ): Json {
    const interval = def.timeFrame ? INTERVALS[def.timeFrame.interval] : undefined;
    return {
      aggregates: aggregates.map((a) => a.key),
      chart: null,
      currency: null,
      customSummaryFormula: Object.fromEntries(
        def.formulas.map((f) => [
          f.developerName,
          {
            acrossGroup: null,
            acrossGroupType: 'all',
            decimalPlaces: f.scale,
            description: f.description,
            downGroup: null,
            downGroupType: 'all',
            formula: f.formula,
            formulaType: f.datatype,
            label: f.label,
          },
        ]),
      ),
      description: def.description,
      detailColumns: def.columns.map((c) => c.name),
      developerName: def.developerName,
      groupingsAcross: def.groupingsAcross.map((g) => ({
        dateGranularity: g.dateGranularity,
        name: g.name,
        sortOrder: g.sortOrder,
      })),
      groupingsDown: def.groupingsDown.map((g) => ({
        dateGranularity: g.dateGranularity,
        name: g.name,
        sortOrder: g.sortOrder,
      })),
      hasDetailRows: def.showDetails,
      hasRecordCount: true,
      id,
      name: def.name,
      reportBooleanFilter: def.booleanFilter,
      reportFilters: def.filters.map((f) => ({
        column: f.column,
        isRunPageEditable: true,
        operator: f.operator,
        value: f.value,
      })),
      reportFormat: def.format,
      reportType: { label: typeLabel, type: def.reportType },
      scope: 'organization',
      showGrandTotal: true,
      showSubtotals: true,
      standardDateFilter: def.timeFrame
        ? {
            column: def.timeFrame.column,
            durationValue: interval?.duration ?? 'CUSTOM',
            endDate: null,
            startDate: null,
          }
        : null,
      standardFilters: null,
    };
  }

  private extended(
    def: ReportDefinition,
    obj: ObjectDef,
    aggregates: Aggregate[],
    language: string,
  ): Json {
    const info = (column: string) => {
      const f = fieldOf(obj, column);
      return { dataType: reportDataType(f), label: fieldLabel(obj, f, language) };
    };
    return {
      aggregateColumnInfo: Object.fromEntries(
        aggregates.map((a) => [
          a.key,
          {
            acrossGroupingContext: null,
            dataType: a.dataType,
            downGroupingContext: null,
            label: a.label,
          },
        ]),
      ),
      detailColumnInfo: Object.fromEntries(def.columns.map((c) => [c.name, info(c.name)])),
      groupingColumnInfo: Object.fromEntries(
        [...def.groupingsDown, ...def.groupingsAcross].map((g, i) => [
          g.name,
          {
            ...info(g.name),
            groupingLevel: i < def.groupingsDown.length ? i : i - def.groupingsDown.length,
          },
        ]),
      ),
    };
  }

  /** `GET /analytics/reports/{id}/describe` */
  describe(reportId: string, version: string, language: string): Json {
    const { id, def } = this.reportById(reportId);
    const { obj, typeLabel, sections } = this.base(def);
    const aggregates = this.aggregates(def, obj, language);
    return {
      reportExtendedMetadata: this.extended(def, obj, aggregates, language),
      reportMetadata: this.metadataOf(id, def, typeLabel, aggregates),
      reportTypeMetadata: {
        categories: sections.map((s) => ({
          label: s.label,
          columns: Object.fromEntries(
            s.columns
              .filter((c) => !c.includes('.'))
              .map((c) => getObject(this.org.schema, obj.name)?.fields.get(c.toLowerCase()))
              .filter((f): f is FieldDef => !!f)
              .map((f) => [
                `${obj.name}$${f.name}`,
                {
                  dataType: reportDataType(f),
                  filterable: true,
                  label: fieldLabel(obj, f, language),
                },
              ]),
          ),
        })),
      },
    };
  }

  /** `GET|POST /analytics/reports/{id}` (Execute Sync). */
  run(reportId: string, version: string, language: string, includeDetails: boolean): Json {
    const { id, def } = this.reportById(reportId);
    const { obj, typeLabel } = this.base(def);
    const aggregates = this.aggregates(def, obj, language);
    const records = this.records(def, obj, version);
    const down = def.format === 'TABULAR' ? [] : def.groupingsDown;
    const across = def.format === 'MATRIX' ? def.groupingsAcross : [];
    const rows = this.groupTree(obj, down, records, language);
    const cols = this.groupTree(obj, across, records, language);
    const facts: Json = {};
    const detailRows = (list: Rec[]) =>
      includeDetails
        ? list.map((rec) => ({
            dataCells: def.columns.map((c) => {
              const f = fieldOf(obj, c.name);
              const v = rec[f.name] ?? null;
              return f.type === 'reference'
                ? {
                    label:
                      (rec[f.relationshipName ?? ''] as unknown as { Name?: string } | null)
                        ?.Name ?? '-',
                    value: v,
                  }
                : f.type === 'picklist' && v !== null
                  ? { label: picklistLabel(obj, f, String(v), language), value: v }
                  : {
                      label:
                        v === null ? '-' : typeof v === 'number' ? NUMBER.format(v) : String(v),
                      value: v,
                    };
            }),
          }))
        : [];
    const fact = (list: Rec[], withRows: boolean) => ({
      aggregates: aggregates.map((a) => a.compute(list)),
      ...(withRows ? { rows: detailRows(list) } : {}),
    });
    const rowKeys: [string, Rec[]][] = [['T', records], ...rows.cells];
    const colKeys: [string, Rec[]][] = [['T', records], ...cols.cells];
    for (const [rk, rrecs] of rowKeys) {
      const inRow = new Set(rrecs);
      for (const [ck, crecs] of colKeys) {
        const cell = ck === 'T' ? rrecs : crecs.filter((r) => inRow.has(r));
        facts[`${rk}!${ck}`] = fact(cell, def.format !== 'MATRIX');
      }
    }
    const url = `/services/data/v${version}/analytics/reports/${id}`;
    return {
      attributes: {
        describeUrl: `${url}/describe`,
        instancesUrl: `${url}/instances`,
        reportId: id,
        reportName: def.name,
        type: 'Report',
      },
      allData: true,
      factMap: facts,
      groupingsAcross: { groupings: cols.tree },
      groupingsDown: { groupings: rows.tree },
      hasDetailRows: includeDetails && def.format !== 'MATRIX',
      reportExtendedMetadata: this.extended(def, obj, aggregates, language),
      reportMetadata: this.metadataOf(id, def, typeLabel, aggregates),
    };
  }

  private dashboardById(dashboardId: string) {
    const key = [...this.dashboardIds].find(([id]) => id.slice(0, 15) === dashboardId.slice(0, 15));
    const def =
      key && this.metadata.dashboards.find((d) => `${d.folder}/${d.developerName}` === key[1]);
    if (!key || !def)
      throw new SfError('NOT_FOUND', 'The requested resource does not exist', [], 404);
    return { id: key[0], def };
  }

  /** `GET /analytics/dashboards`: every dashboard. */
  dashboards(version: string): Json[] {
    return [...this.dashboardIds].map(([id]) => {
      const { def } = this.dashboardById(id);
      const url = `/services/data/v${version}/analytics/dashboards/${id}`;
      return { id, name: def.title, statusUrl: `${url}/status`, url };
    });
  }

  /** `GET /analytics/dashboards/{id}` (Dashboard Results): each component with its report's results. */
  dashboard(dashboardId: string, version: string, language: string): Json {
    const { id, def } = this.dashboardById(dashboardId);
    const componentId = (i: number) => `01a${id.slice(3, 11)}${String(i).padStart(4, '0')}AAA`;
    const now = new Date().toISOString();
    const components = def.components.map((c, i) => this.componentMetadata(c, componentId(i), i));
    const columns = (['leftSection', 'middleSection', 'rightSection'] as const).map((s) => ({
      components: def.components.flatMap((c, i) => (c.section === s ? [i] : [])),
    }));
    return {
      attributes: {
        dashboardId: id,
        dashboardName: def.title,
        statusUrl: `/services/data/v${version}/analytics/dashboards/${id}/status`,
        type: 'Dashboard',
      },
      componentData: def.components.map((c, i) => ({
        componentId: componentId(i),
        reportResult: this.run(this.idOf(c.report), version, language, false),
        status: {
          dataStatus: 'DATA',
          errorCode: null,
          errorMessage: null,
          errorSeverity: null,
          refreshDate: now,
          refreshStatus: 'IDLE',
        },
      })),
      dashboardMetadata: {
        attributes: { dashboardId: id, dashboardName: def.title, type: 'Dashboard' },
        canChangeRunningUser: false,
        components,
        description: def.description,
        developerName: def.developerName,
        id,
        layout: { columns },
        name: def.title,
        runningUser: { displayName: 'Aircall Integration', id: this.org.userId },
      },
    };
  }

  private componentMetadata(c: DashboardComponentDefinition, id: string, index: number): Json {
    const type =
      /^(Bar|Column|Line|Donut|Pie|Table|Metric|Gauge|Funnel|Scatter)/.exec(c.componentType)?.[1] ??
      'Table';
    const aggregates = c.tableColumns.length
      ? c.tableColumns
          .filter((t) => t.aggregate)
          .map((t) => ({ name: `${AGGREGATE_PREFIX[t.aggregate!]}!${t.column}` }))
      : c.summaries.map((s) => ({
          name: s.aggregate ? `${AGGREGATE_PREFIX[s.aggregate]}!${s.column}` : s.column,
        }));
    const groupings = c.tableColumns.length
      ? c.tableColumns.filter((t) => !t.aggregate).map((t) => t.column)
      : c.groupingColumns;
    return {
      componentData: index,
      footer: null,
      header: c.header,
      id,
      properties: {
        aggregates,
        groupings: groupings.map((name) => ({ name, sortOrder: 'asc' })),
        maxRowsDisplayed: c.maxValuesDisplayed,
        visualizationProperties: {
          stacked: /Stacked/.test(c.componentType),
          grouped: /Grouped/.test(c.componentType),
        },
        visualizationType: type === 'Pie' ? 'Donut' : type,
      },
      reportId: this.idOf(c.report),
      title: null,
      type: 'Report',
    };
  }
}
