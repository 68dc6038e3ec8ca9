import type { z } from 'zod';

/**
 * What is wrong with a record, in words for the person who has to fix it: each failed check of a
 * record's schema (record-fields.ts) as its place ("target.date") and what is wrong there
 * ("\"31/03\" is not YYYY-MM-DD"). A stored record that fails is named by its keys; a backup's by
 * its place in the file. Parse with `{ reportInput: true }` so the wrong value can be quoted.
 */
export interface RecordProblem {
  /** The field's place within what was checked: `status`, `owners[2]`; empty for the whole. */
  readonly path: readonly PropertyKey[];
  /** "is missing", "\"nearly done\" is not a status". */
  readonly problem: string;
}

export function recordProblems(error: z.ZodError): RecordProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], problem: UNKNOWN_FIELD }))
      : [{ path: issue.path, problem: problemOf(issue) }],
  );
}

/** A field no version of this bot wrote: a newer bot's backup, or a hand edit. */
const UNKNOWN_FIELD = 'is a field this version of the bot does not know';

/** `plans[0].target.date`: a place as a person reads it. */
export function placeOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** A place and its problem as one line: `status "nearly done" is not a status`. */
export const describeProblem = (p: RecordProblem): string =>
  p.path.length === 0 ? p.problem : `${placeOf(p.path)} ${p.problem}`;

const NOUNS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a record',
};

function problemOf(issue: z.core.$ZodIssue): string {
  const input: unknown = issue.input;
  if (input === undefined && issue.code === 'invalid_type') return 'is missing';
  // The schemas' own words (record-fields.ts and the records) all begin "is …".
  if (issue.message.startsWith('is ')) return `${quoted(input)}${issue.message}`;
  if (issue.code === 'invalid_type') {
    const value = quoted(input);
    return `is ${value ? `${value.trim()}, ` : ''}not ${NOUNS[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string') return 'is empty';
  if (issue.code === 'invalid_value') {
    return `${quoted(input)}is not ${issue.values.map(String).join(' or ')}`;
  }
  return `${quoted(input)}is not valid (${issue.message})`;
}

/** The wrong value, quoted, when it is short enough to show; nothing when it is a whole record. */
function quoted(input: unknown): string {
  if (typeof input === 'string') return input.length <= 80 ? `${JSON.stringify(input)} ` : '';
  if (typeof input === 'number' || typeof input === 'boolean') return `${String(input)} `;
  return '';
}
