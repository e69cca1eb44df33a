import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import {
  buildBusinessHours,
  checkBusinessHours,
  isWithinBusinessHours,
  selectCalendar,
} from '../../src/engine';
import { PARIS_HOURS_ID, parisHours } from './helpers';

const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toJSDate();
const paris = (local: string) => at(local, 'Europe/Paris');

describe('business hours', () => {
  const model = parisHours();
  const calendar = selectCalendar(model, null)!;

  it('reads weekly hours as local times of the record time zone, despite the "Z" the API appends', () => {
    assert.equal(calendar.id, PARIS_HOURS_ID);
    assert.deepEqual(calendar.week[1], { startMinute: 480, endMinute: 1080 });
    assert.equal(calendar.week[6], null);
    // 08:00 in Paris is 06:00 UTC in summer: open; 19:00 Paris is 17:00 UTC: closed.
    assert.equal(isWithinBusinessHours(paris('2026-09-29T08:00'), model), true);
    assert.equal(isWithinBusinessHours(paris('2026-09-29T07:59'), model), false);
    assert.equal(isWithinBusinessHours(paris('2026-09-29T17:59'), model), true);
    assert.equal(isWithinBusinessHours(paris('2026-09-29T18:00'), model), false);
  });

  it('treats a day with null times as closed and explains where the instant fell', () => {
    const verdict = checkBusinessHours(paris('2026-10-03T11:00'), calendar);
    assert.equal(verdict.inside, false);
    assert.equal(
      verdict.reason,
      'Saturday 2026-10-03 11:00 Europe/Paris is outside "Paris office"',
    );
  });

  it('excludes all-day and partial holidays, and yearly recurring ones', () => {
    assert.equal(checkBusinessHours(paris('2026-12-25T10:00'), calendar).inside, false);
    assert.match(checkBusinessHours(paris('2026-12-25T10:00'), calendar).reason, /holiday/);
    const partial = buildBusinessHours(
      [
        {
          Id: 'bh',
          Name: 'X',
          IsDefault: true,
          TimeZoneSidKey: 'Europe/Paris',
          MondayStartTime: '08:00:00.000Z',
          MondayEndTime: '18:00:00.000Z',
        },
      ],
      [
        {
          ActivityDate: '2026-09-28',
          IsAllDay: false,
          StartTimeInMinutes: 720,
          EndTimeInMinutes: 840,
        },
        {
          ActivityDate: '2020-05-04',
          IsAllDay: true,
          IsRecurrence: true,
          RecurrenceType: 'RecursYearly',
        },
      ],
    );
    assert.equal(isWithinBusinessHours(paris('2026-09-28T11:59'), partial), true);
    assert.equal(isWithinBusinessHours(paris('2026-09-28T12:30'), partial), false);
    assert.equal(isWithinBusinessHours(paris('2026-09-28T14:00'), partial), true);
    // 4 May 2026 is a Monday: the yearly holiday applies.
    assert.equal(isWithinBusinessHours(paris('2026-05-04T10:00'), partial), false);
  });

  it('follows the wall clock across DST changes (08:00–18:00 stays 08:00–18:00 local)', () => {
    const ny = buildBusinessHours([
      {
        Id: 'ny',
        Name: 'New York',
        IsDefault: true,
        TimeZoneSidKey: 'America/New_York',
        MondayStartTime: '08:00:00.000Z',
        MondayEndTime: '18:00:00.000Z',
        SundayStartTime: '01:00:00.000Z',
        SundayEndTime: '04:00:00.000Z',
      },
    ]);
    // Monday after the spring change (UTC-4) and after the autumn change (UTC-5).
    assert.equal(isWithinBusinessHours(new Date('2026-03-09T12:00:00Z'), ny), true); // 08:00 EDT
    assert.equal(isWithinBusinessHours(new Date('2026-03-09T11:59:00Z'), ny), false);
    assert.equal(isWithinBusinessHours(new Date('2026-11-02T13:00:00Z'), ny), true); // 08:00 EST
    assert.equal(isWithinBusinessHours(new Date('2026-11-02T12:59:00Z'), ny), false);
    // On the spring-forward night 02:00–03:00 does not exist; 03:30 EDT is 07:30 UTC.
    assert.equal(isWithinBusinessHours(new Date('2026-03-08T07:30:00Z'), ny), true);
    assert.equal(isWithinBusinessHours(new Date('2026-03-08T08:30:00Z'), ny), false); // 04:30 EDT
  });

  it('handles hours that run past midnight and 24-hour days', () => {
    const night = buildBusinessHours([
      {
        Id: 'n',
        Name: 'Night desk',
        IsDefault: true,
        TimeZoneSidKey: 'Europe/Paris',
        FridayStartTime: '22:00:00.000Z',
        FridayEndTime: '06:00:00.000Z',
        SaturdayStartTime: '00:00:00.000Z',
        SaturdayEndTime: '00:00:00.000Z',
      },
    ]);
    assert.equal(isWithinBusinessHours(paris('2026-10-02T23:30'), night), true); // Friday night
    assert.equal(isWithinBusinessHours(paris('2026-10-02T21:59'), night), false);
    assert.equal(isWithinBusinessHours(paris('2026-10-03T12:00'), night), true); // Saturday, 24 h
    assert.equal(isWithinBusinessHours(paris('2026-10-04T00:30'), night), false); // Sunday closed
    const thursdayNight = buildBusinessHours([
      {
        Id: 't',
        Name: 'T',
        IsDefault: true,
        TimeZoneSidKey: 'Europe/Paris',
        ThursdayStartTime: '22:00:00.000Z',
        ThursdayEndTime: '02:00:00.000Z',
      },
    ]);
    assert.equal(isWithinBusinessHours(paris('2026-10-02T01:30'), thursdayNight), true); // Friday 01:30
    assert.equal(isWithinBusinessHours(paris('2026-10-02T02:30'), thursdayNight), false);
  });

  it('selects the configured calendar by 15- or 18-character id, else the org default', () => {
    const two = buildBusinessHours([
      { Id: '01m000000000001AAA', Name: 'Default', IsDefault: true, TimeZoneSidKey: 'UTC' },
      { Id: '01m000000000002AAA', Name: 'Support', IsDefault: false, TimeZoneSidKey: 'UTC' },
    ]);
    assert.equal(selectCalendar(two, null)?.name, 'Default');
    assert.equal(selectCalendar(two, '01m000000000002')?.name, 'Support');
    assert.equal(selectCalendar(two, '01m000000000009AAA'), null);
    assert.equal(isWithinBusinessHours(new Date(), buildBusinessHours([])), true);
  });
});
