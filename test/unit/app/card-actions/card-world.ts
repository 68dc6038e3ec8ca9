/**
 * The MoJ plan of bot-world.ts (owners, champions, people on 20 June 2017), with what the card
 * answers need on top: recorded copies, a delivery that records every card it sends or replaces,
 * and a clock the test moves. Tests read as "Alex presses Blocked on 4.9a; expect…".
 */
import {
  answerActionPress,
  CopyUpdater,
  type ActionVerb,
  type CardActionDeps,
  type CardAnswer,
  type CardPress,
} from '../../../../src/app/card-actions/index.js';
import type { Versioned } from '../../../../src/domain/plan.js';
import type { Action, HistoryEntry } from '../../../../src/domain/plan.js';
import type { CardDelivery } from '../../../../src/ports/card-delivery.js';
import type { RenderedCard } from '../../../../src/ports/card-renderer.js';
import { silentLogger } from '../../../../src/ports/logger.js';
import { InMemorySentCardRepository } from '../../../../src/storage/in-memory-sent-card-repository.js';
import {
  ADMIN,
  CHAMPION,
  MOJ_PLAN_ID,
  mojWorld,
  NOW,
  OWNER,
  READER,
  textsOf,
  UNREACHED,
} from '../../../helpers/bot-world.js';

export { ADMIN, CHAMPION, MOJ_PLAN_ID, NOW, OWNER, READER, UNREACHED };

/** A delivery that records what it was asked to do, and can be told to fail for a message. */
export class RecordingDelivery implements CardDelivery {
  readonly sent: { conversation: string; card: RenderedCard; activityId: string }[] = [];
  readonly updated: { conversation: string; activityId: string; card: RenderedCard }[] = [];
  readonly failing = new Set<string>();
  private next = 1;

  async send(conversation: string, card: RenderedCard): Promise<string> {
    const activityId = `sent-${this.next++}`;
    this.sent.push({ conversation, card, activityId });
    return activityId;
  }

  async update(conversation: string, activityId: string, card: RenderedCard): Promise<void> {
    if (this.failing.has(activityId)) throw new Error(`Teams refused to update ${activityId}`);
    this.updated.push({ conversation, activityId, card });
  }
}

export interface CardWorld {
  readonly deps: CardActionDeps;
  readonly sentCards: InMemorySentCardRepository;
  readonly delivery: RecordingDelivery;
  readonly copies: CopyUpdater;
  /** Moves the clock. */
  at(iso: string): void;
  action(ref: string): Promise<Versioned<Action>>;
  history(ref: string): Promise<HistoryEntry[]>;
  /** Presses a button as `email`, on a card showing the action as it is now (unless `version`). */
  press<D>(
    verb: ActionVerb<D>,
    email: string | undefined,
    data: Record<string, unknown>,
    options?: Partial<CardPress> & { version?: string; ref?: string },
  ): Promise<CardAnswer>;
}

/** When the tests' presses happen, unless a test moves the clock. */
export const LATER = '2017-06-20T10:00:00.000Z';

export const PERSONAL_CHAT = (email: string): string =>
  JSON.stringify({ conversation: { id: `a:${email}` } });

export async function cardWorld(): Promise<CardWorld> {
  const base = await mojWorld();
  // An hour after the world was set up, so presses come after its assignments in the history.
  let now = LATER;
  const sentCards = new InMemorySentCardRepository();
  const delivery = new RecordingDelivery();
  const deps: CardActionDeps = {
    ...base,
    clock: { now: () => new Date(now) },
    sentCards,
    delivery,
    logger: silentLogger,
  };
  // Everyone who installed the bot has a Teams id: the refresh names them.
  for (const person of await base.people.listPeople()) {
    if (person.value.conversation) {
      await base.people.savePerson({
        ...person.value,
        teamsUserId: `29:${person.value.email.split('@')[0]!}`,
      });
    }
  }
  const action = async (ref: string) => (await deps.plans.getAction(MOJ_PLAN_ID, ref))!;
  const copies = new CopyUpdater(deps);
  return {
    deps,
    sentCards,
    delivery,
    copies,
    at: (iso) => {
      now = iso;
    },
    action,
    history: (ref) => deps.plans.listHistory(MOJ_PLAN_ID, ref),
    async press(verb, email, data, options = {}) {
      const ref = options.ref ?? '4.9a';
      const version = options.version ?? (await action(ref)).version;
      const person = email ? (await deps.people.getByEmail(email))?.value : undefined;
      return answerActionPress(
        deps,
        verb,
        {
          verb: 'test',
          data: { ref, planId: MOJ_PLAN_ID, version, ...data },
          actor: email ? { email, ...(person ? { name: person.name } : {}) } : {},
          scope: 'personal',
          via: 'execute',
          ...(email
            ? { message: { conversation: PERSONAL_CHAT(email), activityId: `card-of-${email}` } }
            : {}),
          ...options,
        },
        copies,
      );
    },
  };
}

/** Everything a person reads on a card, as one string. */
export const cardText = (answer: CardAnswer): string => {
  if (!answer.card) throw new Error(`expected a card, got ${JSON.stringify(answer)}`);
  return textsOf(answer.card).join('\n');
};

/** The titles of the buttons (and show-card buttons) on a card. */
export function buttonsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (
      typeof o['type'] === 'string' &&
      (o['type'] as string).startsWith('Action.') &&
      o['type'] !== 'Action.Submit'
    ) {
      out.push(String(o['title']));
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'refresh') walk(v);
  };
  walk(card);
  return out;
}
