import type { Action, Plan } from '../../../src/domain/plan.js';
import {
  countByStatus,
  describeDueness,
  dueness,
  dueWithin,
  overdueActions,
  percentOf,
  progressByRecommendation,
  summariseProgress,
  unreachableOwners,
  withoutOwner,
} from '../../../src/domain/progress.js';
import { anAction, aPlan } from '../../helpers/builders.js';
import { MOJ_PLAN_ID, mojDeps } from '../../helpers/bot-world.js';

/** The MoJ plan as imported: 42 actions, no owners, no areas. */
async function moj(): Promise<{ plan: Plan; actions: Action[] }> {
  const deps = await mojDeps();
  const plan = (await deps.plans.getPlan(MOJ_PLAN_ID))!.value;
  return { plan, actions: (await deps.plans.listActions(MOJ_PLAN_ID)).map((a) => a.value) };
}

describe('counts on the MoJ plan (May 2017)', () => {
  it('42 actions: 35 not started, 5 in progress, 1 complete, 1 closed; 2 done = 5%', async () => {
    const { actions } = await moj();
    // In progress: 1.1, 1.3, 4.2, 4.4, 4.9b. Complete: 2.6. Closed: 3.5. The rest are blank.
    expect(countByStatus(actions)).toEqual({
      not_started: 35,
      in_progress: 5,
      blocked: 0,
      complete: 1,
      closed: 1,
      total: 42,
      done: 2,
      percentDone: 5,
    });
  });

  it('per recommendation, in the plan order', async () => {
    const { plan, actions } = await moj();
    const rows = progressByRecommendation(plan.recommendations, actions).map((r) => [
      r.number,
      r.counts.total,
      r.counts.done,
      r.counts.in_progress,
      r.counts.percentDone,
    ]);
    expect(rows).toEqual([
      ['1', 5, 0, 2, 0], // 1.1 and 1.3 in progress
      ['2', 8, 1, 0, 13], // 2.6 complete: 1/8 = 12.5%
      ['3', 6, 1, 0, 17], // 3.5 closed: 1/6
      ['4', 13, 0, 3, 0], // 4.1–4.9 and 4.9a–d; 4.2, 4.4, 4.9b in progress
      ['5', 3, 0, 0, 0],
      ['6', 7, 0, 0, 0],
    ]);
  });

  it('overdue on 20 June 2017: 14 actions, the longest first', async () => {
    const { actions } = await moj();
    const overdue = overdueActions(actions, '2017-06-20').map((o) => [o.action.ref, o.daysOverdue]);
    expect(overdue).toEqual([
      ['4.4', 171], // End 2016, in progress
      ['6.7', 171], // Dec 2016
      ['4.1', 112], // End Feb 2017
      ['1.1', 81], // End Mar 2017 (in progress, still overdue)
      ['1.2', 81],
      ['1.4', 81],
      ['2.4', 81],
      ['4.3', 81], // "Mar2017"
      ['4.7', 81],
      ['4.8', 81],
      ['4.9a', 81],
      ['4.9b', 81],
      ['4.9c', 81],
      ['4.5', 51], // April 2017
    ]);
  });

  it('nothing done is overdue: 2.6 (30 Sept 2016, complete) and 3.5 (Oct 2016, closed)', async () => {
    const { actions } = await moj();
    const refs = overdueActions(actions, '2017-06-20').map((o) => o.action.ref);
    expect(refs).not.toContain('2.6');
    expect(refs).not.toContain('3.5');
  });

  it('due within 14 days of 20 June 2017: the eight June targets', async () => {
    const { actions } = await moj();
    expect(dueWithin(actions, '2017-06-20', 14).map((d) => [d.action.ref, d.daysLeft])).toEqual([
      ['1.5', 10],
      ['2.5', 10],
      ['3.3', 10],
      ['3.4', 10],
      ['3.6', 10],
      ['5.1', 10],
      ['5.2', 10],
      ['5.3', 10],
    ]);
    expect(dueWithin(actions, '2017-06-20', 9)).toEqual([]);
  });

  it('without owners: the 40 open actions (the document names no owners)', async () => {
    const { actions } = await moj();
    expect(withoutOwner(actions)).toHaveLength(40);
  });
});

describe('summariseProgress', () => {
  it('judges "today" in the plan time zone: 23:30 UTC on 30 June is 1 July in London', async () => {
    const plan = aPlan({ timeZone: 'Europe/London' });
    const due = anAction({ ref: '1.1', targetText: '30 June 2017' });
    const s = summariseProgress(plan, [due], new Date('2017-06-30T23:30:00Z'), new Set());
    expect(s.today).toBe('2017-07-01');
    expect(s.overdue.map((o) => [o.action.ref, o.daysOverdue])).toEqual([['1.1', 1]]);
  });

  it('gathers counts, overdue, due soon, no owner and unreachable owners', () => {
    const actions = [
      anAction({ ref: '1.1', targetText: '1 June 2017', owners: ['a@x.gov.uk'] }),
      anAction({ ref: '1.2', targetText: '25 June 2017', owners: [] }),
      anAction({ ref: '1.3', targetText: 'Ongoing', owners: ['b@x.gov.uk'] }),
      anAction({ ref: '1.4', status: 'complete', owners: ['c@x.gov.uk'] }),
    ];
    const s = summariseProgress(
      aPlan(),
      actions,
      new Date('2017-06-20T09:00:00Z'),
      new Set(['b@x.gov.uk']),
    );
    expect(s.counts.total).toBe(4);
    expect(s.counts.done).toBe(1);
    expect(s.overdue.map((o) => o.action.ref)).toEqual(['1.1']);
    expect(s.dueSoon.map((d) => [d.action.ref, d.daysLeft])).toEqual([['1.2', 5]]);
    expect(s.dueSoonDays).toBe(14);
    expect(s.noOwner.map((a) => a.ref)).toEqual(['1.2']);
    // c@ owns only a done action: nobody needs to reach them.
    expect(s.unreachable).toEqual([{ email: 'a@x.gov.uk', refs: ['1.1'] }]);
  });
});

describe('unreachableOwners', () => {
  it('groups refs by owner, compares emails regardless of case, skips done actions', () => {
    const actions = [
      anAction({ ref: '4.10', owners: ['Ann@X.gov.uk'] }),
      anAction({ ref: '4.9a', owners: ['ann@x.gov.uk', 'bob@x.gov.uk'] }),
      anAction({ ref: '1.1', owners: ['bob@x.gov.uk'], status: 'closed' }),
    ];
    expect(unreachableOwners(actions, new Set(['bob@x.gov.uk']))).toEqual([
      { email: 'ann@x.gov.uk', refs: ['4.9a', '4.10'] },
    ]);
  });
});

describe('dueness and how it is said', () => {
  const at = (targetText: string, status: Action['status'] = 'in_progress') =>
    describeDueness(dueness(anAction({ targetText, status }), '2017-03-24'));

  it.each([
    ['31 March 2017', 'due in 7 days'],
    ['25 March 2017', 'due tomorrow'],
    ['24 March 2017', 'due today'],
    ['23 March 2017', '1 day overdue'],
    ['21 March 2017', '3 days overdue'],
    ['Ongoing', 'ongoing'],
    ['when we can', 'no target date'],
  ])('%s → %s', (target, said) => expect(at(target)).toBe(said));

  it('done actions are done, whatever their date', () =>
    expect(at('1 Jan 2017', 'complete')).toBe('done'));
});

describe('percentOf', () => {
  it.each([
    [0, 0, 0],
    [0, 42, 0],
    [2, 42, 5],
    [1, 200, 1], // never 0% once something is done
    [199, 200, 99], // never 100% until everything is
    [42, 42, 100],
  ])('%i of %i → %i%%', (part, whole, pct) => expect(percentOf(part, whole)).toBe(pct));
});

describe('progressByRecommendation', () => {
  it('keeps recommendations with no actions, and adds a row for unlisted ones', () => {
    const rows = progressByRecommendation(
      [
        { number: '1', text: 'One' },
        { number: '2', text: 'Two' },
      ],
      [anAction({ ref: '1.1' }), anAction({ ref: '7.1', status: 'complete' })],
    );
    expect(rows.map((r) => [r.number, r.text, r.counts.total, r.counts.done])).toEqual([
      ['1', 'One', 1, 0],
      ['2', 'Two', 0, 0],
      ['7', '', 1, 1],
    ]);
  });
});
