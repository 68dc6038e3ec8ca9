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
  /** Every address they are matched by (their email, and their UPN when it differs). */
  readonly addresses: readonly string[];
  /** The whole plan: assign actions, name champions. */
  readonly admin: boolean;
  /** Names of the areas (as stored) that list this person as a KIM Champion. */
  readonly championOf: readonly string[];
  /** Refs of the actions that list this person as an owner, in ref order. */
  readonly owns: readonly string[];
  /** Their account was kept apart: another account holds their address, so they have no roles. */
  readonly keptApart?: boolean;
}

export interface RoleFacts {
  readonly email?: string;
  /** Other addresses of the same person (their UPN): an owner named by it is them too. */
  readonly otherAddresses?: readonly string[];
  /** ADMIN_EMAILS from configuration: admins whatever storage says. */
  readonly adminEmails: readonly string[];
  /** The stored Person's `admin` flag: admins named from the bot rather than configuration. */
  readonly storedAdmin?: boolean;
  /** The Entra tenant of their account, when known. */
  readonly tenantId?: string;
  /**
   * The tenants the bot answers (lower-case): ADMIN_EMAILS make admins only of accounts in them.
   * Empty or absent: any tenant (a local run without an app id).
   */
  readonly allowedTenantIds?: readonly string[];
  /** Their account was kept apart (see Person.keptApart): no roles, whatever their email. */
  readonly keptApart?: boolean;
  readonly areas: readonly Pick<Area, 'name' | 'champions'>[];
  readonly actions: readonly Pick<Action, 'ref' | 'owners'>[];
}

/** A person's roles in a plan, from their addresses. Without one they are a reader. */
export function rolesOf(facts: RoleFacts): PersonRoles {
  const email = facts.email && !facts.keptApart ? normaliseEmail(facts.email) : undefined;
  const none = { addresses: [], admin: false, championOf: [], owns: [] };
  if (!email) return facts.keptApart ? { ...none, keptApart: true } : none;
  const addresses = [...new Set([email, ...(facts.otherAddresses ?? []).map(normaliseEmail)])];
  const isTheirs = (address: string) => addresses.includes(normaliseEmail(address));
  return {
    email,
    addresses,
    admin: isAdmin({ ...facts, addresses }),
    championOf: facts.areas.filter((a) => a.champions.some(isTheirs)).map((a) => a.name),
    owns: facts.actions
      .filter((a) => a.owners.some(isTheirs))
      .map((a) => a.ref)
      .sort(compareRefs),
  };
}

/**
 * Admin when stored as admin, or when one of their addresses is in ADMIN_EMAILS (compared
 * regardless of case) and their account is in a tenant the bot answers: an address is only
 * worth what the tenant that issued it vouches for, and a tenant not on the list vouches for
 * nothing here. An account whose tenant is not known is not admin by its email while the list
 * names tenants.
 */
export function isAdmin(
  facts: Pick<RoleFacts, 'adminEmails' | 'storedAdmin' | 'tenantId' | 'allowedTenantIds'> & {
    readonly addresses: readonly string[];
  },
): boolean {
  if (facts.addresses.length === 0) return false;
  if (facts.storedAdmin) return true;
  const configured = new Set(facts.adminEmails.map(normaliseEmail));
  if (!facts.addresses.some((a) => configured.has(normaliseEmail(a)))) return false;
  const allowed = facts.allowedTenantIds ?? [];
  if (allowed.length === 0) return true;
  const tenant = facts.tenantId?.toLowerCase();
  return tenant !== undefined && allowed.some((t) => t.toLowerCase() === tenant);
}

/** Whether the action lists this person as an owner, by any of their addresses. */
export const ownsAction = (roles: PersonRoles, action: Pick<Action, 'owners'>): boolean =>
  action.owners.some((o) => roles.addresses.includes(normaliseEmail(o)));

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
  if (ownsAction(roles, action)) return true;
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
  if (roles.keptApart) {
    return "Your email address already belongs to another Teams account I know, so I can't tell which actions are yours. The plan admins have been told; until they sort it out you can read the plan's summaries.";
  }
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
