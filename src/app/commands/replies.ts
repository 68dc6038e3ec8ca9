import type { CardView, PersonView, PlainFallback } from '../../ports/card-renderer.js';
import type { BotDeps } from '../bot-deps.js';
import type { BotReply } from '../bot-reply.js';

/** A short message card: what most refusals, confirmations and hints are. */
export type NoticeView = PlainFallback;

/** The example address in hints: clearly not a real person's. */
export const EXAMPLE_EMAIL = 'name@department.gov.uk';

export function notice(deps: BotDeps, view: NoticeView): BotReply {
  return reply(deps, { kind: 'message', ...view });
}

/**
 * Renders a view as the reply's card. One too big for Teams is drawn as `fallback`, or as the
 * renderer's notice that the answer was too long (ports/card-renderer.ts).
 */
export function reply(deps: BotDeps, view: CardView, fallback?: PlainFallback): BotReply {
  return { card: deps.renderCard(view, fallback) };
}

/** The polite no to an admin command from someone who is not a plan admin; nothing changes. */
export function refusal(deps: BotDeps, what: string): BotReply {
  return notice(deps, {
    title: 'Only a plan admin can do that',
    text: `Only a plan admin can ${what}, so nothing has changed. If it needs doing, ask the KIM team.`,
    tone: 'warning',
  });
}

/** Warnings for people the bot cannot message yet: nothing will reach them until they install it. */
export function notReachableLines(people: readonly PersonView[]): string[] {
  return people
    .filter((p) => !p.reachable)
    .map(
      (p) =>
        `${p.name ?? p.email} hasn't installed the bot yet, so I can't message them until they do.`,
    );
}

export const shorten = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
