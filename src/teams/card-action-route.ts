import type { Application } from '@microsoft/teams-ai';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { answerCommand } from '../app/answer-command.js';
import {
  addNote,
  AfterAnswers,
  answerActionPress,
  approveDate,
  cancelImportPress,
  CopyUpdater,
  declineDate,
  importPlanPress,
  notMine,
  proposeDate,
  reassign,
  refreshActionCard,
  RefusalThrottle,
  setStatus,
  snooze,
  type ActionVerb,
  type CardActionDeps,
  type CardAnswer,
  type CardPress,
} from '../app/card-actions/index.js';
import type { BotDeps } from '../app/bot-deps.js';
import {
  ACTION_VERBS,
  ADD_NOTE,
  APPROVE_DATE,
  CANCEL_IMPORT,
  commandOfButton,
  DECLINE_DATE,
  IMPORT_PLAN,
  IMPORT_VERBS,
  isVerb,
  NAVIGATION_VERBS,
  NOT_MINE,
  PROPOSE_DATE,
  REASSIGN,
  REFRESH_ACTION,
  SET_STATUS,
  SNOOZE,
  type Verb,
} from '../cards/verbs.js';
import { isActionPlanError } from '../domain/errors.js';
import type { CardDelivery } from '../ports/card-delivery.js';
import type { Logger } from '../ports/logger.js';
import type { SentCardRepository } from '../ports/sent-card-repository.js';
import { createCardDelivery } from './card-delivery.js';
import { referenceJsonOf, scopeOf } from './incoming.js';
import { senderOf } from './members.js';
import { plainText } from './plain-text.js';
import { failureText, NOT_CONFIRMED, replyActivity } from './replies.js';
import { currentTurn } from '../ports/turn-deadline.js';

/** `adaptiveCard/action`: a press of an Action.Execute button (Universal Actions). */
export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/** The answer to each verb that changes an action: one use case each (src/app/card-actions). */
export const ACTION_VERB_HANDLERS: Readonly<
  Record<(typeof ACTION_VERBS)[number], ActionVerb<never>>
> = {
  [SET_STATUS]: setStatus,
  [ADD_NOTE]: addNote,
  [PROPOSE_DATE]: proposeDate,
  [SNOOZE]: snooze,
  [NOT_MINE]: notMine,
  [APPROVE_DATE]: approveDate,
  [DECLINE_DATE]: declineDate,
  [REASSIGN]: reassign,
} as Record<(typeof ACTION_VERBS)[number], ActionVerb<never>>;

/** The answer to each button of an import preview (src/app/card-actions, one file each). */
export const IMPORT_VERB_HANDLERS: Readonly<
  Record<
    (typeof IMPORT_VERBS)[number],
    (deps: CardActionDeps, press: CardPress) => Promise<CardAnswer>
  >
> = {
  [IMPORT_PLAN]: importPlanPress,
  [CANCEL_IMPORT]: cancelImportPress,
};

export const UNKNOWN_BUTTON =
  "I don't know that button, so nothing has changed. The card may come from an older version of me: ask again (for example “my actions” or “action 1.1”) for a new one.";

export interface CardActionRouteOptions {
  readonly deps: BotDeps & { readonly sentCards?: SentCardRepository };
  readonly logger: Logger;
  readonly adapter: CloudAdapter;
  readonly appId?: string;
  /** Replaces the delivery through `adapter` (tests). */
  readonly delivery?: CardDelivery;
  /** Where the work after answers is queued (tests wait for it); a queue of its own unless given. */
  readonly after?: AfterAnswers;
}

/**
 * The card buttons' door: every verb of src/cards/verbs.ts, pressed as an Action.Execute
 * (`adaptiveCard/action` invoke) or as the Action.Submit fallback (a message whose value names
 * the verb), down the same code path:
 *
 * - navigation verbs by `answerCommand` with the command the button carries as data;
 * - the card's refresh with the action's card as it is now for whoever's client asked;
 * - verbs that change an action by their use case in src/app/card-actions;
 * - an import preview's Import and Cancel by theirs (the file sent, imported once or not at all).
 *
 * An invoke is answered in its HTTP response: a card replaces the pressed card for the presser;
 * a message (`application/vnd.microsoft.activity.message`) carries anything else, a failure
 * included — never a 501 for a known verb, never a stack trace. A verb not in verbs.ts is answered
 * with a message before anything is read from storage. A submit is answered with a reply.
 * What follows a change (updating every copy, telling the champion) runs after the answer.
 *
 * Registered before the message route, so a submit never reaches the chat commands.
 */
export function registerCardActions(app: Application, options: CardActionRouteOptions): void {
  const deps: CardActionDeps = {
    ...options.deps,
    delivery: options.delivery ?? createCardDelivery(options.adapter, options.appId),
    logger: options.logger.child({ component: 'card-actions' }),
    refusals: new RefusalThrottle(),
  };
  const copies = new CopyUpdater(deps);
  const after = options.after ?? new AfterAnswers();
  const answer = pressAnswerer(deps, copies, options.logger);

  app.addRoute(
    async (context) =>
      context.activity.type === 'invoke' && context.activity.name === CARD_ACTION_INVOKE,
    async (context) => {
      const action = (context.activity.value as { action?: { verb?: unknown; data?: unknown } })
        ?.action;
      const result = await answer(context, action?.verb, action?.data ?? {}, 'execute');
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: invokeBody(result) },
      });
      if (result.afterwards) after.add(result.afterwards);
    },
    true,
  );

  app.addRoute(
    async (context) => isSubmit(context),
    async (context) => {
      const data = context.activity.value as Record<string, unknown>;
      const result = await answer(context, data['verb'], data, 'submit');
      const reply = replyActivity({
        ...(result.card ? { card: result.card } : {}),
        ...(result.text ? { text: result.text } : {}),
      });
      if (reply) await context.sendActivity(reply);
      if (result.afterwards) after.add(result.afterwards);
    },
  );
}

/** An Action.Submit fallback: a message with no text whose value names a verb. */
function isSubmit(context: TurnContext): boolean {
  const a = context.activity;
  if (a.type !== 'message' || (a.text ?? '').trim() !== '') return false;
  const value = a.value as { verb?: unknown } | undefined;
  return typeof value === 'object' && value !== null && typeof value.verb === 'string';
}

/** The body of the invoke response: the card, or a message. */
export function invokeBody(answer: CardAnswer): Record<string, unknown> {
  return answer.card
    ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer.card }
    : {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: plainText(answer.text ?? UNKNOWN_BUTTON),
      };
}

type Answerer = (
  context: TurnContext,
  verb: unknown,
  data: unknown,
  via: CardPress['via'],
) => Promise<CardAnswer>;

function pressAnswerer(deps: CardActionDeps, copies: CopyUpdater, logger: Logger): Answerer {
  return async (context, verb, data, via) => {
    const log = logger.child({ activityId: context.activity.id, verb: String(verb).slice(0, 40) });
    if (!isVerb(verb)) {
      log.info({ via }, 'a card button with a verb I do not know');
      return { text: UNKNOWN_BUTTON };
    }
    try {
      const press = await pressOf(context, deps, log, verb, data, via);
      return await answerVerb(deps, copies, verb, press);
    } catch (error) {
      if (isActionPlanError(error, 'storage_unavailable')) {
        log.warn({ err: error }, 'could not answer a card button: storage unavailable');
      } else {
        log.error({ err: error }, 'could not answer a card button');
      }
      // A write already sent may have landed: never say that nothing changed.
      return { text: currentTurn()?.writing ? NOT_CONFIRMED : failureText(error) };
    }
  };
}

async function pressOf(
  context: TurnContext,
  deps: CardActionDeps,
  log: Logger,
  verb: Verb,
  data: unknown,
  via: CardPress['via'],
): Promise<CardPress> {
  const activity = context.activity;
  const sender = await senderOf(context, deps.people, log);
  const stamp = activity.timestamp ? new Date(activity.timestamp) : undefined;
  return {
    verb,
    data,
    actor: sender.actor,
    ...(stamp && !Number.isNaN(stamp.getTime()) ? { pressedAt: stamp } : {}),
    scope: scopeOf(activity),
    ...(activity.replyToId
      ? { message: { conversation: referenceJsonOf(activity), activityId: activity.replyToId } }
      : {}),
    via,
  };
}

async function answerVerb(
  deps: CardActionDeps,
  copies: CopyUpdater,
  verb: Verb,
  press: CardPress,
): Promise<CardAnswer> {
  if (verb === REFRESH_ACTION) return refreshActionCard(deps, press);
  if ((IMPORT_VERBS as readonly string[]).includes(verb)) {
    return IMPORT_VERB_HANDLERS[verb as (typeof IMPORT_VERBS)[number]](deps, press);
  }
  if ((NAVIGATION_VERBS as readonly string[]).includes(verb)) {
    const asked = commandOfButton(verb, press.data);
    if (!asked) return { text: UNKNOWN_BUTTON };
    const reply = await answerCommand(deps, {
      actor: press.actor,
      command: asked.command,
      scope: press.scope,
      ...(asked.planId ? { planId: asked.planId } : {}),
    });
    return {
      ...(reply.card ? { card: reply.card } : {}),
      ...(reply.text ? { text: reply.text } : {}),
    };
  }
  const handler = ACTION_VERB_HANDLERS[verb as (typeof ACTION_VERBS)[number]];
  return answerActionPress(deps, handler as ActionVerb<unknown>, press, copies);
}
