import { isActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import type { RenderCard } from '../ports/card-renderer.js';
import type { ChannelPoster } from '../ports/channel-poster.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import {
  addressesOf,
  identityOf,
  onePerson,
  type PeopleRepository,
  type Person,
} from '../ports/people-repository.js';

/**
 * What the Teams edge writes about people: who installed the bot and how to reach them, and who
 * can no longer be reached. No Bot Framework type appears here (the conversation reference is
 * already JSON, the poster a port), so these could move to src/app unchanged if another door ever
 * needs them.
 *
 * The rule they keep: an account (tenant and Entra object id) is who someone is. The first
 * account to claim an address holds it; a later account arriving with that address is stored as
 * its own person but kept apart — it gets no roles, no chat and no reminders of the holder — it
 * is logged by ids, and the plan admins are told. A person a plan named by email before they
 * installed (no account yet) is taken over by the account that arrives with that email.
 */

export interface PeopleDeps {
  readonly people: PeopleRepository;
  readonly clock: Clock;
}

/** Someone as Teams describes them (TeamsInfo.getMember, or the activity's sender). */
export interface TeamsMember {
  readonly aadObjectId?: string;
  /** Email, or the UPN when Teams gives no email; lower-cased here. */
  readonly email: string;
  /** The UPN when it differs from `email`, lower-cased. */
  readonly upn?: string;
  readonly name: string;
  readonly tenantId?: string;
  /** The "29:…" id. */
  readonly teamsUserId?: string;
}

/** What recording someone's personal chat came to. */
export type Remembered =
  | { readonly kind: 'stored'; readonly person: Person }
  /**
   * Stored as their own person, kept apart: another account holds their address. `first` is
   * true when this write is what kept them apart (tell the admins once, not on every message).
   */
  | {
      readonly kind: 'kept_apart';
      readonly person: Person;
      readonly heldBy: readonly Person[];
      readonly first: boolean;
    }
  /** Teams gave no object id: nobody can tell who they are, so nothing is stored. */
  | { readonly kind: 'not_stored' };

/** Someone else writing the same person at the same moment is rare; three tries is plenty. */
const ATTEMPTS = 3;

/** Who claims the addresses an account arrives with, apart from that account itself. */
export interface Claims {
  /** The account's own record, if stored (maybe from before its tenant was known). */
  readonly own?: Versioned<Person>;
  /** Other accounts holding one of the addresses: the newcomer is kept apart from them. */
  readonly holders: readonly Versioned<Person>[];
  /** People known only by email (named in a plan, never installed): the account takes them over. */
  readonly placeholders: readonly Versioned<Person>[];
}

/** Reads the account's own record and whoever its addresses lead to: point reads only. */
export async function claimsOf(people: PeopleRepository, member: TeamsMember): Promise<Claims> {
  const own = member.aadObjectId
    ? await people.getByAadObjectId(member.aadObjectId, member.tenantId)
    : undefined;
  const matches = await people.findManyByEmail(addressesOf(member));
  const self = new Set([identityOf(member), ...(own ? [identityOf(own.value)] : [])]);
  const others = new Map<string, Versioned<Person>>();
  for (const match of matches.values()) {
    const found =
      match.kind === 'one' ? [match.person] : match.kind === 'ambiguous' ? match.people : [];
    for (const p of found) {
      const id = identityOf(p.value);
      if (!self.has(id)) others.set(id, p);
    }
  }
  const all = [...others.values()];
  return {
    ...(own ? { own } : {}),
    holders: all.filter((p) => p.value.aadObjectId !== undefined),
    placeholders: all.filter((p) => p.value.aadObjectId === undefined),
  };
}

/** One try at storing an account against the claims read just before. */
interface Attempt {
  readonly claims: Claims;
  /** Kept apart: another account holds one of its addresses. */
  readonly keptApart: boolean;
  /** The people a plan named by email that this account takes over (none when kept apart). */
  readonly taken: readonly Versioned<Person>[];
  readonly now: string;
}

/**
 * The identity rule's write, for every door an account arrives by: reads who claims its
 * addresses, lets `build` say what to store, and stores it conditional on what was read (its
 * own record moved when its key changed, the people it takes over replaced, the address claimed
 * exclusively unless kept apart). Another writer in between is a conflict: read again and retry.
 */
async function storeAccount(
  deps: PeopleDeps,
  member: TeamsMember,
  build: (attempt: Attempt) => Person,
): Promise<{ readonly attempt: Attempt; readonly person: Person }> {
  for (let tries = 1; ; tries += 1) {
    const claims = await claimsOf(deps.people, member);
    const keptApart = claims.holders.length > 0;
    const attempt: Attempt = {
      claims,
      keptApart,
      taken: keptApart ? [] : claims.placeholders,
      now: deps.clock.now().toISOString(),
    };
    const person = withoutUndefined(build(attempt));
    const { own } = claims;
    // Their own record keyed differently (stored before its tenant was known) moves too.
    const sameKey = own !== undefined && identityOf(own.value) === identityOf(person);
    try {
      await deps.people.savePerson(person, sameKey ? own.version : null, {
        replaces: [...(own && !sameKey ? [own] : []), ...attempt.taken],
        // Claiming an address: if another account got there first meanwhile, read again.
        exclusive: !keptApart,
      });
      return { attempt, person };
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || tries >= ATTEMPTS) throw error;
    }
  }
}

const withoutUndefined = (person: Person): Person =>
  Object.fromEntries(
    Object.entries(person).filter(([, v]) => v !== undefined),
  ) as unknown as Person;

/**
 * Records that `member` installed the bot (or wrote to it) in their personal chat: their details
 * as Teams gives them now, the chat's conversation reference, and reachable again. What an admin
 * stored (the admin flag) is kept. Conditional on the versions read, re-read on a conflict.
 */
export async function rememberPersonalChat(
  deps: PeopleDeps,
  member: TeamsMember,
  conversationReference: string,
): Promise<Remembered> {
  if (!member.aadObjectId) return { kind: 'not_stored' };
  const { aadObjectId } = member;
  const email = normaliseEmail(member.email);
  const upn = member.upn ? normaliseEmail(member.upn) : undefined;
  let wasApart: string | undefined;
  const { attempt, person } = await storeAccount(
    deps,
    member,
    ({ claims, keptApart, taken, now }) => {
      // What was stored before: their own record first, else the placeholder they take over.
      const before: Partial<Person> = { ...taken[0]?.value, ...claims.own?.value };
      const { unreachableReason: _cleared, keptApart: apart, upn: _oldUpn, ...kept } = before;
      wasApart = apart;
      return {
        ...kept,
        aadObjectId,
        tenantId: member.tenantId,
        teamsUserId: member.teamsUserId,
        email,
        ...(upn && upn !== email ? { upn } : {}),
        name: member.name || before.name || email,
        conversation: conversationReference,
        reachable: true,
        ...(keptApart ? { keptApart: apart ?? now } : {}),
        updatedAt: now,
      };
    },
  );
  return attempt.keptApart
    ? {
        kind: 'kept_apart',
        person,
        heldBy: attempt.claims.holders.map((h) => h.value),
        first: wasApart === undefined,
      }
    : { kind: 'stored', person };
}

/**
 * Marks the account with this Entra object id as unreachable, saying why (they removed the app,
 * Teams refused a message). Resolves to false when the bot never knew them.
 */
export async function markUnreachable(
  deps: PeopleDeps,
  aadObjectId: string,
  reason: string,
  tenantId?: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.people.getByAadObjectId(aadObjectId, tenantId);
    if (!current) return false;
    try {
      await deps.people.savePerson(
        {
          ...current.value,
          reachable: false,
          unreachableReason: reason,
          updatedAt: deps.clock.now().toISOString(),
        },
        current.version,
      );
      return true;
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt >= ATTEMPTS) throw error;
    }
  }
}

/**
 * Records someone's personal chat (see rememberPersonalChat) and, when their account was kept
 * apart from another holding their address, logs it and tells the plan admins (reportKeptApart).
 */
export async function rememberAndReport(
  route: {
    readonly deps: Omit<KeptApartNoticeDeps, 'logger'>;
    readonly logger: Logger;
    readonly poster?: ChannelPoster;
  },
  member: TeamsMember,
  conversationReference: string,
): Promise<Remembered> {
  const remembered = await rememberPersonalChat(route.deps, member, conversationReference);
  if (remembered.kind === 'kept_apart') {
    await reportKeptApart({ ...route.deps, logger: route.logger }, route.poster, remembered);
  } else if (remembered.kind === 'not_stored') {
    route.logger.warn({}, 'Teams gave no Entra object id for this person: they were not stored');
  }
  return remembered;
}

export interface KeptApartNoticeDeps extends PeopleDeps {
  /** ADMIN_EMAILS: the plan admins, told as the champions are told of an owner Teams refuses. */
  readonly adminEmails: readonly string[];
  readonly renderCard: RenderCard;
  readonly logger: Logger;
}

/**
 * Logs an account kept apart (by ids: an email is personal data), and when it was just kept
 * apart, tells each plan admin who has a personal chat with a card saying who and why. Resolves
 * to how many admins were told. Sending is best effort: a refusal is logged, never thrown, so
 * the person who installed still gets their welcome.
 */
export async function reportKeptApart(
  deps: KeptApartNoticeDeps,
  poster: ChannelPoster | undefined,
  outcome: Extract<Remembered, { kind: 'kept_apart' }>,
): Promise<number> {
  const { person, heldBy } = outcome;
  deps.logger.warn(
    {
      aadObjectId: person.aadObjectId,
      tenantId: person.tenantId ?? null,
      heldBy: heldBy.map((h) => ({ aadObjectId: h.aadObjectId, tenantId: h.tenantId ?? null })),
      first: outcome.first,
    },
    'an account arrived with an address another account holds: kept apart, with no roles',
  );
  if (!outcome.first || !poster) return 0;
  const admins = await deps.people.findManyByEmail(deps.adminEmails);
  const card = deps.renderCard({
    kind: 'message',
    title: 'A Teams account was kept apart',
    text: `${person.name} opened Action Plan from a Teams account that is not the one I know for ${person.email}. I have kept the new account apart: it has no roles in the plan and gets nobody's reminders, and ${heldBy.map((h) => h.name).join(' and ')} keeps their chat, roles and reminders.`,
    details: [
      `New account: object id ${person.aadObjectId ?? 'unknown'}, tenant ${person.tenantId ?? 'unknown'}.`,
      ...heldBy.map(
        (h) =>
          `Account I know: ${h.name}, object id ${h.aadObjectId ?? 'unknown'}, tenant ${h.tenantId ?? 'unknown'}.`,
      ),
      'If the new account really is theirs (an account recreated in Entra ID, say), ask whoever runs the bot to remove the old person record; the new account takes the address the next time it opens the bot.',
    ],
    tone: 'warning',
  });
  let told = 0;
  for (const match of admins.values()) {
    const admin = onePerson(match)?.value;
    if (!admin?.conversation || !admin.reachable) continue;
    const result = await poster
      .post(admin.conversation, {
        card,
        summary: `A Teams account with the address ${person.email} was kept apart`,
      })
      .catch((error: unknown) => ({ outcome: 'failed' as const, error }));
    if (result.outcome === 'sent') told += 1;
    else {
      deps.logger.warn(
        { admin: admin.aadObjectId ?? null, outcome: result.outcome },
        'a plan admin could not be told of an account kept apart',
      );
    }
  }
  deps.logger.info({ told }, 'plan admins told of an account kept apart');
  return told;
}

/** What recording a member of a team's roster came to. */
export type RosterRemembered =
  | { readonly kind: 'stored'; readonly person: Person; readonly isNew: boolean }
  /** Another account holds their address: stored as their own person, kept apart, no roles. */
  | { readonly kind: 'kept_apart'; readonly person: Person; readonly heldBy: readonly Person[] };

/**
 * Records that `member` (with an object id) is in the roster of `teamId`: the bot can open a
 * 1:1 chat with them through it. By the same rule as a personal chat: their own record is
 * updated (a chat, roles and a refusal by Teams kept), a person a plan named by email is taken
 * over, and an account arriving with an address another account holds is stored apart (logged
 * by the caller; the plan admins are not sent a card per roster member).
 */
export async function rememberTeamMember(
  deps: PeopleDeps,
  member: TeamsMember & { readonly aadObjectId: string },
  teamId: string,
): Promise<RosterRemembered> {
  const email = normaliseEmail(member.email);
  const upn = member.upn ? normaliseEmail(member.upn) : undefined;
  const { attempt, person } = await storeAccount(
    deps,
    member,
    ({ claims, keptApart, taken, now }) => {
      const { own } = claims;
      // A person a plan named (never installed) was "not reachable"; their own record keeps what
      // Teams last said of them (a refusal stays until a chat or a message clears it).
      const base: Partial<Person> = own?.value ?? {};
      const named = taken[0]?.value;
      const { keptApart: wasApart, upn: _oldUpn, ...kept } = { ...named, ...base };
      return {
        ...kept,
        aadObjectId: member.aadObjectId,
        tenantId: member.tenantId,
        teamsUserId: member.teamsUserId,
        email,
        ...(upn && upn !== email ? { upn } : {}),
        name: member.name || kept.name || email,
        reachable: own ? own.value.reachable : true,
        ...(own?.value.unreachableReason ? {} : { unreachableReason: undefined }),
        teams: [...new Set([...(own?.value.teams ?? []), teamId])],
        ...(keptApart ? { keptApart: wasApart ?? now } : {}),
        updatedAt: now,
      };
    },
  );
  return attempt.keptApart
    ? { kind: 'kept_apart', person, heldBy: attempt.claims.holders.map((h) => h.value) }
    : { kind: 'stored', person, isNew: attempt.claims.own === undefined };
}

/**
 * Takes `teamId` off the teams that reach the account (they left the team, or the bot was
 * removed from it). Nobody is deleted: their record, chat and roles stay. Resolves to false when
 * the bot does not know them, or the team was not theirs.
 */
export async function leaveTeam(
  deps: PeopleDeps,
  account: { readonly aadObjectId: string; readonly tenantId?: string },
  teamId: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.people.getByAadObjectId(account.aadObjectId, account.tenantId);
    if (!current?.value.teams?.includes(teamId)) return false;
    const { teams, ...rest } = current.value;
    const left = teams.filter((t) => t !== teamId);
    try {
      await deps.people.savePerson(
        {
          ...rest,
          ...(left.length > 0 ? { teams: left } : {}),
          updatedAt: deps.clock.now().toISOString(),
        },
        current.version,
      );
      return true;
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt >= ATTEMPTS) throw error;
    }
  }
}
