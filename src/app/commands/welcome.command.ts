import { roleSummary } from '../../domain/permissions.js';
import type { ConversationScope } from '../../ports/card-renderer.js';
import type { BotDeps } from '../bot-deps.js';
import type { BotReply } from '../bot-reply.js';
import type { CommandHandler } from './command-handler.js';
import { reply } from './replies.js';
import type { Situation } from './situation.js';

/**
 * The welcome card: who the person is in the plan ("You are the KIM Champion for HMPPS and own 3
 * actions.") and what to try first. Said to someone who has just installed the bot, and to a
 * greeting ("hello"). Answers before any plan is imported too, saying so.
 */
export const welcomeCommand: CommandHandler<'welcome'> = {
  answer: (_command, turn) => welcomeCard(turn.deps, turn.situation, turn.context.scope),
};

export function welcomeCard(deps: BotDeps, s: Situation, scope: ConversationScope): BotReply {
  return reply(deps, {
    kind: 'welcome',
    scope,
    ...(s.name ? { name: s.name } : {}),
    ...(s.plan ? { plan: s.plan } : {}),
    roleSummary: roleSummary(s.roles),
    isAdmin: s.roles.admin,
  });
}
