import ExcelJS from 'exceljs';

import { checkParsedPlan } from '../domain/action-row.js';
import type { ImportIssue, ImportResult, ParsedAction, ParsedPlan } from '../domain/parsed-plan.js';
import { restoreFormulaText } from './formula-text.js';
import {
  PLAN_COLUMNS,
  readTable,
  recommendationList,
  titleFromFileName,
  type TableResult,
  type TableRow,
} from './header-columns.js';

/** A header row is looked for in this many (non-blank) rows at the top of each sheet. */
export const HEADER_SEARCH_ROWS = 20;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A date as YYYY-MM-DD, which readActionRow resolves. Excel dates are UTC midnights, give or take float error. */
function isoDate(d: Date): string {
  const rounded = new Date(Math.round(d.getTime() / 60_000) * 60_000);
  return `${pad(rounded.getUTCFullYear(), 4)}-${pad(rounded.getUTCMonth() + 1)}-${pad(rounded.getUTCDate())}`;
}

/** True for number formats that show a date ("dd/mm/yyyy", "d-mmm-yy", "[$-809]dd mmmm yyyy"). */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const bare = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dy]/i.test(bare) || /m{3,}/i.test(bare);
}

/** An Excel serial day number as a date (1900 or 1904 date system). */
function serialToDate(serial: number, date1904: boolean): Date {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(epoch + serial * 86_400_000);
}

/** A number as Excel shows it: a ref typed as 1.10 and formatted "0.00" stays "1.10". */
function numberText(n: number, numFmt: string | undefined): string {
  const fixed = numFmt ? /^0\.(0+)$/.exec(numFmt) : null;
  return fixed ? n.toFixed(fixed[1]!.length) : String(n);
}

type Scalar = ExcelJS.CellValue;

/**
 * The text a cell shows: rich text joined, a formula's result, a date as YYYY-MM-DD; without the
 * apostrophe an export put before text that looks like a formula (formula-text.ts).
 */
export function cellText(cell: ExcelJS.Cell, date1904 = false): string {
  if (cell.isMerged && cell.master !== cell) return '';
  return restoreFormulaText(valueText(cell.value, cell.numFmt, date1904));
}

function valueText(value: Scalar, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    return isDateFormat(numFmt)
      ? isoDate(serialToDate(value, date1904))
      : numberText(value, numFmt);
  }
  if (value instanceof Date) return isoDate(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) {
    // The text of a hyperlink cell can itself be rich text.
    const text: unknown = value.text;
    if (typeof text === 'string') return text;
    if (text && typeof text === 'object' && 'richText' in text) {
      return (text as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    }
    return value.hyperlink.replace(/^mailto:/i, '');
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result === undefined) return '';
    return valueText(result, numFmt, date1904);
  }
  if ('error' in value) return value.error;
  return '';
}

function sheetRows(sheet: ExcelJS.Worksheet, date1904: boolean): TableRow[] {
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i), date1904));
    rows.push({ line: row.number, cells });
  });
  return rows;
}

const emptyPlan = (title: string): ParsedPlan => ({
  title,
  progressUpdate: '',
  recommendations: [],
  actions: [],
  warnings: [],
});

const inSheet = (sheet: string, issue: ImportIssue): ImportIssue => ({
  ...issue,
  message: `Sheet "${sheet}": ${issue.message}`,
});

/**
 * Reads a plan from an Excel workbook. Every sheet with a header row (see header-columns.ts) among
 * its first 20 rows is read, so a workbook with a sheet per recommendation works; rows above the
 * header give the title ("Recommendation N" and "Progress update – …" lines are read as such).
 * Issue lines are the sheet's row numbers and messages name the sheet.
 */
export async function parseXlsxPlan(bytes: Buffer, fileName?: string): Promise<ImportResult> {
  const fallbackTitle = titleFromFileName(fileName);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      plan: emptyPlan(fallbackTitle),
      errors: [
        {
          message: `The Excel workbook could not be read (${reason}). Open it in Excel and save it again as "Excel Workbook (.xlsx)".`,
        },
      ],
    };
  }
  const date1904 = Boolean(workbook.properties.date1904);

  const tables: { sheet: string; table: TableResult }[] = [];
  const skipped: string[] = [];
  for (const sheet of workbook.worksheets) {
    const table = readTable(
      sheetRows(sheet, date1904),
      { checkCellCount: false, lineWord: 'Row' },
      HEADER_SEARCH_ROWS,
    );
    if (table.headerFound) tables.push({ sheet: sheet.name, table });
    else if (table.headerLine !== undefined) skipped.push(sheet.name);
  }

  if (tables.length === 0) {
    const names = workbook.worksheets.map((s) => `"${s.name}"`).join(', ');
    return {
      plan: emptyPlan(fallbackTitle),
      errors: [
        {
          message:
            `No sheet has a header row in its first ${HEADER_SEARCH_ROWS} rows (sheets looked at: ${names || 'none'}). ` +
            `The plan needs a row naming its columns: ${PLAN_COLUMNS.filter((c) => c.required)
              .map((c) => c.name)
              .join(', ')}.`,
        },
      ],
    };
  }

  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const actions: ParsedAction[] = [];
  const sheetOf: string[] = [];
  const recommendations = new Map<string, string>();
  for (const { sheet, table } of tables) {
    errors.push(...table.errors.map((i) => inSheet(sheet, i)));
    warnings.push(...table.warnings.map((i) => inSheet(sheet, i)));
    for (const a of table.actions) {
      actions.push(a);
      sheetOf.push(sheet);
    }
    for (const [n, text] of table.recommendations) {
      if (!recommendations.get(n)) recommendations.set(n, text);
    }
  }
  for (const name of skipped) {
    warnings.push({
      message: `Sheet "${name}" has no header row in its first ${HEADER_SEARCH_ROWS} rows and was not read.`,
    });
  }

  if (actions.length > 0 || errors.length === 0) {
    errors.push(...checkAcrossSheets(actions, sheetOf));
  }

  const first = tables[0]!.table;
  return {
    plan: {
      title: tables.map((t) => t.table.title).find((t) => t) ?? fallbackTitle,
      progressUpdate:
        tables.map((t) => t.table.progressUpdate).find((p) => p) ?? first.progressUpdate ?? '',
      recommendations: recommendationList(recommendations, actions),
      actions,
      warnings,
    },
    errors,
  };
}

/**
 * checkParsedPlan over actions from several sheets, whose row numbers can repeat: each action is
 * checked under its position in the list, and the positions are turned back into sheet and row.
 */
function checkAcrossSheets(
  actions: readonly ParsedAction[],
  sheetOf: readonly string[],
): ImportIssue[] {
  const indexed = actions.map((a, i) => ({ ...a, line: i + 1 }));
  const where = (position: number): { row: number; sheet: string } => ({
    row: actions[position - 1]?.line ?? position,
    sheet: sheetOf[position - 1] ?? '',
  });
  return checkParsedPlan(indexed, []).map((issue) => {
    if (issue.line === undefined) return issue;
    const at = where(issue.line);
    const message = issue.message.replace(
      /\(lines (\d+) and (\d+)\)/,
      (_m, a: string, b: string) => {
        const x = where(Number(a));
        const y = where(Number(b));
        return x.sheet === y.sheet
          ? `(rows ${x.row} and ${y.row})`
          : `(row ${x.row} of sheet "${x.sheet}" and row ${y.row} of sheet "${y.sheet}")`;
      },
    );
    return { ...issue, line: at.row, message: `Sheet "${at.sheet}": ${message}` };
  });
}
