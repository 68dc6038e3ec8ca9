import type { RenderedCard } from './card-renderer.js';

/**
 * Puts cards into Teams conversations outside the turn that caused them: the card answers tell a
 * KIM Champion about a moved date or a disowned action, and every earlier copy of an action's
 * card is replaced in place when the action changes (a PUT of the message). One call, one
 * message; no queue and no retries of its own: the callers treat both as best effort, log what
 * fails and carry on (the change itself is already saved, and cards refresh themselves).
 *
 * `conversation` is the opaque conversation reference JSON owned by the Teams adapter, as a
 * Person or a SentCard stores it.
 */
export interface CardDelivery {
  /** Posts a new message with the card; answers the message's activity id. */
  send(conversation: string, card: RenderedCard): Promise<string>;
  /** Replaces the card of an earlier message (the bot's own) with this one. */
  update(conversation: string, activityId: string, card: RenderedCard): Promise<void>;
}
