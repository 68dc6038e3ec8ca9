import { neutraliseFormula } from '../formula-text.js';
import { ownersText, type ProgressReport } from './progress-report.js';

/** The XLSX columns, then the plan title and label on every row so an importer can read them back. */
export const CSV_COLUMNS = [
  'Recommendation',
  'Ref',
  'Action',
  'Priority',
  'Target date',
  'Original target',
  'Status',
  'Owner',
  'Area',
  'Latest note',
  'Recommendation text',
  'Plan',
  'Progress update',
] as const;

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * The progress update as CSV (RFC 4180): one row per action, CRLF line ends, and a UTF-8 byte order
 * mark so that Excel does not read "–" and accented names as Windows-1252. The Target date column
 * holds the target as it stands (what an import reads back); where it moved, Original target says
 * what the plan first wrote. Owners are separated by "; ", as the importers read them.
 */
export function exportCsv(report: ProgressReport): string {
  const records: string[][] = [[...CSV_COLUMNS]];
  for (const rec of report.recommendations) {
    for (const row of rec.rows) {
      records.push([
        rec.number,
        row.ref,
        row.text,
        row.priorityLabel,
        row.targetText,
        row.moved ? row.originalTarget : '',
        row.statusLabel,
        ownersText(row),
        row.area,
        row.note,
        rec.text,
        report.title,
        report.label,
      ]);
    }
  }
  return BOM + records.map(csvRecord).join(CRLF) + CRLF;
}

/**
 * One CSV record: fields joined by commas, each quoted only when it must be, and text a
 * spreadsheet would take for a formula written as text (formula-text.ts).
 */
export const csvRecord = (fields: readonly string[]): string =>
  fields.map((field) => csvField(neutraliseFormula(field))).join(',');

/**
 * A field quoted as RFC 4180 says: when it holds a quote, a comma or a line break, wrap it in
 * quotes and double the quotes inside. Leading or trailing spaces are quoted too, as some readers
 * trim unquoted fields.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
