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
  const area = input.area?.trim();
  if (area !== undefined) {
    const areas = await deps.plans.listAreas(input.planId);
    if (!areas.some((a) => a.value.name.toLowerCase() === area.toLowerCase())) {
      throw new ActionPlanError(
        'not_found',
        `There is no area "${area}" in this plan. Add it first (actionplan area add "${area}" --champion <email>)${areas.length ? `, or use one of: ${areas.map((a) => a.value.name).join(', ')}` : ''}.`,
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
      ...(area ? { area: canonicalAreaName(area) } : {}),
    }),
  });
}

const canonicalAreaName = (name: string): string => name.replace(/\s+/g, ' ').trim();
