import { Workbook, type Worksheet } from 'exceljs';
import { neutraliseFormula } from '../formula-text.js';
import {
  ownersText,
  type ProgressReport,
  type ProgressReportRecommendation,
  type ProgressReportRow,
  generatedLine,
  xmlSafe,
} from './progress-report.js';

export const XLSX_SHEET_NAME = 'Progress update';

/** The columns, in order, with their widths in characters. The importers read these headings. */
export const XLSX_COLUMNS: readonly {
  header: string;
  width: number;
  cell: (row: ProgressReportRow, rec: ProgressReportRecommendation) => string | number;
}[] = [
  // A number, so Excel's filter sorts 2 before 10; refs stay text ("1.10" is not 1.1).
  { header: 'Recommendation', width: 16, cell: (_r, rec) => recommendationCell(rec.number) },
  { header: 'Ref', width: 8, cell: (r) => r.ref },
  { header: 'Action', width: 60, cell: (r) => r.text },
  { header: 'Priority', width: 10, cell: (r) => r.priorityLabel },
  // The target as it stands, which an import reads back; the plan's first one where it moved.
  { header: 'Target date', width: 16, cell: (r) => r.targetText },
  { header: 'Original target', width: 16, cell: (r) => (r.moved ? r.originalTarget : '') },
  { header: 'Status', width: 13, cell: (r) => r.statusLabel },
  { header: 'Owner', width: 30, cell: (r) => ownersText(r) },
  { header: 'Area', width: 14, cell: (r) => r.area },
  { header: 'Latest note', width: 50, cell: (r) => r.note },
  { header: 'Recommendation text', width: 60, cell: (_r, rec) => rec.text },
];

/** Title, label and generated line, a blank row, then the header row. */
export const XLSX_HEADER_ROW = 5;

/**
 * The progress update as one sheet: the plan title in A1 (where the XLSX importer looks for it),
 * "Progress update – <label>" in A2, then one row per action under a frozen, filterable header.
 */
export async function exportXlsx(
  report: ProgressReport,
  onRow: (done: number) => void = () => undefined,
): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Action plan bot';
  workbook.title = `${report.title} – Progress update – ${report.label}`;
  const sheet = workbook.addWorksheet(XLSX_SHEET_NAME, {
    views: [
      {
        state: 'frozen',
        xSplit: 0,
        ySplit: XLSX_HEADER_ROW,
        topLeftCell: `A${XLSX_HEADER_ROW + 1}`,
      },
    ],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  sheet.columns = XLSX_COLUMNS.map((c) => ({ width: c.width }));

  sheet.getCell('A1').value = safeCell(report.title);
  sheet.getCell('A1').font = { bold: true, size: 14 };
  sheet.getCell('A2').value = xmlSafe(`Progress update – ${report.label}`);
  sheet.getCell('A2').font = { bold: true };
  sheet.getCell('A3').value = generatedLine(report);

  writeHeader(sheet);
  let done = 0;
  for (const rec of report.recommendations) {
    for (const row of rec.rows) {
      const added = sheet.addRow(XLSX_COLUMNS.map((c) => safeCell(c.cell(row, rec))));
      added.alignment = { vertical: 'top', wrapText: true };
      onRow(++done);
    }
  }
  sheet.autoFilter = {
    from: { row: XLSX_HEADER_ROW, column: 1 },
    to: { row: XLSX_HEADER_ROW, column: XLSX_COLUMNS.length },
  };
  sheet.pageSetup.printTitlesRow = `${XLSX_HEADER_ROW}:${XLSX_HEADER_ROW}`;

  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer);
}

function writeHeader(sheet: Worksheet): void {
  const header = sheet.getRow(XLSX_HEADER_ROW);
  header.values = XLSX_COLUMNS.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.border = { bottom: { style: 'thin' } };
  });
}

function recommendationCell(n: string): string | number {
  return /^\d+$/.test(n) ? Number(n) : n;
}

/** An empty text is an empty cell, not a cell holding ""; text that looks like a formula stays text. */
const safeCell = (v: string | number): string | number | null =>
  typeof v === 'number' ? v : v === '' ? null : xmlSafe(neutraliseFormula(v));
