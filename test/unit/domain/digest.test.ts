import {
  composeDigest,
  digestScheduleOf,
  latestDigestSlot,
  parseWeekday,
} from '../../../src/domain/digest.js';
import { aHistoryEntry, anAction, aPlan } from '../../helpers/builders.js';

/** Monday 19 June 2017, 09:00 in London (08:00 UTC, summer time). */
const MONDAY_0900 = new Date('2017-06-19T08:00:00.000Z');
const ALEX = 'alex.owner@justice.gov.uk';
const PRIYA = 'priya.champion@justice.gov.uk';

const plan = aPlan();
const actions = [
  // Overdue high priority (target 31 Mar 2017): red.
  anAction({ ref: '1.1', status: 'in_progress', owners: [ALEX] }),
  // Completed this week.
  anAction({ ref: '1.2', status: 'complete', owners: [ALEX], targetText: '30 June 2017' }),
  // Completed before the week: not "completed this week".
  anAction({ ref: '1.3', status: 'closed', owners: [PRIYA], targetText: 'End Mar 2017' }),
  // Due in 11 days (30 June), no owner.
  anAction({ ref: '2.1', owners: [], priority: 'M', targetText: '30 June 2017' }),
  // Due in 15 days: outside the digest's 14.
  anAction({ ref: '2.2', owners: [PRIYA], priority: 'L', targetText: '04/07/2017' }),
];
const history = [
  // Before the week (12 June 09:00 exactly is inside; this is a minute before).
  aHistoryEntry({
    ref: '1.3',
    at: '2017-06-12T07:59:00.000Z',
    by: PRIYA,
    to: 'closed',
    from: 'in_progress',
  }),
  aHistoryEntry({
    ref: '1.1',
    at: '2017-06-12T08:00:00.000Z',
    by: ALEX,
    from: 'not_started',
    to: 'in_progress',
  }),
  aHistoryEntry({
    ref: '1.2',
    at: '2017-06-15T10:00:00.000Z',
    by: ALEX,
    from: 'in_progress',
    to: 'complete',
  }),
  aHistoryEntry({
    ref: '2.2',
    at: '2017-06-16T10:00:00.000Z',
    by: PRIYA,
    field: 'note',
    from: undefined,
    to: 'Waiting for IT',
  }),
  // The import's creation is not a change someone made.
  aHistoryEntry({
    ref: '2.2',
    at: '2017-06-16T09:00:00.000Z',
    by: 'import:x.txt',
    kind: 'created',
    field: undefined,
  }),
  // At the slot itself: next week's.
  aHistoryEntry({
    ref: '2.1',
    at: '2017-06-19T08:00:00.000Z',
    by: PRIYA,
    field: 'owners',
    to: PRIYA,
  }),
];

describe('composeDigest', () => {
  const digest = composeDigest({
    plan,
    actions,
    history,
    asOf: MONDAY_0900,
    reachable: new Set([ALEX]),
  });

  it('covers the seven days before the slot, newest change first, creations left out', () => {
    expect(digest.weekFrom).toBe('2017-06-12');
    expect(digest.changes.map((c) => [c.ref, c.field, c.by])).toEqual([
      ['2.2', 'note', PRIYA],
      ['1.2', 'status', ALEX],
      ['1.1', 'status', ALEX],
    ]);
    expect(digest.changedBy).toBe(2);
  });

  it('lists as completed this week only what moved to done in the week and is done now', () => {
    expect(digest.completed.map((a) => a.ref)).toEqual(['1.2']);
  });

  it('has the picture on the day: RAG, overdue, due in 14 days, no owner, unreachable', () => {
    const s = digest.summary;
    expect(s.today).toBe('2017-06-19');
    expect(s.counts).toMatchObject({ total: 5, done: 2, percentDone: 40 });
    expect(s.rag.rating).toBe('red');
    expect(s.overdue.map((o) => [o.action.ref, o.daysOverdue])).toEqual([['1.1', 80]]);
    expect(s.dueSoon.map((d) => [d.action.ref, d.daysLeft])).toEqual([['2.1', 11]]);
    expect(s.noOwner.map((a) => a.ref)).toEqual(['2.1']);
    expect(s.unreachable).toEqual([{ email: PRIYA, refs: ['2.2'] }]);
    expect(digest.recommendations.map((r) => [r.number, r.counts.done, r.counts.total])).toEqual([
      ['1', 2, 3],
      ['2', 0, 2],
    ]);
  });
});

describe('digest slots', () => {
  const monday = digestScheduleOf(plan);
  const slot = (iso: string, schedule = monday, zone = 'Europe/London') =>
    latestDigestSlot(zone, schedule, new Date(iso));

  it('is Monday 09:00 in the plan zone by default, in summer and in winter', () => {
    expect(monday).toEqual({ weekday: 1, sendAt: '09:00' });
    expect(slot('2017-06-19T08:00:00.000Z')).toEqual({
      day: '2017-06-19',
      at: new Date('2017-06-19T08:00:00.000Z'),
    });
    expect(slot('2017-12-04T09:00:00.000Z').at.toISOString()).toBe('2017-12-04T09:00:00.000Z');
  });

  it('is last week’s until the minute comes', () => {
    expect(slot('2017-06-19T07:59:59.000Z').day).toBe('2017-06-12');
    expect(slot('2017-06-25T22:00:00.000Z').day).toBe('2017-06-19');
  });

  it('follows the plan’s own day and time, and its time zone', () => {
    const fridayAfternoon = digestScheduleOf(
      aPlan({ settings: { digest: { weekday: 5, sendAt: '16:30' } } }),
    );
    expect(slot('2017-06-19T08:00:00.000Z', fridayAfternoon)).toEqual({
      day: '2017-06-16',
      at: new Date('2017-06-16T15:30:00.000Z'),
    });
    expect(slot('2017-06-19T08:00:00.000Z', monday, 'America/New_York').day).toBe('2017-06-12');
  });

  it('reads weekdays as people write them', () => {
    expect([
      parseWeekday('Monday'),
      parseWeekday('fri'),
      parseWeekday('SUN'),
      parseWeekday('mo'),
    ]).toEqual([1, 5, 7, undefined]);
  });
});
