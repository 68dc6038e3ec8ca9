import { areaKey, findArea } from '../../domain/area-name.js';
import { todayIn } from '../../domain/calendar.js';
import { isActionPlanError } from '../../domain/errors.js';
import { rolesOf, type PersonRoles } from '../../domain/permissions.js';
import type { Action, Area, Plan } from '../../domain/plan.js';
import { normaliseEmail } from '../../domain/plan.js';
import type { ActionListItem, PersonView } from '../../ports/card-renderer.js';
import {
  addressBook,
  reachBook,
  unreachableWhy,
  type Person,
  type Reach,
} from '../../ports/people-repository.js';
import type { BotDeps } from '../bot-deps.js';
import type { Actor } from '../bot-reply.js';
import { findPlan } from '../find-plan.js';

/**
 * Everything one answer needs to know, read once per message or button: the plan the
 * conversation is about (absent when none can be chosen: none imported, or several and none
 * named), its actions and areas, the people the bot knows, and who is asking with their roles.
 */
export interface Situation {
  readonly plan?: Plan;
  readonly actions: readonly Action[];
  readonly areas: readonly Area[];
  /** People by lower-cased email. */
  readonly people: ReadonlyMap<string, Person>;
  /** How the bot reaches an address (its chat, a team, or not, and why). */
  readonly reach: (address: string) => Reach;
  readonly roles: PersonRoles;
  readonly name?: string;
  /** Today in the plan's time zone (Europe/London without a plan). */
  readonly today: string;
  readonly now: Date;
}

/** A situation with its plan: what every command but help and welcome answers from. */
export type PlanSituation = Situation & { readonly plan: Plan };

/**
 * Reads the situation. When no plan can be chosen, `planless` is why (a plain ActionPlanError),
 * for the commands that need one to answer with; help and welcome answer without it.
 */
export async function readSituation(
  deps: BotDeps,
  actor: Actor,
  planId: string | undefined,
): Promise<{ readonly situation: Situation; readonly planless?: unknown }> {
  let found: { plan: Plan; actions: Action[]; areas: Area[] } | undefined;
  let planless: unknown;
  try {
    const plan = (await findPlan(deps, planId)).value;
    const [actions, areas] = await Promise.all([
      deps.plans.listActions(plan.id),
      deps.plans.listAreas(plan.id),
    ]);
    found = { plan, actions: actions.map((a) => a.value), areas: areas.map((a) => a.value) };
  } catch (e) {
    if (!isActionPlanError(e, 'not_found') && !isActionPlanError(e, 'invalid_input')) throw e;
    planless = e;
  }
  // Kept-apart accounts and addresses two accounts claim lead nowhere (see addressBook).
  const everyone = await deps.people.listPeople();
  const people = addressBook(everyone);
  const email = actor.email
    ? normaliseEmail(actor.email)
    : actor.aadObjectId && !actor.keptApart
      ? [...people.values()].find((p) => p.aadObjectId === actor.aadObjectId)?.email
      : undefined;
  const person = email ? people.get(email) : undefined;
  const actions = found?.actions ?? [];
  const areas = found?.areas ?? [];
  const tenantId = person?.tenantId ?? actor.tenantId;
  const roles = rolesOf({
    ...(email ? { email } : {}),
    ...(person?.upn ? { otherAddresses: [person.upn] } : {}),
    adminEmails: deps.adminEmails,
    storedAdmin: person?.admin === true,
    ...(tenantId ? { tenantId } : {}),
    ...(deps.allowedTenantIds ? { allowedTenantIds: deps.allowedTenantIds } : {}),
    ...(actor.keptApart ? { keptApart: true } : {}),
    areas,
    actions,
  });
  const now = deps.clock.now();
  const name = actor.name ?? person?.name;
  const situation: Situation = {
    ...(found ? { plan: found.plan } : {}),
    actions,
    areas,
    people,
    reach: reachBook(everyone),
    roles,
    ...(name ? { name } : {}),
    today: todayIn(found?.plan.timeZone ?? 'Europe/London', now),
    now,
  };
  return { situation, ...(found ? {} : { planless }) };
}

export function personView(s: Pick<Situation, 'people' | 'reach'>, email: string): PersonView {
  const p = s.people.get(normaliseEmail(email));
  const why = unreachableWhy(s.reach(email));
  return {
    email,
    ...(p?.name ? { name: p.name } : {}),
    reachable: why === undefined,
    ...(why ? { why } : {}),
  };
}

export const listItem = (s: Situation, action: Action): ActionListItem => ({
  action,
  owners: action.owners.map((o) => personView(s, o)),
});

/** "Ann Owner (ann@x.gov.uk)", or the email alone when the bot knows no name. */
export const nameOf = (p: PersonView): string => (p.name ? `${p.name} (${p.email})` : p.email);

/**
 * Area names known to the plan: the stored areas, then any area an action names that was never
 * added as an area (an import can set it), so that "status X" finds every area a card can show.
 */
export function areaNames(s: Pick<Situation, 'areas' | 'actions'>): string[] {
  const names = new Map<string, string>();
  for (const name of [...s.areas.map((a) => a.name), ...s.actions.flatMap((a) => a.area ?? [])]) {
    if (!names.has(areaKey(name))) names.set(areaKey(name), name);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}

/** The known area `wanted` names, however it is written (domain/area-name.ts). */
export const matchArea = (names: readonly string[], wanted: string): string | undefined =>
  findArea(names, wanted, (n) => n);
