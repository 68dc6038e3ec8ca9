import { applyImport, previewPlanFile } from '../../../src/app/preview-import';
import { parsePlanDocument } from '../../../src/documents/plan-file';
import { fixedClock } from '../../../src/ports/clock';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository';
import { mojWordPlan, wordPlanDocx } from '../../helpers/word-documents';

const deps = () => ({
  plans: new InMemoryPlanRepository(),
  clock: fixedClock('2017-11-20T10:00:00Z'),
  readPlanDocument: (bytes: Uint8Array, fileName: string) =>
    parsePlanDocument(Buffer.from(bytes), fileName),
});

/** The MoJ plan's November update as a Word document: one action added, two changed, one gone. */
async function novemberUpdate(): Promise<Buffer> {
  const plan = mojWordPlan();
  for (const b of plan.blocks) b.progress = 'Progress update – November 2017';
  const rec1 = plan.blocks[0]!;
  rec1.rows[0]![4] = ['Complete']; // 1.1: In progress → Complete
  rec1.rows[1]![3] = ['End Jun 2017']; // 1.2: End Mar 2017 → End Jun 2017
  rec1.rows.push([['1.6'], ['Reporting to the board each quarter'], ['M'], ['Ongoing'], ['']]);
  plan.blocks[5]!.rows.pop(); // 6.7 left out
  return wordPlanDocx(plan);
}

describe('previewing and applying an import (the path a file sent to the bot takes)', () => {
  it('previews a new plan from the bytes of a Word file: title, label, counts by status', async () => {
    const d = deps();
    const preview = await previewPlanFile(d, { bytes: await wordPlanDocx(), fileName: 'moj.docx' });
    expect(preview).toMatchObject({
      fileName: 'moj.docx',
      planId: 'ministry-of-justice-ima-action-plan',
      title: 'Ministry of Justice IMA Action Plan',
      progressUpdate: 'May 2017',
      recommendationCount: 6,
      actionCount: 42,
      byStatus: { not_started: 35, in_progress: 5, blocked: 0, complete: 1, closed: 1 },
      warnings: [],
      errors: [],
    });
    expect(preview.update).toBeUndefined();
    expect(await d.plans.listPlans()).toEqual([]);
  });

  it('previews a newer progress update of a stored plan: new, changed, and missing rows flagged', async () => {
    const d = deps();
    const may = await previewPlanFile(d, { bytes: await wordPlanDocx(), fileName: 'may.docx' });
    await applyImport(d, may);

    const november = await previewPlanFile(d, {
      bytes: await novemberUpdate(),
      fileName: 'november.docx',
    });
    expect(november.update).toEqual({
      storedProgressUpdate: 'May 2017',
      older: false,
      added: ['1.6'],
      changes: [
        { ref: '1.1', field: 'status', from: 'In progress', to: 'Complete' },
        { ref: '1.2', field: 'target', from: 'End Mar 2017', to: 'End Jun 2017' },
      ],
      unchanged: 39,
      notInDocument: ['6.7'],
      kept: [],
    });
    // A preview writes nothing.
    expect(
      (await d.plans.getAction('ministry-of-justice-ima-action-plan', '1.1'))?.value.status,
    ).toBe('in_progress');

    const report = await applyImport(d, november, { by: 'priya.shah@justice.gov.uk' });
    expect(report).toMatchObject({ added: ['1.6'], notInDocument: ['6.7'], actionCount: 43 });
    const planId = 'ministry-of-justice-ima-action-plan';
    // 6.7 is kept, never deleted; the history names who imported.
    expect(await d.plans.getAction(planId, '6.7')).toBeDefined();
    // Both imports ran at the one fixed instant, so the change is found by kind, not by order.
    const history = await d.plans.listHistory(planId, '1.1');
    expect(history.find((h) => h.kind === 'changed')).toMatchObject({
      by: 'priya.shah@justice.gov.uk',
      field: 'status',
      note: 'Progress update – November 2017',
    });
  });

  it('says when the document is an older update than the stored plan', async () => {
    const d = deps();
    await applyImport(
      d,
      await previewPlanFile(d, { bytes: await novemberUpdate(), fileName: 'n.docx' }),
    );
    const may = await previewPlanFile(d, { bytes: await wordPlanDocx(), fileName: 'may.docx' });
    expect(may.update).toMatchObject({ storedProgressUpdate: 'November 2017', older: true });
    await expect(applyImport(d, may)).rejects.toThrow(/older than the plan's "November 2017"/);
  });

  it("carries a bad file's errors, and applying it writes nothing", async () => {
    const d = deps();
    const preview = await previewPlanFile(d, {
      bytes: Buffer.from('%PDF-1.7\n', 'latin1'),
      fileName: 'plan.docx',
    });
    expect(preview.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^This is a PDF, though its name ends in \.docx/),
      }),
    ]);
    await expect(applyImport(d, preview)).rejects.toThrow(/was not imported/);
    expect(await d.plans.listPlans()).toEqual([]);
  });
});
