import type { CommandHandler } from './command-handler.js';
import { notice, shorten } from './replies.js';

/** A message the bot cannot place: a short hint of what it can do, never silence. */
export const unknownCommand: CommandHandler<'unknown'> = {
  answer: (command, { deps }) =>
    notice(deps, {
      text: `Sorry, I didn't understand “${shorten(command.text, 60)}”. Try **status**, **my actions**, **overdue**, **plan**, **action 1.1** or **help**.`,
    }),
};
