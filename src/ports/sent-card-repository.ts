import { z } from 'zod';
import { anyText, instant, record, someText } from '../domain/record-fields.js';

/**
 * A card the bot posted about one action (a reminder, an escalation to a champion, an answer to
 * "action 4.9a"), kept so that when the action changes every copy can be updated in place.
 */
export const sentCardRecord = record({
  planId: someText,
  ref: someText,
  /** The Teams activity id of the message that holds the card. */
  activityId: someText,
  /** Opaque conversation reference JSON owned by the Teams adapter. */
  conversation: anyText,
  /** What the card was sent as: 'reminder', 'escalation', 'answer'… */
  kind: anyText,
  /** Email of the person it went to (or the channel's name for channel posts). */
  recipient: anyText,
  /** ISO instant. */
  sentAt: instant,
});
export type SentCard = z.infer<typeof sentCardRecord>;

/** Records the cards sent about each action; written by whoever sends, read by whoever updates. */
export interface SentCardRepository {
  /** Idempotent: recording the same activity id twice keeps one record. */
  record(card: SentCard): Promise<void>;
  /** Every recorded copy for the action, oldest first. */
  listForAction(planId: string, ref: string): Promise<SentCard[]>;
  /** Every recorded card of every plan, oldest first: for backups. */
  listAll(): Promise<SentCard[]>;
  /** Forgets one recorded card (a forced restore clears storage first); an unknown one is no error. */
  remove(card: Pick<SentCard, 'planId' | 'ref' | 'activityId'>): Promise<void>;
}
