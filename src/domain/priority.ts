import { z } from 'zod';

export const PRIORITIES = ['H', 'M', 'L'] as const;
/** A priority as stored. */
export const priorityField = z.enum(PRIORITIES, {
  error: `is not one of ${PRIORITIES.join(', ')}`,
});
export type Priority = z.infer<typeof priorityField>;

const LABELS: Record<Priority, string> = { H: 'High', M: 'Medium', L: 'Low' };
const SYNONYMS: Record<string, Priority> = {
  h: 'H',
  high: 'H',
  m: 'M',
  med: 'M',
  medium: 'M',
  l: 'L',
  low: 'L',
};

export const priorityLabel = (p: Priority): string => LABELS[p];

/** Reads "H", "High", "med", "Medium"… Undefined when the text is not a priority. */
export function parsePriority(text: string | undefined | null): Priority | undefined {
  const key = (text ?? '').toLowerCase().replace(/[^a-z]/g, '');
  return SYNONYMS[key];
}
