import { normaliseEmail } from '../domain/plan.js';
import type { Logger } from '../ports/logger.js';
import {
  identityOf,
  rosterEntryOf,
  sameRosterEntry,
  type Person,
  type RosterEntry,
} from '../ports/people-repository.js';
import {
  leaveTeam,
  rememberTeamMember,
  type PeopleDeps,
  type TeamsMember,
} from './people-updates.js';

/**
 * Keeping a team's roster (or a group chat's) in step with what Teams lists: every member with
 * an Entra account and an address is stored as a person the bot can open a chat with through
 * that team; members who left lose that path (nobody is deleted). No Bot Framework type appears
 * here: the pages come from team-members.ts (a turn) or roster-reader.ts (the daily re-sync).
 */

/** One page of a roster as Teams gave it. */
export interface RosterPage {
  /** Members with an object id and an email or UPN. */
  readonly members: readonly (TeamsMember & { readonly aadObjectId: string })[];
  /** Members left out: no email or UPN (guests without mail, bots), or no object id. */
  readonly skipped: number;
}

/** What one sync did. */
export interface RosterReport {
  readonly teamId: string;
  /** Members Teams listed, skipped ones included. */
  listed: number;
  /** Stored for the first time through this team (new people, or known people newly in it). */
  added: number;
  /** Already on the roster, saved again because Teams describes them differently now. */
  updated: number;
  unchanged: number;
  /** No longer listed: this team no longer reaches them. Only after a complete read. */
  removed: number;
  /** Stored apart: another account holds their address. */
  keptApart: number;
  /** No email or UPN, or no object id: cannot be matched to a plan, not stored. */
  skipped: number;
  /** Listed more than once by Teams: counted once. */
  duplicates: number;
}

export interface RosterSyncDeps extends PeopleDeps {
  readonly logger: Logger;
}

/** Members saved one at a time at once (those the batch write gave back). */
const ONE_AT_A_TIME_CONCURRENCY = 8;

/**
 * Reads the roster page by page (the next page is fetched while this one is stored) and stores
 * it: members new to the bot many to a transaction (`addNewPeople`), anyone already known, or
 * whose address someone holds, one at a time by the identity rules (`rememberTeamMember`). The
 * stored roster is read once before the first page, to skip members Teams still describes the
 * same way and to find those who left. A page that cannot be read ends the sync with an error:
 * what was stored stays, and nobody is taken off the roster on a partial read.
 */
export async function syncRoster(
  deps: RosterSyncDeps,
  teamId: string,
  pages: AsyncIterable<RosterPage>,
): Promise<RosterReport> {
  const report: RosterReport = {
    teamId,
    listed: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    keptApart: 0,
    skipped: 0,
    duplicates: 0,
  };
  // The stored roster, by identity: whatever is still here at the end has left the team.
  const stored = new Map<string, RosterEntry>();
  for (const entry of await deps.people.listRoster(teamId)) {
    stored.set(identityOf({ ...entry, email: entry.email }), entry);
  }
  const seen = new Set<string>();
  const now = () => deps.clock.now().toISOString();

  for await (const page of prefetched(pages)) {
    report.listed += page.members.length + page.skipped;
    report.skipped += page.skipped;
    const fresh: { person: Person; member: TeamsMember & { aadObjectId: string } }[] = [];
    const known: (TeamsMember & { aadObjectId: string })[] = [];
    for (const member of page.members) {
      const id = identityOf(member);
      if (seen.has(id)) {
        report.duplicates++;
        continue;
      }
      seen.add(id);
      const person = newMember(member, teamId, now());
      const before = stored.get(id);
      stored.delete(id);
      if (before) {
        if (sameRosterEntry(before, rosterEntryOf(person, teamId)!)) report.unchanged++;
        else known.push(member);
      } else {
        fresh.push({ person, member });
      }
    }
    const givenBack = new Set(await deps.people.addNewPeople(fresh.map((f) => f.person)));
    report.added += fresh.length - givenBack.size;
    const oneByOne = [
      ...known.map((m) => ({ member: m, wasOnRoster: true })),
      ...fresh
        .filter((f) => givenBack.has(f.person))
        .map((f) => ({ member: f.member, wasOnRoster: false })),
    ];
    await eachAtOnce(oneByOne, ONE_AT_A_TIME_CONCURRENCY, async ({ member, wasOnRoster }) => {
      const outcome = await rememberTeamMember(deps, member, teamId);
      if (outcome.kind === 'kept_apart') {
        report.keptApart++;
        deps.logger.warn(
          {
            teamId,
            aadObjectId: outcome.person.aadObjectId,
            tenantId: outcome.person.tenantId ?? null,
            heldBy: outcome.heldBy.map((h) => ({
              aadObjectId: h.aadObjectId ?? null,
              tenantId: h.tenantId ?? null,
            })),
          },
          'a team member has an address another account holds: kept apart, with no roles',
        );
      } else if (wasOnRoster) report.updated++;
      else report.added++;
    });
  }

  // Read to the end: whoever was stored and is no longer listed left the team.
  await eachAtOnce([...stored.values()], ONE_AT_A_TIME_CONCURRENCY, async (entry) => {
    if (await leaveTeam(deps, entry, teamId)) report.removed++;
  });
  deps.logger.info({ ...report }, 'team roster synced');
  return report;
}

/**
 * The bot was removed from the team (or the group chat): nobody is reached through it any more.
 * Their records, chats and roles stay. Resolves to how many lost the path.
 */
export async function forgetRoster(deps: RosterSyncDeps, teamId: string): Promise<number> {
  let removed = 0;
  await eachAtOnce(await deps.people.listRoster(teamId), ONE_AT_A_TIME_CONCURRENCY, async (e) => {
    if (await leaveTeam(deps, e, teamId)) removed++;
  });
  deps.logger.info({ teamId, removed }, 'the bot left a team: its roster no longer reaches anyone');
  return removed;
}

/** A member as a new person reached through `teamId` (no chat yet, reachable through it). */
function newMember(
  member: TeamsMember & { aadObjectId: string },
  teamId: string,
  at: string,
): Person {
  const email = normaliseEmail(member.email);
  const upn = member.upn ? normaliseEmail(member.upn) : undefined;
  return {
    aadObjectId: member.aadObjectId,
    ...(member.tenantId ? { tenantId: member.tenantId.toLowerCase() } : {}),
    ...(member.teamsUserId ? { teamsUserId: member.teamsUserId } : {}),
    email,
    ...(upn && upn !== email ? { upn } : {}),
    name: member.name || email,
    reachable: true,
    teams: [teamId],
    updatedAt: at,
  };
}

/** The pages of `source`, each next one already asked for while the caller works on this one. */
async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = iterator.next();
    // A failure of the page fetched ahead is met when it is reached, not as an unhandled one.
    next.catch(() => undefined);
    yield current.value;
  }
}

async function eachAtOnce<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
