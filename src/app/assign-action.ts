import { findArea } from '../domain/area-name.js';
import { ActionPlanError } from '../domain/errors.js';
import { isEmail, normaliseEmail } from '../domain/plan.js';
import { changeAction, type ActionChangeResult } from './change-action.js';
import type { AppDeps } from './deps.js';

export interface AssignInput {
  readonly planId: string;
  readonly ref: string;
  /** One or more owners, by email or UPN; they replace the current owners. */
  readonly owners: readonly string[];
  readonly area?: string;
  readonly by: string;
}

/** Gives an action its owner(s), and optionally its business area; both go to the history. */
export async function assignAction(deps: AppDeps, input: AssignInput): Promise<ActionChangeResult> {
  const bad = input.owners.filter((o) => !isEmail(o));
  if (input.owners.length === 0 || bad.length > 0) {
    throw new ActionPlanError(
      'invalid_input',
      input.owners.length === 0
        ? 'Say who owns the action, by email address.'
        : `Owners are given by email address; "${bad.join('", "')}" is not one.`,
    );
  }
  const owners = [...new Set(input.owners.map(normaliseEmail))];
  const wanted = input.area?.replace(/\s+/g, ' ').trim();
  let area: string | undefined;
  if (wanted !== undefined) {
    const areas = await deps.plans.listAreas(input.planId);
    // The same area however it is written (area-name.ts); the action takes its name as added.
    area = findArea(areas, wanted, (a) => a.value.name)?.value.name;
    if (!area) {
      throw new ActionPlanError(
        'not_found',
        `There is no area "${wanted}" in this plan. Add it first (actionplan area add "${wanted}" --champion <email>)${areas.length ? `, or use one of: ${areas.map((a) => a.value.name).join(', ')}` : ''}.`,
      );
    }
  }
  return changeAction(deps, {
    planId: input.planId,
    ref: input.ref,
    by: input.by,
    apply: (current) => ({
      ...current,
      owners,
      ...(area ? { area } : {}),
    }),
  });
}
