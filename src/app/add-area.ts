import { findArea, hasAreaKey } from '../domain/area-name.js';
import { ActionPlanError } from '../domain/errors.js';
import { isEmail, normaliseEmail, type Area } from '../domain/plan.js';
import type { AppDeps } from './deps.js';

export interface AddAreaInput {
  readonly planId: string;
  readonly name: string;
  /** KIM Champions to add to the area, by email or UPN. */
  readonly champions: readonly string[];
}

/**
 * Adds a business area with its champion(s), or adds champions to an existing area: "MoJ-HQ" is
 * the area stored as "MoJ HQ" (area-name.ts), which keeps its name. Returns the area as stored.
 */
export async function addArea(deps: Pick<AppDeps, 'plans'>, input: AddAreaInput): Promise<Area> {
  const name = input.name.replace(/\s+/g, ' ').trim();
  if (!name || name.length > 100 || /[/\\#?\p{Cc}]/u.test(name)) {
    throw new ActionPlanError(
      'invalid_input',
      'An area name needs 1 to 100 characters and no / \\ # or ?.',
    );
  }
  if (!hasAreaKey(name)) {
    throw new ActionPlanError(
      'invalid_input',
      `An area name needs a letter or a digit; "${name}" has none.`,
    );
  }
  const bad = input.champions.filter((c) => !isEmail(c));
  if (bad.length > 0) {
    throw new ActionPlanError(
      'invalid_input',
      `Champions are given by email address; "${bad.join('", "')}" is not one.`,
    );
  }
  const existing = findArea(await deps.plans.listAreas(input.planId), name, (a) => a.value.name);
  const champions = [
    ...new Set([...(existing?.value.champions ?? []), ...input.champions.map(normaliseEmail)]),
  ];
  const area: Area = { planId: input.planId, name: existing?.value.name ?? name, champions };
  await deps.plans.save(input.planId, {
    areas: [{ value: area, expectedVersion: existing ? existing.version : null }],
  });
  return area;
}
