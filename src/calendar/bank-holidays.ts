import Holidays from 'date-holidays';
import { WorkingDays, weekendsOnly } from '../domain/working-days.js';

/**
 * Public holidays from `date-holidays`, a maintained offline data set (no network, no API key),
 * rather than a hand-typed list that would silently go stale: it knows substitute days (27
 * December 2016), moved and one-off bank holidays (VE Day 2020, the 2022 Jubilee and State
 * Funeral). Only its "public" days count: observances such as Mother's Day are working days.
 */

/** The default: England and Wales share one list of bank holidays. */
export const ENGLAND_AND_WALES = 'GB-ENG';

/** No holidays, only weekends. */
export const NO_HOLIDAYS = 'none';

const cache = new Map<string, WorkingDays>();

/**
 * The working days of a region, as date-holidays names it: `GB-ENG` (England and Wales),
 * `GB-SCT`, `GB-NIR`, `IE`…, or `none`. Throws RangeError for a region it does not know.
 */
export function workingDaysFor(region: string = ENGLAND_AND_WALES): WorkingDays {
  const cached = cache.get(region);
  if (cached) return cached;
  if (region === NO_HOLIDAYS) return weekendsOnly;
  const [country, state] = region.split('-');
  const hd = new Holidays();
  const known =
    country !== undefined &&
    country in hd.getCountries() &&
    (state === undefined || state in (hd.getStates(country) ?? {}));
  if (!known) {
    throw new RangeError(
      `"${region}" is not a holiday region (use GB-ENG, GB-SCT, GB-NIR or none).`,
    );
  }
  if (state) hd.init(country, state);
  else hd.init(country);
  const years = new Map<number, ReadonlySet<string>>();
  const holidaysOf = (year: number): ReadonlySet<string> => {
    let set = years.get(year);
    if (!set) {
      set = new Set(
        hd
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      years.set(year, set);
    }
    return set;
  };
  const calendar = new WorkingDays((date) => holidaysOf(Number(date.slice(0, 4))).has(date));
  cache.set(region, calendar);
  return calendar;
}

/** True when `region` is one workingDaysFor accepts. */
export function isHolidayRegion(region: string): boolean {
  try {
    workingDaysFor(region);
    return true;
  } catch {
    return false;
  }
}
