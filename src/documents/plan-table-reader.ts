import { normaliseRef } from '../domain/action-ref.js';
import { checkParsedPlan, tidyText } from '../domain/action-row.js';
import type { ImportIssue, ImportResult, ParsedAction } from '../domain/parsed-plan.js';
import { describeContainer, positionOf, type SourcePosition } from '../domain/source-position.js';
import { isGeneratedLine } from './export/progress-report.js';
import {
  headerIssues,
  isHeaderRow,
  matchHeader,
  PLAN_COLUMNS,
  recommendationList,
  titleFromFileName,
} from './header-columns.js';
import { readActionCells, type TableHeader } from './plan-action-rows.js';
import { PlanSections } from './plan-sections.js';

/**
 * The one reader of plan documents. Every format (text copied out of Word, CSV, Excel, Word)
 * turns its file into rows of text cells with their places, and this reads them by one set of
 * rules with one set of messages:
 *
 * - A row naming at least three of Ref, Action, Priority, Target date and Status is a header
 *   row; it sets the columns of the rows below it, until the next header row. A header repeated
 *   part-way down is skipped.
 * - Each table (an Excel sheet, a Word table; a text or CSV file is one table) needs its own
 *   header row. The rows above it are read once it is found; a table without one is not read (a
 *   warning), unless its rows look like actions (an error: its columns cannot be known).
 * - A row (or paragraph) with one filled cell that is not a ref is a section line: "Recommendation
 *   N" (its text on the same line or the lines after it), "Progress update – <label>", or the
 *   title (the document's first heading, else its first line). Other lines not understood are a
 *   warning (the exports' own "Generated on …" line aside); paragraphs of prose outside a Word
 *   table are not plan rows and are passed over.
 * - Every other row under a header is an action, read by readActionRow. A target the exports
 *   show as moved, "End Mar 2017 (moved to 30 June 2017)", is read as the date it moved to.
 * - A recommendation given twice with different texts is an error naming both places (one of the
 *   two would be lost); the same heading repeated, or with no text the second time, is fine. An
 *   action under another recommendation's heading is filed by its ref, with a warning.
 * - A second, different "Progress update – <label>" is a warning; the first is used.
 */

/** One row of a document, as text cells, with its place. */
export interface SourceRow {
  readonly cells: readonly string[];
  readonly at: SourcePosition;
  /** A Word paragraph outside any table (prose), rather than a table row or a line of text. */
  readonly paragraph?: boolean;
  /** A Word paragraph styled as a title or heading: the first one is the plan's title. */
  readonly heading?: boolean;
}

export interface ReadOptions {
  /** Names the plan when the document does not ("plans/MoJ plan.xlsx" → "MoJ plan"). */
  readonly fileName?: string;
  /**
   * Text copied out of a Word table: copying breaks wrapped rows, so a row with an empty ref
   * cell is a piece of the next action row (or of the one before it, at the end of a table).
   */
  readonly brokenRows?: boolean;
  /** CSV: a row with fewer or more cells than the header is reported (a lost quote or comma). */
  readonly checkCellCount?: boolean;
}

/** After this many row errors reading stops: the file is probably not a plan. */
export const MAX_ROW_ERRORS = 100;
/** The widest table read: a plan has a handful of columns; hundreds mean another kind of file. */
export const MAX_COLUMNS = 50;

const BLANK_CELL = /^[-–—_=|+\s]*$/;
const isBlankCell = (s: string): boolean => BLANK_CELL.test(s) || !tidyText(s);
const filledCount = (cells: readonly string[]): number =>
  cells.reduce((n, c) => (isBlankCell(c) ? n : n + 1), 0);
const widthOf = (cells: readonly string[]): number =>
  cells.reduce((w, c, i) => (isBlankCell(c) ? w : i + 1), 0);
/** The sheet or table a row belongs to; paragraphs belong to none. */
const tableOf = (r: SourceRow): string | undefined =>
  r.paragraph ? undefined : `${r.at.sheet ?? ''}\u0000${r.at.table ?? ''}`;

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** A file that could not be read at all: no plan, and the issues saying why. */
export function unreadable(fileName: string | undefined, ...errors: ImportIssue[]): ImportResult {
  return {
    plan: {
      title: titleFromFileName(fileName),
      progressUpdate: '',
      recommendations: [],
      actions: [],
      warnings: [],
    },
    errors,
  };
}

export function readPlanRows(rows: Iterable<SourceRow>, options: ReadOptions = {}): ImportResult {
  const reader = new PlanTableReader(options);
  for (const row of rows) reader.add(row);
  return reader.finish();
}

interface TableState {
  readonly id: string | undefined;
  /** Rows seen before the table's first header, read once it comes. */
  held: SourceRow[];
  headerFound: boolean;
  tooWide: boolean;
}

interface HeldAction {
  cells: string[];
  at: SourcePosition & { line: number };
}

class PlanTableReader {
  private readonly errors: ImportIssue[] = [];
  private readonly warnings: ImportIssue[] = [];
  private readonly actions: ParsedAction[] = [];
  private readonly sections: PlanSections;
  private header: TableHeader | undefined;
  private anyHeader = false;
  private readonly headerless: SourceRow[][] = [];
  private table: TableState = { id: '', held: [], headerFound: false, tooWide: false };
  private fragments: SourceRow[] = [];
  private pendingAction: HeldAction | undefined;
  private rowErrors = 0;
  private stopped = false;

  constructor(private readonly options: ReadOptions) {
    this.sections = new PlanSections(this.errors, this.warnings);
  }

  add(row: SourceRow): void {
    if (this.stopped) return;
    const id = tableOf(row);
    if (id !== this.table.id) this.startTable(id);
    const filled = filledCount(row.cells);
    if (filled === 0) return;
    if (row.paragraph) {
      this.readParagraph(row);
      return;
    }
    if (widthOf(row.cells) > MAX_COLUMNS) {
      if (!this.table.tooWide) {
        this.table.tooWide = true;
        this.errors.push({
          ...positionOf(row.at),
          message: `This row has ${widthOf(row.cells)} columns; a plan's table has at most ${MAX_COLUMNS}. Is this the plan?`,
        });
      }
      return;
    }
    // A header names at least three columns, and starts with no ref.
    if (filled >= 3 && !this.refLed(row.cells) && isHeaderRow(row.cells)) {
      this.readHeader(row);
      return;
    }
    if (!this.table.headerFound) {
      this.table.held.push(row);
      return;
    }
    this.readTableRow(row);
  }

  finish(): ImportResult {
    this.startTable(undefined);
    this.sections.closeRecommendationText();
    this.reportHeaderless();
    const recommendations = recommendationList(
      new Map([...this.sections.recommendations].map(([n, r]) => [n, r.text])),
      this.actions,
    );
    // "No actions were found" would only repeat the errors already given.
    if (this.actions.length > 0 || this.errors.length === 0) {
      this.errors.push(
        ...checkParsedPlan(
          this.actions,
          recommendations.filter((r) => this.sections.declared.has(r.number)),
        ),
      );
    }
    return {
      plan: {
        title: this.sections.title() ?? titleFromFileName(this.options.fileName),
        progressUpdate: this.sections.progress?.label ?? '',
        recommendations,
        actions: this.actions,
        warnings: this.warnings,
      },
      errors: this.errors,
    };
  }

  private startTable(id: string | undefined): void {
    this.endFragments();
    this.sections.closeRecommendationText();
    const ended = this.table;
    if (!ended.headerFound && ended.held.length > 0) this.headerless.push(ended.held);
    this.table = { id, held: [], headerFound: false, tooWide: false };
    this.header = undefined;
  }

  /**
   * Tables that never had a header row are not read. When no table had one, the first row of
   * several cells is read as a header, so that the columns it lacks are named.
   */
  private reportHeaderless(): void {
    const several = (r: SourceRow): boolean => filledCount(r.cells) > 1 || this.refLed(r.cells);
    const columns = PLAN_COLUMNS.filter((c) => c.required)
      .map((c) => c.name)
      .join(', ');
    if (!this.anyHeader) {
      const first = this.headerless.flat().find(several);
      if (!first) return;
      const match = matchHeader(first.cells);
      if (match.missing.length < PLAN_COLUMNS.filter((c) => c.required).length) {
        this.errors.push(...headerIssues(match, positionOf(first.at)).errors);
      } else {
        this.errors.push({
          message: `No header row was found: the plan's table needs a row naming its columns (${columns}).`,
        });
      }
      return;
    }
    for (const rows of this.headerless) {
      const where = describeContainer(rows[0]!.at);
      const actionLike = rows.find((r) => this.refLed(r.cells));
      if (actionLike) {
        this.errors.push({
          ...positionOf(actionLike.at),
          message: `${where} has rows that look like actions but no header row naming its columns (${columns}), so they cannot be read. Add the header row above them.`,
        });
      } else {
        this.warnings.push({
          ...positionOf(rows[0]!.at),
          message: `${where} has no header row naming the plan's columns (${columns}) and was not read.`,
        });
      }
    }
  }

  private refLed(cells: readonly string[]): boolean {
    const first = cells.find((c) => !isBlankCell(c)) ?? '';
    return normaliseRef(tidyText(first).split(' ')[0] ?? '') !== undefined;
  }

  private readHeader(row: SourceRow): void {
    this.endFragments();
    const key = row.cells.map(tidyText).join('\t');
    if (!this.table.headerFound) {
      this.table.headerFound = true;
      const held = this.table.held;
      this.table.held = [];
      for (const r of held) this.readHeldRow(r);
    }
    this.sections.closeRecommendationText();
    this.anyHeader = true;
    if (this.header?.key === key) return; // the same header again, part-way down
    const match = matchHeader(row.cells);
    const issues = headerIssues(match, positionOf(row.at));
    this.errors.push(...issues.errors);
    this.warnings.push(...issues.warnings);
    this.header =
      issues.errors.length > 0 ? undefined : { match, key, cellCount: row.cells.length };
    this.sections.preamble = false;
  }

  /** A row from above the header: a section line, the title, or a row that is not read. */
  private readHeldRow(row: SourceRow): void {
    const filled = row.cells.filter((c) => !isBlankCell(c));
    if (filled.length !== 1 || this.refLed(row.cells)) {
      this.warnings.push({
        ...positionOf(row.at),
        message: `This row comes before the header row and was not read ("${clip(tidyText(filled.join(' ')))}").`,
      });
      return;
    }
    const text = tidyText(filled[0]!);
    if (this.sectionLine(text, row.at)) return;
    if (this.sections.preamble && this.sections.firstLineTitle === undefined) {
      this.sections.firstLineTitle = text;
      return;
    }
    if (isGeneratedLine(text)) return;
    this.warnings.push({
      ...positionOf(row.at),
      message: `"${clip(text)}" was not understood and was ignored.`,
    });
  }

  /** Prose outside a Word table: a section line, the title, or passed over. */
  private readParagraph(row: SourceRow): void {
    const text = tidyText(row.cells.join(' '));
    if (this.sectionLine(text, row.at)) return;
    if (row.heading && !this.sections.headingTitle && this.sections.preamble)
      this.sections.headingTitle = text;
    else if (this.sections.preamble) this.sections.firstLineTitle ??= text;
  }

  /** A section line ends the broken pieces of the row above it. */
  private sectionLine(text: string, at: SourcePosition): boolean {
    return this.sections.sectionLine(text, at, () => this.endFragments());
  }

  private readTableRow(row: SourceRow): void {
    if (this.readSectionOrTitleInTable(row)) return;
    this.sections.closeRecommendationText();
    if (!this.header) return; // its header had errors, already reported
    const refIndex = this.header.match.columns.ref;
    const refCell = refIndex === undefined ? '' : (row.cells[refIndex] ?? '');
    if (this.options.brokenRows && !tidyText(refCell)) {
      this.fragments.push(row);
      return;
    }
    this.flushPendingAction();
    const line = row.at.line ?? 0;
    let cells = [...row.cells];
    if (this.fragments.length > 0) {
      cells = mergeCells([...this.fragments.map((f) => f.cells), cells]);
      this.fragments = [];
    }
    this.pendingAction = { cells, at: { ...positionOf(row.at), line } };
  }

  /** In a table, a single-cell line is a section line; with broken rows, other text is a piece of a row. */
  private readSectionOrTitleInTable(row: SourceRow): boolean {
    if (filledCount(row.cells) !== 1 || this.refLed(row.cells)) return false;
    const text = tidyText(row.cells.find((c) => !isBlankCell(c))!);
    if (this.sectionLine(text, row.at)) return true;
    if (this.options.brokenRows && this.header) {
      // A line of text with no cells: the wrapped end of an action's text.
      const textColumn = this.header.match.columns.text ?? 1;
      const cells: string[] = [];
      cells[textColumn] = text;
      this.fragments.push({ ...row, cells: Array.from(cells, (c) => c ?? '') });
      return true;
    }
    return false;
  }

  /** Pieces left when a table ends belong to the row above them. */
  private endFragments(): void {
    if (this.fragments.length > 0) {
      if (this.pendingAction) {
        this.pendingAction.cells = mergeCells([
          this.pendingAction.cells,
          ...this.fragments.map((f) => f.cells),
        ]);
      } else {
        for (const f of this.fragments) {
          this.warnings.push({
            ...positionOf(f.at),
            message: `"${clip(tidyText(f.cells.join(' ')))}" has no action ref and no action to belong to; it was ignored.`,
          });
        }
      }
      this.fragments = [];
    }
    this.flushPendingAction();
  }

  private flushPendingAction(): void {
    const pending = this.pendingAction;
    this.pendingAction = undefined;
    if (!pending || !this.header || this.stopped) return;
    if (this.rowErrors >= MAX_ROW_ERRORS) {
      this.stopped = true;
      this.errors.push({
        ...pending.at,
        message: `Too many problems: reading stopped here after ${MAX_ROW_ERRORS} errors. Is this an action plan?`,
      });
      return;
    }
    const before = this.errors.length;
    const action = readActionCells(
      {
        header: this.header,
        sections: this.sections,
        errors: this.errors,
        warnings: this.warnings,
        checkCellCount: this.options.checkCellCount === true,
      },
      pending.cells,
      pending.at,
    );
    if (action) this.actions.push(action);
    this.rowErrors += this.errors.length - before;
  }
}

/** Joins broken pieces of one row, column by column. */
function mergeCells(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, i) =>
    rows
      .map((r) => tidyText(r[i] ?? ''))
      .filter(Boolean)
      .join('\n'),
  );
}
