import { normaliseRef } from '../domain/action-ref.js';
import type { ImportResult } from '../domain/parsed-plan.js';
import { readPlanRows, type SourceRow } from './plan-table-reader.js';

/**
 * Reads a plan copied out of a Word table as text: the layout of The National Archives' IMA action
 * plans. The file has a title, then for each recommendation "Recommendation N", its text,
 * "Progress update – <Month Year>", a header row and one tab-separated row per action:
 * Ref, action, priority, target completion date, status.
 *
 * Each line is a row for the one plan reader (plan-table-reader.ts), cells split at tabs (or, in a
 * line typed by hand, at runs of two or more spaces). Copying from Word breaks some rows: a cell
 * whose text wraps, in a row whose cells are vertically centred, starts on a line of its own ABOVE
 * the ref, with an empty first cell (the MoJ plan's 2.6 and 4.4, whose target "30 Sept" / "2016"
 * is split the same way), so the reader is told to join such pieces onto their row.
 */
export function parseTextPlan(source: string, fileName?: string): ImportResult {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  return readPlanRows(rowsOf(lines), {
    brokenRows: true,
    ...(fileName !== undefined ? { fileName } : {}),
  });
}

function* rowsOf(lines: readonly string[]): Iterable<SourceRow> {
  for (const [i, raw] of lines.entries()) yield { cells: splitCells(raw), at: { line: i + 1 } };
}

/** Tabs separate cells; a line typed by hand may use runs of two or more spaces instead. */
function splitCells(raw: string): string[] {
  if (raw.includes('\t')) return raw.split('\t');
  const trimmed = raw.trim();
  // A lone ref-led line without separators ("2.6 Scheme L 2016 Complete") cannot be split
  // safely: it stays whole, and the reader says its ref cell is not a ref.
  const cells = trimmed.split(/ {2,}/);
  return cells.length > 1 || normaliseRef(trimmed.split(/\s+/)[0] ?? '') ? cells : [trimmed];
}
