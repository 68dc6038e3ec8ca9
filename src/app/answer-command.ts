import { parseCommand, type Command } from '../domain/command.js';
import { isActionPlanError } from '../domain/errors.js';
import type { ConversationScope } from '../ports/card-renderer.js';
import type { BotDeps } from './bot-deps.js';
import type { Actor, BotReply } from './bot-reply.js';
import type { CommandContext, CommandOf, CommandTurn } from './commands/command-handler.js';
import { COMMAND_HANDLERS } from './commands/registry.js';
import { notice } from './commands/replies.js';
import {
  areaNames,
  readSituation,
  type PlanSituation,
  type Situation,
} from './commands/situation.js';
import { welcomeCard } from './commands/welcome.command.js';

export type { CommandContext } from './commands/command-handler.js';

/** A chat message to answer: the text as Teams delivered it, and where it came from. */
export interface MessageInput extends CommandContext {
  /** Mentions and the bot's name are stripped here. */
  readonly text: string;
}

/** A command to answer, already data (a card button's), and where it came from. */
export interface CommandInput extends CommandContext {
  readonly command: Command;
}

/**
 * Answers one chat message: reads what was asked (parseCommand, against the plan's own area
 * names, so a stored area's name is never taken for a keyword) and answers it as `answerCommand`
 * does. The only place text becomes a command.
 */
export async function answerMessage(deps: BotDeps, input: MessageInput): Promise<BotReply> {
  const { text, ...context } = input;
  return answer(deps, context, (s) => parseCommand(text, { areas: areaNames(s) }));
}

/**
 * Answers one command: works out who is asking (their roles in the plan) and replies with a card
 * from the command's handler (src/app/commands, one file per command, listed in registry.ts).
 * Every command gets an answer: an unknown one a hint, a refused one a polite no (nothing
 * changes), an ActionPlanError its plain message. Storage outages and bugs are thrown, for the
 * Teams edge to log and apologise for.
 */
export async function answerCommand(deps: BotDeps, input: CommandInput): Promise<BotReply> {
  const { command, ...context } = input;
  return answer(deps, context, () => command);
}

/**
 * The welcome card, for someone who has just installed the bot (or says hello): who they are in
 * the plan ("You are the KIM Champion for HMPPS and own 3 actions.") and what to try first.
 */
export async function welcome(
  deps: BotDeps,
  actor: Actor,
  options: { readonly scope?: ConversationScope; readonly planId?: string } = {},
): Promise<BotReply> {
  const { situation } = await readSituation(deps, actor, options.planId);
  return welcomeCard(deps, situation, options.scope ?? 'personal');
}

async function answer(
  deps: BotDeps,
  context: CommandContext,
  commandIn: (situation: Situation) => Command,
): Promise<BotReply> {
  try {
    const { situation, planless } = await readSituation(deps, context.actor, context.planId);
    const command = commandIn(situation);
    const turn: CommandTurn = {
      deps,
      context,
      situation,
      planned: () => {
        if (situation.plan) return situation as PlanSituation;
        throw planless;
      },
    };
    return await handle(command, turn);
  } catch (e) {
    if (isActionPlanError(e) && e.reason !== 'storage_unavailable') {
      return notice(deps, {
        text: e.message,
        ...(e.details.length > 0 ? { details: e.details } : {}),
        tone: e.reason === 'forbidden' ? 'warning' : 'info',
      });
    }
    throw e;
  }
}

/** The registered handler of the command's kind. */
function handle<K extends Command['kind']>(
  command: CommandOf<K>,
  turn: CommandTurn,
): BotReply | Promise<BotReply> {
  return (COMMAND_HANDLERS[command.kind as K] as (typeof COMMAND_HANDLERS)[K]).answer(
    command,
    turn,
  );
}
