/**
 * The report fields (Answered__c, Wait_Seconds__c, Local_Hour__c, Local_Weekday__c, Local_Date__c)
 * planned with each call. Expected local times are computed with Intl, not with the engine's luxon.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportFields } from '../../src/engine/report-fields';
import { load, planWith, voiceWrites } from './helpers';

/** The hour, weekday and date of `seconds` in `zone`, read by Intl. */
function localOf(seconds: number, zone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      hour: 'numeric',
      weekday: 'long',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .formatToParts(new Date(seconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  return {
    hour: Number(parts.hour),
    weekday: parts.weekday,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

function lastVoice(fixture: string) {
  const events = load(fixture);
  const writes = voiceWrites(planWith(events).plan);
  const last = writes.at(-1);
  assert.ok(last, `${fixture} plans an Aircall Voice write`);
  const first = events.find((e) => e.kind === 'call');
  assert.ok(first?.kind === 'call');
  return { fields: last.fields, data: first.data };
}

describe('report fields planned with the call', () => {
  it('an answered call: answered 1, the wait from start to answer, hour/weekday/date in the line zone', () => {
    const events = load('inbound-answered.json');
    const ended = events.filter((e) => e.kind === 'call').at(-1);
    assert.ok(ended?.kind === 'call');
    const { fields } = lastVoice('inbound-answered.json');
    const startedAt = ended.data.started_at;
    const answeredAt = ended.data.answered_at;
    assert.ok(typeof answeredAt === 'number');
    const zone = ended.data.number?.time_zone;
    assert.equal(zone, 'Europe/Paris');
    const local = localOf(startedAt, zone);
    assert.equal(fields.Answered__c, 1);
    assert.equal(fields.Wait_Seconds__c, answeredAt - startedAt);
    assert.equal(fields.Local_Hour__c, local.hour);
    assert.equal(fields.Local_Weekday__c, local.weekday);
    assert.equal(fields.Local_Date__c, local.date);
  });

  it('a missed call: answered 0 and no wait, so averages cover answered calls only', () => {
    const { fields } = lastVoice('inbound-missed.json');
    assert.equal(fields.Answered__c, 0);
    assert.equal(fields.Wait_Seconds__c, null);
  });

  it('a call still ringing: answered is not known yet', () => {
    const events = load('inbound-missed.json').slice(0, 1);
    const writes = voiceWrites(planWith(events).plan);
    // A ringing call may not be written yet; when it is, Answered__c stays empty until it is known.
    for (const w of writes) assert.equal(w.fields.Answered__c, null);
  });
});

describe('reportFields: the zone a local time is read in', () => {
  // 2026-03-29 01:30 UTC: Paris has just moved to summer time (03:30 local), New York is 21:30 the
  // day before.
  const startedAt = Date.UTC(2026, 2, 29, 1, 30) / 1000;
  const call = { startedAt, answeredAt: startedAt + 12, ended: true };

  it("the line's own zone first, across a daylight-saving change", () => {
    const f = reportFields({ ...call, lineTimeZone: 'Europe/Paris' }, 'America/New_York');
    assert.deepEqual(
      { h: f.Local_Hour__c, d: f.Local_Date__c, w: f.Local_Weekday__c },
      { h: 3, d: '2026-03-29', w: 'Sunday' },
    );
    assert.equal(f.Wait_Seconds__c, 12);
  });

  it("else the business-hours calendar's zone", () => {
    const f = reportFields({ ...call, lineTimeZone: null }, 'America/New_York');
    assert.deepEqual(
      { h: f.Local_Hour__c, d: f.Local_Date__c, w: f.Local_Weekday__c },
      { h: 21, d: '2026-03-28', w: 'Saturday' },
    );
  });

  it('else UTC; a zone name that is not a time zone is ignored', () => {
    const f = reportFields({ ...call, lineTimeZone: 'Mars/Olympus' }, null);
    assert.deepEqual({ h: f.Local_Hour__c, d: f.Local_Date__c }, { h: 1, d: '2026-03-29' });
  });
});
