import { InvalidArgumentError, Option } from 'commander';
import { DateTime } from 'luxon';

/**
 * `--as-of`, with one meaning for every command that takes it (reminders preview and run, digest
 * preview, export). A date means that day in the plan's time zone, at the time the bot does that
 * day's work: the plan's sending time (09:00 unless changed; for the digest, the digest's time).
 * An operator who asks "what goes out on 22 March?" means that morning's round, not midnight and
 * not noon in Greenwich. A local time is in the plan's zone; an instant with its offset is itself.
 */
export type AsOf =
  | { readonly kind: 'day'; readonly date: string }
  | { readonly kind: 'local'; readonly dateTime: string }
  | { readonly kind: 'instant'; readonly at: Date };

/** Where and when a day falls for a plan: its time zone, and the time of day of the work. */
export interface AsOfSetting {
  readonly timeZone: string;
  /** HH:MM on a 24-hour clock. */
  readonly sendAt: string;
}

const FORMS =
  'a date, YYYY-MM-DD (that day in the plan’s time zone, at the time its messages go out: 09:00 unless changed), a local time in the plan’s zone (2017-03-22T10:30), or an instant with its offset (2017-03-22T09:00:00Z)';

/** The option, with the help every command shows for it. */
export const asOfOption = (judged: string): Option =>
  new Option('--as-of <when>', `${judged}: ${FORMS}; now unless given`).argParser(parseAsOf);

/** Reads an --as-of; refuses anything else, saying which forms there are. */
export function parseAsOf(text: string): AsOf {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t) && DateTime.fromISO(t).isValid) return { kind: 'day', date: t };
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) {
    const local = t.replace(' ', 'T');
    if (DateTime.fromISO(local).isValid) return { kind: 'local', dateTime: local };
  }
  if (/^\d{4}-\d{2}-\d{2}T.+(Z|[+-]\d{2}:?\d{2})$/.test(t) && DateTime.fromISO(t).isValid) {
    return { kind: 'instant', at: new Date(t) };
  }
  throw new InvalidArgumentError(`give ${FORMS}.`);
}

/** The instant an --as-of stands for, for a plan (or the configured zone without one). */
export function resolveAsOf(asOf: AsOf, setting: AsOfSetting): Date {
  const zone = setting.timeZone;
  switch (asOf.kind) {
    case 'instant':
      return asOf.at;
    case 'local':
      return DateTime.fromISO(asOf.dateTime, { zone }).toJSDate();
    case 'day':
      return DateTime.fromISO(`${asOf.date}T${setting.sendAt}`, { zone }).toJSDate();
  }
}
