import { ActionPlanError, isActionPlanError } from '../../domain/errors.js';
import {
  reminderSettingsOf,
  reminderSettingsProblems,
  type ReminderSettings,
} from '../../domain/plan-settings.js';
import type { WorkingDays } from '../../domain/working-days.js';
import type { AppDeps } from '../deps.js';

/**
 * Changes a plan's reminder settings (only what is given), after checking them; returns the
 * settings in force afterwards. Conditional on the plan's version, re-read on a conflict.
 */
export async function changeReminderSettings(
  deps: AppDeps & { readonly workingDaysFor: (region: string) => WorkingDays },
  planId: string,
  change: Partial<ReminderSettings>,
): Promise<ReminderSettings> {
  const problems = reminderSettingsProblems(change);
  if (change.holidays !== undefined) {
    try {
      deps.workingDaysFor(change.holidays);
    } catch {
      problems.push(
        `"${change.holidays}" is not a holiday region: use GB-ENG (England and Wales), GB-SCT, GB-NIR, or none.`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ActionPlanError('invalid_input', 'Those reminder settings cannot be used.', problems);
  }
  for (let attempt = 1; ; attempt++) {
    const current = await deps.plans.getPlan(planId);
    if (!current) throw new ActionPlanError('not_found', `There is no plan "${planId}".`);
    const plan = current.value;
    const reminders = { ...(plan.settings?.reminders ?? {}), ...change };
    const next = {
      ...plan,
      settings: { ...(plan.settings ?? {}), reminders },
      updatedAt: deps.clock.now().toISOString(),
    };
    try {
      await deps.plans.save(planId, { plan: { value: next, expectedVersion: current.version } });
      return reminderSettingsOf(next);
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt >= 5) throw error;
    }
  }
}
