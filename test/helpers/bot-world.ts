/**
 * The MoJ plan (May 2017) imported into in-memory repositories, with the people, areas and owners
 * the bot's tests talk about, on a fixed day. Tests read as "Ann asks 'status', expect her areas".
 */
import { addArea } from '../../src/app/add-area.js';
import { assignAction } from '../../src/app/assign-action.js';
import type { BotDeps } from '../../src/app/bot-deps.js';
import type { AdaptiveCard, BotReply } from '../../src/app/bot-reply.js';
import { renderCard } from '../../src/cards/render-card.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { Person } from '../../src/ports/people-repository.js';
import { InMemoryPeopleRepository } from '../../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../../src/storage/in-memory-plan-repository.js';
import { importMojPlan } from './fixtures.js';

export const MOJ_PLAN_ID = 'moj-ima-2017';
/** 20 June 2017, 10:00 in London: after the May 2017 update, ten days before the June targets. */
export const NOW = '2017-06-20T09:00:00.000Z';

export const ADMIN = 'kim.admin@justice.gov.uk';
/** KIM Champion for HMPPS and LAA; has installed the bot. */
export const CHAMPION = 'priya.champion@justice.gov.uk';
/** Owns 1.5, 4.1 and 4.9a (HMPPS); has installed the bot. */
export const OWNER = 'alex.owner@justice.gov.uk';
/** Owns 4.9b (HMPPS) and 6.7 (LAA); was named by an admin but never installed the bot. */
export const UNREACHED = 'sam.unreached@justice.gov.uk';
/** Nobody in particular: a reader. */
export const READER = 'jo.reader@justice.gov.uk';

export function person(email: string, overrides: Partial<Person> = {}): Person {
  return {
    email,
    name: email
      .split('@')[0]!
      .split('.')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' '),
    reachable: true,
    conversation: JSON.stringify({ conversation: { id: `a:${email}` } }),
    updatedAt: NOW,
    ...overrides,
  };
}

/** The imported MoJ plan, with no areas and no owners (the document names none). */
export async function mojDeps(now = NOW): Promise<BotDeps> {
  const plans = new InMemoryPlanRepository();
  const clock = fixedClock(now);
  await importMojPlan(
    { plans, clock: fixedClock('2017-05-31T12:00:00.000Z') },
    { planId: MOJ_PLAN_ID },
  );
  return {
    plans,
    clock,
    people: new InMemoryPeopleRepository(),
    adminEmails: [ADMIN],
    renderCard,
  };
}

/** The MoJ plan with areas, champions, owners and installed people, as described above. */
export async function mojWorld(now = NOW): Promise<BotDeps> {
  const deps = await mojDeps(now);
  await addArea(deps, { planId: MOJ_PLAN_ID, name: 'HMPPS', champions: [CHAMPION] });
  await addArea(deps, { planId: MOJ_PLAN_ID, name: 'LAA', champions: [CHAMPION] });
  await addArea(deps, { planId: MOJ_PLAN_ID, name: 'MoJ HQ', champions: [ADMIN] });
  const assign = (ref: string, owner: string, area: string) =>
    assignAction(deps, { planId: MOJ_PLAN_ID, ref, owners: [owner], area, by: ADMIN });
  await assign('1.5', OWNER, 'HMPPS');
  await assign('4.1', OWNER, 'HMPPS');
  await assign('4.9a', OWNER, 'HMPPS');
  await assign('4.9b', UNREACHED, 'HMPPS');
  await assign('6.7', UNREACHED, 'LAA');
  await assign('2.6', CHAMPION, 'MoJ HQ');
  await deps.people.savePerson(person(OWNER, { name: 'Alex Owner', aadObjectId: 'aad-alex' }));
  await deps.people.savePerson(person(CHAMPION, { name: 'Priya Champion' }));
  await deps.people.savePerson(person(ADMIN, { name: 'Kim Admin' }));
  await deps.people.savePerson(person(READER, { name: 'Jo Reader' }));
  // Named by an admin with a display name, but never installed: no conversation.
  await deps.people.savePerson(
    person(UNREACHED, { name: 'Sam Unreached', reachable: false, conversation: undefined }),
  );
  return deps;
}

/** The card of a reply, failing the test when there is none. */
export function cardOf(reply: BotReply): AdaptiveCard {
  if (!reply.card) throw new Error(`expected a card, got ${JSON.stringify(reply)}`);
  return reply.card;
}

/**
 * Every piece of text a person sees on a card (TextBlock text, fact titles and values, button
 * titles), in order, with the zero-width spaces of escaping removed: what the tests read.
 */
export function textsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'legend']) {
      if (typeof o[key] === 'string') out.push((o[key] as string).replace(/\u200b/g, ''));
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data' || Array.isArray(v)) walk(v);
  };
  walk(card);
  return out;
}

/** All of a card's visible text as one string, for `toContain`. */
export const textOf = (reply: BotReply): string => textsOf(cardOf(reply)).join('\n');

/** The UTF-8 size of a card's JSON, as Teams counts it. */
export const bytesOf = (reply: BotReply): number =>
  Buffer.byteLength(JSON.stringify(cardOf(reply)), 'utf8');

/**
 * Gives an action 1,500 more owners (made-up addresses, after its own): every card that lists
 * them is then far over Teams' size limit, which only the renderer's guard can deal with.
 */
export async function crowd(
  deps: Pick<BotDeps, 'plans'>,
  ref: string,
  planId = MOJ_PLAN_ID,
): Promise<void> {
  const stored = (await deps.plans.getAction(planId, ref))!;
  const more = Array.from({ length: 1500 }, (_, i) => `owner.number.${i}@justice.gov.uk`);
  await deps.plans.save(planId, {
    actions: [
      {
        value: { ...stored.value, owners: [...stored.value.owners, ...more] },
        expectedVersion: stored.version,
      },
    ],
  });
}
