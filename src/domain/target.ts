import { DateTime } from 'luxon';
import { z } from 'zod';
import { anyText, isoDay, record } from './record-fields.js';

/**
 * A target completion date. The text as the plan wrote it is always kept; it resolves to a date,
 * to "ongoing", or stays unresolved (reported as a warning, never guessed).
 */
export const targetField = z.discriminatedUnion(
  'kind',
  [
    record({ kind: z.literal('date'), text: anyText, date: isoDay }),
    record({ kind: z.literal('ongoing'), text: anyText }),
    record({ kind: z.literal('unresolved'), text: anyText }),
  ],
  { error: 'is not one of date, ongoing, unresolved' },
);
export type Target = z.infer<typeof targetField>;

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const ONGOING = /^(on-?going|continuous|continuing|business as usual|bau)$/;

/** Tidies what copying from Word leaves behind: NBSPs, dashes, "Mar2017", "30th", full stops. */
export function normaliseTargetText(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const iso = (d: DateTime): string => d.toISODate() ?? '';

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

function dayOf(year: number, month: number, day: number): string | undefined {
  const d = DateTime.fromObject({ year, month, day }, { zone: 'UTC' });
  return d.isValid ? iso(d) : undefined;
}

function lastDayOf(year: number, month: number): string {
  return iso(DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' }).endOf('month'));
}

/** Resolves a target as written: see the rules in the product guide. */
export function parseTarget(raw: string): Target {
  const text = normaliseTargetText(raw);
  const key = text
    .toLowerCase()
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1')
    .replace(/[.,]/g, ' ')
    .replace(/\bend of\b|\bby\b|\bend\b/g, (m) => (m === 'by' ? '' : 'end'))
    .replace(/\s+/g, ' ')
    .trim();

  if (ONGOING.test(key)) return { kind: 'ongoing', text };

  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (m) return resolved(text, dayOf(Number(m[1]), Number(m[2]), Number(m[3])));

  // UK order: 31/03/2027, 31-03-2027, 31.03.27 (full stops became spaces above).
  m = /^(\d{1,2})[/\- ](\d{1,2})[/\- ](\d{2}|\d{4})$/.exec(key);
  if (m) return resolved(text, dayOf(fullYear(m[3]!), Number(m[2]), Number(m[1])));

  // 30 Sept 2016, 30 September 2016, 30-Sep-16
  m = /^(\d{1,2})[ -]([a-z]+)[ -](\d{2}|\d{4})$/.exec(key);
  if (m && MONTHS[m[2]!])
    return resolved(text, dayOf(fullYear(m[3]!), MONTHS[m[2]!]!, Number(m[1])));

  // End Mar 2017, Mar 2017, March-17: a month alone means its last day.
  m = /^(?:end )?([a-z]+)[ -](\d{4}|\d{2})$/.exec(key);
  if (m && MONTHS[m[1]!]) return resolved(text, lastDayOf(fullYear(m[2]!), MONTHS[m[1]!]!));

  // End 2016: the year's last day.
  m = /^end (\d{4})$/.exec(key);
  if (m) return resolved(text, dayOf(Number(m[1]), 12, 31));

  return { kind: 'unresolved', text };
}

function resolved(text: string, date: string | undefined): Target {
  return date ? { kind: 'date', text, date } : { kind: 'unresolved', text };
}

/** The resolved date, or null for ongoing and unresolved targets. */
export const targetDate = (t: Target): string | null => (t.kind === 'date' ? t.date : null);

/**
 * True when two targets mean the same: the same date however written ("End Mar 2017",
 * "31/03/2017"), both ongoing, or the same unresolved text.
 */
export function sameTarget(a: Target, b: Target): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'date' && b.kind === 'date') return a.date === b.date;
  return a.kind === 'ongoing' || a.text === b.text;
}
