import { tidyText } from '../domain/action-row.js';
import type { ImportIssue, ParsedAction } from '../domain/parsed-plan.js';
import type { SourcePosition } from '../domain/source-position.js';

/**
 * The plan's columns and how people head them, for every format (text, CSV, Excel, Word): a
 * header row is matched here, and read by plan-table-reader.ts.
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
    headers: ['Status', 'Progress', 'Current status', 'RAG status'],
    required: true,
  },
  {
    key: 'owner',
    name: 'Owner',
    headers: [
      'Owner',
      'Owners',
      'Action owner',
      'Owner email',
      'Email',
      'Assigned to',
      'Lead',
      'Responsible',
    ],
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

/** Words that say nothing about which column a heading names ("Date of the target"). */
const FILLER = new Set(['the', 'a', 'an', 'of', 'for', 'by', 'to', 'in', 'on', 'and']);

/**
 * A heading as it is compared: bracketed hints ("(dd/mm/yyyy)", "(s)", "[RAG]"), punctuation,
 * case and filler words dropped, and what is left run together: "Target date (dd/mm/yyyy)" →
 * "targetdate", "Owner(s)" → "owner", "Action no." → "actionno".
 */
export function normaliseHeader(text: string): string {
  const words = (t: string): string =>
    t
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w && !FILLER.has(w))
      .join('');
  const withoutHints = words(text.replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, ' '));
  // A heading that is all brackets ("(Action)") is its own hint.
  return withoutHints || words(text);
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
  /** Header cells that name a column already found further left, with the first one's text. */
  readonly repeated: readonly { index: number; text: string; first: string; column: ColumnSpec }[];
  /** The number of cells the header row has, up to its last non-blank one. */
  readonly width: number;
}

/**
 * Matches a header row's cells to the plan columns. The IMA template leaves the action column
 * unheaded ("Ref | | Priority High/Med/Low | …"): a blank heading right after Ref, when no other
 * column is headed as the action, is the action column.
 */
export function matchHeader(cells: readonly string[]): HeaderMatch {
  const columns: Partial<Record<ColumnKey, number>> = {};
  const unknown: { index: number; text: string }[] = [];
  const repeated: { index: number; text: string; first: string; column: ColumnSpec }[] = [];
  let width = 0;
  cells.forEach((raw, index) => {
    const text = tidyText(raw);
    if (!text) return;
    width = index + 1;
    const column = columnForHeader(text);
    if (!column) unknown.push({ index, text });
    else if (columns[column.key] !== undefined) {
      const first = tidyText(cells[columns[column.key]!] ?? '');
      repeated.push({ index, text, first, column });
    } else columns[column.key] = index;
  });
  const refIndex = columns.ref;
  if (
    columns.text === undefined &&
    refIndex !== undefined &&
    !tidyText(cells[refIndex + 1] ?? '') &&
    refIndex + 1 < width
  ) {
    columns.text = refIndex + 1;
  }
  const missing = PLAN_COLUMNS.filter((c) => c.required && columns[c.key] === undefined);
  return { columns, missing, unknown, repeated, width };
}

const REQUIRED = PLAN_COLUMNS.filter((c) => c.required);

/** A row is taken as a header when it names at least three of the five required columns. */
export function isHeaderRow(cells: readonly string[]): boolean {
  return REQUIRED.length - matchHeader(cells).missing.length >= 3;
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

/**
 * What a header row gives: an error for each missing required column and for two columns that
 * both name one field (which one holds the plan's values cannot be guessed), a warning naming
 * the columns that are not recognised (they are not read).
 */
export function headerIssues(
  match: HeaderMatch,
  at: SourcePosition,
): { errors: ImportIssue[]; warnings: ImportIssue[] } {
  const errors = match.missing.map((c): ImportIssue => ({
    ...at,
    column: c.name,
    message: `The header has no ${c.name} column. Name it one of: ${c.headers.join(', ')}.`,
  }));
  for (const r of match.repeated) {
    errors.push({
      ...at,
      column: r.column.name,
      message: `Columns "${r.first}" and "${r.text}" both look like the ${r.column.name} column; keep one, or rename the other.`,
    });
  }
  const warnings: ImportIssue[] = [];
  if (match.unknown.length > 0) {
    const names = match.unknown.map((u) => u.text);
    const one = names.length === 1;
    warnings.push({
      ...at,
      message:
        `${one ? 'Column' : 'Columns'} ${quoteList(names)} ${one ? 'is' : 'are'} not recognised ` +
        `and ${one ? 'was' : 'were'} ignored. Recognised columns: ${PLAN_COLUMNS.map((c) => c.name).join(', ')}.`,
    });
  }
  return { errors, warnings };
}

export const RECOMMENDATION_ROW = /^recommendation\s*(?:no\.?\s*)?(\d{1,3})\b\s*[:.\-–—]?\s*(.*)$/i;
export const PROGRESS_ROW = /^progress\s+update\s*[:\-–—]?\s*(.*)$/i;

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
