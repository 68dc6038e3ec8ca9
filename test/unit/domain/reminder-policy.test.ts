import { DateTime } from 'luxon';
import { workingDaysFor } from '../../../src/calendar/bank-holidays.js';
import type { Action, Area, Plan } from '../../../src/domain/plan.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  reminderSettingsProblems,
  type ReminderSettings,
} from '../../../src/domain/plan-settings.js';
import {
  dueReminders,
  sendTime,
  type Reminder,
  type ReminderPolicyInput,
} from '../../../src/domain/reminder-policy.js';
import { anAction, aPlan } from '../../helpers/builders.js';

const OWNER = 'alex.owner@justice.gov.uk';
const CHAMPION = 'priya.champion@justice.gov.uk';
const ADMIN = 'kim.admin@justice.gov.uk';
const areas: Area[] = [{ planId: 'moj-ima-2017', name: 'HMPPS', champions: [CHAMPION] }];

function input(
  actions: Action[],
  now: string,
  extra: Partial<ReminderPolicyInput> & { settings?: Partial<ReminderSettings> } = {},
): ReminderPolicyInput {
  const { settings, ...rest } = extra;
  const plan: Plan = aPlan(settings ? { settings: { reminders: settings } } : {});
  return {
    plan,
    actions,
    areas,
    adminEmails: [ADMIN],
    workingDays: workingDaysFor(settings?.holidays ?? 'GB-ENG'),
    now: new Date(now),
    ...rest,
  };
}

/** 09:00 (or `time`) in London on a date, as an instant. */
const at = (date: string, time = '09:00'): string =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'Europe/London' }).toUTC().toISO()!;

function* days(from: string, to: string): Generator<string> {
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) {
    yield d.toISODate()!;
  }
}

type Extra = Parameters<typeof input>[2];

/**
 * Runs the policy at 09:00 (or `time`) on every day from `from` to `to`, as the scheduler would,
 * and keeps each reminder the first day it comes up (the delivery records do that for real).
 * The actions and `extra` may change with the day (a snooze pressed on a given day, a status
 * change); `skip` gives the days the bot is down.
 */
function simulate(
  actions: Action[] | ((day: string) => Action[]),
  from: string,
  to: string,
  options: {
    extra?: Extra | ((day: string) => Extra);
    skip?: (day: string) => boolean;
    time?: string;
  } = {},
): (Reminder & { sentOn: string })[] {
  const seen = new Map<string, Reminder & { sentOn: string }>();
  for (const day of days(from, to)) {
    if (options.skip?.(day)) continue;
    const extra = typeof options.extra === 'function' ? options.extra(day) : options.extra;
    const list = typeof actions === 'function' ? actions(day) : actions;
    for (const r of dueReminders(input(list, at(day, options.time), extra))) {
      if (!seen.has(r.id)) seen.set(r.id, { ...r, sentOn: day });
    }
  }
  return [...seen.values()];
}

const brief = (rs: readonly (Reminder & { sentOn: string })[]) =>
  rs.map(
    (r) =>
      `${r.sentOn} ${r.kind}${r.workingDaysBefore ? `-${r.workingDaysBefore}` : ''} ${r.recipient}`,
  );

describe('the default reminders for an action due End Mar 2017 (Friday 31 March)', () => {
  const action = anAction({
    ref: '1.1',
    targetText: 'End Mar 2017',
    area: 'HMPPS',
    owners: [OWNER],
  });

  it('14, 7 and 1 working days before, on the day, weekly while overdue, the champion after 14 days', () => {
    expect(brief(simulate([action], '2017-03-01', '2017-05-12'))).toEqual([
      `2017-03-13 before-14 ${OWNER}`,
      `2017-03-22 before-7 ${OWNER}`,
      `2017-03-30 before-1 ${OWNER}`,
      `2017-03-31 due_today ${OWNER}`,
      `2017-04-07 overdue ${OWNER}`,
      // 14 April is Good Friday and 17 April Easter Monday: both wait until Tuesday.
      `2017-04-18 overdue ${OWNER}`,
      `2017-04-18 escalation ${CHAMPION}`,
      `2017-04-21 overdue ${OWNER}`,
      `2017-04-28 overdue ${OWNER}`,
      `2017-05-05 overdue ${OWNER}`,
      `2017-05-12 overdue ${OWNER}`,
    ]);
  });

  it('sends nothing on weekends or bank holidays, whatever the time', () => {
    for (const day of ['2017-03-25', '2017-03-26', '2017-04-14', '2017-04-17', '2017-05-01']) {
      for (const time of ['09:00', '12:00', '23:59']) {
        expect(dueReminders(input([action], at(day, time)))).toEqual([]);
      }
    }
  });

  it('sends nothing for done actions, and stops once the action is done', () => {
    for (const status of ['complete', 'closed'] as const) {
      expect(simulate([{ ...action, status }], '2017-03-01', '2017-05-31')).toEqual([]);
    }
    const doneOnApril10 = simulate([action], '2017-03-01', '2017-04-09').concat(
      simulate([{ ...action, status: 'complete' }], '2017-04-10', '2017-05-31'),
    );
    expect(brief(doneOnApril10).at(-1)).toBe(`2017-04-07 overdue ${OWNER}`);
  });

  it('reminds every owner of a shared action, each once', () => {
    const shared = { ...action, owners: [OWNER, 'Sam.Other@justice.gov.uk'] };
    const sent = simulate([shared], '2017-03-30', '2017-03-30');
    expect(sent.map((r) => r.recipient)).toEqual([OWNER, 'sam.other@justice.gov.uk']);
    expect(new Set(sent.map((r) => r.id)).size).toBe(2);
  });

  it('restarts the weekly overdue count when the status changes while overdue', () => {
    const changed = new Map([['1.1', '2017-04-11']]);
    const sent = simulate([{ ...action, status: 'in_progress' }], '2017-04-01', '2017-04-30', {
      extra: (day) => (day >= '2017-04-11' ? { statusChangedOn: changed } : {}),
    });
    expect(brief(sent).filter((s) => s.includes('overdue'))).toEqual([
      `2017-04-07 overdue ${OWNER}`,
      `2017-04-18 overdue ${OWNER}`, // 11 April + 7
      `2017-04-25 overdue ${OWNER}`,
    ]);
  });

  it('a target moved later starts its own reminders, and the old ones do not come back', () => {
    const moved = {
      ...action,
      target: { kind: 'date' as const, text: '28 Apr 2017', date: '2017-04-28' },
    };
    const before = simulate([action], '2017-03-01', '2017-03-23');
    const after = simulate([moved], '2017-03-24', '2017-04-28');
    expect(brief(after)).toEqual([
      // Working days before 28 April: Easter is skipped.
      `2017-04-06 before-14 ${OWNER}`,
      `2017-04-19 before-7 ${OWNER}`,
      `2017-04-27 before-1 ${OWNER}`,
      `2017-04-28 due_today ${OWNER}`,
    ]);
    const ids = new Set(before.map((r) => r.id));
    expect(after.some((r) => ids.has(r.id))).toBe(false);
  });
});

describe('daylight saving', () => {
  // 26 March 2017: London goes from GMT to BST; 29 October 2017: back to GMT.
  it('sends at 09:00 London time on either side of the change', () => {
    expect(sendTime('2017-03-24', 'Europe/London', '09:00').toISOString()).toBe(
      '2017-03-24T09:00:00.000Z',
    );
    expect(sendTime('2017-03-27', 'Europe/London', '09:00').toISOString()).toBe(
      '2017-03-27T08:00:00.000Z',
    );
    expect(sendTime('2017-10-30', 'Europe/London', '09:00').toISOString()).toBe(
      '2017-10-30T09:00:00.000Z',
    );
  });

  it('holds a reminder due on Monday 27 March 2017 until 09:00 BST (08:00 UTC)', () => {
    const a = anAction({ ref: '2.1', targetText: '28 March 2017' }); // 1 working day before: the 27th
    expect(dueReminders(input([a], '2017-03-27T07:59:00Z'))).toEqual([]);
    const due = dueReminders(input([a], '2017-03-27T08:00:00Z'));
    expect(due).toEqual([
      expect.objectContaining({
        kind: 'before',
        workingDaysBefore: 1,
        scheduledAt: '2017-03-27T08:00:00.000Z',
      }),
    ]);
  });

  it('and after the clocks go back, until 09:00 GMT', () => {
    const a = anAction({ ref: '2.2', targetText: '31 October 2017' });
    expect(dueReminders(input([a], '2017-10-30T08:30:00Z'))).toEqual([]);
    expect(dueReminders(input([a], '2017-10-30T09:00:00Z'))).toHaveLength(1);
  });

  it('uses the plan’s own time zone', () => {
    const a = anAction({ ref: '2.3', targetText: '28 March 2017' });
    const sydney = {
      ...input([a], '2017-03-26T22:00:00Z'),
      plan: aPlan({ timeZone: 'Australia/Sydney' }),
    };
    // 09:00 on Monday 27 March in Sydney is 22:00 UTC on Sunday 26 March.
    expect(dueReminders(sydney)).toHaveLength(1);
  });
});

describe('month ends and bank holidays around targets', () => {
  it('a target on a Sunday (End Apr 2017) is reminded on the Friday before', () => {
    const a = anAction({ ref: '3.1', targetText: 'End Apr 2017' });
    expect(brief(simulate([a], '2017-04-21', '2017-04-30'))).toEqual([
      // 19 April's 7-days-before, two days late: the simulation starts after it (a catch-up).
      `2017-04-21 before-7 ${OWNER}`,
      `2017-04-27 before-1 ${OWNER}`,
      `2017-04-28 due_today ${OWNER}`,
    ]);
  });

  it('a target on Christmas Eve 2016 (a Saturday) skips Boxing Day and the substitute day', () => {
    const a = anAction({ ref: '3.2', targetText: '24 December 2016' });
    expect(brief(simulate([a], '2016-12-01', '2017-01-06'))).toEqual([
      `2016-12-05 before-14 ${OWNER}`,
      `2016-12-14 before-7 ${OWNER}`,
      `2016-12-22 before-1 ${OWNER}`,
      `2016-12-23 due_today ${OWNER}`,
      // 24 December + 7 = 31 December, a Saturday → 3 January (2 January is the New Year substitute).
      `2017-01-03 overdue ${OWNER}`,
    ]);
  });

  it('End Feb 2017 (Tuesday 28 February) crosses into March for its overdue reminders', () => {
    const a = anAction({ ref: '3.3', targetText: 'Feb 2017' });
    expect(brief(simulate([a], '2017-02-27', '2017-03-08'))).toEqual([
      `2017-02-27 before-1 ${OWNER}`,
      `2017-02-28 due_today ${OWNER}`,
      `2017-03-07 overdue ${OWNER}`,
    ]);
  });
});

describe('ongoing actions and targets that are not dates', () => {
  it('get a check-in on the first working day of each month', () => {
    const ongoing = anAction({ ref: '4.1', targetText: 'Ongoing' });
    const unresolved = anAction({
      ref: '4.2',
      targetText: 'when funding allows',
      owners: ['b@x.gov.uk'],
    });
    expect(brief(simulate([ongoing, unresolved], '2017-03-01', '2017-05-31'))).toEqual([
      `2017-03-01 check_in ${OWNER}`,
      `2017-03-01 check_in b@x.gov.uk`,
      `2017-04-03 check_in ${OWNER}`, // 1 April is a Saturday
      `2017-04-03 check_in b@x.gov.uk`,
      `2017-05-02 check_in ${OWNER}`, // 1 May is a bank holiday
      `2017-05-02 check_in b@x.gov.uk`,
    ]);
  });

  it('not when the plan turns check-ins off', () => {
    const ongoing = anAction({ ref: '4.1', targetText: 'Ongoing' });
    expect(
      simulate([ongoing], '2017-03-01', '2017-05-31', {
        extra: { settings: { monthlyCheckIn: false } },
      }),
    ).toEqual([]);
  });
});

describe('snoozes ("remind me later")', () => {
  const action = anAction({ ref: '1.1', targetText: 'End Mar 2017' });
  /** The action, snoozed at 10:00 on `on` until `until`: the policy sees it from the next day. */
  const snoozed =
    (a: Action, until: string, on = '2017-03-22') =>
    (day: string): Action[] =>
      day > on ? [{ ...a, snooze: { until, at: at(on, '10:00'), by: OWNER } }] : [a];

  it('puts reminders off until the chosen day, then reminds once', () => {
    const sent = simulate(snoozed(action, '2017-03-29'), '2017-03-21', '2017-03-31');
    expect(brief(sent)).toEqual([
      `2017-03-22 before-7 ${OWNER}`,
      `2017-03-29 snoozed ${OWNER}`,
      `2017-03-30 before-1 ${OWNER}`,
      `2017-03-31 due_today ${OWNER}`,
    ]);
  });

  it('a snooze past several reminders replaces them all with one', () => {
    const sent = simulate(snoozed(action, '2017-04-05'), '2017-03-21', '2017-04-07');
    expect(brief(sent)).toEqual([
      `2017-03-22 before-7 ${OWNER}`,
      `2017-04-05 snoozed ${OWNER}`,
      `2017-04-07 overdue ${OWNER}`,
    ]);
  });

  it('a snooze ending on the day of a regular reminder sends just that one; a weekend end waits for Monday', () => {
    expect(brief(simulate(snoozed(action, '2017-03-30'), '2017-03-23', '2017-03-31'))).toEqual([
      `2017-03-30 before-1 ${OWNER}`,
      `2017-03-31 due_today ${OWNER}`,
    ]);
    const weekend = simulate(
      snoozed(anAction({ ref: '1.1', targetText: 'End Apr 2017' }), '2017-03-25'),
      '2017-03-23',
      '2017-03-28',
    );
    expect(brief(weekend)).toEqual([`2017-03-27 snoozed ${OWNER}`]);
  });

  it('does not hold back the champion', () => {
    const a = { ...action, area: 'HMPPS' };
    // Snoozed on 10 April (after that morning's reminder) until the 20th.
    const sent = simulate(snoozed(a, '2017-04-20', '2017-04-10'), '2017-04-11', '2017-04-21');
    expect(brief(sent)).toEqual([
      `2017-04-18 escalation ${CHAMPION}`,
      `2017-04-20 snoozed ${OWNER}`,
      `2017-04-21 overdue ${OWNER}`,
    ]);
  });
});

describe('catch-up after downtime', () => {
  const action = anAction({ ref: '1.1', targetText: 'End Mar 2017' });
  const down = (from: string, to: string) => (d: string) => d >= from && d <= to;

  it('a reminder missed while down goes out once when the bot is back, marked as caught up', () => {
    const sent = simulate([action], '2017-03-13', '2017-03-31', {
      skip: down('2017-03-22', '2017-03-23'),
    });
    expect(brief(sent)).toEqual([
      `2017-03-13 before-14 ${OWNER}`,
      `2017-03-24 before-7 ${OWNER}`,
      `2017-03-30 before-1 ${OWNER}`,
      `2017-03-31 due_today ${OWNER}`,
    ]);
    expect(sent[1]).toMatchObject({ scheduledFor: '2017-03-22', caughtUp: true });
    expect(sent[2]).toMatchObject({ caughtUp: false });
  });

  it('only the latest missed reminder, and not once the next one is due', () => {
    const sent = simulate([action], '2017-03-10', '2017-03-31', {
      skip: down('2017-03-13', '2017-03-29'),
    });
    expect(brief(sent)).toEqual([`2017-03-30 before-1 ${OWNER}`, `2017-03-31 due_today ${OWNER}`]);
  });

  it('nothing meant for before the target after the target date; the overdue reminders carry on', () => {
    const sent = simulate([action], '2017-03-29', '2017-04-07', {
      skip: down('2017-03-29', '2017-04-02'),
    });
    expect(brief(sent)).toEqual([`2017-04-07 overdue ${OWNER}`]);
  });

  it('a catch-up waits for a working day (a Friday missed goes on Monday) and for 09:00', () => {
    const sent = simulate([action], '2017-03-20', '2017-03-27', {
      skip: down('2017-03-22', '2017-03-24'),
    });
    expect(brief(sent)[1]).toBe(`2017-03-27 before-7 ${OWNER}`);
    expect(dueReminders(input([action], at('2017-03-27', '08:59')))).toEqual([]);
  });

  it('not when it is older than the catch-up window', () => {
    const ongoing = anAction({ ref: '4.1', targetText: 'Ongoing' });
    expect(simulate([ongoing], '2017-03-13', '2017-03-31')).toEqual([]); // 1 March check-in is 12 days old
    expect(brief(simulate([ongoing], '2017-03-08', '2017-03-08'))).toEqual([
      `2017-03-08 check_in ${OWNER}`,
    ]);
    expect(
      simulate([ongoing], '2017-03-08', '2017-03-08', { extra: { settings: { catchUpDays: 0 } } }),
    ).toEqual([]);
  });
});

describe('escalation to the champion', () => {
  const overdue = anAction({ ref: '1.1', targetText: 'End Mar 2017', area: 'hmpps' });

  it('goes to the area’s champions (area names compare regardless of case)', () => {
    const due = dueReminders(input([overdue], at('2017-04-18')));
    expect(due.filter((r) => r.kind === 'escalation')).toEqual([
      expect.objectContaining({
        recipient: CHAMPION,
        role: 'champion',
        targetDate: '2017-03-31',
        scheduledFor: '2017-04-18',
      }),
    ]);
  });

  it('to the admins when the area has no champion, and never to the owner about their own action', () => {
    const noArea = { ...overdue, area: undefined };
    expect(
      dueReminders(input([noArea], at('2017-04-18'))).filter((r) => r.kind === 'escalation'),
    ).toEqual([expect.objectContaining({ recipient: ADMIN, role: 'admin' })]);
    const ownChampion = { ...overdue, owners: [CHAMPION] };
    expect(
      dueReminders(input([ownChampion], at('2017-04-18'))).filter((r) => r.kind === 'escalation'),
    ).toEqual([expect.objectContaining({ recipient: ADMIN })]);
  });

  it('also for an overdue action nobody owns', () => {
    const nobody = { ...overdue, owners: [] };
    expect(dueReminders(input([nobody], at('2017-04-18'))).map((r) => r.kind)).toEqual([
      'escalation',
    ]);
  });
});

describe('per-plan settings', () => {
  const action = anAction({ ref: '1.1', targetText: 'End Mar 2017', area: 'HMPPS' });

  it('other days before, another time, no overdue nagging, no escalation', () => {
    const sent = simulate([action], '2017-03-01', '2017-04-30', {
      extra: {
        settings: {
          workingDaysBefore: [3],
          sendAt: '10:30',
          overdueEveryDays: 0,
          escalateAfterDaysOverdue: 0,
        },
      },
      time: '10:30',
    });
    expect(brief(sent)).toEqual([`2017-03-28 before-3 ${OWNER}`]);
    const tooEarly = input([action], at('2017-03-28', '10:29'), {
      settings: { workingDaysBefore: [3], sendAt: '10:30' },
    });
    expect(dueReminders(tooEarly)).toEqual([]);
  });

  it('a plan with reminders off sends nothing', () => {
    expect(
      simulate([action], '2017-03-01', '2017-04-30', { extra: { settings: { enabled: false } } }),
    ).toEqual([]);
  });

  it('a plan with no holidays reminds on Good Friday', () => {
    const sent = simulate([action], '2017-04-14', '2017-04-14', {
      extra: { settings: { holidays: 'none' } },
    });
    expect(brief(sent)).toEqual([
      `2017-04-14 overdue ${OWNER}`,
      `2017-04-14 escalation ${CHAMPION}`,
    ]);
  });

  it('settings are checked', () => {
    expect(reminderSettingsProblems(DEFAULT_REMINDER_SETTINGS)).toEqual([]);
    expect(
      reminderSettingsProblems({
        workingDaysBefore: [14, -1, 2.5],
        sendAt: '9am',
        overdueEveryDays: 1000,
        catchUpDays: -2,
      }),
    ).toHaveLength(4);
  });
});
