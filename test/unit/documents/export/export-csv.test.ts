import { parse } from 'csv-parse/sync';
import { compareRefs } from '../../../../src/domain/action-ref.js';
import { priorityLabel } from '../../../../src/domain/priority.js';
import { statusLabel } from '../../../../src/domain/status.js';
import { csvField, csvRecord, exportCsv } from '../../../../src/documents/export/export-csv.js';
import { buildProgressReport } from '../../../../src/documents/export/progress-report.js';
import { aPlan, anAction } from '../../../helpers/builders.js';
import {
  AS_OF,
  AWKWARD_NOTE,
  LABEL,
  sampleActions,
  samplePlan,
  sampleReport,
} from './sample-plan.js';

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
  'Plan',
  'Progress update',
];

const readBack = (csv: string): string[][] => parse(csv, { bom: true, relaxQuotes: false });

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['"', '""""'],
    [' padded ', '" padded "'],
    ['Progress update – May 2017', 'Progress update – May 2017'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('round-trips every awkward value through a real CSV parser', () => {
    const values = ['a,b', 'say "hi"', 'x\ny', 'x\r\ny', '""', ',', ' ', '', 'é – ’'];
    const line = csvRecord(values);
    expect(readBack(line)).toEqual([values]);
  });

  it('writes a formula as text, with an apostrophe a spreadsheet shows rather than runs', () => {
    expect(readBack(csvRecord(['=SUM(A1)', '-1', 'a=b']))).toEqual([["'=SUM(A1)", "'-1", 'a=b']]);
  });
});

describe('exportCsv', () => {
  const plan = samplePlan();
  const actions = sampleActions();
  const report = sampleReport({ plan, actions });
  const csv = exportCsv(report);

  it('starts with a UTF-8 byte order mark and ends every record with CRLF', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // Outside quoted fields, every line break is CRLF: the only bare \n is inside the 2.6 note.
    expect(csv.replace(/\r\n/g, '').match(/\n/g)).toHaveLength(AWKWARD_NOTE.split('\n').length - 1);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('reads back to the header and one record per action, every cell as the plan has it', () => {
    const [header, ...records] = readBack(csv);
    expect(header).toEqual(HEADER);
    expect(records.map((r) => r[1])).toEqual(actions.map((a) => a.ref).sort(compareRefs));

    const byRef = new Map(actions.map((a) => [a.ref, a]));
    const recText = new Map(plan.recommendations.map((r) => [r.number, r.text]));
    const notes = new Map(
      report.recommendations.flatMap((r) => r.rows).map((r) => [r.ref, r.note]),
    );
    for (const record of records) {
      const a = byRef.get(record[1] ?? '');
      if (!a) throw new Error(`unexpected ref ${record[1]}`);
      expect(record).toEqual([
        a.recommendation,
        a.ref,
        a.text,
        priorityLabel(a.priority),
        a.target.text,
        a.ref === '1.1' ? 'End Mar 2017' : '',
        statusLabel(a.status),
        a.owners.join('; '),
        a.area ?? '',
        notes.get(a.ref),
        recText.get(a.recommendation),
        plan.title,
        LABEL,
      ]);
    }
  });

  it('writes the target as it stands, which re-imports as the same date, and the original where it moved', () => {
    const record = readBack(csv).find((r) => r[1] === '1.1');
    expect(record?.slice(4, 6)).toEqual(['2017-09-30', 'End Mar 2017']);
    // Moved and moved back is not a move: no original target.
    expect(
      readBack(csv)
        .find((r) => r[1] === '1.2')
        ?.slice(4, 6),
    ).toEqual(['End Mar 2017', '']);
  });

  it('keeps a note with a comma, a quote and a line break intact', () => {
    const record = readBack(csv).find((r) => r[1] === '2.6');
    expect(record?.[9]).toBe(AWKWARD_NOTE);
    expect(AWKWARD_NOTE).toMatch(/,/);
    expect(AWKWARD_NOTE).toMatch(/"/);
    expect(AWKWARD_NOTE).toMatch(/\n/);
  });

  it('is just the header for a plan with no actions', () => {
    const empty = exportCsv(
      buildProgressReport({ plan: aPlan(), actions: [], history: [], label: LABEL, asOf: AS_OF }),
    );
    expect(readBack(empty)).toEqual([HEADER]);
  });

  it('quotes a title or label that needs it', () => {
    const r = buildProgressReport({
      plan: aPlan({ title: 'Audit, "IMA" plan' }),
      actions: [anAction({ ref: '1.1' })],
      history: [],
      label: 'May, 2027',
      asOf: AS_OF,
    });
    const [, record] = readBack(exportCsv(r));
    expect(record?.slice(-2)).toEqual(['Audit, "IMA" plan', 'May, 2027']);
  });
});
