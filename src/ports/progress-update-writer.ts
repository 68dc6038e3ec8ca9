import type { ExportFormat } from '../domain/export-format.js';
import type { Action, HistoryEntry, Plan } from '../domain/plan.js';

/** What a progress update is made from: the plan as it stands, with its history. */
export interface ProgressUpdateSource {
  readonly plan: Plan;
  readonly actions: readonly Action[];
  /** The plan's history, oldest first; it tells which targets moved and gives the latest notes. */
  readonly history: readonly HistoryEntry[];
  /** The new label, e.g. "November 2026". */
  readonly label: string;
  /** When the update is made ("Generated on …"). */
  readonly asOf: Date;
}

/**
 * Lays a progress update out as a file (src/documents/export): the plan's own layout in Word, one
 * sheet in Excel, one row per action in CSV. `onRow` is told how many actions are laid out so far.
 */
export type WriteProgressUpdate = (
  source: ProgressUpdateSource,
  format: ExportFormat,
  onRow?: (done: number) => void,
) => Promise<Uint8Array>;
