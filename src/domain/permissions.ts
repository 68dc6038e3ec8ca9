import { compareRefs } from './action-ref.js';
import { sameArea } from './area-name.js';
import type { Action, Area } from './plan.js';
import { normaliseEmail } from './plan.js';

/** The roles of the product guide, most powerful first. */
export type RoleName = 'admin' | 'champion' | 'owner' | 'reader';

/**
 * What one person may do in one plan. Worked out from their email every time rather than stored,
 * so that assigning an action or naming a champion takes effect at once and cannot go stale.
 */
export interface PersonRoles {
  /** Lower-cased; absent when the chat client did not tell us who is speaking. */
  readonly email?: string;
  /** The whole plan: assign actions, name champions. */
  readonly admin: boolean;
  /** Names of the areas (as stored) that list this person as a KIM Champion. */
  readonly championOf: readonly string[];
  /** Refs of the actions that list this person as an owner, in ref order. */
  readonly owns: readonly string[];
}

export interface RoleFacts {
  readonly email?: string;
  /** ADMIN_EMAILS from configuration: admins whatever storage says. */
  readonly adminEmails: readonly string[];
  /** The stored Person's `admin` flag: admins named from the bot rather than configuration. */
  readonly storedAdmin?: boolean;
  readonly areas: readonly Pick<Area, 'name' | 'champions'>[];
  readonly actions: readonly Pick<Action, 'ref' | 'owners'>[];
}

/** A person's roles in a plan, from their email. Without an email they are a reader. */
export function rolesOf(facts: RoleFacts): PersonRoles {
  const email = facts.email ? normaliseEmail(facts.email) : undefined;
  if (!email) return { admin: false, championOf: [], owns: [] };
  return {
    email,
    admin: isAdmin(email, facts.adminEmails, facts.storedAdmin),
    championOf: facts.areas
      .filter((a) => a.champions.some((c) => normaliseEmail(c) === email))
      .map((a) => a.name),
    owns: facts.actions
      .filter((a) => a.owners.some((o) => normaliseEmail(o) === email))
      .map((a) => a.ref)
      .sort(compareRefs),
  };
}

/** Admin when configured (ADMIN_EMAILS, compared regardless of case) or stored as admin. */
export function isAdmin(
  email: string | undefined,
  adminEmails: readonly string[],
  storedAdmin = false,
): boolean {
  if (!email) return false;
  const e = normaliseEmail(email);
  return storedAdmin || adminEmails.some((a) => normaliseEmail(a) === e);
}

/** The strongest role, for choosing a default answer ("status" means a champion's own areas). */
export function mainRole(roles: PersonRoles): RoleName {
  if (roles.admin) return 'admin';
  if (roles.championOf.length > 0) return 'champion';
  if (roles.owns.length > 0) return 'owner';
  return 'reader';
}

/** Whether someone is the KIM Champion of an area (the same area by area-name.ts's rule). */
export function isChampionOf(roles: PersonRoles, area: string | undefined): boolean {
  return roles.championOf.some((a) => sameArea(a, area));
}

/** Only admins assign actions and name champions. */
export const canManagePlan = (roles: PersonRoles): boolean => roles.admin;

/**
 * Who may change an action (status, note, date) from a card: an admin, one of its owners, or the
 * champion of its area. Everyone else may read it but changes nothing.
 */
export function canChangeAction(
  roles: PersonRoles,
  action: Pick<Action, 'ref' | 'owners' | 'area'>,
): boolean {
  if (roles.admin) return true;
  if (roles.email && action.owners.some((o) => normaliseEmail(o) === roles.email)) return true;
  return isChampionOf(roles, action.area);
}

/** "A", "A and B", "A, B and C": UK style, no serial comma. */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

const actionsCount = (n: number): string => `${n} ${n === 1 ? 'action' : 'actions'}`;

/**
 * One sentence saying who someone is in the plan, for the welcome card:
 * "You are the KIM Champion for HMPPS and own 3 actions."
 */
export function roleSummary(roles: PersonRoles): string {
  if (!roles.email) {
    return "I can't see your email address, so I can show the plan's summaries but not which actions are yours.";
  }
  const are = [
    ...(roles.admin ? ['a plan admin'] : []),
    ...(roles.championOf.length > 0 ? [`the KIM Champion for ${joinList(roles.championOf)}`] : []),
  ];
  const owns = roles.owns.length;
  if (are.length === 0) {
    return owns > 0
      ? `You own ${actionsCount(owns)}.`
      : "You don't own any actions yet; you can read the plan's summaries.";
  }
  if (owns === 0) return `You are ${are.join(' and ')}.`;
  return are.length === 1
    ? `You are ${are[0]!} and own ${actionsCount(owns)}.`
    : `You are ${are.join(' and ')}, and own ${actionsCount(owns)}.`;
}
