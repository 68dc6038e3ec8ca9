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
import { addressBook, type Person, reachOf } from '../../ports/people-repository.js';
import type { BotDeps } from '../bot-deps.js';
import type { Actor, AdaptiveCard } from '../bot-reply.js';

/** How many history entries an action card shows, newest first. */
const HISTORY_SHOWN = 5;

/** Teams lets a card name at most 60 users whose clients refresh it automatically. */
export const MAX_REFRESH_USERS = 60;

/** One action with everything its card and its permission checks need, read together. */
export interface ActionScene {
  readonly plan: Plan;
  readonly action: Versioned<Action>;
  readonly areas: readonly Area[];
  /** People by lower-cased email. */
  readonly people: ReadonlyMap<string, Person>;
  /** Today in the plan's time zone. */
  readonly today: string;
}

/**
 * Reads the plan, the action, its areas and the people. A plan or action that is not there is an
 * ActionPlanError('not_found') worded for the person who pressed a card about it.
 */
export async function loadScene(deps: BotDeps, planId: string, ref: string): Promise<ActionScene> {
  const [plan, action, areas, people] = await Promise.all([
    deps.plans.getPlan(planId),
    deps.plans.getAction(planId, ref),
    deps.plans.listAreas(planId),
    // The whole table, for names and who can be reached. A press needs only the people its card
    // shows (owners, champions, the presser, the admins): findManyByEmail reads exactly those,
    // and the press path is to move to it with its rework; addressBook keeps a kept-apart account
    // or an address two accounts claim from standing in for anyone meanwhile.
    deps.people.listPeople(),
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
  return {
    plan: plan.value,
    action,
    areas: areas.map((a) => a.value),
    people: addressBook(people),
    today: todayIn(plan.value.timeZone, deps.clock.now()),
  };
}

/** The email the bot knows someone by: theirs from Teams, else the stored person with their id. */
export function emailOf(scene: ActionScene, actor: Actor): string | undefined {
  if (actor.email) return normaliseEmail(actor.email);
  if (!actor.aadObjectId || actor.keptApart) return undefined;
  return [...scene.people.values()].find((p) => p.aadObjectId === actor.aadObjectId)?.email;
}

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
export function championsOf(scene: ActionScene, action: Action = scene.action.value): string[] {
  return [
    ...new Set(
      scene.areas.filter((a) => sameArea(a.name, action.area)).flatMap((a) => a.champions),
    ),
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
export async function actionCard(
  deps: BotDeps,
  scene: ActionScene,
  action: Versioned<Action>,
  forWhom: CardFor = {},
  /** The action's history, when the caller has just read it (several cards of one action). */
  read?: readonly HistoryEntry[],
): Promise<AdaptiveCard> {
  const all = read ?? (await deps.plans.listHistory(scene.plan.id, action.value.ref));
  const a = action.value;
  const view: CardView = {
    ...actionView(scene, action, all),
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
 * entries, named where the bot knows the people. The chat's "action 4.9a" shows this; a card
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
    history: history
      .slice(-HISTORY_SHOWN)
      .reverse()
      .map((h) => {
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
