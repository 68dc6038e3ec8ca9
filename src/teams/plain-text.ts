import type { TurnContext } from 'botbuilder';
import { escapeCardText } from '../cards/escape.js';

/**
 * Plain (non-card) replies are Markdown to Teams, like the text on a card, and some echo what
 * was sent: a ref or value from a card's data in "…is not an action ref", an error's message. They
 * get the same escaping as card text (src/cards/escape.ts), so no link, image or `<at>` mention
 * can be made to appear in the bot's voice. The bot's own plain replies use only bold, which the
 * escaping leaves alone.
 */
export const plainText = (text: string): string => escapeCardText(text);

/** Escapes the text of every message this turn sends, whichever route sends it. */
export function escapePlainReplies(context: TurnContext): void {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) {
      if (activity.type === 'message' && typeof activity.text === 'string') {
        activity.text = plainText(activity.text);
      }
    }
    return next();
  });
}
