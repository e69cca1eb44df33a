/**
 * The shipped reports and dashboard, run through the local org's Reports and Dashboards REST API
 * after a simulated day of calls, against the same figures computed independently in the test from
 * the records themselves (a SOQL read and the line's time zone applied here with Intl).
 *
 * Shapes as the Reports and Dashboards REST API Developer Guide documents them:
 * - "Describe" (GET /analytics/reports/{id}/describe): reportMetadata, reportExtendedMetadata,
 *   reportTypeMetadata;
 *   https://developer.salesforce.com/docs/atlas.en-us.api_analytics.meta/api_analytics/sforce_analytics_rest_api_get_reportmetadata.htm
 * - "Execute Sync" (GET /analytics/reports/{id}): factMap keyed `down!across` with `T` for totals,
 *   groupingsDown / groupingsAcross with nested `groupings`, aggregates in reportMetadata order;
 *   https://developer.salesforce.com/docs/atlas.en-us.api_analytics.meta/api_analytics/sforce_analytics_rest_api_getreportrundata.htm
 * - "Dashboard Results" (GET /analytics/dashboards/{id}): componentData with each component's
 *   reportResult, dashboardMetadata with components and layout.
 * The Report object is read only through the API (Object Reference, "Report": no create call).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { generateCalls } from '../../dev/simulator';
import { DEFAULT_LINES } from '../../dev/simulator/agents';
import { startHarness, TOKEN, type Harness } from '../connector/harness';
import { SEED_FILE } from './helpers';

type Json = Record<string, unknown>;
interface Grouping {
  key: string;
  label: string;
  value: unknown;
  groupings: Grouping[];
}
interface Fact {
  aggregates: { label: string; value: number | null }[];
  rows?: { dataCells: { label: string; value: unknown }[] }[];
}
interface ReportResult {
  factMap: Record<string, Fact>;
  groupingsDown: { groupings: Grouping[] };
  groupingsAcross: { groupings: Grouping[] };
  reportMetadata: { aggregates: string[]; reportFormat: string; developerName: string };
}
interface CallRow {
  Id: string;
  Direction__c: string;
  Answered__c: number | null;
  Aircall_Line_Name__c: string | null;
  Aircall_Number__c: string | null;
  Started_At__c: string;
  Local_Hour__c: number | null;
  Missed_Reason__c: string | null;
  Agent__c: string | null;
  Agent__r: { Name: string } | null;
  Wait_Seconds__c: number | null;
  Talk_Seconds__c: number | null;
  Outside_Business_Hours__c: boolean;
  Local_Date__c: string | null;
  Account__c: string | null;
  Contact__c: string | null;
  Lead__c: string | null;
  Match_Reason__c: string | null;
  Call_Type__c: string | null;
}

const V = '/services/data/v66.0';

/** The hour a call started in its line's time zone, read here with Intl. */
function hourIn(iso: string, zone: string): number {
  const hour = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hour: 'numeric',
    hourCycle: 'h23',
  })
    .formatToParts(new Date(iso.replace('+0000', 'Z')))
    .find((p) => p.type === 'hour')!.value;
  return Number(hour);
}

/** Digits only: the line a record's Aircall number belongs to. */
const digits = (s: string | null) => (s ?? '').replace(/\D/g, '');

function aggregateOf(result: ReportResult, key: string, name: string): number | null {
  const index = result.reportMetadata.aggregates.indexOf(name);
  assert.ok(index >= 0, `${result.reportMetadata.developerName} has aggregate ${name}`);
  const fact = result.factMap[key];
  assert.ok(fact, `${result.reportMetadata.developerName} has fact ${key}`);
  return fact.aggregates[index]!.value;
}

function groupsOf(result: ReportResult, axis: 'groupingsDown' | 'groupingsAcross') {
  return result[axis].groupings;
}

describe('reports and dashboard on the local org after a simulated day', () => {
  let h: Harness;
  let conn: Connection;
  let calls: CallRow[];
  const reportIds = new Map<string, string>();

  const run = async (developerName: string, details = false): Promise<ReportResult> =>
    await conn.request<ReportResult>(
      `${V}/analytics/reports/${reportIds.get(developerName)}${details ? '?includeDetails=true' : ''}`,
    );

  before(async () => {
    h = await startHarness({ org: { seedFile: SEED_FILE } });
    conn = h.org.client.conn;
    // A day of calls today, from 08:00 in Paris: every report's time frame (today, this week, this
    // month) covers them.
    const start = new Date();
    start.setUTCHours(6, 0, 0, 0);
    const { envelopes } = generateCalls({
      count: 120,
      seed: 7,
      startAt: start,
      meanIntervalSeconds: 240,
      token: TOKEN,
      userEvents: false,
    });
    await h.send(envelopes);
    const { timedOut } = await h.drain(120_000);
    assert.equal(timedOut, false);
    const reports = (
      await conn.query<{ Id: string; DeveloperName: string }>(
        'SELECT Id, DeveloperName FROM Report',
      )
    ).records;
    for (const r of reports) reportIds.set(r.DeveloperName, r.Id);
    calls = (
      await conn.query<CallRow>(
        'SELECT Id, Direction__c, Answered__c, Aircall_Line_Name__c, Aircall_Number__c, Started_At__c, Local_Hour__c, Missed_Reason__c, Agent__c, Agent__r.Name, Wait_Seconds__c, Talk_Seconds__c, Outside_Business_Hours__c, Local_Date__c, Account__c, Contact__c, Lead__c, Match_Reason__c, Call_Type__c FROM Aircall_Voice__c',
      )
    ).records;
    assert.ok(calls.length > 50, `the simulated day logged calls (${calls.length})`);
  });
  after(() => h.close());

  it('serves every shipped report by id, queryable as Report records and listed by the API', async () => {
    assert.deepEqual([...reportIds.keys()].sort(), [
      'Answer_Rate_By_Line_And_Hour',
      'Calls_Outside_Business_Hours_By_Day',
      'Calls_Per_Account_This_Month',
      'Calls_Today_By_Outcome',
      'Missed_Calls_By_Reason_And_Line',
      'Unlinked_And_Guessed_Calls_By_Match_Reason',
      'Wait_And_Talk_Time_By_Agent',
    ]);
    const list = await conn.request<{ id: string; url: string }[]>(`${V}/analytics/reports`);
    assert.deepEqual(list.map((r) => r.id).sort(), [...reportIds.values()].sort());
    for (const r of list) assert.equal(r.url, `${V}/analytics/reports/${r.id}`);
  });

  it('refuses to create a Report record, and answers an unknown report id with NOT_FOUND', async () => {
    await assert.rejects(
      conn.sobject('Report').create({ Name: 'Mine' }),
      (e: Error & { errorCode?: string }) => {
        assert.ok(e.errorCode, e.message);
        return true;
      },
    );
    await assert.rejects(
      conn.request(`${V}/analytics/reports/00O000000000000AAA`),
      (e: Error & { errorCode?: string }) => {
        assert.equal(e.errorCode, 'NOT_FOUND');
        return true;
      },
    );
  });

  it('describes a report: its metadata, the columns it shows and what its report type offers', async () => {
    const d = await conn.request<{
      reportMetadata: Json & {
        aggregates: string[];
        groupingsDown: Json[];
        groupingsAcross: Json[];
      };
      reportExtendedMetadata: {
        aggregateColumnInfo: Record<string, Json>;
        groupingColumnInfo: Record<string, Json>;
      };
      reportTypeMetadata: { categories: { label: string; columns: Record<string, Json> }[] };
    }>(`${V}/analytics/reports/${reportIds.get('Answer_Rate_By_Line_And_Hour')}/describe`);
    assert.equal(d.reportMetadata.reportFormat, 'MATRIX');
    assert.deepEqual(d.reportMetadata.reportType, {
      label: 'Aircall Calls',
      type: 'Aircall_Calls__c',
    });
    assert.deepEqual(d.reportMetadata.aggregates, [
      's!Aircall_Voice__c$Answered__c',
      'RowCount',
      'FORMULA1',
    ]);
    assert.equal(
      (d.reportMetadata.groupingsDown[0] as { name: string }).name,
      'Aircall_Voice__c$Aircall_Line_Name__c',
    );
    assert.equal(
      (d.reportMetadata.groupingsAcross[0] as { name: string }).name,
      'Aircall_Voice__c$Local_Hour__c',
    );
    assert.deepEqual(d.reportMetadata.standardDateFilter, {
      column: 'Aircall_Voice__c$Started_At__c',
      durationValue: 'THIS_WEEK',
      endDate: null,
      startDate: null,
    });
    assert.equal(d.reportExtendedMetadata.aggregateColumnInfo.FORMULA1?.dataType, 'percent');
    assert.equal(
      d.reportExtendedMetadata.groupingColumnInfo['Aircall_Voice__c$Local_Hour__c']?.groupingLevel,
      0,
    );
    const offered = d.reportTypeMetadata.categories.flatMap((c) => Object.keys(c.columns));
    assert.ok(offered.includes('Aircall_Voice__c$Wait_Seconds__c'));
  });

  it('answer rate by line and hour: every cell equals the calls counted here, hours read in the line zone', async () => {
    const r = await run('Answer_Rate_By_Line_And_Hour');
    const zoneOf = new Map(DEFAULT_LINES.map((l) => [digits(l.digits), l.time_zone]));
    const expected = new Map<string, { count: number; answered: number }>();
    for (const c of calls.filter((x) => x.Direction__c === 'Inbound')) {
      const zone = zoneOf.get(digits(c.Aircall_Number__c));
      assert.ok(zone, `line of ${c.Aircall_Number__c} is a simulated line`);
      const hour = hourIn(c.Started_At__c, zone);
      assert.equal(c.Local_Hour__c, hour, 'the stored hour is the hour in the line zone');
      const key = `${c.Aircall_Line_Name__c}|${hour}`;
      const e = expected.get(key) ?? { count: 0, answered: 0 };
      e.count++;
      e.answered += c.Answered__c ?? 0;
      expected.set(key, e);
    }
    let cells = 0;
    for (const line of groupsOf(r, 'groupingsDown'))
      for (const hour of groupsOf(r, 'groupingsAcross')) {
        const e = expected.get(`${line.label}|${String(hour.value)}`);
        const count = aggregateOf(r, `${line.key}!${hour.key}`, 'RowCount');
        assert.equal(count, e?.count ?? 0, `${line.label} at ${String(hour.value)}h`);
        if (!e) continue;
        cells++;
        assert.equal(
          aggregateOf(r, `${line.key}!${hour.key}`, 's!Aircall_Voice__c$Answered__c'),
          e.answered,
        );
        assert.equal(
          aggregateOf(r, `${line.key}!${hour.key}`, 'FORMULA1'),
          Math.round((100 * e.answered) / e.count),
        );
      }
    assert.equal(cells, expected.size, 'every line and hour with calls is a cell');
    const inbound = calls.filter((x) => x.Direction__c === 'Inbound').length;
    assert.equal(aggregateOf(r, 'T!T', 'RowCount'), inbound);
  });

  it('missed calls by reason and line equal the unanswered inbound calls counted here', async () => {
    const r = await run('Missed_Calls_By_Reason_And_Line');
    const missed = calls.filter((c) => c.Direction__c === 'Inbound' && c.Answered__c === 0);
    assert.ok(missed.length > 0);
    for (const reason of groupsOf(r, 'groupingsDown'))
      for (const line of groupsOf(r, 'groupingsAcross')) {
        const expected = missed.filter(
          (c) =>
            (c.Missed_Reason__c ?? null) === reason.value && c.Aircall_Line_Name__c === line.value,
        ).length;
        assert.equal(aggregateOf(r, `${reason.key}!${line.key}`, 'RowCount'), expected);
      }
    assert.equal(aggregateOf(r, 'T!T', 'RowCount'), missed.length);
  });

  it('wait and talk time by agent equal the averages of answered calls computed here, named by agent', async () => {
    const r = await run('Wait_And_Talk_Time_By_Agent');
    const answered = calls.filter((c) => c.Answered__c === 1);
    const groups = groupsOf(r, 'groupingsDown');
    assert.ok(groups.length >= 2);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    for (const g of groups) {
      const mine = answered.filter((c) => (c.Agent__c ?? null) === g.value);
      if (g.value) assert.equal(g.label, mine[0]!.Agent__r!.Name);
      assert.equal(aggregateOf(r, `${g.key}!T`, 'RowCount'), mine.length);
      const wait = avg(mine.map((c) => c.Wait_Seconds__c).filter((x): x is number => x !== null));
      assert.equal(aggregateOf(r, `${g.key}!T`, 'a!Aircall_Voice__c$Wait_Seconds__c'), wait);
      const talk = mine.map((c) => c.Talk_Seconds__c).filter((x): x is number => x !== null);
      assert.equal(aggregateOf(r, `${g.key}!T`, 'a!Aircall_Voice__c$Talk_Seconds__c'), avg(talk));
      assert.equal(
        aggregateOf(r, `${g.key}!T`, 's!Aircall_Voice__c$Talk_Seconds__c'),
        talk.reduce((a, b) => a + b, 0),
      );
    }
  });

  it('calls outside business hours, unlinked or guessed calls, calls per Account and calls today match the records', async () => {
    const outside = await run('Calls_Outside_Business_Hours_By_Day');
    assert.equal(
      aggregateOf(outside, 'T!T', 'RowCount'),
      calls.filter((c) => c.Outside_Business_Hours__c).length,
    );

    const unlinked = await run('Unlinked_And_Guessed_Calls_By_Match_Reason');
    const expectedUnlinked = calls.filter(
      (c) =>
        (!c.Account__c && !c.Contact__c && !c.Lead__c) ||
        /default country|line that took the call/i.test(c.Match_Reason__c ?? ''),
    );
    assert.equal(aggregateOf(unlinked, 'T!T', 'RowCount'), expectedUnlinked.length);

    const perAccount = await run('Calls_Per_Account_This_Month');
    for (const g of groupsOf(perAccount, 'groupingsDown'))
      assert.equal(
        aggregateOf(perAccount, `${g.key}!T`, 'RowCount'),
        calls.filter((c) => c.Account__c === g.value).length,
      );
    assert.equal(
      aggregateOf(perAccount, 'T!T', 'RowCount'),
      calls.filter((c) => c.Account__c).length,
    );

    const today = await run('Calls_Today_By_Outcome', true);
    assert.equal(aggregateOf(today, 'T!T', 'RowCount'), calls.length);
    // Summary groups follow the picklist's order (Answered first), with detail rows when asked.
    const outcomes = groupsOf(today, 'groupingsDown').map((g) => g.value);
    assert.equal(outcomes[0], 'Answered');
    const first = today.factMap['0!T']!;
    assert.equal(first.rows?.length, calls.filter((c) => c.Call_Type__c === 'Answered').length);
  });

  it('the dashboard answers each component with its report results, in three columns', async () => {
    const { dashboards } = await conn.request<{
      dashboards: { id: string; name: string }[];
    }>(`${V}/analytics/dashboards`);
    assert.deepEqual(
      dashboards.map((d) => d.name),
      ['Aircall: today and this week'],
    );
    const d = await conn.request<{
      componentData: {
        componentId: string;
        reportResult: ReportResult;
        status: { dataStatus: string };
      }[];
      dashboardMetadata: {
        components: {
          id: string;
          reportId: string;
          header: string;
          properties: { visualizationType: string };
        }[];
        layout: { columns: { components: number[] }[] };
      };
    }>(`${V}/analytics/dashboards/${dashboards[0]!.id}`);
    assert.equal(d.componentData.length, 7);
    assert.deepEqual(
      d.dashboardMetadata.layout.columns.map((c) => c.components.length),
      [2, 2, 3],
    );
    for (const [i, c] of d.dashboardMetadata.components.entries()) {
      const data = d.componentData[i]!;
      assert.equal(data.componentId, c.id);
      assert.equal(data.status.dataStatus, 'DATA');
      assert.equal(
        (data.reportResult as unknown as { attributes: { reportId: string } }).attributes.reportId,
        c.reportId,
      );
    }
    const types = d.dashboardMetadata.components.map((c) => c.properties.visualizationType);
    assert.deepEqual(types, ['Donut', 'Line', 'Bar', 'Column', 'Table', 'Bar', 'Bar']);
  });
});
