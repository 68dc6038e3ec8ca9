import { z } from 'zod';
import { ActionPlanError } from './errors.js';

export const STATUSES = ['not_started', 'in_progress', 'blocked', 'complete', 'closed'] as const;
/** A status as stored. */
export const statusField = z.enum(STATUSES, { error: 'is not a status' });
export type Status = z.infer<typeof statusField>;

const LABELS: Record<Status, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  blocked: 'Blocked',
  complete: 'Complete',
  closed: 'Closed',
};

/** Spellings seen in real plans and spreadsheets, after lower-casing and squashing punctuation. */
const SYNONYMS: Record<string, Status> = {
  '': 'not_started',
  'not started': 'not_started',
  'not yet started': 'not_started',
  new: 'not_started',
  open: 'not_started',
  'to do': 'not_started',
  todo: 'not_started',
  'in progress': 'in_progress',
  inprogress: 'in_progress',
  ongoing: 'in_progress',
  started: 'in_progress',
  underway: 'in_progress',
  'under way': 'in_progress',
  'on track': 'in_progress',
  blocked: 'blocked',
  'on hold': 'blocked',
  delayed: 'blocked',
  stalled: 'blocked',
  complete: 'complete',
  completed: 'complete',
  done: 'complete',
  finished: 'complete',
  closed: 'closed',
};

export const statusLabel = (s: Status): string => LABELS[s];

/** "Complete" and "Closed" are both done: done actions get no reminders and count as progress. */
export const isDone = (s: Status): boolean => s === 'complete' || s === 'closed';

export const isStatus = (s: unknown): s is Status =>
  typeof s === 'string' && (STATUSES as readonly string[]).includes(s);

/** Reads a status as written in a plan; a blank status means not started. Undefined if unknown. */
export function parseStatus(text: string | undefined | null): Status | undefined {
  const key = (text ?? '')
    .toLowerCase()
    .replace(/[_\-–—]+/g, ' ')
    .replace(/[^a-z ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return SYNONYMS[key];
}

export function requireStatus(text: string): Status {
  const s = parseStatus(text);
  if (!s) {
    throw new ActionPlanError(
      'invalid_input',
      `"${text}" is not a status. Use one of: ${STATUSES.map(statusLabel).join(', ')}.`,
    );
  }
  return s;
}
