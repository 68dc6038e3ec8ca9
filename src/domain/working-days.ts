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

/*
 * Dates are handled as whole days since 1970-01-01 here, not through luxon: a sweep asks these
 * questions hundreds of thousands of times for a large plan, and plain integer arithmetic on
 * calendar dates (no time zone is involved) is exact and a hundred times faster.
 */
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export const dayNumber = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) /
  MS_PER_DAY;

/** The YYYY-MM-DD date of a day number. */
export const dateOf = (day: number): string =>
  new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

/** `date` moved by `days` calendar days (negative: earlier). */
export const addDays = (date: string, days: number): string => dateOf(dayNumber(date) + days);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysFrom = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (date: string): number => ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;

export class WorkingDays {
  /** Answers already worked out: plans share a few target dates among many actions. */
  private readonly memo = new Map<string, string | boolean>();

  constructor(private readonly isHoliday: HolidayCheck) {}

  isWorkingDay(date: string): boolean {
    const key = `w${date}`;
    let answer = this.memo.get(key) as boolean | undefined;
    if (answer === undefined) {
      answer = weekdayOf(date) <= 5 && !this.isHoliday(date);
      this.remember(key, answer);
    }
    return answer;
  }

  private remember(key: string, value: string | boolean): void {
    if (this.memo.size > 100_000) this.memo.clear();
    this.memo.set(key, value);
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
    const key = `b${date}|${n}`;
    const known = this.memo.get(key) as string | undefined;
    if (known !== undefined) return known;
    let d = this.onOrBefore(date);
    for (let i = 0; i < n; i++) d = this.onOrBefore(addDays(d, -1));
    this.remember(key, d);
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
