import { DateTime } from 'luxon';
import { todayIn } from './calendar.js';
import { sameArea } from './area-name.js';
import type { Action, ActionSnooze, Area, Plan } from './plan.js';
import { normaliseEmail } from './plan.js';
import { reminderSettingsOf, type ReminderSettings } from './plan-settings.js';
import { isDone } from './status.js';
import { addDays, daysFrom, type WorkingDays } from './working-days.js';

/**
 * Who hears about which action, and when: a pure function of the plan's settings, its actions,
 * a working-day calendar and `now`. The scheduler asks it "what is due at this moment?" every few
 * minutes; the delivery records make sure each answer goes out once.
 *
 * The owners' reminders of one action form one series, in date order:
 * - `before`: n working days before the target date (14, 7 and 1 by default), and `due_today` on
 *   the day (the last working day on or before a target that falls on a weekend or holiday);
 * - `overdue`: every 7 days after the target while the action is open, moved to the next working
 *   day; a status change while overdue starts the count again from that day (the owner answered,
 *   so the next nudge is a week after the answer, not sooner);
 * - `check_in`: the first working day of each month, for ongoing actions and those whose target
 *   is not a date (nothing else would ever remind anyone about them);
 * - `snoozed`: "remind me later" (`action.snooze`, set from the card) until a date: nothing in
 *   between, then one reminder that day (or the regular one, when one falls on it).
 * Champions (or, for an area without one, the plan admins) get one `escalation` when the action
 * is 14 days overdue. Done actions get nothing.
 *
 * Everything goes out on working days, at or after `sendAt` (09:00) in the plan's time zone,
 * whatever daylight saving does. A reminder missed while the bot was down (catch-up) goes out
 * once when it is back, if it still makes sense: only the latest one of a series, only until the
 * next one of the series is due (a "7 days before" is never sent after the "1 day before" is due,
 * and nothing before the target is sent after the target date), and only if it is at most
 * `catchUpDays` old.
 */

export type ReminderKind =
  'before' | 'due_today' | 'overdue' | 'check_in' | 'snoozed' | 'escalation';

export interface ReminderPolicyInput {
  readonly plan: Pick<Plan, 'id' | 'timeZone' | 'settings'>;
  readonly actions: readonly Action[];
  readonly areas: readonly Pick<Area, 'name' | 'champions'>[];
  /** Told instead of a champion when the action's area has none (ADMIN_EMAILS). */
  readonly adminEmails: readonly string[];
  /** The working days of the plan's holiday region (`settings.reminders.holidays`). */
  readonly workingDays: WorkingDays;
  readonly now: Date;
  /** The last day (plan time zone) each action's status changed, from the history. */
  readonly statusChangedOn?: ReadonlyMap<string, string>;
}

/** One reminder that is due now, for one person. */
export interface Reminder {
  /**
   * What makes two reminders "the same": plan, ref, kind, the day it was scheduled for and the
   * recipient. The delivery record is keyed by it, so it is sent at most once.
   */
  readonly id: string;
  readonly planId: string;
  readonly ref: string;
  readonly kind: ReminderKind;
  /** For `before` and `due_today`: how many working days before the target. */
  readonly workingDaysBefore?: number;
  /** YYYY-MM-DD, plan time zone: the working day it belongs to. */
  readonly scheduledFor: string;
  /** ISO instant of `sendAt` on that day. */
  readonly scheduledAt: string;
  /** Lower-cased email. */
  readonly recipient: string;
  readonly role: 'owner' | 'champion' | 'admin';
  /** The resolved target date, for the kinds that depend on it. */
  readonly targetDate?: string;
  /** True when it was due on an earlier day and goes out late. */
  readonly caughtUp: boolean;
}

/** One entry of an action's owner series. */
export interface Occurrence {
  readonly kind: Exclude<ReminderKind, 'escalation'>;
  readonly date: string;
  readonly workingDaysBefore?: number;
  /** The first day it no longer makes sense (exclusive); absent: as long as the action is open. */
  readonly validUntil?: string;
}

/** Every reminder due at `now`, in plan order (by ref as given, owners before champions). */
export function dueReminders(input: ReminderPolicyInput): Reminder[] {
  const settings = reminderSettingsOf(input.plan);
  if (!settings.enabled) return [];
  const today = todayIn(input.plan.timeZone, input.now);
  if (!input.workingDays.isWorkingDay(today)) return [];
  if (input.now < sendTime(today, input.plan.timeZone, settings.sendAt)) return [];

  const out: Reminder[] = [];
  for (const action of input.actions) {
    if (isDone(action.status)) continue;
    const owners = unique(action.owners.map(normaliseEmail));
    const due = latestDue(ownerSeries(action, input, settings, today), today, settings);
    if (due) {
      for (const recipient of owners) {
        out.push(
          reminder(input, settings, action, due.kind, due.date, recipient, 'owner', today, due),
        );
      }
    }
    const escalation = escalationDay(action, input.workingDays, settings);
    if (escalation && escalation <= today && daysFrom(escalation, today) <= settings.catchUpDays) {
      const { recipients, role } = escalationRecipients(action, owners, input);
      for (const recipient of recipients) {
        out.push(
          reminder(input, settings, action, 'escalation', escalation, recipient, role, today),
        );
      }
    }
  }
  return out;
}

/**
 * The owner series of one action around `today` (for tests and the preview's explanations):
 * every before-target reminder, the overdue ones and check-ins from a little before today to a
 * little after, the snooze applied.
 */
export function ownerSeries(
  action: Action,
  input: Pick<ReminderPolicyInput, 'workingDays' | 'statusChangedOn' | 'plan'>,
  settings: ReminderSettings,
  today: string,
): Occurrence[] {
  const wd = input.workingDays;
  const list: Occurrence[] = [];
  const t = action.target;
  const from = addDays(today, -(settings.catchUpDays + 62));
  const to = addDays(today, 62);
  if (t.kind === 'date') {
    const afterTarget = addDays(t.date, 1);
    for (const n of unique([...settings.workingDaysBefore]).sort((a, b) => b - a)) {
      list.push({
        kind: n === 0 ? 'due_today' : 'before',
        date: wd.before(t.date, n),
        workingDaysBefore: n,
        validUntil: afterTarget,
      });
    }
    const every = settings.overdueEveryDays;
    if (every > 0) {
      const changed = input.statusChangedOn?.get(action.ref);
      const anchor = changed && changed > t.date ? changed : t.date;
      // Only the weeks near today matter; start a little before the catch-up window.
      const first = Math.max(1, Math.floor(daysFrom(anchor, from) / every));
      for (let k = first; ; k++) {
        const date = wd.onOrAfter(addDays(anchor, k * every));
        if (date > to) break;
        if (date > t.date) list.push({ kind: 'overdue', date });
      }
    }
  } else if (settings.monthlyCheckIn) {
    let year = Number(from.slice(0, 4));
    let month = Number(from.slice(5, 7));
    for (;;) {
      const first = `${year}-${String(month).padStart(2, '0')}-01`;
      if (first > to) break;
      list.push({ kind: 'check_in', date: wd.onOrAfter(first) });
      month = month === 12 ? 1 : month + 1;
      if (month === 1) year++;
    }
  }
  return withSnooze(sortAndWindow(list), action.snooze, input, today);
}

/** Sorted by date, one per day (a regular reminder wins over a snoozed one), each valid until the next. */
function sortAndWindow(list: readonly Occurrence[]): Occurrence[] {
  const byDay = new Map<string, Occurrence>();
  for (const o of [...list].sort((a, b) => cmp(a.date, b.date))) {
    const there = byDay.get(o.date);
    if (!there || (there.kind === 'snoozed' && o.kind !== 'snoozed')) byDay.set(o.date, o);
  }
  const sorted = [...byDay.values()];
  return sorted.map((o, i) => {
    const next = sorted[i + 1]?.date;
    const until = [o.validUntil, next].filter((d): d is string => d !== undefined).sort(cmp)[0];
    const { validUntil: _old, ...rest } = o;
    return until === undefined ? rest : { ...rest, validUntil: until };
  });
}

function withSnooze(
  series: Occurrence[],
  snooze: ActionSnooze | undefined,
  input: Pick<ReminderPolicyInput, 'workingDays' | 'plan'>,
  today: string,
): Occurrence[] {
  if (!snooze) return series;
  const from = todayIn(input.plan.timeZone, new Date(snooze.at));
  const back = input.workingDays.onOrAfter(snooze.until);
  // While snoozed nothing is due; afterwards the put-off reminders are replaced by one.
  if (today < snooze.until) return [];
  const kept = series.filter((o) => o.date < from || o.date >= back);
  return sortAndWindow([...kept, { kind: 'snoozed', date: back }]);
}

/** The latest occurrence of the series that is due today and still makes sense. */
function latestDue(
  series: readonly Occurrence[],
  today: string,
  settings: ReminderSettings,
): Occurrence | undefined {
  let due: Occurrence | undefined;
  for (const o of series) {
    if (o.date > today) break;
    if (o.validUntil !== undefined && today >= o.validUntil) continue;
    if (daysFrom(o.date, today) > settings.catchUpDays) continue;
    due = o;
  }
  return due;
}

/** The working day a champion hears about an overdue action, if they ever do. */
export function escalationDay(
  action: Pick<Action, 'target' | 'status'>,
  wd: WorkingDays,
  settings: ReminderSettings,
): string | undefined {
  if (isDone(action.status) || action.target.kind !== 'date') return undefined;
  if (settings.escalateAfterDaysOverdue <= 0) return undefined;
  return wd.onOrAfter(addDays(action.target.date, settings.escalateAfterDaysOverdue));
}

/** The area's champions who do not own the action; else the plan admins who do not. */
function escalationRecipients(
  action: Action,
  owners: readonly string[],
  input: Pick<ReminderPolicyInput, 'areas' | 'adminEmails'>,
): { recipients: string[]; role: 'champion' | 'admin' } {
  const champions = unique(
    input.areas
      .filter((a) => sameArea(a.name, action.area))
      .flatMap((a) => a.champions.map(normaliseEmail)),
  ).filter((c) => !owners.includes(c));
  if (champions.length > 0) return { recipients: champions, role: 'champion' };
  return {
    recipients: unique(input.adminEmails.map(normaliseEmail)).filter((a) => !owners.includes(a)),
    role: 'admin',
  };
}

function reminder(
  input: ReminderPolicyInput,
  settings: ReminderSettings,
  action: Action,
  kind: ReminderKind,
  scheduledFor: string,
  recipient: string,
  role: Reminder['role'],
  today: string,
  occurrence?: Occurrence,
): Reminder {
  const targetDate = action.target.kind === 'date' ? action.target.date : undefined;
  const n = occurrence?.workingDaysBefore;
  return {
    id: reminderId(action.ref, kind, scheduledFor, recipient, n),
    planId: input.plan.id,
    ref: action.ref,
    kind,
    ...(n === undefined ? {} : { workingDaysBefore: n }),
    scheduledFor,
    scheduledAt: sendTime(scheduledFor, input.plan.timeZone, settings.sendAt).toISOString(),
    recipient,
    role,
    ...(targetDate && kind !== 'check_in' ? { targetDate } : {}),
    caughtUp: scheduledFor < today,
  };
}

/** `4.9a|before-7|2017-03-22|alex@x`: see Reminder.id. */
export function reminderId(
  ref: string,
  kind: ReminderKind,
  scheduledFor: string,
  recipient: string,
  workingDaysBefore?: number,
): string {
  const tag = kind === 'before' ? `before-${workingDaysBefore ?? 0}` : kind;
  return [ref, tag, scheduledFor, normaliseEmail(recipient)].join('|');
}

/** The instant of `hh:mm` on `date` in `timeZone` (09:00 is 09:00 local, GMT or BST alike). */
export function sendTime(date: string, timeZone: string, hhmm: string): Date {
  const key = `${date}|${timeZone}|${hhmm}`;
  let ms = sendTimes.get(key);
  if (ms === undefined) {
    const [hour, minute] = hhmm.split(':').map(Number);
    ms = DateTime.fromISO(date, { zone: timeZone })
      .set({ hour: hour ?? 9, minute: minute ?? 0, second: 0, millisecond: 0 })
      .toMillis();
    if (sendTimes.size > 10_000) sendTimes.clear();
    sendTimes.set(key, ms);
  }
  return new Date(ms);
}

/** Worked out once per day, zone and time: a sweep asks for the same few many times. */
const sendTimes = new Map<string, number>();

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
