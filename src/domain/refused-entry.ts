import type { HistoryEntry } from './plan.js';

/**
 * Fields whose value a person types (a note, owners' addresses). A refused press never stores
 * what was typed for them; entries written before that rule may still hold it, and it is never
 * shown.
 */
const TYPED_FIELDS: ReadonlySet<string> = new Set(['note', 'owners']);

/**
 * The value a refused press tried to set, where it may be shown: a status or a date chosen on
 * the card; never typed text.
 */
export function refusedValue(entry: HistoryEntry): string | undefined {
  if (entry.kind !== 'refused' || !entry.to) return undefined;
  return TYPED_FIELDS.has(entry.field ?? '') ? undefined : entry.to;
}
