import { z } from 'zod';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import { anyText, instant, list, record, someText } from '../domain/record-fields.js';
import { conversationKind } from './conversation-kind.js';

/**
 * A person the bot knows: someone who installed it (so it can message them), or whom an admin
 * named as an owner or champion.
 *
 * Who a person *is* is their Entra object id and tenant, once known; their addresses (mail and
 * UPN) are how plans name them. Storage keeps one record per account, and an index from each
 * address to the record that holds it, so an owner named by either address is found with a point
 * read, and an address never moves from one account to another on its own (see `keptApart`).
 * The index is derived from the records (`addressesOf`): it is neither a record nor backed up.
 */
export const personRecord = record({
  /** Entra ID (AAD) object id: the stable identity in the tenant. Absent until they install. */
  aadObjectId: anyText.optional(),
  /** Mail (or the UPN when Teams gives no mail), lower-cased: how plans name people. */
  email: someText,
  /**
   * The sign-in name (user principal name), lower-cased, when it differs from `email`: a plan
   * that names someone by it finds them too.
   */
  upn: anyText.optional(),
  name: anyText,
  /** Entra tenant of the account; with `aadObjectId`, who the person is. */
  tenantId: anyText.optional(),
  /** Teams user id ("29:…"), needed to open a 1:1 chat. */
  teamsUserId: anyText.optional(),
  /**
   * The personal chat's conversation reference, as opaque JSON owned by the Teams adapter
   * (conversation id, serviceUrl, tenant). Absent until the person installs the bot.
   */
  conversation: anyText.optional(),
  /** False when Teams refuses messages to them (uninstalled, blocked, left the tenant). */
  reachable: z.boolean(),
  unreachableReason: anyText.optional(),
  /** Stored admin (in addition to ADMIN_EMAILS). */
  admin: z.boolean().optional(),
  /**
   * When (ISO instant) this account was kept apart: it arrived with an address that another
   * stored account (a different object id) already holds. It is stored as its own person, but no
   * address leads to it: it owns nothing, champions nothing, gets no admin rights from its email
   * and no one else's reminders. Cleared when its addresses are free again.
   */
  keptApart: anyText.optional(),
  /**
   * The teams (Teams team ids) whose roster lists this account while the bot is in them: through
   * any of them the bot may open a 1:1 chat with the person (`teamsUserId`) without their having
   * installed it. Kept in step by the roster sync; each has a roster row in storage.
   */
  teams: list(someText).optional(),
  updatedAt: instant,
});
export type Person = z.infer<typeof personRecord>;

/**
 * One member of a team's roster as stored beside the person: enough to tell, at the next sync,
 * whether Teams still describes them the same way (a changed name or address is saved again).
 */
export interface RosterEntry {
  readonly teamId: string;
  readonly aadObjectId: string;
  readonly tenantId?: string;
  readonly email: string;
  readonly upn?: string;
  readonly name: string;
  readonly teamsUserId?: string;
}

/** The roster entry a person's record gives for one of their teams. */
export function rosterEntryOf(p: Person, teamId: string): RosterEntry | undefined {
  if (!p.aadObjectId) return undefined;
  return {
    teamId,
    aadObjectId: p.aadObjectId,
    ...(p.tenantId ? { tenantId: p.tenantId } : {}),
    email: normaliseEmail(p.email),
    ...(p.upn && normaliseEmail(p.upn) !== normaliseEmail(p.email)
      ? { upn: normaliseEmail(p.upn) }
      : {}),
    name: p.name,
    ...(p.teamsUserId ? { teamsUserId: p.teamsUserId } : {}),
  };
}

/** Whether two roster entries say the same thing (so a sync has nothing to write). */
export const sameRosterEntry = (a: RosterEntry, b: RosterEntry): boolean =>
  a.teamId === b.teamId &&
  a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase() &&
  (a.tenantId ?? '').toLowerCase() === (b.tenantId ?? '').toLowerCase() &&
  a.email === b.email &&
  (a.upn ?? '') === (b.upn ?? '') &&
  a.name === b.name &&
  (a.teamsUserId ?? '') === (b.teamsUserId ?? '');

/**
 * The last attempt to install the app through Microsoft Graph for someone the bot could not reach
 * (found in no team, never installed), by the address a plan names them by.
 */
export interface InstallAttempt {
  /** Lower-cased. */
  readonly address: string;
  /** `installed` (or it already was): Teams sends the install event, and the chat follows. */
  readonly outcome: 'installed' | 'refused' | 'failed';
  /**
   * `installed`, `already_installed`, `user_not_found`, `app_not_in_catalogue`,
   * `permission_missing`, `no_licence`, `throttled`, `failed`.
   */
  readonly code: string;
  /** In plain words, for `people reach` and the admins. */
  readonly reason: string;
  /** ISO instant. */
  readonly at: string;
  /** The Entra object id Graph found, when it found one. */
  readonly userId?: string;
}

/** What one address (mail or UPN) leads to. */
export type AddressMatch =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly person: Versioned<Person> }
  /** Two or more accounts claim the address: nobody is guessed. */
  | { readonly kind: 'ambiguous'; readonly people: readonly Versioned<Person>[] };

/** A group chat or team channel where the bot is installed (for digests and @mention commands). */
export const installedConversationRecord = record({
  conversationId: someText,
  kind: conversationKind,
  name: anyText.optional(),
  teamId: anyText.optional(),
  /** The team's own name (a channel's `name` is the channel's): how `people reach` names it. */
  teamName: anyText.optional(),
  tenantId: anyText.optional(),
  /** Opaque conversation reference JSON owned by the Teams adapter. */
  reference: anyText,
  installedAt: instant,
});
export type InstalledConversation = z.infer<typeof installedConversationRecord>;

/** Options of `savePerson`. */
export interface SavePersonOptions {
  /**
   * Records this one takes the place of, each at the version read (a person known only by their
   * email, now known by their account; an account stored before its tenant was known). They are
   * removed in the same write, so no address ever leads to two records of one person.
   */
  readonly replaces?: readonly Versioned<Person>[];
  /**
   * Claim the person's addresses only if no other record claims them: otherwise nothing is
   * written and the save is ActionPlanError('conflict'). For the first claim of an address by an
   * account, so that two accounts arriving at once with one email do not both get it: the one
   * that comes second reads again and finds the address held.
   */
  readonly exclusive?: boolean;
}

/**
 * People and installations; conditional writes like PlanRepository (ExpectedVersion rules).
 *
 * A person's record is keyed by who they are: tenant and object id when known, else the email a
 * plan named them by. Changing a person's addresses moves the index with them in the same write;
 * removing a person removes their index entries. No look-up by address or object id reads more
 * than the index entry and the record it names.
 */
export interface PeopleRepository {
  /** What an address (mail or UPN, any case) leads to: nobody, one person, or several. */
  findByEmail(address: string): Promise<AddressMatch>;
  /** Several addresses at once (the owners and champions a card shows), each a point read. */
  findManyByEmail(addresses: readonly string[]): Promise<ReadonlyMap<string, AddressMatch>>;
  /** The one person an address leads to; undefined for nobody, and when two accounts claim it. */
  getByEmail(address: string): Promise<Versioned<Person> | undefined>;
  /**
   * The account with this object id. With `tenantId`, only an account of that tenant (or one
   * stored before its tenant was known) answers.
   */
  getByAadObjectId(aadObjectId: string, tenantId?: string): Promise<Versioned<Person> | undefined>;
  /** Everyone, kept-apart accounts included, in email order: digests and backups, not presses. */
  listPeople(): Promise<Versioned<Person>[]>;
  /**
   * The people stored as admins (`admin: true`), in email order, through an index kept in step
   * with them: a card press that must tell the plan admins reads these, not everyone.
   */
  listAdmins(): Promise<Versioned<Person>[]>;
  /**
   * Writes the person's record and their index entries together. `expectedVersion` is about the
   * record this person is keyed to: undefined = upsert, null = must not exist, string = must
   * match (else ActionPlanError('conflict')). An address another record already claims is added
   * beside it (that address is then ambiguous): deciding who may claim it is the caller's rule.
   * The person's `teams` decide their roster rows: each team listed gets one (rewritten when what
   * it says of them changed), and a team no longer listed loses it, in the same transaction.
   */
  savePerson(
    person: Person,
    expectedVersion?: string | null,
    options?: SavePersonOptions,
  ): Promise<void>;
  /**
   * People none of whose rows are stored yet (record, addresses, object id, roster rows), written
   * many to a transaction with create-only writes: a roster's first sync, thousands at a time.
   * Anyone with any of those rows already stored (a known account, an address someone holds, a
   * member listed twice) is not written and comes back, for the caller to save one at a time by
   * its rules; so an address is never claimed twice this way.
   */
  addNewPeople(people: readonly Person[]): Promise<Person[]>;
  /** The stored roster of a team (its roster rows), in no particular order. */
  listRoster(teamId: string): Promise<RosterEntry[]>;
  /** Records the last Graph installation attempt for an address, replacing the one before. */
  saveInstallAttempt(attempt: InstallAttempt): Promise<void>;
  /** Every recorded Graph installation attempt, one per address. */
  listInstallAttempts(): Promise<InstallAttempt[]>;
  /** Forgets a person and their index entries (a forced restore); someone not known is no error. */
  removePerson(person: PersonIdentity): Promise<void>;
  saveConversation(conversation: InstalledConversation): Promise<void>;
  removeConversation(conversationId: string): Promise<void>;
  listConversations(): Promise<InstalledConversation[]>;
}

/** What keys a person's record: their account when known, else their email. */
export type PersonIdentity = Pick<Person, 'email' | 'aadObjectId' | 'tenantId'>;

/** The identity as one comparable string (`id|tenant|oid` or `mail|email`), for both adapters. */
export function identityOf(p: PersonIdentity): string {
  if (p.aadObjectId) {
    return `id|${p.tenantId?.toLowerCase() ?? '-'}|${p.aadObjectId.toLowerCase()}`;
  }
  return `mail|${normaliseEmail(p.email)}`;
}

/** The addresses that lead to a person: mail and UPN, lower-cased; none when kept apart. */
export function addressesOf(p: Pick<Person, 'email' | 'upn' | 'keptApart'>): string[] {
  if (p.keptApart) return [];
  const mail = normaliseEmail(p.email);
  const upn = p.upn ? normaliseEmail(p.upn) : undefined;
  return upn && upn !== mail ? [mail, upn] : [mail];
}

/**
 * The email a person may be matched to plan roles by: theirs, unless their account was kept
 * apart (then nothing: a kept-apart account is nobody's owner, champion or admin).
 */
export const matchableEmail = (p: Pick<Person, 'email' | 'keptApart'>): string | undefined =>
  p.keptApart ? undefined : normaliseEmail(p.email);

/** The one person of a match; undefined for nobody, or for an address several accounts claim. */
export const onePerson = (m: AddressMatch | undefined): Versioned<Person> | undefined =>
  m?.kind === 'one' ? m.person : undefined;

/** Why the bot will not write to an address several accounts claim, in words for an admin. */
export const ambiguousReason = (address: string, accounts: number): string =>
  `${accounts} Teams accounts have the address ${address}, so the bot does not guess which one is meant. A plan admin can name the owner by another address.`;

/**
 * Every address of a full list of people, each to the one person it leads to, by the same rules
 * as the index: kept-apart accounts lead nowhere and an address several accounts claim is left
 * out. For the places that read everyone anyway (the digest, chat commands); a press or a
 * reminder reads only the people it needs, with `findManyByEmail`.
 */
export function addressBook(people: readonly Versioned<Person>[]): Map<string, Person> {
  const claims = new Map<string, Person[]>();
  for (const { value } of people) {
    for (const address of addressesOf(value)) {
      const list = claims.get(address);
      if (list) list.push(value);
      else claims.set(address, [value]);
    }
  }
  const book = new Map<string, Person>();
  for (const [address, list] of claims) if (list.length === 1) book.set(address, list[0]!);
  return book;
}

/**
 * How the bot can reach a person: their personal chat, a chat it opens through a team (or group
 * chat) that lists them, or not at all, and why.
 */
export type Reach =
  | { readonly kind: 'chat' }
  | { readonly kind: 'team'; readonly teams: readonly string[] }
  | { readonly kind: 'none'; readonly code: UnreachableCode; readonly reason: string };

/**
 * Why nobody can be messaged: `not_found` (no such person: never installed, in no team the bot
 * is in), `no_path` (known, but with no chat and in no team), `refused` (Teams refused them),
 * `ambiguous` (two accounts claim the address).
 */
export type UnreachableCode = 'not_found' | 'no_path' | 'refused' | 'ambiguous';

export const NOT_FOUND_REASON =
  'They have not installed the bot, and no team or group chat the bot is in lists them.';
const NO_PATH_REASON =
  'They have no chat with the bot, and no team or group chat the bot is in lists them now.';

/** How to reach one person (undefined: nobody the bot knows). */
export function reachOf(person: Person | undefined): Reach {
  if (!person) return { kind: 'none', code: 'not_found', reason: NOT_FOUND_REASON };
  if (!person.reachable) {
    return {
      kind: 'none',
      code: 'refused',
      reason: person.unreachableReason ?? 'Teams refused messages to them.',
    };
  }
  if (person.conversation !== undefined) return { kind: 'chat' };
  if (person.teamsUserId !== undefined && person.teams && person.teams.length > 0) {
    return { kind: 'team', teams: person.teams };
  }
  return { kind: 'none', code: 'no_path', reason: NO_PATH_REASON };
}

/** How to reach whoever an address leads to; two accounts claiming it is a reason of its own. */
export function reachOfMatch(match: AddressMatch | undefined, address: string): Reach {
  if (match?.kind === 'ambiguous') {
    return {
      kind: 'none',
      code: 'ambiguous',
      reason: ambiguousReason(normaliseEmail(address), match.people.length),
    };
  }
  return reachOf(onePerson(match)?.value);
}

/**
 * How to reach each address, from a full list of people, by the index's rules (addressBook):
 * for the pages that read everyone (the digest, status cards, `people reach`).
 */
export function reachBook(people: readonly Versioned<Person>[]): (address: string) => Reach {
  const claims = new Map<string, Versioned<Person>[]>();
  for (const p of people) {
    for (const address of addressesOf(p.value)) {
      const list = claims.get(address);
      if (list) list.push(p);
      else claims.set(address, [p]);
    }
  }
  return (address) => {
    const list = claims.get(normaliseEmail(address)) ?? [];
    const match: AddressMatch =
      list.length === 0
        ? { kind: 'none' }
        : list.length === 1
          ? { kind: 'one', person: list[0]! }
          : { kind: 'ambiguous', people: list };
    return reachOfMatch(match, address);
  };
}

/** Why an address cannot be reached, or undefined when it can. */
export const unreachableWhy = (reach: Reach): string | undefined =>
  reach.kind === 'none' ? reach.reason : undefined;
