import type { TurnContext } from 'botbuilder';
import { answerCommand, answerMessage } from '../app/answer-command.js';
import type { BotDeps } from '../app/bot-deps.js';
import type { ChannelPoster } from '../ports/channel-poster.js';
import type { Logger } from '../ports/logger.js';
import type { Person } from '../ports/people-repository.js';
import {
  channelNameOf,
  commandTextOf,
  mentionsBot,
  referenceJsonOf,
  scopeOf,
  sentFileOf,
} from './incoming.js';
import { senderOf } from './members.js';
import { rememberAndReport, type TeamsMember } from './people-updates.js';
import { replyActivity } from './replies.js';

export interface RouteContext {
  readonly deps: BotDeps;
  readonly logger: Logger;
  /** Proactive posts from a route (telling the plan admins of an account kept apart). */
  readonly poster?: ChannelPoster;
}

/**
 * Every message goes to `answerMessage`, the one place text is read as a command. In a group chat or channel the bot answers only when
 * @mentioned (it should not chime in on people talking to each other), and the mention is not
 * part of the command.
 *
 * A message carrying a file (a plan document sent in a personal chat) is the `importFile` command
 * whatever its text says.
 *
 * A personal message from someone the bot does not know as reachable also records their chat:
 * the install event can be missed (an install before this version, an outage), and their writing
 * to the bot shows it can write back.
 */
export function messageRoute(route: RouteContext) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const scope = scopeOf(activity);
    if (scope !== 'personal' && !mentionsBot(activity)) {
      route.logger.debug({ scope }, 'message not addressed to the bot');
      return;
    }
    const sender = await senderOf(context, route.deps.people, route.logger);
    if (scope === 'personal') {
      const known = sender.stored;
      const member: TeamsMember | undefined = known
        ? known.reachable && known.conversation
          ? undefined
          : memberOf(known)
        : sender.member;
      if (member) await rememberAndReport(route, member, referenceJsonOf(activity));
    }
    const asked = {
      actor: sender.actor,
      scope,
      ...(scope === 'personal'
        ? {}
        : {
            conversation: {
              id: activity.conversation.id,
              reference: referenceJsonOf(activity),
              ...(channelNameOf(activity) ? { name: channelNameOf(activity)! } : {}),
            },
          }),
    };
    // A file sent is an import, whatever text came with it: a file says more than words.
    const file = sentFileOf(activity);
    const reply = file
      ? await answerCommand(route.deps, {
          ...asked,
          command: { kind: 'importFile', fileName: file.name, downloadUrl: file.downloadUrl },
        })
      : await answerMessage(route.deps, { ...asked, text: commandTextOf(activity) });
    const message = replyActivity(reply);
    if (message) await context.sendActivity(message);
  };
}

const memberOf = (p: Person): TeamsMember => ({
  email: p.email,
  ...(p.upn ? { upn: p.upn } : {}),
  name: p.name,
  ...(p.aadObjectId ? { aadObjectId: p.aadObjectId } : {}),
  ...(p.tenantId ? { tenantId: p.tenantId } : {}),
  ...(p.teamsUserId ? { teamsUserId: p.teamsUserId } : {}),
});
