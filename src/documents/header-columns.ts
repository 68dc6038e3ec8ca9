import { readActionRow, tidyText, type ActionRowCells } from '../domain/action-row.js';
import { normaliseRef, recommendationOf } from '../domain/action-ref.js';
import type { ImportIssue, ParsedAction } from '../domain/parsed-plan.js';

/**
 * Header recognition and the row walk shared by the CSV and XLSX importers: both see a plan as a
 * table of text cells with a header row, and differ only in how they get the cells.
 */

export type ColumnKey =
  | 'ref'
  | 'text'
  | 'priority'
  | 'target'
  | 'status'
  | 'owner'
  | 'area'
  | 'recommendation'
  | 'recommendationText'
  | 'note'
  | 'plan'
  | 'progressUpdate'
  | 'originalTarget';

export interface ColumnSpec {
  readonly key: ColumnKey;
  /** The name used in messages and in ImportIssue.column. */
  readonly name: string;
  /** Header texts accepted for the column, compared after `normaliseHeader`. */
  readonly headers: readonly string[];
  readonly required: boolean;
}

export const PLAN_COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'ref',
    name: 'Ref',
    headers: ['Ref', 'Reference', 'Ref no', 'No', 'No.', 'Number', 'Action ref', 'Action no', 'ID'],
    required: true,
  },
  {
    key: 'text',
    name: 'Action',
    headers: ['Action', 'Actions', 'Action text', 'Description', 'Detail'],
    required: true,
  },
  {
    key: 'priority',
    name: 'Priority',
    headers: ['Priority', 'Priority High/Med/Low', 'Pri', 'H/M/L'],
    required: true,
  },
  {
    key: 'target',
    name: 'Target date',
    headers: [
      'Target',
      'Target date',
      'Target completion date',
      'Due',
      'Due date',
      'Deadline',
      'Completion date',
    ],
    required: true,
  },
  {
    key: 'status',
    name: 'Status',
    headers: ['Status', 'Progress', 'Current status'],
    required: true,
  },
  {
    key: 'owner',
    name: 'Owner',
    headers: ['Owner', 'Owners', 'Action owner', 'Owner email', 'Email', 'Assigned to'],
    required: false,
  },
  {
    key: 'area',
    name: 'Area',
    headers: ['Area', 'Business area', 'Directorate', 'Division', 'Team'],
    required: false,
  },
  {
    key: 'recommendation',
    name: 'Recommendation',
    headers: ['Recommendation', 'Recommendation no', 'Rec', 'Rec no'],
    required: false,
  },
  {
    key: 'recommendationText',
    name: 'Recommendation text',
    headers: ['Recommendation text'],
    required: false,
  },
  {
    key: 'note',
    name: 'Note',
    headers: ['Note', 'Notes', 'Latest note', 'Comments', 'Update'],
    required: false,
  },
  { key: 'plan', name: 'Plan', headers: ['Plan', 'Plan title'], required: false },
  {
    key: 'progressUpdate',
    name: 'Progress update',
    headers: ['Progress update'],
    required: false,
  },
  // Written by the Excel and CSV exports where a target moved. Recognised so that it is not
  // reported as unknown, and deliberately not read: the Target date column is the target, and the
  // move itself lives in the history of the plan that was exported.
  {
    key: 'originalTarget',
    name: 'Original target',
    headers: ['Original target', 'Original target date', 'Original date'],
    required: false,
  },
];

/** Lower-cases and drops everything but letters and digits: "Ref no." → "refno". */
export function normaliseHeader(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const BY_HEADER = new Map<string, ColumnSpec>(
  PLAN_COLUMNS.flatMap((c) => c.headers.map((h) => [normaliseHeader(h), c] as const)),
);

/** The column a header cell names, or undefined. */
export function columnForHeader(text: string): ColumnSpec | undefined {
  return BY_HEADER.get(normaliseHeader(text));
}

export interface HeaderMatch {
  /** Cell index of each recognised column. */
  readonly columns: Partial<Record<ColumnKey, number>>;
  /** Required columns the header does not have. */
  readonly missing: readonly ColumnSpec[];
  /** Non-blank header cells that name no known column, with their cell index. */
  readonly unknown: readonly { index: number; text: string }[];
  /** Header cells that name a column already found further left. */
  readonly repeated: readonly { index: number; text: string; column: ColumnSpec }[];
  /** The number of cells the header row has, up to its last non-blank one. */
  readonly width: number;
  /** True when the action column had no heading and was taken to be the one after Ref. */
  readonly untitledAction: boolean;
}

/** Matches a header row's cells to the plan columns. */
export function matchHeader(cells: readonly string[]): HeaderMatch {
  const columns: Partial<Record<ColumnKey, number>> = {};
  const unknown: { index: number; text: string }[] = [];
  const repeated: { index: number; text: string; column: ColumnSpec }[] = [];
  let width = 0;
  cells.forEach((raw, index) => {
    const text = tidyText(raw);
    if (!text) return;
    width = index + 1;
    const column = columnForHeader(text);
    if (!column) unknown.push({ index, text });
    else if (columns[column.key] !== undefined) repeated.push({ index, text, column });
    else columns[column.key] = index;
  });
  // A plan copied out of Word has no heading over its action text (the MoJ plan's header is
  // "Ref | | Priority High/Med/Low | …"): a blank heading right after Ref is the action column.
  let untitledAction = false;
  const refIndex = columns.ref;
  if (
    columns.text === undefined &&
    refIndex !== undefined &&
    !tidyText(cells[refIndex + 1] ?? '') &&
    refIndex + 1 < width
  ) {
    columns.text = refIndex + 1;
    untitledAction = true;
  }
  const missing = PLAN_COLUMNS.filter((c) => c.required && columns[c.key] === undefined);
  return { columns, missing, unknown, repeated, width, untitledAction };
}

/** A row is taken as the header when it names at least three of the five required columns. */
export function isHeaderRow(cells: readonly string[]): boolean {
  const m = matchHeader(cells);
  return PLAN_COLUMNS.filter((c) => c.required).length - m.missing.length >= 3;
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

/** The errors and warnings a header row gives: missing required columns, unknown extra ones. */
export function headerIssues(
  match: HeaderMatch,
  line: number,
): { errors: ImportIssue[]; warnings: ImportIssue[] } {
  const errors = match.missing.map((c): ImportIssue => ({
    line,
    column: c.name,
    message: `The header has no ${c.name} column. Name it one of: ${c.headers.join(', ')}.`,
  }));
  const warnings: ImportIssue[] = [];
  if (match.unknown.length > 0) {
    const names = match.unknown.map((u) => u.text);
    warnings.push({
      line,
      message:
        `${names.length === 1 ? 'Column' : 'Columns'} ${quoteList(names)} ` +
        `${names.length === 1 ? 'is' : 'are'} not recognised and ${names.length === 1 ? 'was' : 'were'} ignored. ` +
        `Recognised columns: ${PLAN_COLUMNS.map((c) => c.name).join(', ')}.`,
    });
  }
  for (const r of match.repeated) {
    warnings.push({
      line,
      column: r.column.name,
      message: `Column "${r.text}" is a second ${r.column.name} column and was ignored; only the first is read.`,
    });
  }
  return { errors, warnings };
}

/** One row of a table, as text cells, with the number a user would look for (line or row). */
export interface TableRow {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface TableOptions {
  /** Report rows with fewer cells than the header, or extra non-blank cells (CSV: a lost quote). */
  readonly checkCellCount: boolean;
  /** Where a row is, for messages: "Line 7" (CSV) or "Row 7" (XLSX). */
  readonly lineWord: 'Line' | 'Row';
}

/** What one table gave: the actions read and what the rows around them said. */
export interface TableResult {
  readonly headerFound: boolean;
  readonly headerLine?: number;
  readonly actions: ParsedAction[];
  /** Recommendation number → text ('' when the table does not say), in the order first seen. */
  readonly recommendations: Map<string, string>;
  /** The Plan column's first value, else the first line above the header that is not a section. */
  readonly title?: string;
  readonly progressUpdate?: string;
  readonly errors: ImportIssue[];
  readonly warnings: ImportIssue[];
}

/** After this many row errors a table stops reporting: the file is probably not a plan. */
export const MAX_ROW_ERRORS = 100;

const isBlankCell = (s: string): boolean => !tidyText(s) || /^[-–—_=|+\s]+$/.test(s);
const isBlankRow = (cells: readonly string[]): boolean => cells.every(isBlankCell);

const RECOMMENDATION_ROW = /^recommendation\s*(?:no\.?\s*)?(\d{1,3})\b\s*[:.\-–—]?\s*(.*)$/i;
const PROGRESS_ROW = /^progress\s+update\s*[:\-–—]?\s*(.*)$/i;

/** "Progress update – May 2017" or "May 2017" → "May 2017". */
export function progressLabel(text: string): string {
  const t = tidyText(text);
  const m = PROGRESS_ROW.exec(t);
  return m ? tidyText(m[1] ?? '') : t;
}

/** "1", "Recommendation 1", "Rec 1." → "1"; undefined when there is no number. */
export function recommendationNumber(text: string): string | undefined {
  const m = /^(?:rec(?:ommendation)?\s*(?:no\.?)?\s*)?(\d{1,3})\.?$/i.exec(tidyText(text));
  return m ? String(Number(m[1])) : undefined;
}

/**
 * Reads one table: finds the header row among the first `headerSearchRows` non-blank rows (if none,
 * the first non-blank row is the header, so that its missing columns are reported), reads the rows
 * above it for a title, "Recommendation N" and "Progress update – …" lines, and reads every row
 * below it with readActionRow. Rows with a single non-blank cell that is not a ref are section
 * lines ("Recommendation 2", its text, "Progress update – May 2017"), as in a plan copied out of
 * Word into Excel; a repeated header row is skipped.
 */
export function readTable(
  rows: readonly TableRow[],
  options: TableOptions,
  headerSearchRows = 20,
): TableResult {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const actions: ParsedAction[] = [];
  const recommendations = new Map<string, string>();
  const recommendationTextLine = new Map<string, number>();
  let title: string | undefined;
  let planColumnTitle: string | undefined;
  let progressUpdate: string | undefined;

  const nonBlank = rows.filter((r) => !isBlankRow(r.cells));
  const headerIndex = nonBlank.slice(0, headerSearchRows).findIndex((r) => isHeaderRow(r.cells));
  if (headerIndex < 0 && nonBlank.length === 0) {
    return { headerFound: false, actions, recommendations, errors, warnings };
  }
  const header = nonBlank[Math.max(headerIndex, 0)]!;
  const match = matchHeader(header.cells);
  const issues = headerIssues(match, header.line);
  errors.push(...issues.errors);
  warnings.push(...issues.warnings);
  if (errors.length > 0) {
    return {
      headerFound: headerIndex >= 0,
      headerLine: header.line,
      actions,
      recommendations,
      errors,
      warnings,
    };
  }

  const col = match.columns;
  const cell = (cells: readonly string[], key: ColumnKey): string => {
    const i = col[key];
    return i === undefined ? '' : (cells[i] ?? '');
  };

  const headerCells = header.cells.length;
  const rowCells = (cells: readonly string[]): ActionRowCells => ({
    ref: cell(cells, 'ref'),
    text: cell(cells, 'text'),
    priority: cell(cells, 'priority'),
    target: cell(cells, 'target'),
    status: cell(cells, 'status'),
    owner: cell(cells, 'owner'),
    area: cell(cells, 'area'),
  });

  let currentRecommendation: string | undefined;
  let awaitingRecommendationText = false;
  const noteRecommendationText = (n: string, text: string, line: number): void => {
    const t = tidyText(text);
    if (!t) return;
    const known = recommendations.get(n);
    if (!known) {
      recommendations.set(n, t);
      recommendationTextLine.set(n, line);
    } else if (known !== t) {
      warnings.push({
        line,
        column: 'Recommendation text',
        message: `Recommendation ${n} is given a different text here than on ${options.lineWord.toLowerCase()} ${recommendationTextLine.get(n)}; the first is kept.`,
      });
    }
  };
  /** A row with one non-blank cell, not a ref: a title or section line. True if it was one. */
  const readSectionLine = (
    cells: readonly string[],
    line: number,
    aboveHeader: boolean,
  ): boolean => {
    const filled = cells.filter((c) => !isBlankCell(c));
    if (filled.length !== 1) return false;
    const only = tidyText(filled[0]!);
    if (normaliseRef(only) !== undefined) return false;
    const rec = RECOMMENDATION_ROW.exec(only);
    if (rec) {
      currentRecommendation = String(Number(rec[1]));
      if (!recommendations.has(currentRecommendation))
        recommendations.set(currentRecommendation, '');
      const text = tidyText(rec[2] ?? '');
      if (text) noteRecommendationText(currentRecommendation, text, line);
      awaitingRecommendationText = !text;
      return true;
    }
    const progress = PROGRESS_ROW.exec(only);
    if (progress) {
      progressUpdate ??= tidyText(progress[1] ?? '');
      awaitingRecommendationText = false;
      return true;
    }
    if (awaitingRecommendationText && currentRecommendation !== undefined) {
      noteRecommendationText(currentRecommendation, only, line);
      awaitingRecommendationText = false;
      return true;
    }
    if (aboveHeader) {
      title ??= only;
      return true;
    }
    return false;
  };

  for (const r of nonBlank.slice(0, Math.max(headerIndex, 0))) {
    if (!readSectionLine(r.cells, r.line, true)) {
      const first = r.cells.find((c) => !isBlankCell(c));
      if (first !== undefined) title ??= tidyText(first);
    }
  }

  let rowErrors = 0;
  const rowsBelow = nonBlank.slice(Math.max(headerIndex, 0) + 1);
  for (const [i, r] of rowsBelow.entries()) {
    if (rowErrors >= MAX_ROW_ERRORS) {
      errors.push({
        line: r.line,
        message: `Too many problems: reading stopped here after ${MAX_ROW_ERRORS} errors, with ${rowsBelow.length - i} rows not read. Is this an action plan?`,
      });
      break;
    }
    if (isHeaderRow(r.cells)) continue;
    if (readSectionLine(r.cells, r.line, false)) continue;
    awaitingRecommendationText = false;
    const before = errors.length;
    readRow(r);
    rowErrors += errors.length - before;
  }

  function readRow(r: TableRow): void {
    const { line, cells } = r;
    if (options.checkCellCount) {
      const lastFilled = cells.reduce((last, c, i) => (tidyText(c) ? i + 1 : last), 0);
      if (cells.length < match.width) {
        errors.push({
          line,
          message: `The row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} but the header has ${match.width} columns; check for a missing separator or a line break outside quotes.`,
        });
        return;
      }
      // More cells than the header: an unquoted comma shifted the row. Report that rather than
      // the wrong priority or status it causes; a harmless trailing separator passes.
      const tooLong = lastFilled > match.width || cells.length > Math.max(headerCells, match.width);
      if (tooLong) {
        const probe = readActionRow(rowCells(cells), line);
        if (lastFilled > match.width || probe.errors.length > 0) {
          errors.push({
            line,
            message: `The row has ${Math.max(lastFilled, cells.length)} cells but the header has ${match.width} columns; if the action text contains a comma, put the whole text in double quotes.`,
          });
          return;
        }
      }
    }
    const result = readActionRow(rowCells(cells), line);
    errors.push(...result.errors);
    warnings.push(...result.warnings);
    const action = result.action;
    if (!action) return;

    if (col.recommendation !== undefined) {
      const given = tidyText(cell(cells, 'recommendation'));
      const n = given ? recommendationNumber(given) : undefined;
      if (given && n === undefined) {
        errors.push({
          line,
          column: 'Recommendation',
          message: `Action ${action.ref} has recommendation "${given}"; give the recommendation's number, e.g. 1.`,
        });
        return;
      }
      if (n !== undefined && n !== recommendationOf(action.ref)) {
        errors.push({
          line,
          column: 'Recommendation',
          message: `Action ${action.ref} belongs to recommendation ${recommendationOf(action.ref)} by its ref, but the Recommendation column says ${n}.`,
        });
        return;
      }
    }
    const n = action.recommendation;
    if (!recommendations.has(n)) recommendations.set(n, '');
    noteRecommendationText(n, cell(cells, 'recommendationText'), line);

    const note = tidyNote(cell(cells, 'note'));
    if (note) action.note = note;
    const plan = tidyText(cell(cells, 'plan'));
    if (plan) planColumnTitle ??= plan;
    const progress = progressLabel(cell(cells, 'progressUpdate'));
    if (progress) progressUpdate ??= progress;
    actions.push(action);
  }

  if (match.untitledAction) {
    warnings.push({
      line: header.line,
      column: 'Action',
      message: `The column after Ref has no heading; it was read as the Action column.`,
    });
  }

  return {
    headerFound: headerIndex >= 0,
    headerLine: header.line,
    actions,
    recommendations,
    ...((planColumnTitle ?? title) !== undefined ? { title: planColumnTitle ?? title } : {}),
    ...(progressUpdate !== undefined ? { progressUpdate } : {}),
    errors,
    warnings,
  };
}

/**
 * A note as the person wrote it: unlike the plan's own cells, its line breaks stay (a note typed
 * over several lines in Teams comes back as it went out in an export), and so do curly quotes.
 * Line ends become \n, spaces (non-breaking ones too) within a line are collapsed, each line is
 * trimmed, and blank lines at the start and end go.
 */
export function tidyNote(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[\s\u00a0\u2007\u202f]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** Sorted recommendations, with one for every action's recommendation number. */
export function recommendationList(
  found: ReadonlyMap<string, string>,
  actions: readonly ParsedAction[],
): { number: string; text: string }[] {
  const all = new Map(found);
  for (const a of actions) if (!all.has(a.recommendation)) all.set(a.recommendation, '');
  return [...all.entries()]
    .map(([number, text]) => ({ number, text }))
    .sort((a, b) => Number(a.number) - Number(b.number));
}

/** "plans/MoJ plan.xlsx" → "MoJ plan". */
export function titleFromFileName(fileName: string | undefined): string {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const t = base.replace(/\.[^.]+$/, '').trim();
  return t || 'Action plan';
}
