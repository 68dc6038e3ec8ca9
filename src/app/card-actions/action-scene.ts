import { sameArea } from '../../domain/area-name.js';
import { todayIn } from '../../domain/calendar.js';
import { ActionPlanError } from '../../domain/errors.js';
import {
  canChangeAction,
  isChampionOf,
  ownsAction,
  rolesOf,
  type PersonRoles,
} from '../../domain/permissions.js';
import {
  isEmail,
  normaliseEmail,
  type Action,
  type Area,
  type HistoryEntry,
  type Plan,
  type Versioned,
} from '../../domain/plan.js';
import type {
  ActionViewer,
  CardBanner,
  CardView,
  PersonView,
  PlainFallback,
} from '../../ports/card-renderer.js';
import { matchableEmail, onePerson, type Person, reachOf } from '../../ports/people-repository.js';
import type { BotDeps } from '../bot-deps.js';
import type { Actor, AdaptiveCard } from '../bot-reply.js';

/** How many history entries an action card shows, newest first. */
export const HISTORY_SHOWN = 5;

/** Teams lets a card name at most 60 users whose clients refresh it automatically. */
export const MAX_REFRESH_USERS = 60;

/** One action with everything its card and its permission checks need, read together. */
export interface ActionScene {
  readonly plan: Plan;
  readonly action: Versioned<Action>;
  readonly areas: readonly Area[];
  /**
   * The people the card names, by lower-cased address: the owners, the area's champions, the
   * presser, whoever last changed it or proposed a date, the people of the history shown and the
   * stored admins; each read by a point read of their address, never the whole table. An address
   * that leads nowhere, or to two accounts, is not here (see `addressBook`).
   */
  readonly people: ReadonlyMap<string, Person>;
  /** The stored admins (besides ADMIN_EMAILS), by the email their address leads to them by. */
  readonly admins: readonly string[];
  /** The presser's email, when the bot can place them (see `emailOf`). */
  readonly presser?: string;
  /** The latest history entries, newest first, as the card shows them. */
  readonly history: readonly HistoryEntry[];
  /** Today in the plan's time zone. */
  readonly today: string;
}

/**
 * Reads the plan, the action, its areas, the latest history and the people the card names (with
 * `actor`, the presser too), in two rounds of point reads and short key ranges: how long it takes
 * does not grow with the people stored or the action's history. A plan or action that is not
 * there is an ActionPlanError('not_found') worded for the person who pressed a card about it.
 */
export async function loadScene(
  deps: BotDeps,
  planId: string,
  ref: string,
  actor?: Actor,
): Promise<ActionScene> {
  const [plan, action, areas, history, admins, presser] = await Promise.all([
    deps.plans.getPlan(planId),
    deps.plans.getAction(planId, ref),
    deps.plans.listAreas(planId),
    deps.plans.latestHistory(planId, ref, HISTORY_SHOWN),
    deps.people.listAdmins(),
    actor ? presserEmail(deps, actor) : Promise.resolve(undefined),
  ]);
  if (!plan) {
    throw new ActionPlanError(
      'not_found',
      `I can't find the plan this card is about, so nothing has changed. It may have been removed; ask for the action again (for example “action ${ref}”) to get a current card.`,
    );
  }
  if (!action) {
    throw new ActionPlanError(
      'not_found',
      `There is no action ${ref} in ${plan.value.title}, so nothing has changed. Ask for “my actions” to see yours.`,
    );
  }
  const a = action.value;
  const areaList = areas.map((x) => x.value);
  const adminEmails = admins.flatMap((p) => matchableEmail(p.value) ?? []);
  const named = [
    ...a.owners,
    ...championsIn(areaList, a),
    a.updatedBy,
    ...(a.proposedTarget ? [a.proposedTarget.by] : []),
    ...history.map((h) => h.by),
    ...(presser ? [presser] : []),
    ...adminEmails,
    ...deps.adminEmails,
  ];
  const people = await peopleNamed(deps, named);
  return {
    plan: plan.value,
    action,
    areas: areaList,
    people,
    // An admin counts when their address leads to them alone, as for every other role.
    admins: adminEmails.filter((e) => people.get(e)?.admin === true),
    ...(presser ? { presser } : {}),
    history,
    today: todayIn(plan.value.timeZone, deps.clock.now()),
  };
}

/** The scene with the people of `addresses` it does not know yet (a reassign's new owners). */
export async function withPeople(
  deps: BotDeps,
  scene: ActionScene,
  addresses: readonly string[],
): Promise<ActionScene> {
  const missing = addresses.map(normaliseEmail).filter((e) => !scene.people.has(e));
  if (missing.length === 0) return scene;
  const more = await peopleNamed(deps, missing);
  return { ...scene, people: new Map([...scene.people, ...more]) };
}

/**
 * The people these addresses lead to, each by a point read of the address index, under both the
 * address asked and the person's own email. Names that are not addresses (an import, a tool, an
 * account the bot could not place) are not looked up.
 */
async function peopleNamed(
  deps: BotDeps,
  addresses: readonly string[],
): Promise<Map<string, Person>> {
  const wanted = [...new Set(addresses.filter(isEmail).map(normaliseEmail))];
  const found = new Map<string, Person>();
  if (wanted.length === 0) return found;
  const matches = await deps.people.findManyByEmail(wanted);
  for (const [address, match] of matches) {
    const person = onePerson(match)?.value;
    if (!person) continue;
    found.set(address, person);
    found.set(normaliseEmail(person.email), person);
  }
  return found;
}

/**
 * The email the bot knows someone by: theirs from Teams, else the account stored with their
 * object id (one point read); none for an account kept apart.
 */
async function presserEmail(deps: BotDeps, actor: Actor): Promise<string | undefined> {
  if (actor.email) return normaliseEmail(actor.email);
  if (!actor.aadObjectId || actor.keptApart) return undefined;
  const stored = await deps.people.getByAadObjectId(actor.aadObjectId);
  return stored ? matchableEmail(stored.value) : undefined;
}

/** The email the bot knows the presser by (read with the scene). */
export const emailOf = (scene: ActionScene): string | undefined => scene.presser;

/** Someone's roles for this action: admin, the area's champion, one of its owners. */
export function rolesIn(
  deps: Pick<BotDeps, 'adminEmails' | 'allowedTenantIds'>,
  scene: ActionScene,
  email: string | undefined,
  action: Action = scene.action.value,
): PersonRoles {
  const person = email ? scene.people.get(email) : undefined;
  return rolesOf({
    ...(email ? { email } : {}),
    ...(person?.upn ? { otherAddresses: [person.upn] } : {}),
    adminEmails: deps.adminEmails,
    storedAdmin: person?.admin === true,
    // The stored account's tenant: a presser the bot never stored is not admin by ADMIN_EMAILS
    // while the bot answers named tenants only.
    ...(person?.tenantId ? { tenantId: person.tenantId } : {}),
    ...(deps.allowedTenantIds ? { allowedTenantIds: deps.allowedTenantIds } : {}),
    areas: scene.areas,
    actions: [action],
  });
}

export const isOwnerOf = (roles: PersonRoles, action: Action): boolean => ownsAction(roles, action);

/** The area's champion or an admin: approves dates, reassigns. */
export const canDecideFor = (roles: PersonRoles, action: Action): boolean =>
  roles.admin || isChampionOf(roles, action.area);

export function viewerOf(roles: PersonRoles, action: Action): ActionViewer {
  return {
    canChange: canChangeAction(roles, action),
    isOwner: isOwnerOf(roles, action),
    canDecide: canDecideFor(roles, action),
  };
}

/** The champions of the action's area (as stored), lower-cased. */
export const championsOf = (scene: ActionScene, action: Action = scene.action.value): string[] =>
  championsIn(scene.areas, action);

function championsIn(areas: readonly Area[], action: Action): string[] {
  return [
    ...new Set(areas.filter((a) => sameArea(a.name, action.area)).flatMap((a) => a.champions)),
  ].map(normaliseEmail);
}

export function personView(scene: Pick<ActionScene, 'people'>, email: string): PersonView {
  const p = scene.people.get(normaliseEmail(email));
  return {
    email,
    ...(p?.name ? { name: p.name } : {}),
    // Reminders can reach them: their chat, or one opened through a team that lists them.
    reachable: reachOf(p).kind !== 'none',
  };
}

/** How a person is named in a sentence: their name, else their email. */
export const nameOf = (scene: ActionScene, email: string): string =>
  scene.people.get(normaliseEmail(email))?.name ?? email;

/**
 * The Teams users whose clients refresh the action's card by themselves: its owners, then its
 * area's champions, those the bot knows a Teams id for, at most 60.
 */
export function refreshUserIdsOf(scene: ActionScene, action: Action): string[] {
  const ids = [...action.owners, ...championsOf(scene, action)]
    .map((e) => scene.people.get(normaliseEmail(e))?.teamsUserId)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
}

export interface CardFor {
  /**
   * Whom the card is for: their roles choose its buttons (no email: someone the bot cannot
   * place, who gets no buttons that change anything). Absent: a card several people share (a
   * group chat's), with the owner's buttons for whoever presses them.
   */
  readonly person?: { readonly email?: string | undefined };
  readonly banner?: CardBanner;
}

/**
 * The action card as it is now, for one person: their buttons, the last few history entries, a
 * banner saying what just happened, and the refresh that keeps it current for owners and
 * champions.
 */
export function actionCard(
  deps: BotDeps,
  scene: ActionScene,
  action: Versioned<Action>,
  forWhom: CardFor = {},
  /** The latest entries, newest first, when they are newer than the scene's (after a write). */
  history: readonly HistoryEntry[] = scene.history,
): AdaptiveCard {
  const a = action.value;
  const view: CardView = {
    ...actionView(scene, action, history),
    ...(forWhom.banner ? { banner: forWhom.banner } : {}),
    ...(forWhom.person
      ? { viewer: viewerOf(rolesIn(deps, scene, forWhom.person.email, a), a) }
      : {}),
    refreshUserIds: refreshUserIdsOf(scene, a),
  };
  return deps.renderCard(view, actionCardTooBig(a.ref, forWhom.banner));
}

/**
 * An action's card as anyone may see it: the action, its owners and its last few history
 * entries (given newest first), named where the bot knows the people. The chat's "action 4.9a" shows this; a card
 * for one person adds their buttons, a banner and the refresh (`actionCard`).
 */
export function actionView(
  scene: Pick<ActionScene, 'plan' | 'people' | 'today'>,
  action: Versioned<Action>,
  history: readonly HistoryEntry[],
): Extract<CardView, { kind: 'action' }> {
  const a = action.value;
  const updatedByName = scene.people.get(normaliseEmail(a.updatedBy))?.name;
  return {
    kind: 'action',
    plan: scene.plan,
    action: a,
    version: action.version,
    owners: a.owners.map((o) => personView(scene, o)),
    ...(updatedByName ? { updatedByName } : {}),
    history: history.slice(0, HISTORY_SHOWN).map((h) => {
      const byName = scene.people.get(normaliseEmail(h.by))?.name;
      return byName ? { ...h, byName } : h;
    }),
    today: scene.today,
  };
}

/** Too big for Teams (hundreds of owners): what just happened, in words, and where to look. */
export const actionCardTooBig = (ref: string, banner?: CardBanner): PlainFallback => ({
  title: `Action ${ref}`,
  text: `${banner ? `${banner.text} ` : ''}The card of action ${ref} is too long for one Teams message; the export, or actionplan show ${ref} on the command line, has it in full.`,
  tone: banner?.tone ?? 'info',
});
