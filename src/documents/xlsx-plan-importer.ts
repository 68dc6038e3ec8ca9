import ExcelJS from 'exceljs';

import type { ImportResult } from '../domain/parsed-plan.js';
import { restoreFormulaText } from './formula-text.js';
import { readPlanRows, unreadable, type SourceRow } from './plan-table-reader.js';

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

function sheetRows(sheet: ExcelJS.Worksheet, date1904: boolean): SourceRow[] {
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i), date1904));
    rows.push({ at: { sheet: sheet.name, line: row.number }, cells });
  });
  return rows;
}

/**
 * Reads a plan from an Excel workbook: every sheet's rows go to the one plan reader
 * (plan-table-reader.ts), each sheet a table of its own, so a workbook with a sheet per
 * recommendation works; a sheet with no header row is not read (and said so). Places are the
 * sheet's name and row number.
 */
export async function parseXlsxPlan(bytes: Buffer, fileName?: string): Promise<ImportResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return unreadable(fileName, {
      message: `The Excel workbook could not be read (${reason}). Open it in Excel and save it again as "Excel Workbook (.xlsx)".`,
    });
  }
  const date1904 = Boolean(workbook.properties.date1904);
  return readPlanRows(
    workbook.worksheets.flatMap((sheet) => sheetRows(sheet, date1904)),
    fileName !== undefined ? { fileName } : {},
  );
}
