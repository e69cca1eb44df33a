import { LightningElement } from 'lwc';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import {
  chartFigures,
  tableFigures,
  type ComponentMetadata,
  type ReportResult,
  type TableFigures,
} from './reportChart';

Chart.register(...registerables);

interface DashboardResults {
  componentData: { componentId: string; reportResult: ReportResult }[];
  dashboardMetadata: {
    name: string;
    description: string | null;
    components: ComponentMetadata[];
    layout: { columns: { components: number[] }[] };
  };
}

/** A GET to the console server, which answers from the org; errors carry the org's message. */
async function get<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body: unknown = await response.json();
  if (!response.ok) {
    const messages = Array.isArray(body) ? body.map((e: { message?: string }) => e.message) : [];
    throw new Error(messages.join(' ') || `HTTP ${response.status}`);
  }
  return body as T;
}

interface Tile {
  id: string;
  header: string;
  isTable: boolean;
  /** Its report has no rows yet (nothing to chart). */
  empty: boolean;
  table: {
    columns: string[];
    rows: { key: string; cells: { key: string; text: string }[] }[];
  } | null;
  summary: string;
}

/** Re-read while the page is open, so the dashboard fills up as calls arrive (one request each). */
const REFRESH_MS = 5000;
const COLORS = ['#0176d3', '#2e844a', '#dd7a01', '#ba0517', '#9050e9', '#06a59a', '#747474'];

/**
 * The supervisors' dashboard as Salesforce renders the packaged one: the components of
 * "Aircall: today and this week" in its three columns, each charted from its report's results
 * (Reports and Dashboards REST API, "Dashboard Results") with Chart.js.
 */
export default class Dashboard extends LightningElement {
  heading = '';
  description = '';
  columns: { key: string; tiles: Tile[] }[] = [];
  error = '';
  loading = true;
  private readonly charts = new Map<string, Chart>();
  private figures = new Map<string, ChartConfiguration>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private dashboardId = '';

  override connectedCallback(): void {
    void this.load();
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
  }

  private async load(): Promise<void> {
    try {
      if (!this.dashboardId) {
        const { dashboards } = await get<{ dashboards: { id: string }[] }>(
          '/api/analytics/dashboards',
        );
        if (!dashboards[0]) throw new Error('The org has no Aircall dashboard.');
        this.dashboardId = dashboards[0].id;
      }
      const results = await get<DashboardResults>(`/api/analytics/dashboards/${this.dashboardId}`);
      this.show(results);
      this.error = '';
    } catch (e) {
      this.error = e instanceof Error ? e.message : 'The dashboard could not be read.';
    } finally {
      this.loading = false;
    }
  }

  private show(results: DashboardResults): void {
    const { dashboardMetadata: meta, componentData } = results;
    this.heading = meta.name;
    this.description = meta.description ?? '';
    const figures = new Map<string, ChartConfiguration>();
    const tiles = meta.components.map((c, i): Tile => {
      const result = componentData[i]!.reportResult;
      if (c.properties.visualizationType === 'Table') {
        const t: TableFigures = tableFigures(c, result);
        const table = {
          columns: t.columns,
          rows: t.rows.map((r) => ({
            key: r.key,
            cells: r.cells.map((text, j) => ({ key: `${r.key}-${j}`, text })),
          })),
        };
        return {
          id: c.id,
          header: c.header,
          isTable: true,
          empty: table.rows.length === 0,
          table,
          summary: '',
        };
      }
      const f = chartFigures(c, result);
      const empty = f.categories.length === 0;
      if (!empty) figures.set(c.id, this.config(c, f.categories, f.series));
      const summary = `${c.header}: ${f.measure}. ${f.categories
        .map((cat, j) => `${cat}: ${f.series.map((s) => s.values[j] ?? 0).join(' / ')}`)
        .join('; ')}`;
      return { id: c.id, header: c.header, isTable: false, empty, table: null, summary };
    });
    this.figures = figures;
    this.columns = meta.layout.columns.map((col, i) => ({
      key: `col${i}`,
      tiles: col.components.map((index) => tiles[index]!).filter(Boolean),
    }));
  }

  private config(
    c: ComponentMetadata,
    categories: string[],
    series: { name: string; values: (number | null)[] }[],
  ): ChartConfiguration {
    const kind = c.properties.visualizationType;
    const type = kind === 'Donut' ? 'doughnut' : kind === 'Line' ? 'line' : 'bar';
    const horizontal = kind === 'Bar';
    const stacked = c.properties.visualizationProperties.stacked;
    return {
      type,
      data: {
        labels: categories,
        datasets: series.map((s, i) => ({
          label: s.name,
          // A missing cell (no call on that line at that hour) is a gap, not a zero.
          data: s.values,
          backgroundColor:
            type === 'doughnut'
              ? categories.map((_, j) => COLORS[j % COLORS.length]!)
              : COLORS[i % COLORS.length]!,
          borderColor: COLORS[i % COLORS.length]!,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: {
          legend: { display: series.length > 1 || type === 'doughnut', position: 'bottom' },
        },
        ...(type === 'doughnut'
          ? {}
          : { scales: { x: { stacked }, y: { stacked, beginAtZero: true } } }),
      },
    } as ChartConfiguration;
  }

  override renderedCallback(): void {
    for (const [id, chart] of this.charts) {
      if (this.figures.has(id)) continue;
      chart.destroy();
      this.charts.delete(id);
    }
    for (const [id, config] of this.figures) {
      const host = this.template?.querySelector<HTMLElement>(`[data-chart="${id}"]`);
      if (!host) continue;
      const existing = this.charts.get(id);
      if (existing && existing.canvas.isConnected) {
        existing.data = config.data;
        existing.update();
        continue;
      }
      existing?.destroy();
      const canvas = document.createElement('canvas');
      host.replaceChildren(canvas);
      this.charts.set(id, new Chart(canvas, config));
    }
  }

  get hasError(): boolean {
    return this.error !== '';
  }
}
