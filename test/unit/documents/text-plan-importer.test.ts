import { parseTextPlan } from '../../../src/documents/text-plan-importer';
import type { ParsedAction } from '../../../src/domain/parsed-plan';
import { mojPlanText } from '../../helpers/fixtures';

const byRef = (actions: ParsedAction[], ref: string): ParsedAction => {
  const a = actions.find((x) => x.ref === ref);
  if (!a) throw new Error(`no action ${ref}`);
  return a;
};

describe('parseTextPlan on the Ministry of Justice plan (May 2017)', () => {
  const { plan, errors } = parseTextPlan(mojPlanText());

  it('reads the title, the label and 6 recommendations with their text', () => {
    expect(errors).toEqual([]);
    expect(plan.title).toBe('Ministry of Justice IMA Action Plan');
    expect(plan.progressUpdate).toBe('May 2017');
    expect(plan.recommendations.map((r) => r.number)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(plan.recommendations[1]!.text).toBe(
      'MoJ should actively work to improve its culture of knowledge, information and records management.',
    );
  });

  it('finds exactly the 42 actions, in order', () => {
    const expected = [
      ...['1.1', '1.2', '1.3', '1.4', '1.5'],
      ...['2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8'],
      ...['3.1', '3.2', '3.3', '3.4', '3.5', '3.6'],
      ...['4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '4.8', '4.9'],
      ...['4.9a', '4.9b', '4.9c', '4.9d'],
      ...['5.1', '5.2', '5.3'],
      ...['6.1', '6.2', '6.3', '6.4', '6.5', '6.6', '6.7'],
    ];
    expect(plan.actions.map((a) => a.ref)).toEqual(expected);
    expect(plan.warnings).toEqual([]);
  });

  it('puts 2.6 back together: text above the ref, date split over two lines', () => {
    expect(byRef(plan.actions, '2.6')).toMatchObject({
      recommendation: '2',
      text: 'Increasing focus on knowledge transfer in the coming months because of the Voluntary Exit Scheme',
      priority: 'L',
      targetText: '30 Sept 2016',
      targetDate: '2016-09-30',
      ongoing: false,
      status: 'complete',
    });
  });

  it('puts 4.4 back together', () => {
    const a = byRef(plan.actions, '4.4');
    expect(
      a.text.startsWith('Examining the experience of the Houses of Parliament in rolling out'),
    ).toBe(true);
    expect(a).toMatchObject({
      priority: 'M',
      targetText: 'End 2016',
      targetDate: '2016-12-31',
      status: 'in_progress',
    });
  });

  it('reads statuses: closed, in progress, and blank as not started', () => {
    expect(byRef(plan.actions, '3.5').status).toBe('closed');
    expect(byRef(plan.actions, '4.9b').status).toBe('in_progress');
    expect(byRef(plan.actions, '1.2').status).toBe('not_started');
    const counts = plan.actions.reduce<Record<string, number>>((acc, a) => {
      acc[a.status] = (acc[a.status] ?? 0) + 1;
      return acc;
    }, {});
    // In the source: 5 "In progress", 1 "Complete", 1 "Closed", the other 35 blank.
    expect(counts).toEqual({ in_progress: 5, complete: 1, closed: 1, not_started: 35 });
  });

  it('keeps "Ongoing" targets as ongoing, with no date', () => {
    const ongoing = plan.actions.filter((a) => a.ongoing).map((a) => a.ref);
    expect(ongoing).toEqual([
      '1.3',
      '2.1',
      '2.2',
      '2.3',
      '2.7',
      '2.8',
      '3.1',
      '3.2',
      '4.9',
      '4.9d',
      '6.5',
    ]);
    expect(plan.actions.filter((a) => a.ongoing).every((a) => a.targetDate === null)).toBe(true);
  });

  it('resolves every loosely written date', () => {
    expect(byRef(plan.actions, '4.3')).toMatchObject({
      targetText: 'Mar2017',
      targetDate: '2017-03-31',
    });
    expect(byRef(plan.actions, '4.1').targetDate).toBe('2017-02-28');
    expect(byRef(plan.actions, '6.7').targetDate).toBe('2016-12-31');
    expect(plan.actions.filter((a) => !a.ongoing && a.targetDate === null)).toEqual([]);
  });

  it('puts every word of every action row into exactly one action', () => {
    // Read the source independently of the importer: every tab-separated line that is not the
    // header or a border is (part of) an action row; column 1 is action text, column 3 the target.
    const rows = mojPlanText()
      .split(/\r?\n/)
      .filter((l) => l.includes('\t') && !/^Ref\t/.test(l) && !/^-+\t/.test(l))
      .map((l) => l.split('\t'));
    const words = (texts: string[]) => texts.join(' ').split(/\s+/).filter(Boolean).sort();
    expect(words(plan.actions.map((a) => a.text))).toEqual(words(rows.map((r) => r[1] ?? '')));
    expect(words(plan.actions.map((a) => a.targetText))).toEqual(
      words(rows.map((r) => r[3] ?? '')),
    );
    expect(plan.actions.map((a) => a.ref).sort()).toEqual(
      rows
        .map((r) => r[0]!)
        .filter(Boolean)
        .sort(),
    );
  });
});

describe('parseTextPlan on damaged copies', () => {
  const header = 'Ref\t\tPriority High/Med/Low\tTarget Completion Date\tStatus';
  const doc = (...rows: string[]) =>
    [
      'My plan',
      '',
      'Recommendation 1',
      '',
      'Do things.',
      '',
      'Progress update – June 2018',
      '',
      header,
      ...rows,
    ].join('\n');

  it('copes with CRLF, non-breaking spaces, curly quotes and an em dash in the label', () => {
    const text = [
      '\uFEFFMy plan',
      'Recommendation 1',
      'Do things.',
      'Progress update — June 2018',
      header,
      '1.1\tKeep the team\u2019s \u201cfiles\u201d\u00a0tidy\tHigh\t30\u00a0Sept\u00a02018\tIn progress',
    ].join('\r\n');
    const { plan, errors } = parseTextPlan(text);
    expect(errors).toEqual([]);
    expect(plan.progressUpdate).toBe('June 2018');
    expect(plan.actions[0]).toMatchObject({
      text: 'Keep the team\'s "files" tidy',
      priority: 'H',
      targetDate: '2018-09-30',
      status: 'in_progress',
    });
  });

  it('joins a wrapped line with no row below it onto the row above', () => {
    const { plan, errors } = parseTextPlan(
      doc('1.1\tStart the\tM\tMar 2019\t', '\tthing properly\t\t\t'),
    );
    expect(errors).toEqual([]);
    expect(plan.actions[0]!.text).toBe('Start the thing properly');
  });

  it('accepts refs written in upper case and rows whose cells are separated by spaces', () => {
    const { plan, errors } = parseTextPlan(
      doc('1.9A\tShout\tL\tOngoing\t', '1.10   Whisper   M   End 2019   Closed'),
    );
    expect(errors).toEqual([]);
    expect(plan.actions.map((a) => [a.ref, a.status])).toEqual([
      ['1.9a', 'not_started'],
      ['1.10', 'closed'],
    ]);
  });

  it('refuses an unknown priority, naming the line and column', () => {
    const { errors } = parseTextPlan(
      doc('1.1\tOne\tH\tMar 2019\t', '1.2\tTwo\tUrgent\tMar 2019\t'),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        line: 11,
        column: 'Priority',
        message: expect.stringContaining('"Urgent"'),
      }),
    ]);
  });

  it('refuses a duplicate ref, naming both lines', () => {
    const { errors } = parseTextPlan(doc('1.1\tOne\tH\tMar 2019\t', '1.1\tTwo\tM\tMar 2019\t'));
    expect(errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/1\.1 appears twice \(lines 10 and 11\)/),
      }),
    ]);
  });

  it('warns about an unresolved target but keeps it as written', () => {
    const { plan, errors } = parseTextPlan(doc('1.1\tOne\tH\tQ3 2019\t'));
    expect(errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({
      targetText: 'Q3 2019',
      targetDate: null,
      ongoing: false,
    });
    expect(plan.warnings).toEqual([
      expect.objectContaining({ line: 10, message: expect.stringContaining('Q3 2019') }),
    ]);
  });

  it('reports lines it does not understand instead of dropping them', () => {
    const { plan } = parseTextPlan(
      [
        'Title',
        'A stray subtitle',
        'Recommendation 1',
        'R',
        'Progress update – X',
        header,
        '1.1\tOne\tH\tMar 2019\t',
      ].join('\n'),
    );
    expect(plan.warnings).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('A stray subtitle') }),
    ]);
  });

  it('says so when there are no actions at all', () => {
    expect(parseTextPlan('Just a letter.\n\nNothing to see.').errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('No actions') }),
    ]);
  });

  it('refuses an action whose ref names a recommendation the plan lacks', () => {
    const { errors } = parseTextPlan(doc('7.1\tOne\tH\tMar 2019\t'));
    expect(errors[0]?.message).toContain('recommendation 7');
  });
});
