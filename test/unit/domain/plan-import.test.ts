import { planIdFromTitle, planImport, progressUpdateDate } from '../../../src/domain/plan-import';
import type { ParsedAction, ParsedPlan } from '../../../src/domain/parsed-plan';
import { actionFromParsed } from '../../../src/domain/plan-import';

const row = (over: Partial<ParsedAction> & { ref: string }): ParsedAction => ({
  recommendation: over.ref.split('.')[0]!,
  text: `Action ${over.ref}`,
  priority: 'M',
  targetText: 'End Mar 2017',
  targetDate: '2017-03-31',
  ongoing: false,
  status: 'not_started',
  line: 1,
  ...over,
});

const doc = (actions: ParsedAction[], progressUpdate = 'May 2017'): ParsedPlan => ({
  title: 'Test plan',
  progressUpdate,
  recommendations: [{ number: '1', text: 'Do better.' }],
  actions,
  warnings: [],
});

const ctx = {
  planId: 'test-plan',
  timeZone: 'Europe/London',
  at: '2017-11-01T10:00:00.000Z',
  by: 'import:nov.txt',
};

describe('planImport', () => {
  it('creates a plan: every action new, each with a "created" history entry', () => {
    const out = planImport(undefined, doc([row({ ref: '1.1' }), row({ ref: '1.2' })]), ctx);
    expect(out.created).toBe(true);
    expect(out.added).toEqual(['1.1', '1.2']);
    expect(out.history.map((h) => [h.ref, h.kind, h.note])).toEqual([
      ['1.1', 'created', 'Progress update – May 2017'],
      ['1.2', 'created', 'Progress update – May 2017'],
    ]);
    expect(out.plan).toMatchObject({
      id: 'test-plan',
      progressUpdate: 'May 2017',
      timeZone: 'Europe/London',
    });
  });

  it('on a newer update, changes what changed, keeps owners, areas and notes given since, and never deletes', () => {
    const may = doc([row({ ref: '1.1' }), row({ ref: '1.2' }), row({ ref: '1.3' })]);
    const created = planImport(undefined, may, ctx);
    const stored = created.actions.map(({ action }) =>
      action.ref === '1.1'
        ? { ...action, owners: ['ann@example.gov.uk'], area: 'HMPPS', note: 'Drafted' }
        : action,
    );
    const november = doc(
      [
        row({ ref: '1.1', status: 'in_progress', owners: ['bob@example.gov.uk'], area: 'LAA' }),
        row({ ref: '1.2', targetText: 'End Jun 2017', targetDate: '2017-06-30' }),
        row({ ref: '1.4' }),
      ],
      'November 2017',
    );
    const out = planImport({ plan: created.plan, actions: stored }, november, ctx);

    expect(out.created).toBe(false);
    expect(out.added).toEqual(['1.4']);
    expect(out.changes).toEqual([
      { ref: '1.1', field: 'status', from: 'Not started', to: 'In progress' },
      { ref: '1.2', field: 'target', from: 'End Mar 2017', to: 'End Jun 2017' },
    ]);
    expect(out.notInDocument).toEqual(['1.3']);
    expect(out.kept).toEqual([
      '1.1: kept owner ann@example.gov.uk; the document says bob@example.gov.uk.',
      '1.1: kept area HMPPS; the document says LAA.',
    ]);
    const a11 = out.actions.find((w) => w.action.ref === '1.1')!.action;
    expect(a11).toMatchObject({
      owners: ['ann@example.gov.uk'],
      area: 'HMPPS',
      note: 'Drafted',
      status: 'in_progress',
    });
    expect(
      out.history.filter((h) => h.kind === 'changed').map((h) => [h.ref, h.field, h.note]),
    ).toEqual([
      ['1.1', 'status', 'Progress update – November 2017'],
      ['1.2', 'target', 'Progress update – November 2017'],
    ]);
    expect(out.plan.progressUpdate).toBe('November 2017');
  });

  it('fills a blank owner from the document and records it', () => {
    const created = planImport(undefined, doc([row({ ref: '1.1' })]), ctx);
    const out = planImport(
      { plan: created.plan, actions: created.actions.map((w) => w.action) },
      doc([row({ ref: '1.1', owners: ['ann@example.gov.uk'] })]),
      ctx,
    );
    expect(out.changes).toEqual([
      { ref: '1.1', field: 'owners', from: '', to: 'ann@example.gov.uk' },
    ]);
  });

  it('changes nothing when the same document is imported twice', () => {
    const d = doc([row({ ref: '1.1', owners: ['ann@example.gov.uk'] })]);
    const created = planImport(undefined, d, ctx);
    const again = planImport(
      { plan: created.plan, actions: created.actions.map((w) => w.action) },
      d,
      ctx,
    );
    expect([again.actions, again.history, again.unchanged]).toEqual([[], [], ['1.1']]);
  });

  it('keeps the stored target text when the document writes the same date another way', () => {
    const created = planImport(undefined, doc([row({ ref: '1.1' }), row({ ref: '1.2' })]), ctx);
    const out = planImport(
      { plan: created.plan, actions: created.actions.map((w) => w.action) },
      doc([
        row({ ref: '1.1', targetText: '31/03/2017' }),
        row({ ref: '1.2', targetText: '30/06/2017' }),
      ]),
      ctx,
    );
    expect(out.unchanged).toEqual(['1.1']);
    expect(out.changes).toEqual([
      { ref: '1.2', field: 'target', from: 'End Mar 2017', to: '30/06/2017' },
    ]);
  });
});

describe('plan ids and labels', () => {
  it('makes a readable id from a title', () => {
    expect(planIdFromTitle('Ministry of Justice IMA Action Plan')).toBe(
      'ministry-of-justice-ima-action-plan',
    );
    expect(planIdFromTitle('  ')).toBe('plan');
  });

  it('reads a progress-update label as a month', () => {
    expect(progressUpdateDate('May 2017')).toBe('2017-05-31');
    expect(progressUpdateDate('Spring')).toBeUndefined();
  });

  it('turns a parsed row into an action with an owner list', () => {
    expect(
      actionFromParsed('p', row({ ref: '4.9a', owners: ['a@b.gov.uk'] }), 'now', 'me'),
    ).toMatchObject({
      owners: ['a@b.gov.uk'],
      target: { kind: 'date', date: '2017-03-31', text: 'End Mar 2017' },
    });
  });
});
