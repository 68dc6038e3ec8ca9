import ExcelJS from 'exceljs';

import { describeIssue } from '../../../src/app/import-plan';
import { parseCsvPlan } from '../../../src/documents/csv-plan-importer';
import { normaliseHeader } from '../../../src/documents/header-columns';
import {
  MAX_COLUMNS,
  readPlanRows,
  type SourceRow,
} from '../../../src/documents/plan-table-reader';
import { parseTextPlan } from '../../../src/documents/text-plan-importer';
import { parseXlsxPlan } from '../../../src/documents/xlsx-plan-importer';

/** Rows as a sheet would give them, numbered from 1. */
const sheet = (name: string, ...rows: string[][]): SourceRow[] =>
  rows.map((cells, i) => ({ cells, at: { sheet: name, line: i + 1 } }));

const HINTED = [
  'Ref.',
  'Action',
  'Priority',
  'Target date (dd/mm/yyyy)',
  'Status (RAG)',
  'Owner(s)',
];

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('headers as people write them', () => {
  it.each([
    ['Target date (dd/mm/yyyy)', 'targetdate'],
    ['Owner(s)', 'owner'],
    ['Ref.', 'ref'],
    ['Action no.', 'actionno'],
    ['Status (RAG)', 'status'],
    ['Target Completion Date', 'targetcompletiondate'],
    ['Date of the target [see notes]', 'datetarget'],
  ])('"%s" is compared as "%s"', (heading, normalised) => {
    expect(normaliseHeader(heading)).toBe(normalised);
  });

  const row = ['1.1', 'Do it', 'High', '31/03/2027', 'In progress', 'Ann@Justice.gov.uk'];
  const expected = {
    ref: '1.1',
    text: 'Do it',
    priority: 'H',
    targetDate: '2027-03-31',
    owners: ['ann@justice.gov.uk'],
  };

  it('recognises them in CSV', () => {
    const { plan, errors } = parseCsvPlan([HINTED.join(','), row.join(',')].join('\n'));
    expect(errors).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.actions[0]).toMatchObject(expected);
  });

  it('recognises them in Excel', async () => {
    const { plan, errors } = await parseXlsxPlan(await xlsx([HINTED, row]));
    expect(errors).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.actions[0]).toMatchObject(expected);
  });

  it('recognises "Action no." as the ref and "Target Completion Date" as the target', () => {
    const { plan, errors } = parseCsvPlan(
      'Action no.,Description,Priority,Target Completion Date,Status\n2.1,Do it,L,Ongoing,\n',
    );
    expect(errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({ ref: '2.1', ongoing: true });
  });

  it('warns about a column it does not know, naming it', () => {
    const { plan, errors } = parseCsvPlan(
      'Ref,Action,Priority,Target,Status,Budget code\n1.1,Do it,H,End 2016,,X12\n',
    );
    expect(errors).toEqual([]);
    expect(plan.warnings).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/^Column "Budget code" is not recognised/),
      }),
    ]);
  });

  it('refuses two columns that both look like one field, naming both', () => {
    const { errors } = parseCsvPlan(
      'Ref,Action,Priority,Target date,Due date (dd/mm/yyyy),Status\n1.1,Do it,H,End 2016,31/12/2016,\n',
    );
    expect(errors).toEqual([
      {
        line: 1,
        column: 'Target date',
        message:
          'Columns "Target date" and "Due date (dd/mm/yyyy)" both look like the Target date column; keep one, or rename the other.',
      },
    ]);
  });
});

describe('one set of rules for every format', () => {
  const header = 'Ref\t\tPriority\tTarget date\tStatus';
  /** Recommendation 1 headed twice, its text the second time as given. */
  const twice = (second: string[]): string =>
    [
      'Plan',
      'Recommendation 1',
      'Set clear goals.',
      header,
      '1.1\tDo it\tH\tEnd 2016\t',
      ...second,
      header,
      '1.2\tThen\tH\tEnd 2016\t',
    ].join('\n');

  it('refuses a recommendation given two different texts, naming both places (text)', () => {
    const { errors } = parseTextPlan(twice(['Recommendation 1', 'Set different goals.']));
    expect(errors).toEqual([
      expect.objectContaining({
        line: 7,
        message: expect.stringContaining(
          'Recommendation 1 is given two different texts (lines 3 and 7)',
        ),
      }),
    ]);
  });

  it('refuses it the same way from a Recommendation text column (CSV)', () => {
    const { errors } = parseCsvPlan(
      [
        'Ref,Action,Priority,Target,Status,Recommendation text',
        '1.1,Do it,H,End 2016,,Set clear goals.',
        '1.2,Then,H,End 2016,,Set different goals.',
      ].join('\n'),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'Recommendation text',
        message: expect.stringContaining('(lines 2 and 3)'),
      }),
    ]);
  });

  it('accepts a recommendation heading repeated with its text, or with none', () => {
    const { plan, errors } = parseTextPlan(
      twice(['Recommendation 1', 'Set clear goals.']) +
        ['', 'Recommendation 1 (continued)', header, '1.3\tLast\tH\tEnd 2016\t'].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(plan.recommendations).toEqual([{ number: '1', text: 'Set clear goals.' }]);
    expect(plan.actions.map((a) => a.ref)).toEqual(['1.1', '1.2', '1.3']);
  });

  it('warns about a second, different progress update label and keeps the first', () => {
    const { plan } = readPlanRows([
      ...sheet(
        'A',
        ['Progress update – May 2017'],
        ['Ref', 'Action', 'Priority', 'Target', 'Status'],
      ),
      ...sheet(
        'B',
        ['Progress update – June 2017'],
        ['Ref', 'Action', 'Priority', 'Target', 'Status'],
      ),
      { cells: ['1.1', 'Do it', 'H', 'End 2016', ''], at: { sheet: 'B', line: 3 } },
    ]);
    expect(plan.progressUpdate).toBe('May 2017');
    expect(plan.warnings).toEqual([
      expect.objectContaining({
        sheet: 'B',
        line: 1,
        message: expect.stringContaining('sheet "A", row 1 says "May 2017"'),
      }),
    ]);
  });

  it('refuses a sheet whose rows look like actions but that has no header row', () => {
    const { errors } = readPlanRows([
      ...sheet(
        'A',
        ['Ref', 'Action', 'Priority', 'Target', 'Status'],
        ['1.1', 'Do it', 'H', 'End 2016', ''],
      ),
      ...sheet('B', ['2.1', 'Then', 'H', 'End 2016', '']),
    ]);
    expect(errors).toEqual([
      expect.objectContaining({
        sheet: 'B',
        line: 1,
        message: expect.stringMatching(
          /^Sheet "B" has rows that look like actions but no header row/,
        ),
      }),
    ]);
  });

  it(`refuses a table wider than ${MAX_COLUMNS} columns, once, naming the row`, () => {
    const wide = Array.from({ length: 200 }, (_, i) => `Column ${i + 1}`);
    const { errors } = readPlanRows(sheet('Data', wide, wide, wide));
    expect(errors[0]).toMatchObject({
      sheet: 'Data',
      line: 1,
      message: expect.stringContaining('This row has 200 columns'),
    });
    expect(errors.filter((e) => e.message.includes('200 columns'))).toHaveLength(1);
  });

  it('says where a problem is in the terms of each format', () => {
    expect(describeIssue({ line: 7, column: 'Priority', message: 'Bad.' })).toBe(
      'Line 7, column Priority: Bad.',
    );
    expect(describeIssue({ sheet: 'Plan', line: 7, message: 'Bad.' })).toBe(
      'Sheet "Plan", row 7: Bad.',
    );
    expect(describeIssue({ table: 2, line: 5, column: 'Status', message: 'Bad.' })).toBe(
      'Table 2, row 5, column Status: Bad.',
    );
    expect(describeIssue({ paragraph: 4, message: 'Bad.' })).toBe('Paragraph 4: Bad.');
  });
});
