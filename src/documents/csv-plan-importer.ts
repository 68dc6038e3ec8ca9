import { CsvError, parse } from 'csv-parse/sync';

import type { ImportResult } from '../domain/parsed-plan.js';
import { isHeaderRow } from './header-columns.js';
import { restoreFormulaText } from './formula-text.js';
import { readPlanRows, unreadable, type SourceRow } from './plan-table-reader.js';

const DELIMITERS = [',', ';', '\t'] as const;
type Delimiter = (typeof DELIMITERS)[number];

/** Splits one line on a delimiter, ignoring delimiters inside double quotes (good enough to sniff). */
function splitLine(line: string, delimiter: Delimiter): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

const firstLines = (text: string): string[] =>
  text
    .split('\n', 40)
    .filter((l) => l.trim())
    .slice(0, 20);

/** The delimiter that splits a header row out of one of the lines, if any does. */
function headerDelimiter(lines: readonly string[]): Delimiter | undefined {
  for (const line of lines) {
    const found = DELIMITERS.find((d) => isHeaderRow(splitLine(line, d)));
    if (found) return found;
  }
  return undefined;
}

/**
 * True when text whose name does not say CSV is CSV all the same: a header row among its first
 * lines is split by commas or semicolons (a header split by tabs is a table copied out of Word,
 * which the text reader reads).
 */
export function looksLikeCsv(text: string): boolean {
  const found = headerDelimiter(firstLines(text));
  return found === ',' || found === ';';
}

/**
 * The delimiter of a CSV file: the one that splits a header row out of one of the first lines
 * (Excel in some locales saves CSV with ";", and a "tab-separated" export uses tabs); failing
 * that, the one the first non-blank line has most of; failing that, a comma.
 */
export function detectDelimiter(text: string): Delimiter {
  const lines = firstLines(text);
  const header = headerDelimiter(lines);
  if (header) return header;
  const first = lines[0] ?? '';
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = splitLine(first, d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Reads a plan from CSV text (already decoded; a leading BOM is dropped): its records are rows for
 * the one plan reader (plan-table-reader.ts): a header row naming the columns, one action per row. Cells may be quoted and span lines; the
 * delimiter may be a comma, a semicolon or a tab. Issues carry the line on which the row starts.
 */
export function parseCsvPlan(text: string, fileName?: string): ImportResult {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(source);

  const rows: SourceRow[] = [];
  let lastLine = 0;
  try {
    parse(source, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      on_record: (record: string[], context) => {
        rows.push({ at: { line: lastLine + 1 }, cells: record.map(restoreFormulaText) });
        lastLine = context.lines;
        return null;
      },
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = lastLine + 1;
    const message =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'A cell opens a double quote (") here that is never closed, so the rest of the file would be one cell. Close the quote, or remove it.'
        : `The CSV could not be read (${e.message}).`;
    return unreadable(fileName, { line, message });
  }

  return readPlanRows(rows, {
    checkCellCount: true,
    ...(fileName !== undefined ? { fileName } : {}),
  });
}
