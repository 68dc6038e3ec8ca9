import {
  addNote,
  answerActionPress,
  isStale,
  refreshActionCard,
  setStatus,
} from '../../../../src/app/card-actions/index.js';
import type { Action, Versioned } from '../../../../src/domain/plan.js';
import { statusLabel } from '../../../../src/domain/status.js';
import { MOJ_PLAN_ID } from '../../../helpers/bot-world.js';
import {
  ADMIN,
  buttonsOf,
  CHAMPION,
  cardText,
  cardWorld,
  LATER,
  OWNER,
  PERSONAL_CHAT,
  READER,
  type CardWorld,
} from './card-world.js';

describe('a stale card', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it('is shown as it is now and asked again: nothing is overwritten', async () => {
    const old = await world.action('4.9a');
    await world.press(setStatus, CHAMPION, { status: 'blocked' });
    const now = await world.action('4.9a');

    world.at('2017-06-20T11:00:00.000Z');
    const answer = await world.press(
      setStatus,
      OWNER,
      { status: 'complete' },
      { version: old.version },
    );
    expect(await world.action('4.9a')).toEqual(now);
    expect((await world.history('4.9a')).at(-1)).toMatchObject({ by: CHAMPION, to: 'Blocked' });
    expect(cardText(answer)).toContain(
      'This card was out of date: Priya Champion changed action 4.9a',
    );
    // The new card carries the current version: pressing it again works.
    expect(JSON.stringify(answer.card)).toContain(JSON.stringify(now.version));
    await world.press(setStatus, OWNER, { status: 'complete' }, { version: now.version });
    expect((await world.action('4.9a')).value.status).toBe('complete');
  });

  it('is told apart from a simultaneous press by when the press was made', () => {
    const action = {
      value: { updatedAt: '2017-06-20T10:00:00.500Z' },
      version: 'v2',
    } as Versioned<Action>;
    const now = new Date('2017-06-20T10:00:01.000Z');
    // Made before the change landed: both presses count.
    expect(isStale('v1', action, new Date('2017-06-20T10:00:00.400Z'), now)).toBe(false);
    // Made after it: the card was out of date.
    expect(isStale('v1', action, new Date('2017-06-20T10:00:00.600Z'), now)).toBe(true);
    // No time, or a time in the future: when it arrived.
    expect(isStale('v1', action, undefined, now)).toBe(true);
    expect(isStale('v1', action, new Date('2017-06-21T00:00:00Z'), now)).toBe(true);
    expect(isStale('v2', action, undefined, now)).toBe(false);
  });
});

describe('what a press reads', () => {
  it('the people its card names, each by address, and the latest history: never everyone, never the whole history', async () => {
    const world = await cardWorld();
    const asked: string[] = [];
    const people = new Proxy(world.deps.people, {
      get(target, name, receiver) {
        if (name === 'listPeople') return () => Promise.reject(new Error('read everyone'));
        if (name === 'findManyByEmail') {
          return (addresses: readonly string[]) => {
            asked.push(...addresses);
            return target.findManyByEmail(addresses);
          };
        }
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const plans = new Proxy(world.deps.plans, {
      get(target, name, receiver) {
        if (name === 'listHistory') return () => Promise.reject(new Error('read all history'));
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const answer = await answerActionPress({ ...world.deps, people, plans }, setStatus, {
      verb: 'setStatus',
      data: {
        ref: '4.9a',
        planId: MOJ_PLAN_ID,
        version: (await world.action('4.9a')).version,
        status: 'blocked',
      },
      actor: { email: OWNER },
      scope: 'personal',
      via: 'execute',
    });
    expect(cardText(answer)).toContain('Saved: action 4.9a is now Blocked');
    // The owner (the presser), the area's champion, the admins and whoever the history names.
    expect(asked).toEqual(expect.arrayContaining([OWNER, CHAMPION, ADMIN]));
    expect(asked).not.toContain(READER);
  });
});

describe('presses at the same moment', () => {
  it('twenty on one card: twenty history entries, none lost, the last one written is the status', async () => {
    const world = await cardWorld();
    const card = await world.action('4.9a');
    const before = (await world.history('4.9a')).length;
    const statuses = ['in_progress', 'blocked', 'complete'] as const;
    const pressedAt = new Date('2017-06-20T09:59:59.000Z');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.press(
          setStatus,
          [OWNER, CHAMPION][i % 2]!,
          { status: statuses[i % 3]! },
          { version: card.version, pressedAt },
        ),
      ),
    );
    expect(answers.every((a) => cardText(a).includes('Saved'))).toBe(true);
    const entries = (await world.history('4.9a')).slice(before);
    expect(entries).toHaveLength(20);
    expect(entries.every((e) => e.kind === 'changed' && e.field === 'status')).toBe(true);
    // Each entry starts where the one before it ended: no write was lost between them.
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.from).toBe(entries[i - 1]!.to);
    const final = (await world.action('4.9a')).value.status;
    expect(entries.at(-1)!.to).toBe(statusLabel(final));
  });
});

describe('every copy up to date', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
    for (const [activityId, recipient] of [
      ['reminder-1', OWNER],
      ['reminder-2', OWNER],
      ['escalation-1', CHAMPION],
    ] as const) {
      await world.sentCards.record({
        planId: MOJ_PLAN_ID,
        ref: '4.9a',
        activityId,
        conversation: PERSONAL_CHAT(recipient),
        kind: activityId.split('-')[0]!,
        recipient,
        sentAt: '2017-06-19T08:00:00.000Z',
      });
    }
  });

  it('replaces each earlier card with the new state, for its own recipient', async () => {
    const answer = await world.press(setStatus, OWNER, { status: 'blocked' });
    await answer.afterwards!();
    expect(world.delivery.updated.map((u) => u.activityId).sort()).toEqual([
      'escalation-1',
      'reminder-1',
      'reminder-2',
    ]);
    for (const update of world.delivery.updated) {
      expect(JSON.stringify(update.card)).toContain('Blocked');
    }
    const championsCopy = world.delivery.updated.find((u) => u.activityId === 'escalation-1')!;
    expect(buttonsOf(championsCopy.card)).toContain('Reassign');
    expect(buttonsOf(championsCopy.card)).not.toContain("This isn't mine");
    // The pressed card is remembered, and not replaced again: the answer replaced it already.
    const copies = await world.sentCards.listForAction(MOJ_PLAN_ID, '4.9a');
    expect(copies.map((c) => c.activityId)).toContain(`card-of-${OWNER}`);
    expect(world.delivery.updated.map((u) => u.activityId)).not.toContain(`card-of-${OWNER}`);
  });

  it('carries on past a copy Teams will not update, and logs it', async () => {
    world.delivery.failing.add('reminder-1');
    const answer = await world.press(addNote, OWNER, { note: 'Progressing' });
    await expect(answer.afterwards!()).resolves.toBeUndefined();
    expect(world.delivery.updated.map((u) => u.activityId).sort()).toEqual([
      'escalation-1',
      'reminder-2',
    ]);
    expect((await world.action('4.9a')).value.note).toBe('Progressing');
  });

  it('folds presses that come during an update into one more round, which shows the latest', async () => {
    const answers = await Promise.all(
      ['in_progress', 'blocked', 'complete'].map((status, i) =>
        world.press(
          setStatus,
          OWNER,
          { status },
          { pressedAt: new Date(LATER), message: { conversation: 'c', activityId: `p${i}` } },
        ),
      ),
    );
    await Promise.all(answers.map((a) => a.afterwards!()));
    const lastOfReminder1 = world.delivery.updated
      .filter((u) => u.activityId === 'reminder-1')
      .at(-1)!;
    expect(JSON.stringify(lastOfReminder1.card)).toContain(
      JSON.stringify((await world.action('4.9a')).version),
    );
    // Fewer rounds than presses: three presses, at most two rounds of three copies (plus pressed cards).
    expect(
      world.delivery.updated.filter((u) => u.activityId === 'reminder-1').length,
    ).toBeLessThanOrEqual(2);
  });

  it('cards carry a refresh for the owners and champions the bot knows a Teams id for', async () => {
    const answer = await world.press(setStatus, OWNER, { status: 'blocked' });
    expect(answer.card!['refresh']).toEqual({
      action: {
        type: 'Action.Execute',
        verb: 'refreshAction',
        title: 'Refresh',
        data: { ref: '4.9a', planId: MOJ_PLAN_ID },
      },
      userIds: ['29:alex.owner', '29:priya.champion'],
    });
  });
});

describe('refresh', () => {
  it("answers with the card as it is now, with the viewer's own buttons", async () => {
    const world = await cardWorld();
    await world.press(setStatus, CHAMPION, { status: 'blocked' });
    const press = (email: string) =>
      refreshActionCard(world.deps, {
        verb: 'refreshAction',
        data: { ref: '4.9a', planId: MOJ_PLAN_ID },
        actor: { email },
        scope: 'personal',
        via: 'execute',
      });
    const forReader = await press(READER);
    expect(cardText(forReader)).toContain('Blocked');
    expect(buttonsOf(forReader.card)).not.toContain('Mark complete');
    expect(buttonsOf((await press(OWNER)).card)).toEqual(
      expect.arrayContaining(['Mark complete', "This isn't mine"]),
    );
    const gone = await refreshActionCard(world.deps, {
      verb: 'refreshAction',
      data: { ref: '9.9', planId: MOJ_PLAN_ID },
      actor: { email: OWNER },
      scope: 'personal',
      via: 'execute',
    });
    expect(gone.text).toContain('There is no action 9.9');
  });
});

describe('forged and broken data', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it("another action's ref: judged on that action, so the owner of 4.9a cannot touch 4.9b", async () => {
    const mine = await world.action('4.9a');
    const theirs = await world.action('4.9b');
    const answer = await world.press(
      setStatus,
      OWNER,
      { status: 'complete' },
      { ref: '4.9b', version: mine.version },
    );
    expect(await world.action('4.9b')).toEqual(theirs);
    expect((await world.history('4.9b')).at(-1)).toMatchObject({ kind: 'refused', by: OWNER });
    expect(cardText(answer)).toContain("You can't change action 4.9b");
  });

  it("another plan's id: nothing found, nothing changed", async () => {
    const answer = await world.press(setStatus, OWNER, {
      status: 'complete',
      planId: 'someone-elses-plan',
    });
    expect(answer.text).toContain("I can't find the plan this card is about");
    expect((await world.action('4.9a')).value.status).toBe('not_started');
  });

  it.each([
    ['not an object', 'a string'],
    ['a list', [1, 2]],
    ['no ref', { planId: MOJ_PLAN_ID, version: 'v', status: 'blocked' }],
    [
      'a ref that is not one',
      { ref: '../../etc', planId: MOJ_PLAN_ID, version: 'v', status: 'blocked' },
    ],
    [
      'a ref of the wrong type',
      { ref: { $ne: 1 }, planId: MOJ_PLAN_ID, version: 'v', status: 'blocked' },
    ],
    ['no plan', { ref: '4.9a', version: 'v', status: 'blocked' }],
    ['a plan of the wrong type', { ref: '4.9a', planId: 7, version: 'v', status: 'blocked' }],
    ['no version', { ref: '4.9a', planId: MOJ_PLAN_ID, status: 'blocked' }],
    [
      'a version of the wrong type',
      { ref: '4.9a', planId: MOJ_PLAN_ID, version: true, status: 'blocked' },
    ],
  ])('%s: a plain message, nothing changed', async (_name, data) => {
    const before = await world.history('4.9a');
    const answer = await answerActionPress(world.deps, setStatus, {
      verb: 'setStatus',
      data,
      actor: { email: OWNER },
      scope: 'personal',
      via: 'execute',
    });
    expect(answer.card).toBeUndefined();
    expect(answer.text).toMatch(/nothing has changed/i);
    expect(await world.history('4.9a')).toEqual(before);
  });

  it('someone the bot cannot place is refused, and the attempt noted under their Teams id', async () => {
    const answer = await answerActionPress(world.deps, setStatus, {
      verb: 'setStatus',
      data: {
        ref: '4.9a',
        planId: MOJ_PLAN_ID,
        version: (await world.action('4.9a')).version,
        status: 'complete',
      },
      actor: { aadObjectId: 'aad-stranger' },
      scope: 'personal',
      via: 'execute',
    });
    expect(cardText(answer)).toContain("I can't tell who you are");
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'refused',
      by: 'teams:aad-stranger',
    });
  });

  it('a person known only by their AAD object id is placed by it', async () => {
    const answer = await answerActionPress(world.deps, setStatus, {
      verb: 'setStatus',
      data: {
        ref: '4.9a',
        planId: MOJ_PLAN_ID,
        version: (await world.action('4.9a')).version,
        status: 'blocked',
      },
      actor: { aadObjectId: 'aad-alex' },
      scope: 'personal',
      via: 'execute',
    });
    expect(cardText(answer)).toContain('Saved');
    expect((await world.action('4.9a')).value.updatedBy).toBe(OWNER);
  });
});
