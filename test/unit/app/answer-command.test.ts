import { answerCommand, answerMessage, welcome } from '../../../src/app/answer-command.js';
import type { BotDeps } from '../../../src/app/bot-deps.js';
import type { Actor, BotReply } from '../../../src/app/bot-reply.js';
import { changeAction } from '../../../src/app/change-action.js';
import { renderCard } from '../../../src/cards/render-card.js';
import { ActionPlanError } from '../../../src/domain/errors.js';
import type { Action } from '../../../src/domain/plan.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { MAX_CARD_BYTES, type ConversationScope } from '../../../src/ports/card-renderer.js';
import { InMemoryPeopleRepository } from '../../../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';
import { anAction, aPlan } from '../../helpers/builders.js';
import {
  ADMIN,
  bytesOf,
  cardOf,
  CHAMPION,
  crowd,
  MOJ_PLAN_ID,
  mojDeps,
  mojWorld,
  NOW,
  OWNER,
  person,
  READER,
  textOf,
  textsOf,
  UNREACHED,
} from '../../helpers/bot-world.js';

const ask = (
  deps: BotDeps,
  who: string | Actor,
  text: string,
  scope: ConversationScope = 'personal',
  planId?: string,
): Promise<BotReply> =>
  answerMessage(deps, {
    actor: typeof who === 'string' ? { email: who } : who,
    text,
    scope,
    ...(planId ? { planId } : {}),
  });

/** The refs of the rows of an action-list card, in order. */
const rowRefs = (reply: BotReply): string[] =>
  textsOf(cardOf(reply))
    .filter((t) => /^\*\*\d+\.\d+[a-z]?\*\*$/.test(t))
    .map((t) => t.replace(/\*/g, ''));

const action = async (deps: BotDeps, ref: string): Promise<Action> =>
  (await deps.plans.getAction(MOJ_PLAN_ID, ref))!.value;

let deps: BotDeps;
beforeEach(async () => {
  deps = await mojWorld();
});

describe('help and unknown input', () => {
  it('help lists the commands, with examples from the plan; admin commands only for admins', async () => {
    const reader = textOf(await ask(deps, READER, 'help'));
    expect(reader).toContain('What I can do');
    expect(reader).toContain('my actions');
    expect(reader).toContain('status HMPPS');
    expect(reader).toContain('action 4.9a');
    expect(reader).not.toContain('For plan admins');
    const admin = textOf(await ask(deps, ADMIN, 'help'));
    expect(admin).toContain('For plan admins');
    expect(admin).toContain('assign 4.9a to name@department.gov.uk area HMPPS');
  });

  it('in a channel, help says to @mention the bot', async () => {
    expect(textOf(await ask(deps, READER, '<at>Action Plan</at> help', 'channel'))).toContain(
      '@mention me first',
    );
  });

  it('help works before any plan is imported', async () => {
    const empty = { ...deps, plans: new InMemoryPlanRepository() };
    expect(textOf(await ask(empty, READER, 'help'))).toContain('What I can do');
  });

  it('an unknown command gets a short hint, never silence', async () => {
    const reply = await ask(deps, READER, '<at>Action Plan</at> make me a cup of tea');
    expect(textOf(reply)).toBe(
      "Sorry, I didn't understand “make me a cup of tea”. Try **status**, **my actions**, **overdue**, **plan**, **action 1.1** or **help**.",
    );
  });

  it.each(['', '   ', '!!!', 'x'.repeat(5000), '<at>Bot</at>', '😀', '{"a":1}'])(
    'always answers with a card: %j',
    async (text) => {
      const reply = await ask(deps, READER, text);
      expect(reply.card).toBeDefined();
      expect(bytesOf(reply)).toBeLessThan(MAX_CARD_BYTES);
    },
  );
});

describe('welcome', () => {
  it('tells a champion who they are: their areas and how many actions they own', async () => {
    const text = textOf(await welcome(deps, { email: CHAMPION, name: 'Priya Champion' }));
    expect(text).toContain('Hello Priya');
    expect(text).toContain('Ministry of Justice IMA Action Plan');
    expect(text).toContain('You are the KIM Champion for HMPPS and LAA and own 1 action.');
  });

  it('an admin (from ADMIN_EMAILS) who champions MoJ HQ', async () => {
    expect(textOf(await welcome(deps, { email: ADMIN }))).toContain(
      'You are a plan admin and the KIM Champion for MoJ HQ.',
    );
  });

  it('an owner known only by their Entra object id (Teams gave no email)', async () => {
    const text = textOf(await welcome(deps, { aadObjectId: 'aad-alex' }));
    expect(text).toContain('Hello Alex');
    expect(text).toContain('You own 3 actions.');
  });

  it('a reader', async () => {
    expect(textOf(await welcome(deps, { email: READER }))).toContain(
      "You don't own any actions yet; you can read the plan's summaries.",
    );
  });

  it('before any plan is imported, says so instead', async () => {
    const empty = { ...deps, plans: new InMemoryPlanRepository() };
    const text = textOf(await welcome(empty, { email: READER }));
    expect(text).toContain('No plan has been imported yet.');
    expect(text).not.toContain('You ');
  });

  it('"hello" answers with the welcome card too', async () => {
    expect(textOf(await ask(deps, OWNER, 'hello!'))).toContain('You own 3 actions.');
  });
});

describe('status', () => {
  it("from a champion: their areas (HMPPS and LAA), what is overdue, due, and who can't be reached", async () => {
    const text = textOf(await ask(deps, CHAMPION, 'status'));
    expect(text).toContain('Status: HMPPS and LAA');
    expect(text).toContain('KIM Champion: Priya Champion');
    // HMPPS: 1.5, 4.1, 4.9a, 4.9b (in progress); LAA: 6.7. None done.
    expect(text).toContain('0 of 5 actions done (0%)');
    expect(text).toContain('Overdue (4)');
    // A champion's status looks a month ahead (the digest a fortnight).
    expect(text).toContain('Due in the next 30 days (1)');
    // RAG (docs/CHAMPIONS.md): 4.1 is high priority and overdue; 4 of the 5 open are overdue.
    expect(text).toContain(
      'Red: 1 high-priority action overdue (4.1); 80% of open actions overdue (4 of 5)',
    );
    expect(text).toContain('Owners not yet reachable (1)');
    expect(text).toContain('Sam Unreached — 4.9b, 6.7');
    expect(text).not.toContain('No owner');
  });

  it('from anyone else: the whole plan', async () => {
    const text = textOf(await ask(deps, READER, "what's the status?"));
    expect(text).toContain('Status of the whole plan');
    expect(text).toContain('2 of 42 actions done (5%)');
    expect(text).toContain('Overdue (14)');
    expect(text).toContain('…and 6 more — see the export, or actionplan list in the CLI.');
    expect(text).toContain('Due in the next 30 days (8)');
    // 40 open actions; 1.5, 4.1, 4.9a, 4.9b and 6.7 have owners now.
    expect(text).toContain('No owner (35)');
  });

  it('a chart of actions by status, with a text fallback', async () => {
    const card = cardOf(await ask(deps, READER, 'status'));
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Chart.Donut"');
    expect(json).toContain('"legend":"Not started","value":35');
    expect(json).toContain('"legend":"In progress","value":5');
    expect(json).toContain('█░░░░░░░░░░░░░░░░░░░ 5% done');
  });

  it('"status all" from a champion: the whole plan', async () => {
    expect(textOf(await ask(deps, CHAMPION, 'status all'))).toContain('Status of the whole plan');
  });

  it('any area, for anyone, named regardless of case and punctuation', async () => {
    expect(textOf(await ask(deps, READER, 'status hmpps'))).toContain('Status: HMPPS');
    const hq = textOf(await ask(deps, READER, "how's moj-hq doing?"));
    expect(hq).toContain('Status: MoJ HQ');
    expect(hq).toContain('1 of 1 action done (100%)');
    expect(hq).toContain('KIM Champion: Kim Admin');
  });

  it('an unknown area: says so and lists the areas', async () => {
    expect(textOf(await ask(deps, READER, 'status of HMCTS'))).toBe(
      'There is no area “HMCTS” in this plan. The areas are: HMPPS, LAA and MoJ HQ.',
    );
  });

  it('a plan with no areas yet: says how to add one', async () => {
    const bare = await mojDeps();
    expect(textOf(await ask(bare, READER, 'status HMPPS'))).toContain(
      'this plan has no business areas yet',
    );
  });
});

describe('a command given as data (a card button)', () => {
  it('is answered as typed, its area matched to the stored one and never read as words', async () => {
    const reply = await answerCommand(deps, {
      actor: { email: READER },
      command: { kind: 'status', area: 'moj-hq' },
      scope: 'personal',
    });
    expect(textOf(reply)).toContain('Status: MoJ HQ');
    const plan = await answerCommand(deps, {
      actor: { email: READER },
      command: { kind: 'plan' },
      scope: 'personal',
      planId: MOJ_PLAN_ID,
    });
    expect(textOf(plan)).toContain('Recommendation 1');
  });
});

describe('my actions', () => {
  it("the owner's actions, the most urgent first", async () => {
    const reply = await ask(deps, OWNER, 'my actions');
    const text = textOf(reply);
    expect(text).toContain('Your actions (3)');
    expect(text).toContain('You own 3 actions: 2 overdue and 1 due in the next 14 days.');
    expect(rowRefs(reply)).toEqual(['4.1', '4.9a', '1.5']);
    expect(text).toContain('Not started · 112 days overdue · Alex Owner · HMPPS');
  });

  it('none: says so kindly, and how actions get assigned', async () => {
    const text = textOf(await ask(deps, READER, 'my actions'));
    expect(text).toContain(
      "You don't own any actions in Ministry of Justice IMA Action Plan yet. When a plan admin or your KIM Champion assigns you one",
    );
  });

  it('without an email, says why it cannot tell', async () => {
    expect(textOf(await ask(deps, { name: 'Someone' }, 'my actions'))).toContain(
      "I can't see your email address",
    );
  });
});

describe('action <ref>', () => {
  it('text, recommendation, target as written and as a date, status, owner, area', async () => {
    const text = textOf(await ask(deps, READER, 'Action 4.9A'));
    expect(text).toContain('Action 4.9a');
    expect(text).toContain(
      'KIM Champions and Information Managers encouraging staff to follow policy around email and personal drives, and ensuring that they do so',
    );
    expect(text).toContain(
      'Recommendation 4: MoJ should continue to ensure that it has a technology environment',
    );
    expect(text).toContain('End Mar 2017 (31 March 2017) — 81 days overdue');
    expect(text).toContain('Not started');
    expect(text).toContain('Medium');
    expect(text).toContain('Alex Owner');
    expect(text).toContain('HMPPS');
  });

  it('an owner the bot cannot reach is shown as not yet reachable', async () => {
    expect(textOf(await ask(deps, READER, 'what about 4.9b?'))).toContain(
      'Sam Unreached (not yet reachable)',
    );
    await deps.plans.save(MOJ_PLAN_ID, {
      actions: [
        { value: { ...(await action(deps, '3.3')), owners: ['never.installed@justice.gov.uk'] } },
      ],
    });
    expect(textOf(await ask(deps, READER, 'show 3.3'))).toContain(
      'never.installed@justice.gov.uk (not yet reachable)',
    );
  });

  it('a done action: its status, no countdown', async () => {
    const text = textOf(await ask(deps, READER, 'show 2.6'));
    expect(text).toContain('30 Sept 2016 (30 September 2016)');
    expect(text).not.toContain('overdue');
    expect(text).toContain('Complete');
  });

  it('a target due soon', async () => {
    expect(textOf(await ask(deps, READER, 'action 1.5'))).toContain(
      'End Jun 2017 (30 June 2017) — due in 10 days',
    );
  });

  it('the last five history entries, newest first', async () => {
    const changes = [
      ['in_progress', 'Started'],
      ['blocked', 'Waiting for IT'],
      ['in_progress', 'Unblocked'],
      ['blocked', 'Waiting again'],
    ] as const;
    for (const [i, [status, note]] of changes.entries()) {
      // A minute apart, after the set-up's assignments: history is ordered by time.
      await changeAction(
        { ...deps, clock: fixedClock(`2017-06-20T10:0${i}:00.000Z`) },
        { planId: MOJ_PLAN_ID, ref: '4.9a', by: OWNER, note, apply: (a) => ({ ...a, status }) },
      );
    }
    const lines = textsOf(cardOf(await ask(deps, READER, 'action 4.9a'))).filter((t) =>
      t.startsWith('20 June 2017 · '),
    );
    // 7 entries in all: created, owners, area, then four status changes.
    expect(lines).toEqual([
      '20 June 2017 · Alex Owner: status In progress → Blocked — “Waiting again”',
      '20 June 2017 · Alex Owner: status Blocked → In progress — “Unblocked”',
      '20 June 2017 · Alex Owner: status In progress → Blocked — “Waiting for IT”',
      '20 June 2017 · Alex Owner: status Not started → In progress — “Started”',
      '20 June 2017 · Kim Admin: area set to HMPPS',
    ]);
  });

  it('carries the version read in every button, for the handlers to come', async () => {
    const stored = await deps.plans.getAction(MOJ_PLAN_ID, '4.9a');
    const json = JSON.stringify(cardOf(await ask(deps, OWNER, 'action 4.9a')));
    expect(json).toContain(
      JSON.stringify({ ref: '4.9a', planId: MOJ_PLAN_ID, version: stored!.version }).slice(1, -1),
    );
  });

  it('a ref the plan does not have: says so, with the refs nearby', async () => {
    expect(textOf(await ask(deps, READER, 'action 4.10'))).toBe(
      'There is no action 4.10 in this plan. Recommendation 4 has actions 4.1 to 4.9d.',
    );
    expect(textOf(await ask(deps, READER, 'action 9.1'))).toBe(
      "There is no action 9.1 in this plan. The plan's actions run from 1.1 to 6.7.",
    );
  });
});

describe('overdue', () => {
  it('everything overdue, the longest first', async () => {
    const reply = await ask(deps, READER, "what's overdue?");
    expect(textOf(reply)).toContain('Overdue actions (14)');
    expect(rowRefs(reply)).toEqual([
      '4.4',
      '6.7',
      '4.1',
      '1.1',
      '1.2',
      '1.4',
      '2.4',
      '4.3',
      '4.7',
      '4.8',
      '4.9a',
      '4.9b',
      '4.9c',
      '4.5',
    ]);
  });

  it("a champion's areas come first", async () => {
    const reply = await ask(deps, CHAMPION, 'overdue');
    expect(textOf(reply)).toContain('The 4 in your areas (HMPPS and LAA) come first');
    expect(rowRefs(reply).slice(0, 5)).toEqual(['6.7', '4.1', '4.9a', '4.9b', '4.4']);
  });

  it('nothing overdue: says so', async () => {
    const early = await mojWorld('2016-09-01T09:00:00.000Z');
    expect(textOf(await ask(early, READER, 'overdue'))).toContain('Nothing is overdue');
  });
});

describe('plan', () => {
  it('progress per recommendation, with a stacked bar chart and a text fallback', async () => {
    const reply = await ask(deps, READER, 'plan');
    const text = textOf(reply);
    expect(text).toContain('2 of 42 actions done (5%)');
    expect(text).toContain(
      '**Recommendation 1** · 0 of 5 actions done (0%) · 2 in progress · 3 not started',
    );
    expect(text).toContain('**Recommendation 2** · 1 of 8 actions done (13%) · 7 not started');
    expect(text).toContain('**Recommendation 3** · 1 of 6 actions done (17%) · 5 not started');
    expect(text).toContain(
      '**Recommendation 4** · 0 of 13 actions done (0%) · 3 in progress · 10 not started',
    );
    const json = JSON.stringify(cardOf(reply));
    expect(json).toContain('"type":"Chart.HorizontalBar.Stacked"');
    expect(json).toContain('"fallback":{"type":"TextBlock"');
  });
});

describe('admin commands', () => {
  it('an admin assigns an owner and an area (named regardless of case)', async () => {
    const reply = await ask(deps, ADMIN, 'assign 3.3 to Jo.Reader@justice.gov.uk area laa');
    expect(textOf(reply)).toContain(
      'Action 3.3 is now owned by Jo Reader (jo.reader@justice.gov.uk) in LAA.',
    );
    const stored = await action(deps, '3.3');
    expect(stored.owners).toEqual(['jo.reader@justice.gov.uk']);
    expect(stored.area).toBe('LAA');
    const history = await deps.plans.listHistory(MOJ_PLAN_ID, '3.3');
    expect(history.slice(-2).map((h) => [h.by, h.field, h.to])).toEqual([
      [ADMIN, 'owners', 'jo.reader@justice.gov.uk'],
      [ADMIN, 'area', 'LAA'],
    ]);
  });

  it('warns when the new owner cannot be reached yet', async () => {
    const text = textOf(await ask(deps, ADMIN, 'assign 3.3 to new.person@justice.gov.uk'));
    expect(text).toContain("new.person@justice.gov.uk hasn't installed the bot yet");
  });

  it('a stored admin (Person with admin: true) may assign too', async () => {
    await deps.people.savePerson(person(READER, { admin: true }));
    await ask(deps, READER, 'assign 3.3 to jo.reader@justice.gov.uk');
    expect((await action(deps, '3.3')).owners).toEqual(['jo.reader@justice.gov.uk']);
  });

  it('the same assignment again changes nothing, and says so', async () => {
    expect(textOf(await ask(deps, ADMIN, `assign 4.9a to ${OWNER}`))).toBe(
      'Action 4.9a already had that owner; nothing has changed.',
    );
  });

  it.each([
    ['a reader', READER],
    ['a champion', CHAMPION],
    ['an owner', OWNER],
  ])('%s gets a polite refusal, and nothing changes', async (_who, email) => {
    const before = await deps.plans.listHistory(MOJ_PLAN_ID);
    const text = textOf(await ask(deps, email, `assign 4.9a to ${email}`));
    expect(text).toContain('Only a plan admin can assign actions, so nothing has changed.');
    expect(await deps.plans.listHistory(MOJ_PLAN_ID)).toEqual(before);
    expect((await action(deps, '4.9a')).owners).toEqual([OWNER]);
  });

  it('an area that does not exist: says how to add it, and changes nothing', async () => {
    const text = textOf(await ask(deps, ADMIN, 'assign 3.3 to a@justice.gov.uk area HMCTS'));
    expect(text).toContain('There is no area “HMCTS” yet, so nothing has changed.');
    expect(text).toContain('champion HMCTS name@department.gov.uk');
    expect((await action(deps, '3.3')).owners).toEqual([]);
  });

  it("an action that does not exist: the use case's plain message", async () => {
    expect(textOf(await ask(deps, ADMIN, 'assign 9.9 to a@justice.gov.uk'))).toBe(
      'There is no action 9.9 in this plan.',
    );
  });

  it('an admin names a champion of a new area, then of an existing one', async () => {
    const added = textOf(await ask(deps, ADMIN, 'champion HMCTS Jo.Reader@justice.gov.uk'));
    expect(added).toContain(
      'Added the area HMCTS, with Jo Reader (jo.reader@justice.gov.uk) as KIM Champion.',
    );
    const more = textOf(await ask(deps, ADMIN, `make ${OWNER} KIM champion for hmcts`));
    expect(more).toContain(
      'Alex Owner (alex.owner@justice.gov.uk) is now a KIM Champion for HMCTS.',
    );
    const areas = (await deps.plans.listAreas(MOJ_PLAN_ID)).map((a) => a.value);
    expect(areas.find((a) => a.name === 'HMCTS')?.champions).toEqual([
      'jo.reader@justice.gov.uk',
      OWNER,
    ]);
    expect(textOf(await welcome(deps, { email: READER }))).toContain(
      'You are the KIM Champion for HMCTS.',
    );
  });

  it('naming a champion twice says they already were', async () => {
    expect(textOf(await ask(deps, ADMIN, `champion HMPPS ${CHAMPION}`))).toContain(
      'Priya Champion (priya.champion@justice.gov.uk) was already KIM Champion for HMPPS.',
    );
  });

  it('a non-admin cannot name champions; nothing changes', async () => {
    const before = await deps.plans.listAreas(MOJ_PLAN_ID);
    expect(textOf(await ask(deps, CHAMPION, `champion HMCTS ${READER}`))).toContain(
      'Only a plan admin can name KIM Champions',
    );
    expect(await deps.plans.listAreas(MOJ_PLAN_ID)).toEqual(before);
  });

  it('an admin command with a part missing: how to write it (to admins only)', async () => {
    expect(textOf(await ask(deps, ADMIN, 'assign 4.9a'))).toContain(
      'To assign an action, write: assign 1.1 to name@department.gov.uk',
    );
    expect(textOf(await ask(deps, ADMIN, 'champion HMPPS'))).toContain(
      'To name a KIM Champion, write: champion HMPPS name@department.gov.uk.',
    );
    expect(textOf(await ask(deps, READER, 'assign 4.9a'))).toContain(
      'Only a plan admin can assign actions',
    );
  });
});

describe('plans and errors', () => {
  it('no plan imported yet: the plain message', async () => {
    const empty = { ...deps, plans: new InMemoryPlanRepository() };
    expect(textOf(await ask(empty, READER, 'status'))).toBe(
      'No plan has been imported yet. Import one first: actionplan import <file>.',
    );
  });

  it('several plans: the one named, or a plain message listing them', async () => {
    await deps.plans.save('other-plan', {
      plan: { value: aPlan({ id: 'other-plan', title: 'Other plan' }), expectedVersion: null },
      actions: [{ value: anAction({ planId: 'other-plan', ref: '1.1' }), expectedVersion: null }],
    });
    expect(textOf(await ask(deps, READER, 'status'))).toContain('There are 2 plans');
    expect(textOf(await ask(deps, READER, 'status', 'personal', 'other-plan'))).toContain(
      'Other plan',
    );
  });

  it('storage that does not answer is thrown, for the Teams edge to log and apologise', async () => {
    const failing: BotDeps = {
      ...deps,
      plans: {
        ...deps.plans,
        listPlans: () =>
          Promise.reject(new ActionPlanError('storage_unavailable', 'Storage did not answer.')),
      } as BotDeps['plans'],
    };
    await expect(ask(failing, READER, 'status')).rejects.toMatchObject({
      reason: 'storage_unavailable',
    });
  });
});

describe('an area with 200 actions stays under the Teams limit', () => {
  const BIG = 'big-plan';
  const longText = (ref: string) =>
    `Action ${ref}: ${'Ensuring that information managers have the right skills, guidance and support to help staff move their records into the new corporate system. '.repeat(3)}`;

  async function bigDeps(): Promise<BotDeps> {
    const plans = new InMemoryPlanRepository();
    const people = new InMemoryPeopleRepository();
    const recommendations = Array.from({ length: 10 }, (_, i) => ({
      number: String(i + 1),
      text: `Recommendation ${i + 1}: ${'a long recommendation text '.repeat(10)}`,
    }));
    const actions = Array.from({ length: 200 }, (_, i) => {
      const ref = `${Math.floor(i / 20) + 1}.${(i % 20) + 1}`;
      return anAction({
        planId: BIG,
        ref,
        text: longText(ref),
        targetText: i % 2 ? 'End Mar 2017' : 'End Jun 2017',
        owners: [OWNER, `owner.number.${i}@justice.gov.uk`],
        area: 'HMPPS',
        note: 'A long note. '.repeat(50),
      });
    });
    await plans.save(BIG, {
      plan: { value: aPlan({ id: BIG, recommendations }), expectedVersion: null },
      actions: actions.map((value) => ({ value, expectedVersion: null })),
      areas: [
        { value: { planId: BIG, name: 'HMPPS', champions: [CHAMPION] }, expectedVersion: null },
      ],
    });
    return { plans, people, clock: fixedClock(NOW), adminEmails: [ADMIN], renderCard };
  }

  it.each([
    [CHAMPION, 'status'],
    [READER, 'status HMPPS'],
    [READER, 'overdue'],
    [OWNER, 'my actions'],
    [READER, 'plan'],
    [UNREACHED, 'action 10.20'],
  ])('%s: %s', async (who, text) => {
    const big = await bigDeps();
    const reply = await ask(big, who, text);
    expect(bytesOf(reply)).toBeLessThan(40 * 1024);
    expect(textOf(reply)).not.toContain('too long');
  });

  it('a card too big all the same (an action with 1,500 owners) is a short notice instead', async () => {
    const big = await bigDeps();
    await crowd(big, '1.1', BIG);
    const reply = await ask(big, OWNER, 'action 1.1');
    expect(bytesOf(reply)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(textOf(reply)).toContain('too long for one Teams message');
  });

  it('lists show the first rows and say how many more, and where to see them', async () => {
    const big = await bigDeps();
    const mine = await ask(big, OWNER, 'my actions');
    expect(textOf(mine)).toContain('Your actions (200)');
    expect(rowRefs(mine)).toHaveLength(25);
    expect(textOf(mine)).toContain(
      '…and 175 more — see the export, or actionplan list in the CLI.',
    );
    // 100 targets at End Mar 2017 are overdue; the status card shows eight of them.
    expect(textOf(await ask(big, READER, 'status HMPPS'))).toContain('…and 92 more');
  });
});
