import { formatDate } from '../../domain/calendar.js';

/**
 * What Teams' refusal codes mean, in words the KIM team can act on (the status cards, the digest
 * and `people reach` show them). Teams answers 403 when the person blocked the bot, when the app
 * is not allowed for them, or when it is not installed where it was; 404 when the chat is gone.
 */
const MEANINGS: Readonly<Record<string, string>> = {
  ConversationBlockedByUser: 'they have blocked the bot',
  BotDisabledByAdmin: 'a Teams administrator has not allowed the app for them',
  BotNotInConversationRoster: 'the app is no longer installed for them',
  MessageWritesBlocked: 'Teams does not let the bot write to them',
  ConversationNotFound: 'their chat with the bot no longer exists',
  Forbidden: 'Teams did not allow it',
};

/** "Teams refused a message to them on 22 March 2017: they have blocked the bot (403 …)." */
export function refusalReason(status: number | undefined, code: string, today: string): string {
  const meaning = MEANINGS[code];
  const answer = `${status ?? ''} ${code}`.trim();
  return meaning
    ? `Teams refused a message to them on ${formatDate(today)}: ${meaning} (${answer}).`
    : `Teams refused a message to them on ${formatDate(today)} (${answer}).`;
}
