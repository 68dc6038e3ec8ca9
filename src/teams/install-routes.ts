import type { TurnContext } from 'botbuilder';
import { welcome } from '../app/answer-command.js';
import type { InstalledConversation } from '../ports/people-repository.js';
import {
  channelNameOf,
  referenceJsonOf,
  scopeOf,
  teamOf,
  tenantOf,
  type ConversationScope,
} from './incoming.js';
import { lookUpMember, teamsMemberOf } from './members.js';
import type { RouteContext } from './message-route.js';
import {
  leaveTeam,
  markUnreachable,
  rememberAndReport,
  rememberTeamMember,
} from './people-updates.js';
import { replyActivity } from './replies.js';
import { forgetRoster, syncRoster } from './roster-sync.js';
import { rosterIdOf, rosterPages, teamMember } from './team-members.js';

/** Why a person stopped being reachable when they removed the app themselves. */
export const UNINSTALLED_REASON = 'They removed the app from their personal chat in Teams.';

/**
 * The bot was added somewhere (conversationUpdate with membersAdded).
 *
 * Personal chat: Teams sends this when the user installs the app. The bot asks Teams who they are
 * (their email is how plans name them), keeps the chat's reference so reminders can reach them,
 * and says welcome. Group chat or team: the bot's own arrival keeps the conversation (for
 * digests), says a short hello on how to talk to it there, and reads the team's roster, so every
 * member can be reminded without installing anything; someone joining later is added to it.
 */
export function membersAddedRoute(route: RouteContext) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const scope = scopeOf(activity);
    if (scope === 'personal') {
      const account = await lookUpMember(context, route.logger);
      const member = teamsMemberOf(context, account);
      const remembered = member
        ? await rememberAndReport(route, member, referenceJsonOf(activity))
        : undefined;
      if (!member) {
        route.logger.warn(
          {},
          'installed by someone Teams gave no email for: they cannot be matched to actions',
        );
      }
      const name = member?.name ?? activity.from?.name;
      const aadObjectId = member?.aadObjectId ?? activity.from?.aadObjectId;
      const keptApart = remembered?.kind === 'kept_apart';
      const tenantId = member?.tenantId ?? tenantOf(activity);
      const reply = await welcome(route.deps, {
        ...(aadObjectId ? { aadObjectId } : {}),
        ...(member && !keptApart ? { email: member.email } : {}),
        ...(name ? { name } : {}),
        ...(tenantId ? { tenantId } : {}),
        ...(keptApart ? { keptApart: true } : {}),
      });
      const message = replyActivity(reply);
      if (message) await context.sendActivity(message);
      return;
    }

    const botId = activity.recipient?.id;
    const rosterId = rosterIdOf(context);
    const deps = { ...route.deps, logger: route.logger };
    if (!activity.membersAdded?.some((m) => m.id === botId)) {
      for (const added of activity.membersAdded ?? []) {
        const member = await teamMember(context, added.id, route.logger);
        if (member) await rememberTeamMember(deps, member, rosterId);
      }
      return;
    }
    await route.deps.people.saveConversation(installedConversation(context, scope, route));
    await context.sendActivity({ type: 'message', text: helloText(activity.recipient?.name) });
    await syncRoster(deps, rosterId, rosterPages(context));
  };
}

/**
 * Someone or something left (conversationUpdate with membersRemoved). In a personal chat that is
 * the app being removed: the person is marked unreachable, so the digest lists them and reminders
 * stop trying. Elsewhere only the bot's own removal matters: the conversation is forgotten.
 */
export function membersRemovedRoute(route: RouteContext) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const scope = scopeOf(activity);
    if (scope === 'personal') return forgetPersonalChat(context, route);
    const botId = activity.recipient?.id;
    if (!activity.membersRemoved?.some((m) => m.id === botId)) {
      return forgetMembers(context, route, activity.membersRemoved ?? []);
    }
    await forgetConversation(context, route);
  };
}

/** Members who left a team or group chat: it no longer reaches them. */
async function forgetMembers(
  context: TurnContext,
  route: RouteContext,
  removed: readonly { readonly id: string; readonly aadObjectId?: string }[],
): Promise<void> {
  const rosterId = rosterIdOf(context);
  const tenantId = tenantOf(context.activity);
  const withoutObjectId = removed.filter((m) => !m.aadObjectId);
  // Teams names a member who left by their Teams id, and usually their object id too.
  const roster = withoutObjectId.length > 0 ? await route.deps.people.listRoster(rosterId) : [];
  for (const m of removed) {
    const entry = m.aadObjectId
      ? { aadObjectId: m.aadObjectId, ...(tenantId ? { tenantId } : {}) }
      : roster.find((e) => e.teamsUserId === m.id);
    if (entry) await leaveTeam(route.deps, entry, rosterId);
  }
}

/** The bot left a group chat or team: the conversation is forgotten, and nobody is reached through it. */
async function forgetConversation(context: TurnContext, route: RouteContext): Promise<void> {
  const conversationId = context.activity.conversation?.id;
  if (conversationId) await route.deps.people.removeConversation(conversationId);
  await forgetRoster({ ...route.deps, logger: route.logger }, rosterIdOf(context));
}

/**
 * installationUpdate: Teams sends it alongside the conversationUpdate above. An install is
 * handled there (handling both would welcome twice); a removal is handled by both, harmlessly,
 * because either may arrive alone.
 */
export function installationUpdateRoute(route: RouteContext) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    if (!activity.action?.startsWith('remove')) return;
    if (scopeOf(activity) === 'personal') return forgetPersonalChat(context, route);
    await forgetConversation(context, route);
  };
}

async function forgetPersonalChat(context: TurnContext, route: RouteContext): Promise<void> {
  const aadObjectId = context.activity.from?.aadObjectId;
  const marked = aadObjectId
    ? await markUnreachable(route.deps, aadObjectId, UNINSTALLED_REASON, tenantOf(context.activity))
    : false;
  route.logger.info({ known: marked }, 'the app was removed from a personal chat');
}

function installedConversation(
  context: TurnContext,
  scope: Exclude<ConversationScope, 'personal'>,
  route: RouteContext,
): InstalledConversation {
  const activity = context.activity;
  const team = teamOf(activity);
  const name =
    activity.conversation?.name ??
    channelNameOf(activity) ??
    (scope === 'channel' ? team.name : undefined);
  const tenantId = tenantOf(activity);
  return {
    conversationId: activity.conversation.id,
    kind: scope,
    ...(name ? { name } : {}),
    ...(team.id ? { teamId: team.id } : {}),
    ...(team.id && team.name ? { teamName: team.name } : {}),
    ...(tenantId ? { tenantId } : {}),
    reference: referenceJsonOf(activity),
    installedAt: route.deps.clock.now().toISOString(),
  };
}

/** The hello posted where the bot was added: how to talk to it there, in two sentences. */
export function helloText(botName = 'Action Plan'): string {
  return `Hello, I'm ${botName}. I keep the action plan moving: mention me with a command, for example "@${botName} status" or "@${botName} overdue", and I'll answer here; "@${botName} help" lists everything I can do.`;
}
