import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Actor } from '../app/bot-reply.js';
import { normaliseEmail } from '../domain/plan.js';
import type { Logger } from '../ports/logger.js';
import type { PeopleRepository, Person } from '../ports/people-repository.js';
import { tenantOf } from './incoming.js';
import type { TeamsMember } from './people-updates.js';

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
  const email = account?.email || account?.userPrincipalName;
  if (!email) return undefined;
  const from = context.activity.from;
  const aadObjectId = account?.aadObjectId || from?.aadObjectId;
  const tenantId = account?.tenantId || tenantOf(context.activity);
  const teamsUserId = account?.id || from?.id;
  return {
    email: normaliseEmail(email),
    name: account?.name || from?.name || normaliseEmail(email),
    ...(aadObjectId ? { aadObjectId } : {}),
    ...(tenantId ? { tenantId } : {}),
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
 * Teams; anyone else is looked up.
 */
export async function senderOf(
  context: TurnContext,
  people: PeopleRepository,
  logger: Logger,
): Promise<Sender> {
  const from = context.activity.from;
  const aadObjectId = from?.aadObjectId;
  const stored = aadObjectId ? (await people.getByAadObjectId(aadObjectId))?.value : undefined;
  if (stored) {
    return {
      actor: { aadObjectId: aadObjectId!, email: stored.email, name: stored.name },
      stored,
    };
  }
  const member = teamsMemberOf(context, await lookUpMember(context, logger));
  const name = from?.name || member?.name;
  const id = aadObjectId || member?.aadObjectId;
  return {
    actor: {
      ...(id ? { aadObjectId: id } : {}),
      ...(member ? { email: member.email } : {}),
      ...(name ? { name } : {}),
    },
    ...(member ? { member } : {}),
  };
}
