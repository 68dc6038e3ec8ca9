import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ChannelMessage, ChannelPoster } from '../ports/channel-poster.js';
import type { ProactiveDelivery } from '../ports/proactive-notifier.js';

/** Teams' answers that mean "not now": worth another try at the next sweep. */
const RETRY_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);

/**
 * Posts a card to a channel or group chat the bot is in, proactively
 * (`continueConversationAsync` with the stored conversation reference). The card carries its own
 * @mentions (`msteams.entities`). Teams' refusals are sorted as for a person: 403 and 404 mean
 * the bot was removed (stop), 429, 412 and 5xx mean try later.
 */
export function createChannelPoster(
  adapter: CloudAdapter,
  appId: string | undefined,
): ChannelPoster {
  return {
    async post(referenceJson: string, message: ChannelMessage): Promise<ProactiveDelivery> {
      const reference = JSON.parse(referenceJson) as Partial<ConversationReference>;
      let activityId = '';
      try {
        await adapter.continueConversationAsync(appId ?? '', reference, async (context) => {
          // A new post, not a reply: the SDK would make the message answer the continuation
          // event's made-up id (a reply in a thread that does not exist).
          context.onSendActivities(async (_ctx, activities, next) => {
            for (const a of activities) delete a.replyToId;
            return next();
          });
          const sent = await context.sendActivity({
            type: 'message',
            summary: message.summary,
            attachments: [CardFactory.adaptiveCard(message.card)],
          });
          activityId = sent?.id ?? '';
        });
        return {
          outcome: 'sent',
          activityId,
          conversation: referenceJson,
          createdConversation: false,
          attempts: 1,
          throttled: 0,
        };
      } catch (error) {
        const status = (error as { statusCode?: unknown }).statusCode;
        const code =
          (error as { code?: unknown }).code !== undefined
            ? String((error as { code?: unknown }).code)
            : typeof status === 'number'
              ? `Http${status}`
              : 'NetworkError';
        const counts = { attempts: 1, throttled: status === 429 ? 1 : 0 };
        if (typeof status !== 'number' || RETRY_STATUSES.has(status)) {
          return {
            ...counts,
            outcome: 'retry',
            code,
            ...(typeof status === 'number' ? { status } : {}),
          };
        }
        if (status === 403 || status === 404)
          return { ...counts, outcome: 'unreachable', code, status };
        return {
          ...counts,
          outcome: 'failed',
          code,
          status,
          message: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}
