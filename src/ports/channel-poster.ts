import type { RenderedCard } from './card-renderer.js';
import type { ProactiveDelivery } from './proactive-notifier.js';

/** A card posted to a channel or group chat; @mentions are in the card (`msteams.entities`). */
export interface ChannelMessage {
  readonly card: RenderedCard;
  /** Plain text: the notification preview, and what a client without cards shows. */
  readonly summary: string;
}

/**
 * Posts proactively to a conversation the bot is in (the weekly digest). Implemented in src/teams;
 * the outcomes are those of a proactive message to a person.
 */
export interface ChannelPoster {
  post(reference: string, message: ChannelMessage): Promise<ProactiveDelivery>;
}
