import ExcelJS from 'exceljs';

import { parseTextPlan } from '../../../src/documents/text-plan-importer';
import { parseXlsxPlan } from '../../../src/documents/xlsx-plan-importer';
import type { ParsedAction } from '../../../src/domain/parsed-plan';
import { statusLabel } from '../../../src/domain/status';
import { mojPlanText, withoutPlace } from '../../helpers/fixtures';

const byRef = (actions: ParsedAction[], ref: string): ParsedAction => {
  const a = actions.find((x) => x.ref === ref);
  if (!a) throw new Error(`no action ${ref}`);
  return a;
};

type Rows = ExcelJS.CellValue[][];

async function workbook(
  sheets: Record<string, Rows>,
  edit?: (wb: ExcelJS.Workbook) => void,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  edit?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER = ['Ref', 'Action', 'Priority', 'Target date', 'Status'];

describe('parseXlsxPlan: cell values', () => {
  let result: Awaited<ReturnType<typeof parseXlsxPlan>>;
  beforeAll(async () => {
    const bytes = await workbook({ Plan: [] }, (wb) => {
      const ws = wb.getWorksheet('Plan')!;
      ws.addRow(['Ministry of Justice IMA Action Plan']);
      ws.mergeCells('A1:F1');
      ws.addRow([]);
      ws.addRow([...HEADER, 'Owner']);
      ws.addRow([
        '1.1',
        { richText: [{ text: 'Finish the ' }, { text: 'KIM strategy', font: { bold: true } }] },
        'High',
        new Date(Date.UTC(2017, 2, 31)),
        { formula: '"In "&"progress"', result: 'In progress' },
        { text: 'Jo.Bloggs@justice.gov.uk', hyperlink: 'mailto:Jo.Bloggs@justice.gov.uk' },
      ]);
      const r = ws.addRow([
        1.1,
        'Typed as a number',
        'M',
        { formula: 'DATE(2016,9,30)', result: 42643 },
        '',
      ]);
      r.getCell(1).numFmt = '0.00';
      r.getCell(4).numFmt = 'dd/mm/yyyy';
      ws.addRow([4.2, 'Plain number ref', 'L', 'Ongoing', 'Closed']);
    });
    result = await parseXlsxPlan(bytes, 'moj.xlsx');
  });

  it('reads rich text, formula results, hyperlinks and numbers as the text Excel shows', () => {
    expect(result.errors).toEqual([]);
    expect(result.plan.actions.map((a) => a.ref)).toEqual(['1.1', '1.10', '4.2']);
    expect(byRef(result.plan.actions, '1.1')).toMatchObject({
      text: 'Finish the KIM strategy',
      priority: 'H',
      status: 'in_progress',
      owners: ['jo.bloggs@justice.gov.uk'],
      line: 4,
    });
    expect(byRef(result.plan.actions, '4.2')).toMatchObject({
      ongoing: true,
      status: 'closed',
      line: 6,
    });
  });

  it('turns Excel date cells (and date formulas) into dates that resolve', () => {
    expect(byRef(result.plan.actions, '1.1')).toMatchObject({
      targetText: '2017-03-31',
      targetDate: '2017-03-31',
    });
    expect(byRef(result.plan.actions, '1.10')).toMatchObject({ targetDate: '2016-09-30' });
    expect(result.plan.warnings).toEqual([]);
  });

  it('takes the title from the (merged) cell above the header', () => {
    expect(result.plan.title).toBe('Ministry of Justice IMA Action Plan');
  });
});

describe('parseXlsxPlan: problems name the sheet and row', () => {
  it('reports an unknown priority with the sheet, row and column', async () => {
    const bytes = await workbook({
      Cover: [['About this workbook'], ['Nothing to see']],
      'Action plan': [
        ['Title'],
        HEADER,
        ['1.1', 'Do it', 'H', 'End 2016', ''],
        ['1.2', 'Then this', 'Urgent', 'End 2016', ''],
      ],
    });
    const { plan, errors } = await parseXlsxPlan(bytes, 'plan.xlsx');
    expect(errors).toEqual([
      {
        sheet: 'Action plan',
        line: 4,
        column: 'Priority',
        message: 'Action 1.2 has priority "Urgent"; use High, Med or Low (H/M/L).',
      },
    ]);
    expect(plan.warnings).toEqual([
      {
        sheet: 'Cover',
        line: 1,
        message:
          'Sheet "Cover" has no header row naming the plan\'s columns (Ref, Action, Priority, Target date, Status) and was not read.',
      },
    ]);
  });

  it('refuses a workbook with no header row anywhere, naming the columns it needs', async () => {
    const bytes = await workbook({
      Sheet1: [
        ['a', 'b'],
        ['1', '2'],
      ],
      Sheet2: [],
    });
    const { errors } = await parseXlsxPlan(bytes);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('No header row was found');
    expect(errors[0]!.message).toContain('Ref, Action, Priority, Target date, Status');
  });

  it('names a missing Ref column on the header row of its sheet', async () => {
    const bytes = await workbook({
      Plan: [
        ['Action', 'Priority', 'Target', 'Status'],
        ['Do it', 'H', 'End 2016', ''],
      ],
    });
    const { errors } = await parseXlsxPlan(bytes);
    expect(errors).toEqual([
      expect.objectContaining({
        sheet: 'Plan',
        line: 1,
        column: 'Ref',
        message: expect.stringMatching(/^The header has no Ref column/),
      }),
    ]);
  });

  it('gives a clear error for bytes that are not a workbook', async () => {
    const { plan, errors } = await parseXlsxPlan(
      Buffer.from('PK\u0003\u0004 this is not really a zip'),
      'x.xlsx',
    );
    expect(plan.actions).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^The Excel workbook could not be read/);
  });
});

describe('parseXlsxPlan: a sheet per recommendation', () => {
  let result: Awaited<ReturnType<typeof parseXlsxPlan>>;
  beforeAll(async () => {
    const bytes = await workbook({
      'Rec 1': [
        ['Recommendation 1'],
        ['Set clear goals for KIM.'],
        ['Progress update – May 2017'],
        HEADER,
        ['1.1', 'Do it', 'H', 'End 2016', ''],
        ['1.2', 'Then this', 'M', 'End 2017', ''],
      ],
      'Rec 2': [
        ['Recommendation 2: Improve the culture.'],
        [],
        ['Ref', 'Description', 'Pri', 'Due', 'Progress', 'RAG'],
        ['2.1', 'Promote KIM', 'L', 'Ongoing', 'Started', 'Green'],
        ['1.2', 'Pasted twice', 'L', 'Ongoing', '', ''],
      ],
    });
    result = await parseXlsxPlan(bytes, 'by-recommendation.xlsx');
  });

  it('reads every sheet with a header row, with recommendations from the rows above', () => {
    expect(result.plan.actions.map((a) => a.ref)).toEqual(['1.1', '1.2', '2.1', '1.2']);
    expect(result.plan.recommendations).toEqual([
      { number: '1', text: 'Set clear goals for KIM.' },
      { number: '2', text: 'Improve the culture.' },
    ]);
    expect(result.plan.progressUpdate).toBe('May 2017');
    expect(result.plan.title).toBe('by-recommendation');
  });

  it('names both sheets and rows of a ref given twice', () => {
    expect(result.errors).toEqual([
      {
        sheet: 'Rec 2',
        line: 5,
        column: 'Ref',
        message:
          'Action 1.2 appears twice (sheet "Rec 1", row 6 and sheet "Rec 2", row 5); each ref must be unique.',
      },
    ]);
  });

  it('warns about the unknown column on its sheet, and the action under another heading', () => {
    expect(result.plan.warnings).toEqual([
      expect.objectContaining({
        sheet: 'Rec 2',
        line: 3,
        message: expect.stringMatching(/^Column "RAG" is not recognised/),
      }),
      expect.objectContaining({
        sheet: 'Rec 2',
        line: 5,
        message: expect.stringContaining('sits under recommendation 2'),
      }),
    ]);
  });
});

describe('parseXlsxPlan on the MoJ plan pasted from Word into one sheet', () => {
  it('gives the same plan as the text importer', async () => {
    const fromText = parseTextPlan(mojPlanText()).plan;
    const rows: Rows = [[fromText.title], []];
    for (const rec of fromText.recommendations) {
      rows.push(
        [`Recommendation ${rec.number}`],
        [rec.text],
        [`Progress update – ${fromText.progressUpdate}`],
      );
      rows.push(['Ref', '', 'Priority High/Med/Low', 'Target Completion Date', 'Status']);
      for (const a of fromText.actions.filter((x) => x.recommendation === rec.number)) {
        rows.push([
          a.ref,
          a.text,
          a.priority,
          a.targetText,
          a.status === 'not_started' ? '' : statusLabel(a.status),
        ]);
      }
      rows.push([]);
    }
    const { plan, errors } = await parseXlsxPlan(await workbook({ Sheet1: rows }), 'moj.xlsx');
    expect(errors).toEqual([]);
    expect(plan.title).toBe('Ministry of Justice IMA Action Plan');
    expect(plan.progressUpdate).toBe('May 2017');
    expect(plan.recommendations).toEqual(fromText.recommendations);
    expect(plan.actions).toHaveLength(42);
    expect(plan.actions.map(withoutPlace)).toEqual(fromText.actions.map(withoutPlace));
    // The action column has no heading in the Word layout: read as Action, as the template is.
    expect(plan.warnings).toEqual([]);
  });
});
