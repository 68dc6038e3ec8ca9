import { z } from 'zod';
import { anyText, list, record } from './record-fields.js';

/** When owners (and their champions) hear about an action. */
const reminderSettings = z.strictObject({
  /** False: this plan sends no reminders at all. */
  enabled: z.boolean(),
  /** Working days before the target date to remind the owners; 0 is the day itself. */
  workingDaysBefore: list(z.number()),
  /** While overdue, remind the owners every this many days (0: never). */
  overdueEveryDays: z.number(),
  /** Tell the area's champion once the action is this many days overdue (0: never). */
  escalateAfterDaysOverdue: z.number(),
  /** A check-in on the first working day of each month for ongoing actions and those with no date. */
  monthlyCheckIn: z.boolean(),
  /** Local time of day (HH:MM, the plan's time zone) at which reminders go out. */
  sendAt: anyText,
  /** Whose public holidays are not working days: `GB-ENG` (England and Wales), `GB-SCT`, `none`… */
  holidays: anyText,
  /** A reminder missed while the bot was down still goes out if it is at most this many days old. */
  catchUpDays: z.number(),
});
export type ReminderSettings = Readonly<z.infer<typeof reminderSettings>>;

/** The weekly digest's day and local time, in the plan's time zone. */
const digestSchedule = z.strictObject({
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: z.number(),
  /** HH:MM on a 24-hour clock. */
  sendAt: anyText,
});
export type DigestSchedule = Readonly<z.infer<typeof digestSchedule>>;

/**
 * A plan's own settings (their types are checked here; their ranges where they are typed in,
 * `reminderSettingsProblems`, and where they are used). Every plan gets the product's defaults until an admin changes them
 * (`actionplan reminders settings`); only what was changed is stored, so a later change of a
 * default reaches every plan that never chose otherwise.
 */
export const planSettingsField = record({
  reminders: reminderSettings.partial().readonly().optional(),
  /**
   * True: a new target date an owner proposes from the card waits for the area's KIM Champion
   * (or an admin) to approve it. Absent or false (the default): the owner moves it at once and the
   * champion is told. Set with `actionplan date-approval on|off`.
   */
  newDatesNeedApproval: z.boolean().optional(),
  /** When the weekly channel digest goes out (src/domain/digest.ts); absent: Monday 09:00. */
  digest: digestSchedule.partial().readonly().optional(),
});
export type PlanSettings = z.infer<typeof planSettingsField>;

/** The product guide's defaults: 14, 7 and 1 working days before and on the day, at 09:00. */
export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  enabled: true,
  workingDaysBefore: [14, 7, 1, 0],
  overdueEveryDays: 7,
  escalateAfterDaysOverdue: 14,
  monthlyCheckIn: true,
  sendAt: '09:00',
  holidays: 'GB-ENG',
  catchUpDays: 7,
};

/** A plan's reminder settings: its own choices over the defaults. */
export function reminderSettingsOf(plan: { readonly settings?: PlanSettings }): ReminderSettings {
  return { ...DEFAULT_REMINDER_SETTINGS, ...(plan.settings?.reminders ?? {}) };
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * What is wrong with some reminder settings, in words for the person who typed them; empty when
 * nothing is. Whether the holiday region exists is checked by the caller (it needs the data).
 */
export function reminderSettingsProblems(s: Partial<ReminderSettings>): string[] {
  const problems: string[] = [];
  const wholeDays = (name: string, n: number | undefined, max: number) => {
    if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > max)) {
      problems.push(`${name} must be a whole number of days from 0 to ${max}, not ${n}.`);
    }
  };
  if (s.workingDaysBefore !== undefined) {
    const bad = s.workingDaysBefore.filter((n) => !Number.isInteger(n) || n < 0 || n > 60);
    if (bad.length > 0) {
      problems.push(
        `Reminders before the target are whole numbers of working days from 0 to 60, not ${bad.join(', ')}.`,
      );
    }
  }
  wholeDays('The overdue reminder interval', s.overdueEveryDays, 90);
  wholeDays('The escalation delay', s.escalateAfterDaysOverdue, 365);
  wholeDays('The catch-up window', s.catchUpDays, 31);
  if (s.sendAt !== undefined && !HH_MM.test(s.sendAt)) {
    problems.push(
      `The sending time must be HH:MM on a 24-hour clock (such as 09:00), not "${s.sendAt}".`,
    );
  }
  return problems;
}
