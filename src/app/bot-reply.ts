/**
 * Who is speaking to the bot, as the Teams edge knows them. Roles are worked out from this by the
 * use cases (admin from ADMIN_EMAILS or storage, champion from areas, owner from actions).
 */
export interface Actor {
  readonly aadObjectId?: string;
  /** Email or UPN, lower-cased, when known. */
  readonly email?: string;
  readonly name?: string;
}

/** An Adaptive Card as plain JSON (schema 1.5), already expanded from its template. */
export type AdaptiveCard = Record<string, unknown>;

/** What the bot says back: text (markdown as Teams renders it), a card, or both. */
export interface BotReply {
  readonly text?: string;
  readonly card?: AdaptiveCard;
}
