import { z } from 'zod';
import { anyText, instant, record, someText } from '../domain/record-fields.js';
import { conversationKind } from './conversation-kind.js';

/**
 * A channel (or group chat) subscribed to a plan's weekly digest. Kept in a record of its own
 * rather than on the InstalledConversation: a subscription belongs to one plan, is made and
 * removed by a command (not by installing the bot), says who made it and when (a digest slot
 * before `subscribedAt` is never sent late), and must survive the install events rewriting the
 * conversation's record.
 */
export const digestSubscriptionRecord = record({
  planId: someText,
  conversationId: someText,
  /** Opaque conversation reference JSON owned by the Teams adapter: where the digest goes. */
  reference: anyText,
  kind: conversationKind,
  name: anyText.optional(),
  /** Lower-cased email of who subscribed. */
  subscribedBy: anyText,
  /** ISO instant. */
  subscribedAt: instant,
});
export type DigestSubscription = z.infer<typeof digestSubscriptionRecord>;

export interface DigestSubscriptionRepository {
  /** Creates or replaces the conversation's subscription to the plan. */
  save(subscription: DigestSubscription): Promise<void>;
  /** Removes it; true when there was one. */
  remove(planId: string, conversationId: string): Promise<boolean>;
  get(planId: string, conversationId: string): Promise<DigestSubscription | undefined>;
  /** Every subscription, of every plan. */
  list(): Promise<DigestSubscription[]>;
}
