import { recommendationOf } from '../domain/action-ref.js';
import { readActionRow, tidyText, type ActionRowCells } from '../domain/action-row.js';
import type { ImportIssue, ParsedAction } from '../domain/parsed-plan.js';
import type { SourcePosition } from '../domain/source-position.js';
import { currentTargetText } from './export/progress-report.js';
import {
  progressLabel,
  recommendationNumber,
  tidyNote,
  type ColumnKey,
  type HeaderMatch,
} from './header-columns.js';
import type { PlanSections } from './plan-sections.js';

/** The header row in force: its columns, and how many cells it had (for CSV's count check). */
export interface TableHeader {
  readonly match: HeaderMatch;
  readonly key: string;
  readonly cellCount: number;
}

export interface ActionRowContext {
  readonly header: TableHeader;
  readonly sections: PlanSections;
  readonly errors: ImportIssue[];
  readonly warnings: ImportIssue[];
  /** CSV: a row with fewer or more cells than the header is reported (a lost quote or comma). */
  readonly checkCellCount: boolean;
}

function cell(header: TableHeader, cells: readonly string[], key: ColumnKey): string {
  const i = header.match.columns[key];
  return i === undefined ? '' : (cells[i] ?? '');
}

function rowCells(header: TableHeader, cells: readonly string[]): ActionRowCells {
  return {
    ref: cell(header, cells, 'ref'),
    text: cell(header, cells, 'text'),
    priority: cell(header, cells, 'priority'),
    target: currentTargetText(cell(header, cells, 'target')),
    status: cell(header, cells, 'status'),
    owner: cell(header, cells, 'owner'),
    area: cell(header, cells, 'area'),
  };
}

/** CSV: a row whose cells do not line up with the header, said instead of misreading it. */
function cellCountProblem(
  header: TableHeader,
  cells: readonly string[],
  at: SourcePosition & { line: number },
): string | undefined {
  const { width } = header.match;
  const lastFilled = cells.reduce((last, c, i) => (tidyText(c) ? i + 1 : last), 0);
  if (cells.length < width) {
    return `The row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} but the header has ${width} columns; check for a missing separator or a line break outside quotes.`;
  }
  // More cells than the header: an unquoted comma shifted the row. Say that rather than the
  // wrong priority or status it causes; a harmless trailing separator passes.
  const tooLong = lastFilled > width || cells.length > Math.max(header.cellCount, width);
  if (tooLong && (lastFilled > width || readActionRow(rowCells(header, cells), at).errors.length)) {
    return `The row has ${Math.max(lastFilled, cells.length)} cells but the header has ${width} columns; if the action text contains a comma, put the whole text in double quotes.`;
  }
  return undefined;
}

/**
 * Reads one action row under its header: the cells by readActionRow, then what the optional
 * columns say (recommendation, its text, note, plan, progress update). The action, or undefined
 * when the row has errors (added to ctx.errors).
 */
export function readActionCells(
  ctx: ActionRowContext,
  cells: readonly string[],
  at: SourcePosition & { line: number },
): ParsedAction | undefined {
  const { header, sections, errors, warnings } = ctx;
  if (ctx.checkCellCount) {
    const problem = cellCountProblem(header, cells, at);
    if (problem) {
      errors.push({ ...at, message: problem });
      return undefined;
    }
  }
  const result = readActionRow(rowCells(header, cells), at);
  errors.push(...result.errors);
  warnings.push(...result.warnings);
  const action = result.action;
  if (!action) return undefined;

  const given = tidyText(cell(header, cells, 'recommendation'));
  if (given) {
    const n = recommendationNumber(given);
    if (n === undefined || n !== recommendationOf(action.ref)) {
      errors.push({
        ...at,
        column: 'Recommendation',
        message:
          n === undefined
            ? `Action ${action.ref} has recommendation "${given}"; give the recommendation's number, e.g. 1.`
            : `Action ${action.ref} belongs to recommendation ${recommendationOf(action.ref)} by its ref, but the Recommendation column says ${n}.`,
      });
      return undefined;
    }
  } else if (
    sections.currentRecommendation !== undefined &&
    sections.currentRecommendation !== action.recommendation
  ) {
    warnings.push({
      ...at,
      message: `Action ${action.ref} sits under recommendation ${sections.currentRecommendation}; it is filed under recommendation ${action.recommendation}, as its ref says.`,
    });
  }
  const n = action.recommendation;
  if (!sections.recommendations.has(n)) sections.recommendations.set(n, { text: '', at });
  const recommendationText = tidyText(cell(header, cells, 'recommendationText'));
  if (recommendationText) sections.noteRecommendationText(n, recommendationText, at);

  const note = tidyNote(cell(header, cells, 'note'));
  if (note) action.note = note;
  const plan = tidyText(cell(header, cells, 'plan'));
  if (plan) sections.planColumnTitle ??= plan;
  const progress = progressLabel(cell(header, cells, 'progressUpdate'));
  if (progress) sections.noteProgress(progress, at);
  return action;
}
