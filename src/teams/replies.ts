import { CardFactory, type Activity } from 'botbuilder';
import type { BotReply } from '../app/bot-reply.js';
import { fileConsentAttachment } from './file-consent.js';
import { isActionPlanError } from '../domain/errors.js';

/**
 * Teams refuses a bot message larger than about 80 KB (413 MessageSizeTooBig). Replies are kept
 * under this, with room left for what the connector adds (ids, the conversation, the sender).
 */
export const MAX_REPLY_BYTES = 70 * 1024;

export const TOO_LONG_NOTE =
  'That answer is too long for one Teams message. Ask for something narrower, for example "status HMPPS", "overdue" or "action 4.9a".';

export const GENERIC_FAILURE = 'Sorry, something went wrong on my side; the team has been told.';

export const STORAGE_UNAVAILABLE =
  "Sorry, I can't reach the action plan's storage at the moment, so I couldn't read or change anything. Please try again in a few minutes.";

/**
 * A card press whose change was sent to storage but not confirmed before Teams' time ran out:
 * it may or may not be saved, and the person is told exactly that.
 */
export const NOT_CONFIRMED =
  "Sorry, the action plan's storage is answering too slowly for me to confirm your change in time. It may still be saved: refresh the card, or ask for the action again, in a minute before pressing again.";

/**
 * The message activity for a reply, or undefined when there is nothing to say. A reply too large
 * for Teams loses its card and, if need be, the end of its text, and says so: a shorter answer
 * beats a message Teams would refuse.
 */
export function replyActivity(reply: BotReply): Partial<Activity> | undefined {
  if (!reply.text && !reply.card && !reply.file) return undefined;
  const attachments = [
    ...(reply.card ? [CardFactory.adaptiveCard(reply.card)] : []),
    ...(reply.file ? [fileConsentAttachment(reply.file)] : []),
  ];
  const full: Partial<Activity> = {
    type: 'message',
    ...(reply.text ? { text: reply.text } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
  if (bytes(JSON.stringify(full)) <= MAX_REPLY_BYTES) return full;

  const note = `\n\n${TOO_LONG_NOTE}`;
  const text = reply.text
    ? truncateToBytes(
        reply.text,
        MAX_REPLY_BYTES - bytes(JSON.stringify({ type: 'message', text: note })) - 64,
      ) + note
    : TOO_LONG_NOTE;
  return { type: 'message', text: text.trimStart() };
}

/**
 * What to tell the person when handling their message failed. An ActionPlanError is the app
 * speaking (its message is written for people); storage trouble gets one plain sentence; anything
 * else is a bug, so the person hears only that it was reported.
 */
export function failureText(error: unknown): string {
  if (isActionPlanError(error, 'storage_unavailable')) return STORAGE_UNAVAILABLE;
  if (isActionPlanError(error)) return error.message;
  return GENERIC_FAILURE;
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The longest start of `text` whose JSON-escaped UTF-8 form fits in `budget` bytes, ending with
 * an ellipsis when cut. Cut at a code point, never inside a surrogate pair.
 */
function truncateToBytes(text: string, budget: number): string {
  if (bytes(JSON.stringify(text)) <= budget) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytes(JSON.stringify(`${text.slice(0, mid)}…`)) <= budget) low = mid;
    else high = mid - 1;
  }
  let end = low;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
