import { isEmail, normaliseEmail } from '../domain/plan.js';

/**
 * The checks and parsers shared by the configuration's readers: flags, ports, ids, lists, URLs
 * and whole numbers. Each takes the variable's name and a list of problems: a bad value adds a
 * sentence naming it and how to fix it, so every problem is reported at once (ConfigError).
 */

/** One variable's value, trimmed; undefined when unset or blank (src/config.ts reads them). */
export type EnvGetter = (name: string) => string | undefined;

/** A true-or-false setting: true, 1, yes, on or false, 0, no, off, in any case. */
export function readFlag(
  get: EnvGetter,
  name: string,
  fallback: boolean,
  problems: string[],
): boolean {
  const text = get(name)?.toLowerCase();
  if (text === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (!['false', '0', 'no', 'off'].includes(text)) {
    problems.push(`${name} "${text}" is not true or false.`);
  }
  return false;
}

/** A port from 0 to 65535 (0 lets the system choose). */
export function portNumber(name: string, text: string, problems: string[]): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    problems.push(`${name} "${text}" is not a port number (0 to 65535).`);
  }
  return port;
}

/** A GUID: an app, client or tenant id. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits a list written with commas, semicolons or spaces, dropping empty entries. */
export const listOf = (text: string | undefined): string[] =>
  (text ?? '').split(/[\s,;]+/).filter((item) => item !== '');

/** A URL, or undefined when the text is not one. */
export function urlOf(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * A whole number from `min` to `max` (`unit` names it in the message: "minutes"); `fallback` when
 * unset.
 */
export function wholeNumber(
  get: EnvGetter,
  name: string,
  fallback: string,
  range: { readonly min: number; readonly max: number; readonly unit: string },
  problems: string[],
): number {
  const text = get(name) ?? fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) {
    problems.push(
      `${name} "${text}" is not a whole number of ${range.unit} from ${range.min} to ${range.max}.`,
    );
  }
  return value;
}

/** `ADMIN_EMAILS`: addresses, lower-cased, each checked. */
export function readAdminEmails(text: string | undefined, problems: string[]): string[] {
  const emails = [...new Set(listOf(text).map(normaliseEmail))];
  for (const email of emails) {
    if (!isEmail(email)) {
      problems.push(`ADMIN_EMAILS has "${email}", which is not an email address.`);
    }
  }
  return emails;
}
