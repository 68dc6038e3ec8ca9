import { normaliseRef } from '../domain/action-ref.js';
import { checkParsedPlan, readActionRow, tidyText } from '../domain/action-row.js';
import type { ImportIssue, ImportResult, ParsedAction } from '../domain/parsed-plan.js';

/**
 * Reads a plan copied out of a Word table as text: the layout of The National Archives' IMA action
 * plans. The file has a title, then for each recommendation "Recommendation N", its text,
 * "Progress update – <Month Year>", a header row and one tab-separated row per action:
 * Ref, action, priority, target completion date, status.
 *
 * Copying from Word breaks some rows. A cell whose text wraps, in a row whose cells are vertically
 * centred, starts on a line of its own ABOVE the ref, with an empty first cell (the MoJ plan's 2.6
 * and 4.4, whose target "30 Sept" / "2016" is split the same way). So a line with an empty ref
 * cell is a fragment: its cells are joined, column by column, onto the next action row; a fragment
 * with no action row after it in the same table belongs to the row before it. Border lines
 * ("-----") and blank lines are ignored. Nothing else is dropped: any line not understood is a
 * warning naming its line number.
 */
export function parseTextPlan(source: string): ImportResult {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  return new TextPlanReader(lines).read();
}

const RECOMMENDATION = /^recommendation\s+(\d{1,3})\s*[:.\-–—]?\s*(.*)$/i;
const PROGRESS_UPDATE = /^progress\s+update\s*[-–—:]?\s*(.*)$/i;
const BORDER = /^[\s\-–—_=+|]+$/;

interface Fragment {
  cells: string[];
  line: number;
}

interface Columns {
  ref: number;
  text: number;
  priority: number;
  target: number;
  status: number;
}

/** Ref, action, priority, target, status: the column order of every IMA plan seen so far. */
const DEFAULT_COLUMNS: Columns = { ref: 0, text: 1, priority: 2, target: 3, status: 4 };

type Section = 'preamble' | 'recommendation-text' | 'table';

class TextPlanReader {
  private title = '';
  private progressUpdate = '';
  private readonly recommendations: { number: string; text: string }[] = [];
  private readonly actions: ParsedAction[] = [];
  private readonly warnings: ImportIssue[] = [];
  private readonly errors: ImportIssue[] = [];
  private section: Section = 'preamble';
  private columns: Columns = DEFAULT_COLUMNS;
  private pending: Fragment[] = [];
  private lastRow: { cells: string[]; line: number } | undefined;

  constructor(private readonly lines: readonly string[]) {}

  read(): ImportResult {
    this.lines.forEach((raw, i) => this.readLine(raw, i + 1));
    this.endTable();
    this.flushRow();
    if (!this.title) this.warnings.push({ message: 'The plan has no title line.' });
    this.errors.push(...checkParsedPlan(this.actions, this.recommendations));
    return {
      plan: {
        title: this.title,
        progressUpdate: this.progressUpdate,
        recommendations: this.recommendations,
        actions: this.actions,
        warnings: this.warnings,
      },
      errors: this.errors,
    };
  }

  private readLine(raw: string, line: number): void {
    const text = tidyText(raw);
    if (!text || BORDER.test(raw)) return;

    const rec = RECOMMENDATION.exec(text);
    if (rec && !raw.includes('\t')) {
      this.endTable();
      this.startRecommendation(rec[1]!, rec[2] ?? '', line);
      return;
    }
    const progress = PROGRESS_UPDATE.exec(text);
    if (progress && !raw.includes('\t')) {
      this.noteProgressUpdate(tidyText(progress[1] ?? ''), line);
      return;
    }
    const cells = splitCells(raw);
    if (isHeader(cells)) {
      this.columns = columnsFrom(cells);
      this.section = 'table';
      return;
    }

    switch (this.section) {
      case 'preamble':
        if (!this.title) this.title = text;
        else
          this.warnings.push({
            line,
            message: `Line ${line} ("${clip(text)}") was not understood and was ignored.`,
          });
        return;
      case 'recommendation-text': {
        const current = this.recommendations[this.recommendations.length - 1]!;
        this.recommendations[this.recommendations.length - 1] = {
          number: current.number,
          text: current.text ? `${current.text} ${text}` : text,
        };
        return;
      }
      case 'table':
        this.readTableLine(cells, line);
    }
  }

  private startRecommendation(number: string, rest: string, line: number): void {
    if (this.recommendations.some((r) => r.number === number)) {
      this.errors.push({ line, message: `Recommendation ${number} appears twice (line ${line}).` });
    }
    this.recommendations.push({ number, text: tidyText(rest) });
    this.section = 'recommendation-text';
    this.columns = DEFAULT_COLUMNS;
  }

  private noteProgressUpdate(label: string, line: number): void {
    if (!this.progressUpdate) this.progressUpdate = label;
    else if (label && label !== this.progressUpdate) {
      this.warnings.push({
        line,
        message: `Line ${line} says "Progress update – ${label}" but an earlier one says "${this.progressUpdate}"; the first is used.`,
      });
    }
    // A table usually follows its header row; some copies lose the header, so allow rows anyway.
    this.section = 'table';
  }

  private readTableLine(cells: string[], line: number): void {
    const refCell = cells[this.columns.ref] ?? '';
    if (tidyText(refCell) === '') {
      this.pending.push({ cells, line });
      return;
    }
    this.flushRow();
    if (this.pending.length > 0) {
      cells = mergeCells([...this.pending.map((f) => f.cells), cells]);
      this.pending = [];
    }
    this.lastRow = { cells, line };
  }

  /** Fragments left over when a table ends belong to the row above them. */
  private endTable(): void {
    if (this.pending.length === 0) {
      this.flushRow();
      return;
    }
    if (this.lastRow) {
      this.lastRow = {
        cells: mergeCells([this.lastRow.cells, ...this.pending.map((f) => f.cells)]),
        line: this.lastRow.line,
      };
    } else {
      for (const f of this.pending) {
        this.warnings.push({
          line: f.line,
          message: `Line ${f.line} ("${clip(tidyText(f.cells.join(' ')))}") has no action ref and no action to belong to; it was ignored.`,
        });
      }
    }
    this.pending = [];
    this.flushRow();
  }

  private flushRow(): void {
    if (!this.lastRow) return;
    const { cells, line } = this.lastRow;
    this.lastRow = undefined;
    const c = this.columns;
    const result = readActionRow(
      {
        ref: cells[c.ref] ?? '',
        text: cells[c.text] ?? '',
        priority: cells[c.priority] ?? '',
        target: cells[c.target] ?? '',
        status: cells[c.status] ?? '',
      },
      line,
    );
    this.errors.push(...result.errors.map((e) => withLine(e, line)));
    this.warnings.push(...result.warnings.map((w) => withLine(w, line)));
    if (result.action) {
      const rec = this.recommendations[this.recommendations.length - 1];
      if (rec && rec.number !== result.action.recommendation) {
        this.warnings.push({
          line,
          message: `Line ${line}: action ${result.action.ref} sits under recommendation ${rec.number}; it is filed under recommendation ${result.action.recommendation}, as its ref says.`,
        });
      }
      this.actions.push(result.action);
    }
  }
}

function withLine(issue: ImportIssue, line: number): ImportIssue {
  return issue.message.startsWith('Line ')
    ? issue
    : { ...issue, line, message: `Line ${line}: ${issue.message}` };
}

/** Tabs separate cells; a line typed by hand may use runs of two or more spaces instead. */
function splitCells(raw: string): string[] {
  if (raw.includes('\t')) return raw.split('\t');
  const cells = raw.trim().split(/ {2,}/);
  if (cells.length > 1) return cells;
  // A lone ref-led line without separators: "2.6 Scheme L 2016 Complete" cannot be split safely,
  // so it is kept whole in the ref cell and reported by readActionRow.
  const first = raw.trim().split(/\s+/)[0] ?? '';
  return normaliseRef(first) ? [raw.trim()] : ['', raw.trim()];
}

function isHeader(cells: string[]): boolean {
  const names = cells.map((c) => tidyText(c).toLowerCase());
  return (
    names[0] === 'ref' &&
    names.some((n) => n.startsWith('priority')) &&
    names.some((n) => n.startsWith('status'))
  );
}

function columnsFrom(cells: string[]): Columns {
  const names = cells.map((c) => tidyText(c).toLowerCase());
  const find = (prefix: string, fallback: number) => {
    const i = names.findIndex((n) => n.startsWith(prefix));
    return i >= 0 ? i : fallback;
  };
  const priority = find('priority', 2);
  // The action column has no heading in the IMA template: it is the first column after Ref.
  const named = names.findIndex((n, i) => i > 0 && /^(action|description)/.test(n));
  return {
    ref: 0,
    text: named >= 0 ? named : 1,
    priority,
    target: find('target', priority + 1),
    status: find('status', priority + 2),
  };
}

function mergeCells(rows: readonly string[][]): string[] {
  const width = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, i) =>
    rows
      .map((r) => tidyText(r[i] ?? ''))
      .filter(Boolean)
      .join(' '),
  );
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
