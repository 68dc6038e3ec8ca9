import { DateTime } from 'luxon';
import { normaliseRef } from '../../domain/action-ref.js';
import { formatDate } from '../../domain/calendar.js';
import { ActionPlanError } from '../../domain/errors.js';

/**
 * Reading a press's data. It comes from a card the bot sent, but passes through the client, so it
 * is treated like anything typed: every field is checked for presence, type and sense, and a
 * problem is an ActionPlanError('invalid_input') whose message tells the person what to do.
 * Nothing is changed by a press whose data does not read.
 */

/** Notes, reasons and other typed text are kept to this many characters (after trimming). */
export const MAX_TEXT_CHARS = 1000;

export type PressFields = Readonly<Record<string, unknown>>;

/** What every action button carries: which action, in which plan, at which version. */
export interface PressTarget {
  readonly ref: string;
  readonly planId: string;
  readonly version: string;
}

const ASK_AGAIN = 'Ask for the action again (for example “action 1.1”) and use the new card.';

const invalid = (message: string): ActionPlanError => new ActionPlanError('invalid_input', message);

/** A value as it can be quoted back to the person: short, and never markup. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? `“${value}”` : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The data as an object of fields, or a clear refusal. */
export function fieldsOf(data: unknown): PressFields {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(`This button sent no details I can read, so nothing has changed. ${ASK_AGAIN}`);
  }
  return data as PressFields;
}

/** `{ ref, planId, version }`, each present and a string of the right shape. */
export function readTarget(fields: PressFields): PressTarget {
  const ref = fields['ref'];
  const planId = fields['planId'];
  const version = fields['version'];
  const normalised = typeof ref === 'string' ? normaliseRef(ref) : undefined;
  if (!normalised) {
    throw invalid(
      ref === undefined
        ? `The card didn't say which action it is about, so nothing has changed. ${ASK_AGAIN}`
        : `The card named the action as ${shown(ref)}, which is not an action ref (like 1.1 or 4.9a), so nothing has changed. ${ASK_AGAIN}`,
    );
  }
  if (typeof planId !== 'string' || planId.trim() === '' || planId.length > 200) {
    throw invalid(
      `The card didn't say which plan action ${normalised} belongs to, so nothing has changed. ${ASK_AGAIN}`,
    );
  }
  if (typeof version !== 'string' || version === '' || version.length > 200) {
    throw invalid(
      `The card didn't say which version of action ${normalised} it shows, so nothing has changed. ${ASK_AGAIN}`,
    );
  }
  return { ref: normalised, planId, version };
}

/**
 * Typed text: trimmed; absent or blank is undefined; anything but a string, or longer than
 * MAX_TEXT_CHARS, is refused.
 */
export function optionalText(fields: PressFields, key: string, what: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalid(
      `The ${what} should be text, but the card sent ${shown(value)}. Nothing has changed.`,
    );
  }
  const text = value.trim();
  if (text === '') return undefined;
  if (text.length > MAX_TEXT_CHARS) {
    throw invalid(
      `The ${what} is ${text.length.toLocaleString('en-GB')} characters long; it can be at most ${MAX_TEXT_CHARS.toLocaleString('en-GB')}. Nothing has been saved: shorten it and try again.`,
    );
  }
  return text;
}

/** Typed text that must be there; `missing` says what to do when it is not. */
export function requiredText(
  fields: PressFields,
  key: string,
  what: string,
  missing: string,
): string {
  const text = optionalText(fields, key, what);
  if (text === undefined) throw invalid(missing);
  return text;
}

/** One of a few allowed strings, or a refusal that lists them. */
export function oneOf<T extends string>(
  fields: PressFields,
  key: string,
  allowed: readonly T[],
  labels: Readonly<Record<T, string>>,
  what: string,
): T | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  const choices = allowed.map((a) => labels[a]);
  throw invalid(
    `${shown(value)} is not a ${what} a card can set: use ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]!}. Nothing has changed.`,
  );
}

/** A real calendar date, YYYY-MM-DD (what Input.Date sends), or undefined when absent or blank. */
export function optionalDate(fields: PressFields, key: string, what: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    throw invalid(
      `The ${what} should be a date chosen with the date picker, but the card sent ${shown(value)}. Nothing has changed.`,
    );
  }
  const date = value.trim();
  if (!DateTime.fromISO(date, { zone: 'UTC' }).isValid) {
    throw invalid(`${shown(date)} is not a real date. Choose the ${what} with the date picker.`);
  }
  return date;
}

/** The date `days` after `date` (both YYYY-MM-DD). */
export const plusDays = (date: string, days: number): string =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;

/** At most this far ahead: a date further off is almost certainly a slip of the date picker. */
export const MAX_YEARS_AHEAD = 10;

/** Checks a chosen date is within [earliest, ten years on], saying what to choose instead. */
export function requireDateBetween(date: string, earliest: string, what: string): string {
  if (date < earliest) {
    throw invalid(
      `The ${what} must be ${formatDate(earliest)} or later; ${formatDate(date)} is too early. Nothing has changed.`,
    );
  }
  const latest = DateTime.fromISO(earliest, { zone: 'UTC' })
    .plus({ years: MAX_YEARS_AHEAD })
    .toISODate()!;
  if (date > latest) {
    throw invalid(
      `The ${what} must be within ${MAX_YEARS_AHEAD} years; ${formatDate(date)} is further off. Nothing has changed.`,
    );
  }
  return date;
}
