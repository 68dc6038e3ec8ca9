import { ActionPlanError } from '../domain/errors.js';
import type { Plan, Versioned } from '../domain/plan.js';
import type { AppDeps } from './deps.js';

/**
 * The plan a command is about: the one named, or the only one stored. With several plans and none
 * named, the error lists them so the user can pick.
 */
export async function findPlan(
  deps: Pick<AppDeps, 'plans'>,
  planId?: string,
): Promise<Versioned<Plan>> {
  if (planId) {
    const found = await deps.plans.getPlan(planId);
    if (!found) throw new ActionPlanError('not_found', `There is no plan "${planId}".`);
    return found;
  }
  const all = await deps.plans.listPlans();
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new ActionPlanError(
      'not_found',
      'No plan has been imported yet. Import one first: actionplan import <file>.',
    );
  }
  throw new ActionPlanError(
    'invalid_input',
    `There are ${all.length} plans; say which with --plan: ${all.map((p) => p.value.id).join(', ')}.`,
  );
}
