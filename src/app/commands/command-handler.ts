import type { Command } from '../../domain/command.js';
import type { ConversationScope } from '../../ports/card-renderer.js';
import type { BotDeps } from '../bot-deps.js';
import type { Actor, BotReply } from '../bot-reply.js';
import type { PlanSituation, Situation } from './situation.js';

/** Where a command was given and by whom: the same for a typed message and a pressed button. */
export interface CommandContext {
  readonly actor: Actor;
  readonly scope: ConversationScope;
  /** The plan the conversation (or the pressed card) is about; without it, the only plan stored. */
  readonly planId?: string;
  /** The conversation it came from, for `subscribe digest` in a channel or group chat. */
  readonly conversation?: {
    readonly id: string;
    /** Opaque conversation reference JSON owned by the Teams adapter. */
    readonly reference: string;
    readonly name?: string;
  };
}

/** One command being answered: what a handler is given besides the command itself. */
export interface CommandTurn {
  readonly deps: BotDeps;
  readonly context: CommandContext;
  /** Read once for the whole turn; `plan` is absent when none can be chosen. */
  readonly situation: Situation;
  /**
   * The situation with its plan, for commands about the plan. Throws the plain reason when no
   * plan can be chosen ("No plan has been imported yet…", "Which plan?…"), which is the answer.
   */
  planned(): PlanSituation;
}

/** The command of one kind, with its fields. */
export type CommandOf<K extends Command['kind']> = Extract<Command, { readonly kind: K }>;

/**
 * The answer to one kind of command (src/app/commands/*.command.ts, listed in registry.ts).
 * An ActionPlanError thrown here is answered with its plain message (a warning when it is
 * 'forbidden'); anything else is thrown on to the Teams edge, which logs it and apologises.
 */
export interface CommandHandler<K extends Command['kind']> {
  answer(command: CommandOf<K>, turn: CommandTurn): BotReply | Promise<BotReply>;
}
