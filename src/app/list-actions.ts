import { compareRefs } from '../domain/action-ref.js';
import { sameArea } from '../domain/area-name.js';
import { isOverdue, todayIn } from '../domain/calendar.js';
import type { Action, HistoryEntry, Plan } from '../domain/plan.js';
import type { Status } from '../domain/status.js';
import { normaliseRef } from '../domain/action-ref.js';
import { ActionPlanError } from '../domain/errors.js';
import type { AppDeps } from './deps.js';

export interface ListFilter {
  readonly status?: Status;
  readonly overdue?: boolean;
  readonly owner?: string;
  readonly area?: string;
}

/** A plan's actions in ref order, filtered; "overdue" is judged on today in the plan's time zone. */
export async function listActions(
  deps: AppDeps,
  plan: Plan,
  filter: ListFilter = {},
): Promise<Action[]> {
  const today = todayIn(plan.timeZone, deps.clock.now());
  return (await deps.plans.listActions(plan.id))
    .map((a) => a.value)
    .filter((a) => !filter.status || a.status === filter.status)
    .filter((a) => !filter.overdue || isOverdue(a, today))
    .filter((a) => !filter.owner || a.owners.includes(filter.owner.toLowerCase()))
    .filter((a) => !filter.area || sameArea(a.area, filter.area))
    .sort((a, b) => compareRefs(a.ref, b.ref));
}

/** One action with its history, newest last. */
export async function showAction(
  deps: AppDeps,
  planId: string,
  refText: string,
): Promise<{ action: Action; history: HistoryEntry[] }> {
  const ref = normaliseRef(refText);
  if (!ref)
    throw new ActionPlanError(
      'invalid_input',
      `"${refText}" is not an action ref (like 1.1 or 4.9a).`,
    );
  const found = await deps.plans.getAction(planId, ref);
  if (!found) throw new ActionPlanError('not_found', `There is no action ${ref} in this plan.`);
  return { action: found.value, history: await deps.plans.listHistory(planId, ref) };
}
