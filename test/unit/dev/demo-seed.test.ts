import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';

import {
  DEMO_LABEL,
  defaultDemoFiles,
  demoPlanAsOf,
  projectRoot,
  readDemoAssignments,
  seedDemoPlan,
  shiftTarget,
  type DemoAssignments,
} from '../../../src/dev/demo-seed.js';
import { daysBetween, isOverdue, todayIn } from '../../../src/domain/calendar.js';
import type { ParsedPlan } from '../../../src/domain/parsed-plan.js';
import type { Action } from '../../../src/domain/plan.js';
import { isDone } from '../../../src/domain/status.js';
import { parseTarget } from '../../../src/domain/target.js';
import { readPlanFile } from '../../../src/documents/plan-file.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';

/**
 * The demo plan is the MoJ plan of May 2017. Seeded as it is, every action would be years
 * overdue; `npm start` moves it to the day it first runs, so that some actions are overdue, some
 * due in the next two weeks and some done, whatever that day is.
 */

const FILES = defaultDemoFiles(projectRoot(__dirname));
let parsed: ParsedPlan;
let demo: DemoAssignments;
beforeAll(async () => {
  parsed = (await readPlanFile(FILES.planPath)).plan;
  demo = await readDemoAssignments(FILES.assignmentsPath);
});

async function seededAt(now: string) {
  const deps = { plans: new InMemoryPlanRepository(), clock: fixedClock(now) };
  const outcome = await seedDemoPlan(deps, FILES, readPlanFile);
  const planId = outcome.planIds[0]!;
  const plan = (await deps.plans.getPlan(planId))!.value;
  const actions = new Map(
    (await deps.plans.listActions(planId)).map((a) => [a.value.ref, a.value] as const),
  );
  return { outcome, plan, actions, today: todayIn(plan.timeZone, new Date(now)) };
}

/** The assigned actions' state today: overdue, due in how many days, or done. */
function picture(actions: ReadonlyMap<string, Action>, today: string) {
  const assigned = [...actions.values()].filter((a) => a.owners.length > 0);
  return {
    overdue: assigned.filter((a) => isOverdue(a, today)).map((a) => a.ref),
    dueInDays: Object.fromEntries(
      assigned
        .filter((a) => a.target.kind === 'date' && !isDone(a.status) && !isOverdue(a, today))
        .map((a) => [a.ref, daysBetween(today, a.target.kind === 'date' ? a.target.date : '')]),
    ),
    done: assigned.filter((a) => isDone(a.status)).map((a) => a.ref),
  };
}

describe('seeding the demo plan on a given day', () => {
  it('on 24 November 2026: the plan of May 2017 becomes the plan of November 2026', async () => {
    const { outcome, plan, actions, today } = await seededAt('2026-11-24T10:00:00.000Z');

    expect(outcome).toMatchObject({ seeded: true, actionCount: 42, monthsShifted: 114 });
    expect(plan.title).toBe('Ministry of Justice IMA Action Plan (demo)');
    expect(plan.progressUpdate).toBe('November 2026');
    const target = (ref: string) => actions.get(ref)?.target;
    // Each target moved by 114 months, written as the plan wrote it.
    expect(target('1.1')).toEqual({ kind: 'date', text: 'End Sep 2026', date: '2026-09-30' });
    expect(target('1.5')).toEqual({ kind: 'date', text: 'End Dec 2026', date: '2026-12-31' });
    expect(target('3.3')).toEqual({ kind: 'date', text: 'December 2026', date: '2026-12-31' });
    expect(target('4.3')).toEqual({ kind: 'date', text: 'Sep2026', date: '2026-09-30' });
    expect(target('4.5')).toEqual({ kind: 'date', text: 'October 2026', date: '2026-10-31' });
    expect(target('6.1')).toEqual({ kind: 'date', text: 'End Jun 2027', date: '2027-06-30' });
    expect(target('2.6')).toEqual({ kind: 'date', text: '31 Mar 2026', date: '2026-03-31' });
    expect(target('1.3')).toEqual({ kind: 'ongoing', text: 'Ongoing' });
    // The demo's "due next week" actions: dueInDays after today.
    expect(target('2.4')).toEqual({ kind: 'date', text: '1 Dec 2026', date: '2026-12-01' });

    expect(picture(actions, today)).toEqual({
      overdue: ['1.1', '1.4', '4.1', '4.3', '4.9a'],
      dueInDays: { '2.4': 7, '4.9b': 9, '5.2': 11, '4.8': 13, '6.4': 218 },
      done: ['2.6', '3.5'],
    });
    expect(actions.get('2.6')?.status).toBe('complete');
    expect(actions.get('3.5')?.status).toBe('closed');
  });

  it('on 31 January 2031, late in the evening: the last day of a month, next to February', async () => {
    const { outcome, plan, actions, today } = await seededAt('2031-01-31T23:30:00.000Z');

    expect(today).toBe('2031-01-31');
    expect(outcome.monthsShifted).toBe(164);
    expect(plan.title).toBe('Ministry of Justice IMA Action Plan (demo)');
    expect(plan.progressUpdate).toBe('January 2031');
    const target = (ref: string) => actions.get(ref)?.target;
    expect(target('1.1')).toEqual({ kind: 'date', text: 'End Nov 2030', date: '2030-11-30' });
    expect(target('1.5')).toEqual({ kind: 'date', text: 'End Feb 2031', date: '2031-02-28' });
    expect(target('2.6')).toEqual({ kind: 'date', text: '31 May 2030', date: '2030-05-31' });
    expect(target('6.1')).toEqual({ kind: 'date', text: 'End Aug 2031', date: '2031-08-31' });
    expect(target('2.4')).toEqual({ kind: 'date', text: '7 Feb 2031', date: '2031-02-07' });

    expect(picture(actions, today)).toEqual({
      overdue: ['1.1', '1.4', '4.1', '4.3', '4.9a'],
      dueInDays: { '2.4': 7, '4.9b': 9, '5.2': 11, '4.8': 13, '6.4': 212 },
      done: ['2.6', '3.5'],
    });
  });

  it('in summer time, "today" is the day in London', async () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    const { plan, today, actions } = await seededAt('2027-06-30T23:30:00.000Z');
    expect(today).toBe('2027-07-01');
    expect(plan.progressUpdate).toBe('July 2027');
    expect(actions.get('2.4')?.target).toEqual({
      kind: 'date',
      text: '8 Jul 2027',
      date: '2027-07-08',
    });
  });
});

describe('the demo plan, whatever day it runs', () => {
  it('has assigned actions overdue, assigned actions due in 7 to 14 days, and done actions', () => {
    const assigned = new Set(demo.assignments.map((a) => a.ref));
    // Every day of a leap year: each day of each month, short and long months alike.
    const from = DateTime.fromISO('2028-01-01', { zone: 'UTC' });
    const wrong: unknown[] = [];
    for (let d = 0; d < 366; d++) {
      const today = from.plus({ days: d }).toISODate()!;
      const { plan } = demoPlanAsOf(parsed, demo, today);
      const mine = plan.actions.filter((a) => assigned.has(a.ref));
      const open = mine.filter((a) => !isDone(a.status) && a.targetDate !== null);
      const overdue = open.filter((a) => a.targetDate! < today);
      const dueSoon = open.filter((a) => {
        const days = daysBetween(today, a.targetDate!);
        return days >= 7 && days <= 14;
      });
      if (
        overdue.length < 3 ||
        dueSoon.length < 3 ||
        !mine.some((a) => isDone(a.status)) ||
        !plan.title.endsWith(DEMO_LABEL)
      ) {
        wrong.push({ today, overdue, dueSoon, title: plan.title });
      }
      // Every target still reads as the date it was given.
      for (const a of plan.actions) {
        const read = parseTarget(a.targetText);
        if ((read.kind === 'date' ? read.date : null) !== a.targetDate) {
          wrong.push({ today, ref: a.ref, text: a.targetText, date: a.targetDate });
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps every status, text and ref as the plan has them', () => {
    const { plan } = demoPlanAsOf(parsed, demo, '2029-08-15');
    const strip = (p: ParsedPlan) =>
      p.actions.map(({ ref, text, status, priority, ongoing }) => ({
        ref,
        text,
        status,
        priority,
        ongoing,
      }));
    expect(strip(plan)).toEqual(strip(parsed));
    expect(plan.recommendations).toEqual(parsed.recommendations);
  });

  it('does not label a plan twice', () => {
    const once = demoPlanAsOf(parsed, demo, '2029-08-15').plan;
    expect(demoPlanAsOf(once, demo, '2029-08-15').plan.title).toBe(once.title);
  });
});

describe('moving a target by whole months', () => {
  it.each([
    ['End Mar 2017', '2017-03-31', 1, 'End Apr 2017', '2017-04-30'],
    ['Mar 2017', '2017-03-31', 11, 'Feb 2018', '2018-02-28'],
    ['Mar2017', '2017-03-31', -2, 'Jan2017', '2017-01-31'],
    ['MARCH 2017', '2017-03-31', 3, 'JUNE 2017', '2017-06-30'],
    ['mar 2017', '2017-03-31', 3, 'jun 2017', '2017-06-30'],
    ['March-17', '2017-03-31', 12, 'March-18', '2018-03-31'],
    ['30 Sept 2016', '2016-09-30', 1, '31 Oct 2016', '2016-10-31'],
    ['30 Sept 2016', '2016-09-30', 12, '30 Sept 2017', '2017-09-30'],
    ['15 Jan 2017', '2017-01-15', 1, '15 Feb 2017', '2017-02-15'],
    ['30 Jan 2017', '2017-01-30', 1, '28 Feb 2017', '2017-02-28'],
    ['End 2016', '2016-12-31', 24, 'End 2018', '2018-12-31'],
    ['End 2016', '2016-12-31', 3, 'End Mar 2017', '2017-03-31'],
    ['31/03/2017', '2017-03-31', 1, 'End Apr 2017', '2017-04-30'],
    ['2017-03-15', '2017-03-15', 1, '15 Apr 2017', '2017-04-15'],
    ['May 2017', '2017-05-31', 6, 'November 2017', '2017-11-30'],
  ])('%s (%s) + %i months: %s', (text, date, months, expectedText, expectedDate) => {
    expect(shiftTarget(text, date, months)).toEqual({ text: expectedText, date: expectedDate });
  });
});

describe('demo-assignments.json dueInDays', () => {
  it('refuses a dueInDays that is not a whole number of days', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'actionplan-demo-'));
    try {
      const path = join(dir, 'demo-assignments.json');
      await writeFile(
        path,
        JSON.stringify({
          assignments: [
            { ref: '1.1', owners: ['a@example.org'], dueInDays: 'soon' },
            { ref: '1.2', owners: ['a@example.org'], dueInDays: -1 },
            { ref: '1.3', owners: ['a@example.org'], dueInDays: 7 },
          ],
        }),
      );
      await expect(readDemoAssignments(path)).rejects.toThrow(
        /assignments\[0\]\.dueInDays[\s\S]*assignments\[1\]\.dueInDays/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/TEAMS.md', () => {
  it('lists each demo person with exactly the actions they own, and when they are due', async () => {
    const doc = await readFile(join(projectRoot(__dirname), 'docs', 'TEAMS.md'), 'utf8');
    const nameOf = (email: string) =>
      email
        .split('@')[0]!
        .split('.')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(' ');
    const people = [...new Set(demo.assignments.flatMap((a) => a.owners))];
    expect(people.length).toBeGreaterThan(0);
    for (const email of people) {
      const row = doc.split('\n').find((l) => l.startsWith('|') && l.includes(nameOf(email)));
      const owns = row?.split('|')[3] ?? '';
      const mine = demo.assignments.filter((a) => a.owners.includes(email));
      expect({
        email,
        refs: [...owns.matchAll(/\b\d\.\d+[a-z]?\b/g)].map((m) => m[0]).sort(),
      }).toEqual({
        email,
        refs: mine.map((a) => a.ref).sort(),
      });
      for (const a of mine.filter((x) => x.dueInDays !== undefined)) {
        expect(owns).toContain(`due in ${a.dueInDays} days`);
      }
    }
  });
});
