import { ActionPlanError, isActionPlanError } from '../../domain/errors.js';
import type { Plan } from '../../domain/plan.js';
import type { AppDeps } from '../deps.js';
import { findPlan } from '../find-plan.js';

export interface DateApprovalSetting {
  readonly plan: Plan;
  /** Whether owners' new dates wait for the champion's approval. */
  readonly required: boolean;
  /** False when the plan already had that setting. */
  readonly changed: boolean;
}

/** Whether a plan's new dates need the champion's approval (default: no). */
export const needsDateApproval = (plan: Pick<Plan, 'settings'>): boolean =>
  plan.settings?.newDatesNeedApproval === true;

/**
 * Sets whether an owner's new target date waits for the area's KIM Champion to approve it
 * (`settings.newDatesNeedApproval`), keeping the plan's other settings; a plan changed meanwhile
 * is re-read and the setting applied again. `required` undefined only reads it.
 */
export async function dateApproval(
  deps: AppDeps,
  planId: string | undefined,
  required?: boolean,
): Promise<DateApprovalSetting> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await findPlan(deps, planId);
    const plan = found.value;
    if (required === undefined || needsDateApproval(plan) === required) {
      return { plan, required: needsDateApproval(plan), changed: false };
    }
    const updated: Plan = {
      ...plan,
      settings: { ...plan.settings, newDatesNeedApproval: required },
      updatedAt: deps.clock.now().toISOString(),
    };
    try {
      await deps.plans.save(plan.id, { plan: { value: updated, expectedVersion: found.version } });
      return { plan: updated, required, changed: true };
    } catch (e) {
      if (!isActionPlanError(e, 'conflict')) throw e;
    }
  }
  throw new ActionPlanError(
    'conflict',
    'The plan kept changing while I tried to save the setting; nothing was changed. Try again.',
  );
}
