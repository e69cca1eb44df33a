/**
 * The fields reports group and average on, computed with the call: Salesforce reports group a
 * datetime in the viewer's time zone, so "calls by hour" of a Paris line read by a manager in New
 * York would be six hours off. The line's own hour, weekday and date are stored instead, read in the
 * Aircall line's time zone (`number.time_zone`), else the business-hours calendar's, else UTC.
 */
import { DateTime } from 'luxon';
import { MAX_DURATION_SECONDS, type CallState } from './fold';

/** Luxon's weekday 1–7, and the BusinessHours field prefixes, in this order. */
export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ReportFields {
  Answered__c: 0 | 1 | null;
  Wait_Seconds__c: number | null;
  Local_Hour__c: number;
  Local_Weekday__c: Weekday;
  Local_Date__c: string | null;
}

/** The zone a call's local hour and date are read in, and where it came from. */
export function lineZone(
  state: Pick<CallState, 'lineTimeZone'>,
  calendarZone: string | null,
): { zone: string; source: 'line' | 'business hours' | 'UTC' } {
  const valid = (z: string | null): z is string => !!z && DateTime.local({ zone: z }).isValid;
  if (valid(state.lineTimeZone)) return { zone: state.lineTimeZone, source: 'line' };
  if (valid(calendarZone)) return { zone: calendarZone, source: 'business hours' };
  return { zone: 'UTC', source: 'UTC' };
}

/**
 * Times are Aircall's epoch seconds. The wait is known from the answer on, while the call is still
 * live (it is the ring time the call gets when it ends); a call nobody answered has no wait, so
 * report averages cover answered calls only.
 */
export function reportFields(
  state: Pick<CallState, 'lineTimeZone' | 'startedAt' | 'answeredAt' | 'ended'>,
  calendarZone: string | null,
): ReportFields {
  const answered = state.answeredAt !== null;
  const local = DateTime.fromSeconds(state.startedAt, { zone: lineZone(state, calendarZone).zone });
  return {
    // Known once the call is answered, or once it ended without an answer.
    Answered__c: answered ? 1 : state.ended ? 0 : null,
    Wait_Seconds__c:
      state.answeredAt !== null
        ? Math.min(MAX_DURATION_SECONDS, Math.max(0, state.answeredAt - state.startedAt))
        : null,
    Local_Hour__c: local.hour,
    Local_Weekday__c: WEEKDAYS[local.weekday - 1]!,
    Local_Date__c: local.toISODate(),
  };
}
