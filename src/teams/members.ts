import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Actor } from '../app/bot-reply.js';
import { normaliseEmail } from '../domain/plan.js';
import type { Logger } from '../ports/logger.js';
import { matchableEmail, type PeopleRepository, type Person } from '../ports/people-repository.js';
import { tenantOf } from './incoming.js';
import { claimsOf, type TeamsMember } from './people-updates.js';

/**
 * Who sent an activity. Teams puts only ids and a display name on an activity; the email (how
 * plans name owners) comes from the connector's member look-up, or from the people table once
 * the person is known.
 */

/**
 * Asks Teams about one member of the conversation. Undefined when Teams will not say (a guest,
 * the member left, a client without the look-up): the caller carries on without an email.
 */
export async function lookUpMember(
  context: TurnContext,
  logger: Logger,
): Promise<TeamsChannelAccount | undefined> {
  const userId = context.activity.from?.id;
  if (!userId) return undefined;
  try {
    return await TeamsInfo.getMember(context, userId);
  } catch (error) {
    logger.warn(
      { reason: error instanceof Error ? error.message : error },
      'Teams did not say who sent this activity',
    );
    return undefined;
  }
}

/** The member as the people table wants them, or undefined without an email or UPN. */
export function teamsMemberOf(
  context: TurnContext,
  account: TeamsChannelAccount | undefined,
): TeamsMember | undefined {
  const mail = account?.email ? normaliseEmail(account.email) : undefined;
  const upn = account?.userPrincipalName ? normaliseEmail(account.userPrincipalName) : undefined;
  const email = mail || upn;
  if (!email) return undefined;
  const from = context.activity.from;
  const aadObjectId = account?.aadObjectId || from?.aadObjectId;
  // The account's own tenant (a guest's or a shared channel's member may differ from the chat's).
  const tenantId = account?.tenantId || tenantOf(context.activity);
  const teamsUserId = account?.id || from?.id;
  return {
    email,
    ...(upn && upn !== email ? { upn } : {}),
    name: account?.name || from?.name || email,
    ...(aadObjectId ? { aadObjectId } : {}),
    ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}),
    ...(teamsUserId ? { teamsUserId } : {}),
  };
}

export interface Sender {
  readonly actor: Actor;
  /** The stored person, when the bot knows them. */
  readonly stored?: Person;
  /** What Teams said about them, when it was asked (the person was not stored). */
  readonly member?: TeamsMember;
}

/**
 * The sender of an activity as the use cases see them. A stored person answers without a call to
 * Teams; anyone else is looked up. Their email counts for roles only when it is theirs: not for
 * an account kept apart, nor for one not stored yet whose address another account holds.
 */
export async function senderOf(
  context: TurnContext,
  people: PeopleRepository,
  logger: Logger,
): Promise<Sender> {
  const from = context.activity.from;
  const aadObjectId = from?.aadObjectId;
  const chatTenant = tenantOf(context.activity);
  const stored = aadObjectId
    ? (await people.getByAadObjectId(aadObjectId, chatTenant))?.value
    : undefined;
  if (stored) return { actor: actorOf(stored, aadObjectId!), stored };
  const member = teamsMemberOf(context, await lookUpMember(context, logger));
  const home = member?.tenantId;
  const storedAtHome =
    aadObjectId && home && home !== chatTenant?.toLowerCase()
      ? (await people.getByAadObjectId(aadObjectId, home))?.value
      : undefined;
  if (storedAtHome) return { actor: actorOf(storedAtHome, aadObjectId!), stored: storedAtHome };
  const name = from?.name || member?.name;
  const id = aadObjectId || member?.aadObjectId;
  const heldElsewhere = member !== undefined && (await claimsOf(people, member)).holders.length > 0;
  const tenantId = home ?? chatTenant;
  return {
    actor: {
      ...(id ? { aadObjectId: id } : {}),
      ...(member && !heldElsewhere ? { email: member.email } : {}),
      ...(name ? { name } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...(heldElsewhere ? { keptApart: true } : {}),
    },
    ...(member ? { member } : {}),
  };
}

function actorOf(stored: Person, aadObjectId: string): Actor {
  const email = matchableEmail(stored);
  return {
    aadObjectId,
    ...(email ? { email } : {}),
    name: stored.name,
    ...(stored.tenantId ? { tenantId: stored.tenantId } : {}),
    ...(stored.keptApart ? { keptApart: true } : {}),
  };
}
