import { Workbook, type Worksheet } from 'exceljs';
import { compareRefs } from '../../../../src/domain/action-ref.js';
import { priorityLabel } from '../../../../src/domain/priority.js';
import { statusLabel } from '../../../../src/domain/status.js';
import { exportXlsx } from '../../../../src/documents/export/export-xlsx.js';
import { AWKWARD_NOTE, LABEL, sampleActions, samplePlan, sampleReport } from './sample-plan.js';

type ExcelBuffer = Parameters<Workbook['xlsx']['load']>[0];

const HEADER = [
  'Recommendation',
  'Ref',
  'Action',
  'Priority',
  'Target date',
  'Original target',
  'Status',
  'Owner',
  'Area',
  'Latest note',
  'Recommendation text',
];

/** A row's cells as text, columns A..K; an empty cell is "". */
const cells = (sheet: Worksheet, row: number): string[] =>
  HEADER.map((_h, i) => {
    const v = sheet.getRow(row).getCell(i + 1).value;
    return v === null || v === undefined ? '' : String(v);
  });

describe('exportXlsx', () => {
  const plan = samplePlan();
  const actions = sampleActions();
  const report = sampleReport({ plan, actions });
  let sheet: Worksheet;
  let sheetNames: string[];
  beforeAll(async () => {
    const workbook = new Workbook();
    // exceljs declares its own global `Buffer` (extending ArrayBuffer) that a Node Buffer no
    // longer matches under @types/node 20; at run time it takes a Node Buffer as it should.
    const data = await exportXlsx(report);
    await workbook.xlsx.load(data as unknown as ExcelBuffer);
    sheetNames = workbook.worksheets.map((w) => w.name);
    const s = workbook.getWorksheet('Progress update');
    if (!s) throw new Error('no "Progress update" sheet');
    sheet = s;
  });

  it('has one sheet, with the plan title in A1 and the label under it', () => {
    expect(sheetNames).toEqual(['Progress update']);
    expect(sheet.getCell('A1').value).toBe(plan.title);
    expect(sheet.getCell('A2').value).toBe(`Progress update – ${LABEL}`);
    expect(sheet.getCell('A3').value).toBe(
      'Generated on 24 November 2026. 8 actions: 3 not started, 2 in progress, 1 blocked, 1 complete, 1 closed.',
    );
  });

  it('has the header row an importer looks for, frozen and filterable', () => {
    const headerRow = 5;
    expect(cells(sheet, headerRow)).toEqual(HEADER);
    expect(sheet.getRow(headerRow).cellCount).toBe(HEADER.length);
    // Every row above the header except the title, label and generated line is empty.
    expect(cells(sheet, 4).every((c) => c === '')).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    expect(sheet.autoFilter).toBe(`A${headerRow}:K${headerRow}`);
    expect(sheet.getRow(headerRow).font?.bold).toBe(true);
  });

  it('writes one row per action, in recommendation then ref order, every cell from the plan', () => {
    const byRef = new Map(actions.map((a) => [a.ref, a]));
    const recText = new Map(plan.recommendations.map((r) => [r.number, r.text]));
    const rows = Array.from({ length: sheet.rowCount - 5 }, (_x, i) => cells(sheet, 6 + i));

    expect(rows.map((r) => r[1])).toEqual(actions.map((a) => a.ref).sort(compareRefs));
    for (const [
      rec,
      ref,
      text,
      priority,
      target,
      original,
      status,
      owner,
      area,
      note,
      recommendationText,
    ] of rows) {
      const a = byRef.get(ref ?? '');
      if (!a) throw new Error(`unexpected ref ${ref}`);
      expect([rec, text, priority, status, owner, area, recommendationText]).toEqual([
        a.recommendation,
        a.text,
        priorityLabel(a.priority),
        statusLabel(a.status),
        a.owners.join('; '),
        a.area ?? '',
        recText.get(a.recommendation),
      ]);
      // The target as it stands (what an import reads back); the first one where it moved.
      expect(target).toBe(a.target.text);
      expect(original).toBe(ref === '1.1' ? 'End Mar 2017' : '');
      expect(note).toBe(
        report.recommendations.flatMap((r) => r.rows).find((r) => r.ref === ref)?.note,
      );
    }
    expect(rows.find((r) => r[1] === '2.6')?.[9]).toBe(AWKWARD_NOTE);
  });

  it('keeps refs as text and recommendations as numbers', () => {
    const refs = Array.from(
      { length: sheet.rowCount - 5 },
      (_x, i) => sheet.getCell(`B${6 + i}`).value,
    );
    expect(refs).toContain('1.10');
    expect(refs.every((v) => typeof v === 'string')).toBe(true);
    expect(sheet.getCell('A6').value).toBe(1);
  });

  it('wraps the text of every data row and gives the columns readable widths', () => {
    for (let r = 6; r <= sheet.rowCount; r++) {
      expect(sheet.getRow(r).getCell(3).alignment).toMatchObject({
        wrapText: true,
        vertical: 'top',
      });
    }
    const widths = sheet.columns.map((c) => c.width ?? 0);
    expect(widths).toHaveLength(HEADER.length);
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(8);
    expect(widths[2]).toBeGreaterThanOrEqual(50); // Action
  });

  it('leaves an empty cell empty', () => {
    const row = Array.from({ length: sheet.rowCount - 5 }, (_x, i) => sheet.getRow(6 + i)).find(
      (r) => r.getCell(2).value === '4.9a',
    );
    expect(row?.getCell(8).value).toBeNull(); // Owner
  });
});
