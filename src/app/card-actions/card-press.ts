import type { ConversationScope } from '../../ports/card-renderer.js';
import type { CardDelivery } from '../../ports/card-delivery.js';
import type { Logger } from '../../ports/logger.js';
import type { SentCardRepository } from '../../ports/sent-card-repository.js';
import type { BotDeps } from '../bot-deps.js';
import type { Actor, AdaptiveCard } from '../bot-reply.js';
import type { RefusalThrottle } from './refusal-throttle.js';

/**
 * What the card answers need on top of the bot's use cases: where the copies of each action's
 * card are recorded, how to put cards into Teams outside a turn, and a logger for what fails
 * there (copies and notices are best effort: the change itself is already saved).
 */
export type CardActionDeps = BotDeps & {
  /** Without it, copies are neither recorded nor updated (cards still refresh themselves). */
  readonly sentCards?: SentCardRepository;
  /** Without it, nobody else is told and no copy is updated. */
  readonly delivery?: CardDelivery;
  readonly logger: Logger;
  /** Without it, every refused press is written to history. */
  readonly refusals?: RefusalThrottle;
};

/** The message that held the pressed card. */
export interface PressedMessage {
  /** Conversation reference JSON (owned by the Teams adapter). */
  readonly conversation: string;
  /** The activity id of the message with the card (the press's `replyToId`). */
  readonly activityId: string;
}

/**
 * One press of a card button, as the Teams edge hands it over: an Action.Execute invoke or the
 * Action.Submit fallback (a message whose value carries the verb) — the same from here on.
 */
export interface CardPress {
  readonly verb: string;
  /** The button's data with the card's inputs merged in, exactly as Teams sent it (untrusted). */
  readonly data: unknown;
  readonly actor: Actor;
  /**
   * When the press was made (the activity's timestamp, stamped by Teams); absent, when it was
   * received. Decides whether a card with an old version was already out of date when pressed.
   */
  readonly pressedAt?: Date;
  readonly scope: ConversationScope;
  /** Absent when Teams did not say which message was pressed. */
  readonly message?: PressedMessage;
  /**
   * `execute`: the answer card replaces the pressed card for the presser (invoke response).
   * `submit`: the answer is a new message, and the pressed card is updated with the others.
   */
  readonly via: 'execute' | 'submit';
}

/** The answer to a press: a card (usually the action as it is now), or a plain message. */
export interface CardAnswer {
  readonly card?: AdaptiveCard;
  readonly text?: string;
  /**
   * Work that follows a change and must not hold up the answer: recording the pressed card,
   * updating every earlier copy, telling the champion. Never rejects (failures are logged).
   */
  readonly afterwards?: () => Promise<void>;
}
