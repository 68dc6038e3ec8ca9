import { parsePlanDocument } from '../../../../src/documents/plan-file.js';
import { exportCsv } from '../../../../src/documents/export/export-csv.js';
import { exportDocx } from '../../../../src/documents/export/export-docx.js';
import { exportXlsx } from '../../../../src/documents/export/export-xlsx.js';
import { tidyNote } from '../../../../src/documents/header-columns.js';
import { compareRefs } from '../../../../src/domain/action-ref.js';
import { planImport } from '../../../../src/domain/plan-import.js';
import { targetDate } from '../../../../src/domain/target.js';
import {
  AS_OF,
  AWKWARD_NOTE,
  LABEL,
  sampleActions,
  samplePlan,
  sampleReport,
} from './sample-plan.js';

const report = sampleReport();
const notes = new Map(report.recommendations.flatMap((r) => r.rows).map((r) => [r.ref, r.note]));

describe.each([
  ['CSV', 'progress-update.csv', async () => Buffer.from(exportCsv(report), 'utf8')],
  ['XLSX', 'progress-update.xlsx', () => exportXlsx(report)],
])('a %s export read back by the importer', (_kind, fileName, write) => {
  let parsed: Awaited<ReturnType<typeof parsePlanDocument>>;
  beforeAll(async () => {
    parsed = await parsePlanDocument(await write(), fileName);
  });

  it('reads cleanly: no errors, and no warning about the Original target column', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.plan.warnings).toEqual([]);
  });

  it('gives back the title, the new label and every recommendation with its text', () => {
    expect(parsed.plan.title).toBe(samplePlan().title);
    expect(parsed.plan.progressUpdate).toBe(LABEL);
    expect(parsed.plan.recommendations).toEqual(
      report.recommendations.map((r) => ({ number: r.number, text: r.text })),
    );
  });

  it('gives back every action: text, priority, target (a moved one too), status, owners, area, note', () => {
    const actions = sampleActions().sort((a, b) => compareRefs(a.ref, b.ref));
    expect(parsed.plan.actions.map((a) => a.ref)).toEqual(actions.map((a) => a.ref));
    for (const a of actions) {
      const p = parsed.plan.actions.find((x) => x.ref === a.ref);
      expect({
        ref: p?.ref,
        recommendation: p?.recommendation,
        text: p?.text,
        priority: p?.priority,
        targetText: p?.targetText,
        targetDate: p?.targetDate,
        ongoing: p?.ongoing,
        status: p?.status,
        owners: p?.owners ?? [],
        area: p?.area,
        note: p?.note ?? '',
      }).toEqual({
        ref: a.ref,
        recommendation: a.recommendation,
        text: a.text,
        priority: a.priority,
        targetText: a.target.text,
        targetDate: targetDate(a.target),
        ongoing: a.target.kind === 'ongoing',
        status: a.status,
        owners: a.owners,
        area: a.area,
        note: notes.get(a.ref),
      });
    }
    // The moved target reads back as its new date, not as "End Mar 2017 (moved to …)".
    expect(parsed.plan.actions.find((x) => x.ref === '1.1')?.targetDate).toBe('2017-09-30');
    expect(parsed.plan.actions.find((x) => x.ref === '2.6')?.note).toBe(AWKWARD_NOTE);
  });
});

describe('the Word export read back by the importer', () => {
  let parsed: Awaited<ReturnType<typeof parsePlanDocument>>;
  beforeAll(async () => {
    parsed = await parsePlanDocument(await exportDocx(report), 'progress-update.docx');
  });

  it('reads cleanly, with the title, the new label and every recommendation with its text', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.plan.warnings).toEqual([]);
    expect(parsed.plan.title).toBe(samplePlan().title);
    expect(parsed.plan.progressUpdate).toBe(LABEL);
    expect(parsed.plan.recommendations).toEqual(
      report.recommendations.map((r) => ({ number: r.number, text: r.text })),
    );
  });

  it('gives back every action: text, priority, target (a moved one as its new date), status, note', () => {
    const actions = sampleActions().sort((a, b) => compareRefs(a.ref, b.ref));
    expect(parsed.plan.actions.map((a) => a.ref)).toEqual(actions.map((a) => a.ref));
    for (const a of actions) {
      const p = parsed.plan.actions.find((x) => x.ref === a.ref);
      expect({
        text: p?.text,
        priority: p?.priority,
        targetDate: p?.targetDate,
        ongoing: p?.ongoing,
        status: p?.status,
        note: p?.note ?? '',
      }).toEqual({
        text: a.text,
        priority: a.priority,
        targetDate: targetDate(a.target),
        ongoing: a.target.kind === 'ongoing',
        status: a.status,
        note: notes.get(a.ref),
      });
    }
    expect(parsed.plan.actions.find((x) => x.ref === '1.1')?.targetDate).toBe('2017-09-30');
    expect(parsed.plan.actions.find((x) => x.ref === '2.6')?.note).toBe(AWKWARD_NOTE);
  });

  it('imported over the plan it came from, changes no text, priority, target or status', () => {
    const out = planImport({ plan: samplePlan(), actions: sampleActions() }, parsed.plan, {
      planId: samplePlan().id,
      timeZone: 'Europe/London',
      at: AS_OF.toISOString(),
      by: 'import:progress-update.docx',
    });
    expect(out.added).toEqual([]);
    expect(out.notInDocument).toEqual([]);
    // The export shows each action's latest note, from its history where the action has none
    // of its own; read back, such a note fills the blank, as any document's note does.
    expect(out.changes.filter((c) => c.field !== 'note')).toEqual([]);
    for (const c of out.changes) expect(c).toMatchObject({ from: '', to: notes.get(c.ref) });
  });
});

describe('tidyNote', () => {
  it.each([
    ['one line', 'one line'],
    ['  padded  ', 'padded'],
    ['two\r\nlines', 'two\nlines'],
    ['old\rMac', 'old\nMac'],
    ['a\u00a0 b\t\tc', 'a b c'],
    ['\n\nfirst\n\nthird\n\n', 'first\n\nthird'],
    ['“curly” quotes’ stay', '“curly” quotes’ stay'],
    ['', ''],
  ])('reads %j as %j', (raw, tidy) => {
    expect(tidyNote(raw)).toBe(tidy);
  });
});
