import { todayIn } from '../../domain/calendar.js';
import { normaliseEmail, type Action, type Plan } from '../../domain/plan.js';
import { reminderSettingsOf } from '../../domain/plan-settings.js';
import { dueReminders, type Reminder } from '../../domain/reminder-policy.js';
import { onePerson, reachOf, type Person } from '../../ports/people-repository.js';
import type { ReminderReadDeps } from './reminder-deps.js';

/** A reminder due now, with whether the bot can reach its recipient. */
export type DueReminder = Reminder & {
  /** False when the person never installed the bot, or Teams refuses messages to them. */
  readonly reachable: boolean;
};

export interface PlanDue {
  readonly plan: Plan;
  readonly actions: ReadonlyMap<string, Action>;
  readonly due: readonly DueReminder[];
}

/**
 * What the policy says is due at `now` for each plan (or the one named), read fresh from storage:
 * plans, open actions (with their snoozes and last status changes), areas and the people due one.
 */
export async function remindersDueAt(
  deps: ReminderReadDeps,
  now: Date,
  planId?: string,
): Promise<PlanDue[]> {
  const plans = planId
    ? [await deps.plans.getPlan(planId)].filter((p) => p !== undefined)
    : await deps.plans.listPlans();
  const out: PlanDue[] = [];
  for (const { value: plan } of plans) {
    const settings = reminderSettingsOf(plan);
    if (!settings.enabled) {
      out.push({ plan, actions: new Map(), due: [] });
      continue;
    }
    // Done actions are due nothing: storage leaves them out.
    const [actions, areas] = await Promise.all([
      deps.plans.listActions(plan.id, { open: true }),
      deps.plans.listAreas(plan.id),
    ]);
    // Each action records its last status change, so the sweep reads no history.
    const statusChangedOn = new Map<string, string>();
    for (const { value: a } of actions) {
      if (a.statusChangedAt) {
        statusChangedOn.set(a.ref, todayIn(plan.timeZone, new Date(a.statusChangedAt)));
      }
    }
    const due = dueReminders({
      plan,
      actions: actions.map((a) => a.value),
      areas: areas.map((a) => a.value),
      adminEmails: deps.adminEmails,
      workingDays: deps.workingDaysFor(settings.holidays),
      now,
      statusChangedOn,
    });
    // Only the people due a reminder, each by a point read of their address: a sweep's cost
    // follows what is due, not how many people are stored.
    const people = await deps.people.findManyByEmail([...new Set(due.map((r) => r.recipient))]);
    out.push({
      plan,
      actions: new Map(actions.map((a) => [a.value.ref, a.value])),
      due: due.map((r) => ({
        ...r,
        reachable: canReach(onePerson(people.get(normaliseEmail(r.recipient)))?.value),
      })),
    });
  }
  return out;
}

/**
 * Whether a proactive message can reach a person: known, not refused, and with a way in (their
 * chat, or a team that lists them, through which the bot opens one).
 */
export const canReach = (person: Person | undefined): boolean => reachOf(person).kind !== 'none';
