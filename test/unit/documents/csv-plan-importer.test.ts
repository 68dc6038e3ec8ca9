import { detectDelimiter, parseCsvPlan } from '../../../src/documents/csv-plan-importer';
import { parseTextPlan } from '../../../src/documents/text-plan-importer';
import type { ParsedAction } from '../../../src/domain/parsed-plan';
import { mojPlanText, withoutPlace } from '../../helpers/fixtures';

const byRef = (actions: ParsedAction[], ref: string): ParsedAction => {
  const a = actions.find((x) => x.ref === ref);
  if (!a) throw new Error(`no action ${ref}`);
  return a;
};

const csv = (...lines: string[]): string => lines.join('\r\n') + '\r\n';

describe('parseCsvPlan: a plain plan', () => {
  const { plan, errors } = parseCsvPlan(
    csv(
      'Ref,Action,Priority,Target date,Status',
      '1.1,Finish the KIM strategy,H,End Mar 2017,In progress',
      '1.2,Get senior support,Med,Ongoing,',
      '2.1,"Publish datasets, in a usable format",Low,30 Sept 2016,Complete',
    ),
    'plans/moj-plan.csv',
  );

  it('reads every row into an action with resolved targets and statuses', () => {
    expect(errors).toEqual([]);
    expect(plan.actions).toEqual([
      expect.objectContaining({
        ref: '1.1',
        recommendation: '1',
        text: 'Finish the KIM strategy',
        priority: 'H',
        targetText: 'End Mar 2017',
        targetDate: '2017-03-31',
        ongoing: false,
        status: 'in_progress',
        line: 2,
      }),
      expect.objectContaining({
        ref: '1.2',
        priority: 'M',
        targetDate: null,
        ongoing: true,
        status: 'not_started',
        line: 3,
      }),
      expect.objectContaining({
        ref: '2.1',
        text: 'Publish datasets, in a usable format',
        priority: 'L',
        targetDate: '2016-09-30',
        status: 'complete',
        line: 4,
      }),
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('titles the plan after the file and derives the recommendations from the refs', () => {
    expect(plan.title).toBe('moj-plan');
    expect(plan.progressUpdate).toBe('');
    expect(plan.recommendations).toEqual([
      { number: '1', text: '' },
      { number: '2', text: '' },
    ]);
  });
});

describe('parseCsvPlan: headers', () => {
  it('accepts synonyms in any case, spacing and punctuation, in any order', () => {
    const { plan, errors } = parseCsvPlan(
      csv(
        'STATUS ,  due date,Action No.,Description,PRIORITY HIGH/MED/LOW',
        'Done,31/03/2027,4.9A,Update the policy,high',
      ),
    );
    expect(errors).toEqual([]);
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({
      ref: '4.9a',
      text: 'Update the policy',
      priority: 'H',
      targetDate: '2027-03-31',
      status: 'complete',
    });
  });

  it.each([
    ['No.', 'Actions', 'H/M/L', 'Deadline', 'Current status'],
    ['Reference', 'Action text', 'Pri', 'Target completion date', 'Progress'],
    ['ID', 'Detail', 'priority', 'Completion Date', 'status'],
    ['ref-no', 'action', 'Priority', 'Due', 'Status'],
  ])('reads a header of %s, %s, %s, %s, %s', (...header) => {
    const { plan, errors } = parseCsvPlan(csv(header.join(','), '3.2,Raise awareness,M,Mar2017,'));
    expect(errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({
      ref: '3.2',
      text: 'Raise awareness',
      priority: 'M',
      targetDate: '2017-03-31',
    });
  });

  it('reads the Word layout, whose action column has no heading, as the IMA template is', () => {
    const { plan, errors } = parseCsvPlan(
      csv(
        'Ref,,Priority High/Med/Low,Target Completion Date,Status',
        '3.5,Include cyber risks on the register,H,Oct 2016,Closed',
      ),
    );
    expect(errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({
      text: 'Include cyber risks on the register',
      status: 'closed',
      targetDate: '2016-10-31',
    });
    expect(plan.warnings).toEqual([]);
  });

  it('refuses a file with no Ref column, naming the column and the headers it accepts', () => {
    const { plan, errors } = parseCsvPlan(
      csv('Action,Priority,Target date,Status', 'Do the thing,H,End 2016,'),
    );
    expect(plan.actions).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 1, column: 'Ref' });
    expect(errors[0]!.message).toContain('no Ref column');
    expect(errors[0]!.message).toContain('Reference');
    expect(errors[0]!.message).toContain('Action ref');
  });

  it('names every missing required column', () => {
    const { errors } = parseCsvPlan(csv('Ref,Action,Owner', '1.1,Do it,a@b.gov.uk'));
    expect(errors.map((e) => e.column)).toEqual(['Priority', 'Target date', 'Status']);
  });

  it('warns about unknown extra columns, listing them, and still reads the plan', () => {
    const { plan, errors } = parseCsvPlan(
      csv('Ref,Action,Priority,Target,Status,RAG,Budget code', '1.1,Do it,H,End 2016,,Amber,X12'),
    );
    expect(errors).toEqual([]);
    expect(plan.actions).toHaveLength(1);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatchObject({ line: 1 });
    expect(plan.warnings[0]!.message).toMatch(/^Columns "RAG", "Budget code" are not recognised/);
  });
});

describe('parseCsvPlan: optional columns', () => {
  const { plan, errors } = parseCsvPlan(
    csv(
      'Plan,Progress update,Rec no,Recommendation text,Ref,Action,Priority,Target,Status,Owner email,Business area,Comments',
      'MoJ IMA plan,Progress update – May 2017,1,Set clear goals for KIM.,1.1,Finish the strategy,H,End Mar 2017,In progress, Jo.Bloggs@Justice.gov.uk ,HMPPS,Draft with the SIRO',
      ',,1,,1.2,Get support,M,Ongoing,,,,',
      ',,Recommendation 2,Improve the culture.,2.1,Promote KIM,M,Ongoing,,kim@justice.gov.uk,MoJ HQ,',
    ),
    'ignored-name.csv',
  );

  it('reads owner, area and note into the actions', () => {
    expect(errors).toEqual([]);
    expect(byRef(plan.actions, '1.1')).toMatchObject({
      owners: ['jo.bloggs@justice.gov.uk'],
      area: 'HMPPS',
      note: 'Draft with the SIRO',
    });
    const a12 = byRef(plan.actions, '1.2');
    expect(a12.owners).toBeUndefined();
    expect(a12.area).toBeUndefined();
    expect(a12.note).toBeUndefined();
    expect(byRef(plan.actions, '2.1')).toMatchObject({
      owners: ['kim@justice.gov.uk'],
      area: 'MoJ HQ',
    });
  });

  it('takes the title, progress label and recommendations from their columns', () => {
    expect(plan.title).toBe('MoJ IMA plan');
    expect(plan.progressUpdate).toBe('May 2017');
    expect(plan.recommendations).toEqual([
      { number: '1', text: 'Set clear goals for KIM.' },
      { number: '2', text: 'Improve the culture.' },
    ]);
  });

  it('refuses an owner that is not an email address, on its line', () => {
    const r = parseCsvPlan(
      csv('Ref,Action,Priority,Target,Status,Owner', '1.1,Do it,H,End 2016,,Jo Bloggs'),
    );
    expect(r.errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'Owner',
        message: expect.stringContaining('Jo Bloggs'),
      }),
    ]);
  });

  it('refuses a Recommendation column that disagrees with the ref', () => {
    const r = parseCsvPlan(csv('Ref,Action,Priority,Target,Status,Rec', '1.1,Do it,H,End 2016,,2'));
    expect(r.errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'Recommendation',
        message: expect.stringMatching(/recommendation 1 by its ref.*says 2/),
      }),
    ]);
  });
});

describe('parseCsvPlan: what Excel and Word leave in a CSV', () => {
  it('reads a quoted cell over several lines, and numbers later rows by the line they start on', () => {
    const { plan, errors } = parseCsvPlan(
      csv(
        'Ref,Action,Priority,Target,Status',
        '2.6,"Increasing focus on knowledge transfer',
        'because of the ""Voluntary Exit""',
        'Scheme",L,30 Sept 2016,Complete',
        '2.7,Maintain FOI performance,H,Ongoing,',
        '2.8,,H,Ongoing,',
      ),
    );
    expect(byRef(plan.actions, '2.6')).toMatchObject({
      text: 'Increasing focus on knowledge transfer because of the "Voluntary Exit" Scheme',
      line: 2,
      targetDate: '2016-09-30',
    });
    expect(byRef(plan.actions, '2.7').line).toBe(5);
    expect(errors).toEqual([expect.objectContaining({ line: 6, column: 'Action' })]);
  });

  it('drops a UTF-8 BOM so that the first header is still Ref', () => {
    const { plan, errors } = parseCsvPlan(
      '\uFEFFRef,Action,Priority,Target,Status\n1.1,Do it,H,End 2016,\n',
    );
    expect(errors).toEqual([]);
    expect(plan.actions.map((a) => a.ref)).toEqual(['1.1']);
    expect(plan.warnings).toEqual([]);
  });

  it('reads semicolon- and tab-separated files', () => {
    for (const sep of [';', '\t']) {
      const { plan, errors } = parseCsvPlan(
        ['Ref', 'Action', 'Priority', 'Target', 'Status'].join(sep) +
          '\n' +
          ['1.1', 'Review roles, then streamline', 'H', 'June 2017', ''].join(sep) +
          '\n',
      );
      expect(errors).toEqual([]);
      expect(plan.actions[0]).toMatchObject({
        text: 'Review roles, then streamline',
        targetDate: '2017-06-30',
      });
    }
    expect(detectDelimiter('Ref;Action;Priority;Target;Status\n')).toBe(';');
    expect(detectDelimiter('Ref,Action\n')).toBe(',');
  });

  it('skips blank rows (and rows of empty cells) without an issue, keeping line numbers true', () => {
    const { plan, errors } = parseCsvPlan(
      csv(
        'Ref,Action,Priority,Target,Status',
        '',
        ',,,,',
        '1.1,Do it,H,End 2016,',
        '   ',
        '1.2,Then this,L,End 2017,',
      ),
    );
    expect(errors).toEqual([]);
    expect(plan.actions.map((a) => [a.ref, a.line])).toEqual([
      ['1.1', 4],
      ['1.2', 6],
    ]);
  });

  it('reads a title line above the header, as Excel saves a sheet with a title row', () => {
    const { plan, errors } = parseCsvPlan(
      csv(
        'Ministry of Justice IMA Action Plan,,,,',
        ',,,,',
        'Ref,Action,Priority,Target,Status',
        '1.1,Do it,H,End 2016,',
      ),
      'export.csv',
    );
    expect(errors).toEqual([]);
    expect(plan.title).toBe('Ministry of Justice IMA Action Plan');
    expect(plan.actions[0]!.line).toBe(4);
  });
});

describe('parseCsvPlan: problems are reported by line and column', () => {
  it('names the line and column of an unknown priority', () => {
    const { errors } = parseCsvPlan(
      csv(
        'Ref,Action,Priority,Target,Status',
        '1.1,Do it,H,End 2016,',
        '1.2,Do more,Urgent,End 2016,',
      ),
    );
    expect(errors).toEqual([
      {
        line: 3,
        column: 'Priority',
        message: 'Action 1.2 has priority "Urgent"; use High, Med or Low (H/M/L).',
      },
    ]);
  });

  it('names both lines of a duplicate ref', () => {
    const { errors } = parseCsvPlan(
      csv(
        'Ref,Action,Priority,Target,Status',
        '1.1,Do it,H,End 2016,',
        '1.2,Then,H,End 2016,',
        '1.1.,Again,M,End 2017,',
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 4, column: 'Ref' });
    expect(errors[0]!.message).toContain('lines 2 and 4');
  });

  it('reports a short row (a lost separator) on its line instead of misreading it', () => {
    const { plan, errors } = parseCsvPlan(
      csv('Ref,Action,Priority,Target,Status', '1.1,Do it,H,End 2016,', '1.2,Do more,H,End 2016'),
    );
    expect(plan.actions.map((a) => a.ref)).toEqual(['1.1']);
    expect(errors).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('has 4 cells but the header has 5'),
      }),
    ]);
  });

  it('reports a row with an unquoted comma in its text', () => {
    const { errors } = parseCsvPlan(
      csv('Ref,Action,Priority,Target,Status', '1.1,Review, then streamline,H,End 2016,'),
    );
    expect(errors).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('double quotes') }),
    ]);
  });

  it('lets a harmless trailing separator pass', () => {
    const { plan, errors } = parseCsvPlan(
      csv('Ref,Action,Priority,Target,Status', '1.1,Do it,H,End 2016,Complete,'),
    );
    expect(errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({ ref: '1.1', status: 'complete' });
  });

  it('reports a quote that is never closed, with the line it opens on', () => {
    const { errors } = parseCsvPlan(
      'Ref,Action,Priority,Target,Status\n1.1,Do it,H,End 2016,\n1.2,"Do more,H,End 2016,\n1.3,x,H,End 2016,\n',
    );
    expect(errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('never closed') }),
    ]);
  });

  it('keeps an unresolved target as written and warns, without an error', () => {
    const { plan, errors } = parseCsvPlan(
      csv('Ref,Action,Priority,Target,Status', '1.1,Do it,H,When funding allows,'),
    );
    expect(errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({
      targetText: 'When funding allows',
      targetDate: null,
      ongoing: false,
    });
    expect(plan.warnings).toEqual([expect.objectContaining({ line: 2, column: 'Target date' })]);
  });

  it('stops after 100 row errors with one closing message', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `x${i},,,,`);
    const { errors } = parseCsvPlan(csv('Ref,Action,Priority,Target,Status', ...rows));
    expect(errors.length).toBeLessThanOrEqual(110);
    expect(errors.at(-1)!.message).toMatch(/^Too many problems/);
  });
});

describe('parseCsvPlan on the MoJ plan saved as CSV', () => {
  it('gives the same 42 actions as the text importer', () => {
    const fromText = parseTextPlan(mojPlanText()).plan;
    const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
    const lines = [
      'Ref,Action,Priority,Target Completion Date,Status',
      ...fromText.actions.map((a) =>
        [a.ref, a.text, a.priority, a.targetText, a.status.replace('_', ' ')].map(quote).join(','),
      ),
    ];
    const { plan, errors } = parseCsvPlan(csv(...lines), 'moj.csv');
    expect(errors).toEqual([]);
    expect(plan.actions).toHaveLength(42);
    expect(plan.actions.map(withoutPlace)).toEqual(fromText.actions.map(withoutPlace));
    expect(plan.recommendations.map((r) => r.number)).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
