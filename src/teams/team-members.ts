import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import { normaliseEmail } from '../domain/plan.js';
import type { Logger } from '../ports/logger.js';
import { teamOf, tenantOf } from './incoming.js';
import type { TeamsMember } from './people-updates.js';
import type { RosterPage } from './roster-sync.js';

/** Teams' largest page of members. */
export const ROSTER_PAGE_SIZE = 500;

/**
 * The roster id of a conversation the bot is in: the team's id in a team's channel (one roster
 * for all its channels), else the conversation's own id (a group chat).
 */
export const rosterIdOf = (context: TurnContext): string =>
  teamOf(context.activity).id ?? context.activity.conversation.id;

/**
 * The members of the team (or group chat) of this turn, page by page, following Teams'
 * continuation token (`teamId`: the team's, when the turn's activity does not say, as in a
 * continued conversation). The Bot Framework SDK tries a page again by itself (a 429 after its
 * Retry-After, a 5xx with exponential backoff, three times); a page that still fails throws, and
 * the sync keeps what it stored.
 */
export async function* rosterPages(
  context: TurnContext,
  teamId = teamOf(context.activity).id,
): AsyncGenerator<RosterPage> {
  const tenant = tenantOf(context.activity);
  let token: string | undefined;
  do {
    const page = teamId
      ? await TeamsInfo.getPagedTeamMembers(context, teamId, ROSTER_PAGE_SIZE, token)
      : await TeamsInfo.getPagedMembers(context, ROSTER_PAGE_SIZE, token);
    const members: RosterPage['members'][number][] = [];
    let skipped = 0;
    for (const account of page.members ?? []) {
      const member = rosterMemberOf(account, tenant);
      if (member) members.push(member);
      else skipped++;
    }
    yield { members, skipped };
    token = page.continuationToken || undefined;
  } while (token);
}

/** A roster member as the people table wants them; undefined without an object id or address. */
export function rosterMemberOf(
  account: TeamsChannelAccount,
  conversationTenant: string | undefined,
): (TeamsMember & { aadObjectId: string }) | undefined {
  const mail = account.email ? normaliseEmail(account.email) : undefined;
  const upn = account.userPrincipalName ? normaliseEmail(account.userPrincipalName) : undefined;
  const email = mail || upn;
  if (!email || !account.aadObjectId) return undefined;
  const tenantId = account.tenantId || conversationTenant;
  return {
    aadObjectId: account.aadObjectId,
    email,
    ...(upn && upn !== email ? { upn } : {}),
    name: account.name || email,
    ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}),
    ...(account.id ? { teamsUserId: account.id } : {}),
  };
}

/** One member by their Teams id (a member added to a team), or undefined when Teams will not say. */
export async function teamMember(
  context: TurnContext,
  userId: string,
  logger: Logger,
): Promise<(TeamsMember & { aadObjectId: string }) | undefined> {
  try {
    return rosterMemberOf(await TeamsInfo.getMember(context, userId), tenantOf(context.activity));
  } catch (error) {
    logger.warn(
      { reason: error instanceof Error ? error.message : error },
      'Teams did not say who joined the team',
    );
    return undefined;
  }
}
