import { DateTime } from 'luxon';

/**
 * Working days: Monday to Friday, except public holidays. Dates are calendar dates (YYYY-MM-DD)
 * in the plan's time zone, so nothing here depends on the time of day or daylight saving.
 *
 * Which days are holidays is given, not known here: the layer rules keep the domain free of
 * libraries other than luxon, so the holiday data (England and Wales bank holidays from
 * `date-holidays`, see src/calendar/bank-holidays.ts) is passed in by whoever wires the app.
 * Tests can pass their own.
 */
export type HolidayCheck = (date: string) => boolean;

const day = (date: string): DateTime => DateTime.fromISO(date, { zone: 'UTC' });
const iso = (d: DateTime): string => d.toISODate() ?? '';

/** `date` moved by `days` calendar days (negative: earlier). */
export const addDays = (date: string, days: number): string => iso(day(date).plus({ days }));

/** 1 = Monday … 7 = Sunday. */
export const weekdayOf = (date: string): number => day(date).weekday;

export class WorkingDays {
  constructor(private readonly isHoliday: HolidayCheck) {}

  isWorkingDay(date: string): boolean {
    return weekdayOf(date) <= 5 && !this.isHoliday(date);
  }

  /** `date` itself when it is a working day, else the last working day before it. */
  onOrBefore(date: string): string {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /** `date` itself when it is a working day, else the first working day after it. */
  onOrAfter(date: string): string {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /**
   * The working day `n` working days before `date` (n = 0: the last working day on or before
   * it). "1 working day before" a Monday target is the Friday before, or the Thursday when that
   * Friday is Good Friday.
   */
  before(date: string, n: number): string {
    let d = this.onOrBefore(date);
    for (let i = 0; i < n; i++) d = this.onOrBefore(addDays(d, -1));
    return d;
  }

  /** The working day `n` working days after `date` (n = 0: the first on or after it). */
  after(date: string, n: number): string {
    let d = this.onOrAfter(date);
    for (let i = 0; i < n; i++) d = this.onOrAfter(addDays(d, 1));
    return d;
  }

  /** How many working days lie after `from` up to and including `to` (0 when `to` ≤ `from`). */
  between(from: string, to: string): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }
}

/** Only weekends: for a plan that wants no holidays, and for tests. */
export const weekendsOnly = new WorkingDays(() => false);
