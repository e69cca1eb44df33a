/**
 * Reports, dashboards and the custom report type hold together the way a deploy needs them to:
 * a report names a report type of the package (`Aircall_Calls__c`) and only fields that report type
 * offers, written `Object$Field` (custom summary formulas write `Object.Field:SUM`); a dashboard
 * component names a report of the package and only that report's groupings and summaries; and the
 * report type offers every custom field of its base object, so a field added to Aircall Voice is
 * reportable without a trip to Setup.
 */
import { componentName, type MetadataFile, type SourcePackage } from './source';
import { childText, childrenNamed, type XmlElement } from './xml';

const texts = (el: XmlElement, name: string): string[] =>
  childrenNamed(el, name).map((c) => c.text.trim());

interface ReportInfo {
  file: MetadataFile;
  /** `Folder/Developer_Name`, as a dashboard names it. */
  name: string;
  groupings: Set<string>;
  /** Summaries a chart can show: RowCount, FORMULAn, and `Object$Field` with an aggregate. */
  summaries: Set<string>;
}

export function analyticsProblems(pkg: SourcePackage): string[] {
  const problems: string[] = [];
  const reportTypes = new Map<string, { base: string; fields: Set<string> }>();
  for (const f of pkg.byType.get('ReportType') ?? []) {
    const base = childText(f.root, 'baseObject') ?? '';
    const fields = new Set<string>();
    for (const section of childrenNamed(f.root, 'sections'))
      for (const column of childrenNamed(section, 'columns')) {
        const field = childText(column, 'field') ?? '';
        const table = childText(column, 'table') ?? '';
        if (table !== base) {
          problems.push(`${f.rel}: column ${field} is on table ${table}; only ${base} is joined`);
          continue;
        }
        if (fields.has(field)) problems.push(`${f.rel}: ${field} is listed twice`);
        fields.add(field);
        const [own, related] = field.split('.');
        if (own?.endsWith('__c') && !pkg.fields.has(`${base}.${own}`))
          problems.push(`${f.rel}: ${field} names ${base}.${own}, which is not in the package`);
        if (related && !own?.endsWith('__c'))
          problems.push(`${f.rel}: ${field} follows a lookup that is not a package field`);
      }
    for (const key of pkg.fields.keys()) {
      const [object, field] = key.split('.') as [string, string];
      if (object === base && !fields.has(field))
        problems.push(
          `${f.rel}: ${key} is not offered; add a <columns> entry for it (table ${base}) so reports can use it`,
        );
    }
    reportTypes.set(`${componentName(f.path)}__c`, { base, fields });
  }

  const reports = new Map<string, ReportInfo>();
  for (const f of pkg.byType.get('Report') ?? []) {
    const folder = f.rel.split('/').at(-2) ?? '';
    const info: ReportInfo = {
      file: f,
      name: `${folder}/${componentName(f.path)}`,
      groupings: new Set(),
      summaries: new Set(['RowCount']),
    };
    reports.set(info.name, info);
    const typeName = childText(f.root, 'reportType') ?? '';
    const type = reportTypes.get(typeName);
    if (!type) {
      problems.push(`${f.rel}: report type ${typeName} is not a report type of the package`);
      continue;
    }
    const offered = (column: string, where: string) => {
      const [object, field] = column.split('$');
      if (object !== type.base || !field || !type.fields.has(field))
        problems.push(`${f.rel}: ${where} ${column} is not a field of report type ${typeName}`);
    };
    for (const column of childrenNamed(f.root, 'columns')) {
      const field = childText(column, 'field') ?? '';
      offered(field, 'column');
      for (const aggregate of texts(column, 'aggregateTypes'))
        info.summaries.add(`${aggregate}:${field}`);
    }
    for (const tag of ['groupingsDown', 'groupingsAcross'])
      for (const grouping of childrenNamed(f.root, tag)) {
        const field = childText(grouping, 'field') ?? '';
        offered(field, 'grouping');
        info.groupings.add(field);
      }
    for (const filter of childrenNamed(f.root, 'filter')) {
      const items = childrenNamed(filter, 'criteriaItems');
      for (const item of items) offered(childText(item, 'column') ?? '', 'filter');
      const logic = childText(filter, 'booleanFilter');
      const numbers = [...(logic ?? '').matchAll(/\d+/g)].map((m) => Number(m[0]));
      if (
        logic &&
        (numbers.some((n) => n < 1 || n > items.length) || new Set(numbers).size !== items.length)
      )
        problems.push(
          `${f.rel}: filter logic "${logic}" must use each of the ${items.length} filters once`,
        );
    }
    for (const timeFrame of childrenNamed(f.root, 'timeFrameFilter'))
      offered(childText(timeFrame, 'dateColumn') ?? '', 'time frame');
    for (const aggregate of childrenNamed(f.root, 'aggregates')) {
      info.summaries.add(childText(aggregate, 'developerName') ?? '');
      const formula = childText(aggregate, 'calculatedFormula') ?? '';
      for (const m of formula.matchAll(/([A-Za-z0-9_]+)\.([A-Za-z0-9_]+):(SUM|AVG|MIN|MAX)/g)) {
        const column = `${m[1]}$${m[2]}`;
        offered(column, 'summary formula field');
        const kind = { SUM: 'Sum', AVG: 'Average', MIN: 'Minimum', MAX: 'Maximum' }[m[3]!]!;
        if (!info.summaries.has(`${kind}:${column}`))
          problems.push(
            `${f.rel}: summary formula uses ${m[0]} but the report does not summarize ${column} with ${kind}`,
          );
      }
    }
  }

  for (const f of pkg.byType.get('Dashboard') ?? []) {
    for (const section of ['leftSection', 'middleSection', 'rightSection'])
      for (const s of childrenNamed(f.root, section))
        for (const component of childrenNamed(s, 'components')) {
          const reportName = childText(component, 'report') ?? '';
          const report = reports.get(reportName);
          const header = childText(component, 'header') ?? reportName;
          if (!report) {
            problems.push(
              `${f.rel}: "${header}" shows report ${reportName}, which is not in the package`,
            );
            continue;
          }
          for (const g of texts(component, 'groupingColumn'))
            if (!report.groupings.has(g))
              problems.push(
                `${f.rel}: "${header}" groups by ${g}, not a grouping of ${reportName}`,
              );
          for (const summary of childrenNamed(component, 'chartSummary')) {
            const column = childText(summary, 'column') ?? '';
            const aggregate = childText(summary, 'aggregate');
            const key = aggregate ? `${aggregate}:${column}` : column;
            if (!report.summaries.has(key))
              problems.push(`${f.rel}: "${header}" charts ${key}, not a summary of ${reportName}`);
          }
          for (const column of childrenNamed(component, 'dashboardTableColumn')) {
            const name = childText(column, 'column') ?? '';
            const aggregate = childText(column, 'aggregateType');
            const ok = aggregate
              ? report.summaries.has(`${aggregate}:${name}`)
              : report.groupings.has(name);
            if (!ok)
              problems.push(
                `${f.rel}: "${header}" table column ${aggregate ? `${aggregate} of ` : ''}${name} is not in ${reportName}`,
              );
          }
        }
  }
  return problems;
}
