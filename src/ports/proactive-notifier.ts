import type { RenderedCard } from './card-renderer.js';

/** Where a proactive message goes: a stored personal chat, or a person Teams can open one with. */
export interface ProactiveRecipient {
  readonly email: string;
  /** The personal chat's conversation reference JSON (people table), when stored. */
  readonly conversation?: string;
  /** The "29:…" id, to create the 1:1 chat when there is no stored conversation. */
  readonly teamsUserId?: string;
  readonly tenantId?: string;
  /**
   * The conversation reference JSON of a team or group chat that lists them (opaque, owned by the
   * Teams adapter): a new 1:1 chat is opened on that conversation's Teams service.
   */
  readonly via?: string;
}

export interface ProactiveMessage {
  readonly card: RenderedCard;
  /** Plain text: the notification preview, and what a client without cards shows. */
  readonly summary: string;
}

interface Counts {
  /** HTTP attempts made (the Teams SDK retries 429 and 5xx a few times within one send). */
  readonly attempts: number;
  /** How many of them were answered 429. */
  readonly throttled: number;
}

/** What happened to one send. */
export type ProactiveDelivery =
  | (Counts & {
      readonly outcome: 'sent';
      readonly activityId: string;
      /** The conversation reference JSON used (new when the chat was just created). */
      readonly conversation: string;
      readonly createdConversation: boolean;
    })
  /** Worth trying again later: 429, 412, 5xx, a timeout, the network. */
  | (Counts & {
      readonly outcome: 'retry';
      readonly code: string;
      readonly status?: number;
      /** What Teams asked for (Retry-After), when it did. */
      readonly retryAfterMs?: number;
    })
  /** Teams refuses this person (403 blocked/uninstalled, 404 conversation gone): stop trying. */
  | (Counts & { readonly outcome: 'unreachable'; readonly code: string; readonly status: number })
  /** Anything else that will not get better by trying again (400, 413…). */
  | (Counts & {
      readonly outcome: 'failed';
      readonly code: string;
      readonly status?: number;
      readonly message: string;
    });

/**
 * Sends a card to one person proactively (the bot speaks first), staying within Teams' rate
 * limits. Implemented in src/teams (the only code that knows the Bot Framework).
 */
export interface ProactiveNotifier {
  send(to: ProactiveRecipient, message: ProactiveMessage): Promise<ProactiveDelivery>;
}
