import {
  digestScheduleOf,
  digestScheduleProblems,
  type DigestSchedule,
} from '../../domain/digest.js';
import { ActionPlanError } from '../../domain/errors.js';
import type { Plan } from '../../domain/plan.js';
import type { AppDeps } from '../deps.js';
import { findPlan } from '../find-plan.js';

/**
 * Sets when a plan's weekly digest goes out (day and local time, in the plan's time zone); only
 * what is given changes. Stored in the plan's settings, so it survives re-imports.
 */
export async function setDigestSchedule(
  deps: Pick<AppDeps, 'plans' | 'clock'>,
  input: { readonly planId?: string; readonly change: Partial<DigestSchedule> },
): Promise<{ plan: Plan; schedule: DigestSchedule }> {
  const problems = digestScheduleProblems(input.change);
  if (problems.length > 0) {
    throw new ActionPlanError('invalid_input', 'The digest schedule was not changed.', problems);
  }
  const found = await findPlan(deps, input.planId);
  const current = found.value;
  const plan: Plan = {
    ...current,
    settings: {
      ...(current.settings ?? {}),
      digest: { ...(current.settings?.digest ?? {}), ...input.change },
    },
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.plans.save(plan.id, { plan: { value: plan, expectedVersion: found.version } });
  return { plan, schedule: digestScheduleOf(plan) };
}
