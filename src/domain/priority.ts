export const PRIORITIES = ['H', 'M', 'L'] as const;
export type Priority = (typeof PRIORITIES)[number];

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
