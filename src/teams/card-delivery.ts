import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { CardDelivery } from '../ports/card-delivery.js';
import type { RenderedCard } from '../ports/card-renderer.js';

/**
 * Cards put into Teams outside the turn that caused them, through the adapter that answers the
 * bot's requests: a new message in a stored conversation (`POST …/activities`), or an earlier
 * message of the bot's replaced in place (`PUT …/activities/{id}`), which also makes Teams
 * clients showing it fetch the card's refresh. Errors are thrown as the SDK raised them; the
 * card answers log them and carry on.
 */
export function createCardDelivery(adapter: CloudAdapter, appId: string | undefined): CardDelivery {
  const inConversation = (
    referenceJson: string,
    logic: Parameters<CloudAdapter['continueConversationAsync']>[2],
  ) =>
    adapter.continueConversationAsync(
      appId ?? '',
      JSON.parse(referenceJson) as Partial<ConversationReference>,
      logic,
    );
  return {
    async send(conversation: string, card: RenderedCard): Promise<string> {
      let activityId = '';
      await inConversation(conversation, async (context) => {
        // A new message, not a reply: the SDK would make it answer the continuation event's
        // made-up id (a thread that does not exist).
        context.onSendActivities(async (_context, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        const sent = await context.sendActivity({
          type: 'message',
          attachments: [CardFactory.adaptiveCard(card)],
        });
        activityId = sent?.id ?? '';
      });
      return activityId;
    },
    async update(conversation: string, activityId: string, card: RenderedCard): Promise<void> {
      await inConversation(conversation, async (context) => {
        await context.updateActivity({
          type: 'message',
          id: activityId,
          attachments: [CardFactory.adaptiveCard(card)],
        });
      });
    },
  };
}
