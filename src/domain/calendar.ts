import { DateTime } from 'luxon';
import type { Action } from './plan.js';
import { isDone } from './status.js';

/** The calendar date (YYYY-MM-DD) it is at `now` in the plan's time zone: every "today" uses it. */
export function todayIn(timeZone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? now.toISOString().slice(0, 10);
}

/** "31 March 2017": how dates are shown to people. */
export function formatDate(isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: 'UTC' });
  return d.isValid ? d.setLocale('en-GB').toFormat('d MMMM yyyy') : isoDate;
}

/** An action is overdue when it has a target date before today and is not done. */
export function isOverdue(action: Pick<Action, 'target' | 'status'>, today: string): boolean {
  return action.target.kind === 'date' && action.target.date < today && !isDone(action.status);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days')
      .days,
  );
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export const isTimeZone = (timeZone: string): boolean => DateTime.local().setZone(timeZone).isValid;

/**
 * "10:42", or "10:42 on 31 March 2017" when it is not the day of `now`: an instant as people
 * read it in the plan's time zone (when a preview expires, when a file was imported).
 */
export function formatTimeIn(instant: string, timeZone: string, now: Date): string {
  const t = DateTime.fromISO(instant, { zone: timeZone });
  if (!t.isValid) return instant;
  const time = t.toFormat('HH:mm');
  const day = t.toISODate() ?? '';
  return day === todayIn(timeZone, now) ? time : `${time} on ${formatDate(day)}`;
}
