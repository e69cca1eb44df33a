/**
 * One dashboard component's figures, read from its report's results in the Reports and Dashboards
 * REST API shape: the categories along the chart's axis, one series per group of the other axis
 * (a matrix report charted by two groupings) and, for a table, the rows with their summaries.
 */

interface Grouping {
  key: string;
  label: string;
  value: unknown;
}
interface Aggregate {
  label: string;
  value: number | null;
}
export interface ReportResult {
  factMap: Record<string, { aggregates: Aggregate[] } | undefined>;
  groupingsDown: { groupings: Grouping[] };
  groupingsAcross: { groupings: Grouping[] };
  reportMetadata: {
    aggregates: string[];
    groupingsDown: { name: string }[];
    groupingsAcross: { name: string }[];
  };
  reportExtendedMetadata: {
    aggregateColumnInfo: Record<string, { label: string } | undefined>;
    groupingColumnInfo: Record<string, { label: string } | undefined>;
  };
}

export interface ComponentMetadata {
  id: string;
  header: string;
  properties: {
    aggregates: { name: string }[];
    groupings: { name: string }[];
    maxRowsDisplayed: number | null;
    visualizationType: string;
    visualizationProperties: { stacked: boolean; grouped: boolean };
  };
}

export interface ChartFigures {
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  /** What the values are (the summary's label, e.g. "Record Count"). */
  measure: string;
}

export interface TableFigures {
  columns: string[];
  rows: { key: string; cells: string[] }[];
}

function aggregateIndex(result: ReportResult, name: string): number {
  const i = result.reportMetadata.aggregates.indexOf(name);
  return i < 0 ? result.reportMetadata.aggregates.indexOf('RowCount') : i;
}

const valueAt = (result: ReportResult, key: string, index: number): number | null =>
  result.factMap[key]?.aggregates[index]?.value ?? null;

export function chartFigures(component: ComponentMetadata, result: ReportResult): ChartFigures {
  const measureName = component.properties.aggregates[0]?.name ?? 'RowCount';
  const index = aggregateIndex(result, measureName);
  const measure =
    result.reportExtendedMetadata.aggregateColumnInfo[measureName]?.label ?? 'Record Count';
  const down = result.groupingsDown.groupings;
  const across = result.groupingsAcross.groupings;
  if (across.length === 0) {
    const rows = component.properties.maxRowsDisplayed
      ? down.slice(0, component.properties.maxRowsDisplayed)
      : down;
    return {
      categories: rows.map((g) => g.label),
      series: [{ name: measure, values: rows.map((g) => valueAt(result, `${g.key}!T`, index)) }],
      measure,
    };
  }
  // A matrix: the first grouping the component names runs along the axis, the other makes series.
  const first = component.properties.groupings[0]?.name;
  const acrossFirst = result.reportMetadata.groupingsAcross.some((g) => g.name === first);
  const axis = acrossFirst ? across : down;
  const other = acrossFirst ? down : across;
  const key = (a: Grouping, o: Grouping) => {
    return acrossFirst ? `${o.key}!${a.key}` : `${a.key}!${o.key}`;
  };
  return {
    categories: axis.map((g) => g.label),
    series: other.map((o) => ({
      name: o.label,
      values: axis.map((a) => valueAt(result, key(a, o), index)),
    })),
    measure,
  };
}

export function tableFigures(component: ComponentMetadata, result: ReportResult): TableFigures {
  const grouping = result.reportMetadata.groupingsDown[0]?.name ?? '';
  const columns = [
    result.reportExtendedMetadata.groupingColumnInfo[grouping]?.label ?? '',
    ...component.properties.aggregates.map(
      (a) => result.reportExtendedMetadata.aggregateColumnInfo[a.name]?.label ?? a.name,
    ),
  ];
  const indexes = component.properties.aggregates.map((a) => aggregateIndex(result, a.name));
  const rows = result.groupingsDown.groupings.map((g) => ({
    key: g.key,
    cells: [
      g.label,
      ...indexes.map((i) => result.factMap[`${g.key}!T`]?.aggregates[i]?.label || '—'),
    ],
  }));
  return { columns, rows };
}
