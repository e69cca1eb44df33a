import { DateTime } from 'luxon';
import { WEEKDAYS as DAYS } from './report-fields';
import type { BusinessHoursCalendar, BusinessHoursModel, DayWindow, HolidayRule } from './types';

/** "08:30:00.000Z" → 510. The REST API appends Z, but the time is local to the record's time zone. */
function minutesOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Builds the model from SOQL records of BusinessHours and Holiday. Salesforce does not expose which
 * holidays belong to which business hours through SOQL, so the connector passes the holidays that
 * apply (an optional `BusinessHoursId` on a holiday record restricts it to one calendar).
 */
export function buildBusinessHours(
  businessHours: readonly Record<string, unknown>[],
  holidays: readonly Record<string, unknown>[] = [],
): BusinessHoursModel {
  const byId = new Map<string, BusinessHoursCalendar>();
  let defaultId: string | null = null;
  const rules: { rule: HolidayRule; only: string | null }[] = [];
  for (const h of holidays) {
    if (typeof h.ActivityDate !== 'string') continue;
    rules.push({
      rule: {
        date: h.ActivityDate.slice(0, 10),
        allDay: h.IsAllDay !== false,
        startMinute: typeof h.StartTimeInMinutes === 'number' ? h.StartTimeInMinutes : 0,
        endMinute: typeof h.EndTimeInMinutes === 'number' ? h.EndTimeInMinutes : 1440,
        recursYearly: h.IsRecurrence === true && h.RecurrenceType === 'RecursYearly',
      },
      only: typeof h.BusinessHoursId === 'string' ? h.BusinessHoursId : null,
    });
  }
  for (const r of businessHours) {
    if (typeof r.Id !== 'string') continue;
    const week: (DayWindow | null)[] = [null];
    for (const day of DAYS) {
      const start = minutesOf(r[`${day}StartTime`]);
      const end = minutesOf(r[`${day}EndTime`]);
      // Salesforce writes "24 hours" as 00:00 → 00:00.
      week.push(
        start === null || end === null
          ? null
          : { startMinute: start, endMinute: end === start ? start + 1440 : end },
      );
    }
    const calendar: BusinessHoursCalendar = {
      id: r.Id,
      name: typeof r.Name === 'string' ? r.Name : r.Id,
      timeZone: typeof r.TimeZoneSidKey === 'string' ? r.TimeZoneSidKey : 'UTC',
      isDefault: r.IsDefault === true,
      isActive: r.IsActive !== false,
      week,
      holidays: rules.filter((h) => h.only === null || h.only === r.Id).map((h) => h.rule),
    };
    byId.set(calendar.id, calendar);
    if (calendar.isDefault) defaultId = calendar.id;
  }
  return { byId, defaultId };
}

/** The calendar the settings select (null Id → the org default), or null when none is known. */
export function selectCalendar(
  model: BusinessHoursModel,
  id: string | null,
): BusinessHoursCalendar | null {
  if (id !== null) {
    const exact = model.byId.get(id) ?? model.byId.get(id.slice(0, 15));
    if (exact) return exact;
    for (const c of model.byId.values()) if (c.id.slice(0, 15) === id.slice(0, 15)) return c;
    return null;
  }
  return model.defaultId ? (model.byId.get(model.defaultId) ?? null) : null;
}

function inHoliday(local: DateTime, holidays: readonly HolidayRule[]): HolidayRule | null {
  const date = local.toISODate() ?? '';
  const minute = local.hour * 60 + local.minute;
  for (const h of holidays) {
    const same = h.recursYearly
      ? h.date.slice(5) === date.slice(5) && date >= h.date
      : h.date === date;
    if (!same) continue;
    if (h.allDay || (minute >= h.startMinute && minute < h.endMinute)) return h;
  }
  return null;
}

export interface BusinessHoursVerdict {
  inside: boolean;
  reason: string;
}

/**
 * Whether `instant` falls in the calendar's open hours. Works on local wall-clock time from luxon,
 * so DST changes move the window with the clock; a window whose end is at or before its start runs
 * past midnight into the next day, so the previous day's window is checked too.
 */
export function checkBusinessHours(
  instant: Date | number,
  calendar: BusinessHoursCalendar,
): BusinessHoursVerdict {
  const millis = typeof instant === 'number' ? instant : instant.getTime();
  const local = DateTime.fromMillis(millis, { zone: calendar.timeZone });
  if (!local.isValid)
    return { inside: true, reason: `time zone ${calendar.timeZone} is unknown; treated as open` };
  const where = `${local.toFormat('cccc yyyy-MM-dd HH:mm')} ${calendar.timeZone}`;
  const holiday = inHoliday(local, calendar.holidays);
  if (holiday)
    return {
      inside: false,
      reason: `${where} is a holiday (${holiday.date}) in "${calendar.name}"`,
    };
  const minute = local.hour * 60 + local.minute + local.second / 60;
  const today = calendar.week[local.weekday];
  if (today && minute >= today.startMinute && minute < Math.min(today.endMinute, 1440)) {
    return { inside: true, reason: `${where} is within "${calendar.name}"` };
  }
  const yesterday = calendar.week[local.weekday === 1 ? 7 : local.weekday - 1];
  if (yesterday && yesterday.endMinute > 1440 && minute < yesterday.endMinute - 1440) {
    return {
      inside: true,
      reason: `${where} is within "${calendar.name}" (the previous day's hours run past midnight)`,
    };
  }
  if (today && today.endMinute <= today.startMinute && minute >= today.startMinute) {
    return { inside: true, reason: `${where} is within "${calendar.name}"` };
  }
  if (yesterday && yesterday.endMinute <= yesterday.startMinute && minute < yesterday.endMinute) {
    return {
      inside: true,
      reason: `${where} is within "${calendar.name}" (the previous day's hours run past midnight)`,
    };
  }
  return { inside: false, reason: `${where} is outside "${calendar.name}"` };
}

/** Convenience form: the default (or given) calendar of the model; open when no calendar is known. */
export function isWithinBusinessHours(
  instant: Date | number,
  model: BusinessHoursModel,
  businessHoursId: string | null = null,
): boolean {
  const calendar = selectCalendar(model, businessHoursId);
  return calendar ? checkBusinessHours(instant, calendar).inside : true;
}
