import { addArea } from '../../../src/app/add-area.js';
import { assignAction } from '../../../src/app/assign-action.js';
import { runCli } from '../../../src/cli/program.js';
import {
  ADD_NOTE,
  APPROVE_DATE,
  MY_ACTIONS,
  NAVIGATION_VERBS,
  NOT_MINE,
  PROPOSE_DATE,
  REASSIGN,
  REFRESH_ACTION,
  SET_STATUS,
  SHOW_ACTION,
  SNOOZE,
} from '../../../src/cards/verbs.js';
import { readPlanFile } from '../../../src/documents/plan-file.js';
import type { Action, HistoryEntry, Versioned } from '../../../src/domain/plan.js';
import { statusLabel } from '../../../src/domain/status.js';
import {
  aConversationUpdate,
  aMessage,
  anInvoke,
  BOT,
  KIM,
  personalChatOf,
  SAM,
  startBotDriver,
  type ActivityJson,
  type BotDriver,
  type HttpAnswer,
  type User,
} from '../../helpers/bot-driver.js';
import type { RecordedRequest } from '../../helpers/fake-connector.js';
import { importMojPlan } from '../../helpers/fixtures.js';

/**
 * Card presses through the whole bot, as Teams makes them: the real server, the embedded Azurite,
 * the fake connector. Sam owns 4.9a (HMPPS), Kim is HMPPS's KIM Champion, Ada a plan admin, Jo
 * nobody in particular; all four have installed the bot.
 */

const ADA: User = {
  id: '29:1ada-admin',
  name: 'Ada Admin',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000003',
  email: 'ada.admin@justice.gov.uk',
};
const JO: User = {
  id: '29:1jo-reader',
  name: 'Jo Reader',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000004',
  email: 'jo.reader@justice.gov.uk',
};

type Json = Record<string, unknown>;

/** Everything a person reads on a card, without the zero-width spaces of escaping. */
function textOf(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Json;
    for (const k of ['text', 'title', 'value'])
      if (typeof o[k] === 'string') out.push(o[k] as string);
    for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
  };
  walk(card);
  return out.join('\n').replace(/\u200b/g, '');
}

/** The card of an invoke answer, failing the test when the answer is not a card. */
function cardOf(answer: HttpAnswer): Json {
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
  });
  return answer.body.value as Json;
}

/** The message of an invoke answer, failing the test when the answer is not a message. */
function messageOf(answer: HttpAnswer): string {
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
  });
  return answer.body.value as string;
}

const cardInActivity = (r: RecordedRequest | undefined): Json =>
  r?.body?.attachments?.[0]?.content as Json;

// What follows an answer (copies, notices) is awaited by polling; give it room on a slow machine.
jest.setTimeout(60_000);

describe('card presses, end to end', () => {
  let bot: BotDriver;
  let planId: string;

  const deps = () => bot.container.deps;
  const action = async (ref = '4.9a'): Promise<Versioned<Action>> =>
    (await deps().plans.getAction(planId, ref))!;
  const history = (ref = '4.9a'): Promise<HistoryEntry[]> => deps().plans.listHistory(planId, ref);

  /** A press of a button on a card showing the action as it is now (unless `version` is given). */
  async function invoke(
    user: User,
    verb: string,
    data: Json = {},
    o: { ref?: string; version?: string; replyToId?: string; timestamp?: string } = {},
  ): Promise<ActivityJson> {
    const ref = o.ref ?? '4.9a';
    const version = o.version ?? (await action(ref)).version;
    const activity = anInvoke({
      from: user,
      verb,
      data: { ref, planId, version, ...data },
      replyToId: o.replyToId ?? `card-for-${user.id}`,
    });
    return o.timestamp ? { ...activity, timestamp: o.timestamp } : activity;
  }
  const press = async (...args: Parameters<typeof invoke>): Promise<HttpAnswer> =>
    bot.send(await invoke(...args));

  /** Polls until `check` passes (what the bot does after answering takes a moment). */
  async function eventually(check: () => void | Promise<void>): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await check();
        return;
      } catch (error) {
        if (i >= 400) throw error;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  const sentTo = (user: User): RecordedRequest[] =>
    bot.connector.requests.filter(
      (r) => r.kind === 'send' && r.conversationId === personalChatOf(user).id,
    );

  beforeAll(async () => {
    bot = await startBotDriver({
      members: [SAM, KIM, ADA, JO],
      env: { ADMIN_EMAILS: ADA.email },
      // These tests are about what presses write and answer, in bursts of twenty with the
      // emulator on the bot's own thread; on a loaded machine that can outlast Teams' budget,
      // whose answer is frozen-storage.test.ts's subject. Here the answer is always awaited.
      invokeDeadline: { answerMs: 60_000, storageMs: 55_000 },
    });
    planId = (await importMojPlan(deps(), { source: 'moj.txt' })).planId;
    await addArea(deps(), { planId, name: 'HMPPS', champions: [KIM.email] });
    for (const ref of ['4.9a', '4.1', '1.5']) {
      await assignAction(deps(), { planId, ref, owners: [SAM.email], area: 'HMPPS', by: 'cli' });
    }
    await assignAction(deps(), {
      planId,
      ref: '4.9b',
      owners: [JO.email],
      area: 'HMPPS',
      by: 'cli',
    });
    // Each installs the bot in their personal chat: the bot learns who they are and how to reach them.
    for (const user of [SAM, KIM, ADA, JO]) {
      await bot.send(aConversationUpdate({ from: user, membersAdded: [{ id: BOT.id }] }));
    }
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.clear();
  });

  describe('each verb', () => {
    it('set status: the card comes back saying so, with the new state, and storage has it', async () => {
      const card = cardOf(
        await press(SAM, SET_STATUS, { status: 'blocked', statusNote: 'Waiting on IT' }),
      );
      expect(textOf(card)).toContain(
        'Saved: action 4.9a is now Blocked. Your note is saved with it.',
      );
      expect(textOf(card)).toMatch(/Updated by Sam Owner on \d+ \w+ \d{4}/);
      expect((await action()).value).toMatchObject({ status: 'blocked', note: 'Waiting on IT' });
      expect((await history()).at(-1)).toMatchObject({
        kind: 'changed',
        by: SAM.email,
        field: 'status',
        to: 'Blocked',
        note: 'Waiting on IT',
      });
      // The card refreshes itself for the owner and the champion.
      expect(card['refresh']).toMatchObject({ userIds: [SAM.id, KIM.id] });
    });

    it('add a note', async () => {
      cardOf(await press(SAM, ADD_NOTE, { note: ' Drafted; with the SIRO. ' }));
      expect((await action()).value.note).toBe('Drafted; with the SIRO.');
    });

    it('propose a new date: moved at once, and the champion told in their chat', async () => {
      const card = cardOf(
        await press(SAM, PROPOSE_DATE, { date: '2031-03-31', reason: 'Supplier late' }),
      );
      expect(textOf(card)).toContain("moved to 31 March 2031. I've told Kim Champion");
      expect((await action()).value.target).toMatchObject({ date: '2031-03-31' });
      await eventually(() => expect(sentTo(KIM)).toHaveLength(1));
      expect(textOf(cardInActivity(sentTo(KIM)[0]))).toContain(
        'Sam Owner moved the target of action 4.9a',
      );
    });

    it('propose a new date on a plan needing approval: the champion approves on their card', async () => {
      const plan = (await deps().plans.getPlan(planId))!;
      await deps().plans.save(planId, {
        plan: {
          value: { ...plan.value, settings: { newDatesNeedApproval: true } },
          expectedVersion: plan.version,
        },
      });
      try {
        cardOf(
          await press(SAM, PROPOSE_DATE, { date: '2031-06-30', reason: 'Needs the new system' }),
        );
        expect((await action()).value.proposedTarget).toMatchObject({ date: '2031-06-30' });
        await eventually(() => expect(sentTo(KIM)).toHaveLength(1));
        const asked = cardInActivity(sentTo(KIM)[0]);
        expect(textOf(asked)).toContain('Approve new date');

        const approved = cardOf(
          await press(KIM, APPROVE_DATE, {}, { replyToId: sentTo(KIM)[0]!.body.id }),
        );
        expect(textOf(approved)).toContain(
          'Approved: the target of action 4.9a is now 30 June 2031.',
        );
        expect((await action()).value).toMatchObject({ target: { date: '2031-06-30' } });
        expect((await action()).value.proposedTarget).toBeUndefined();
        await eventually(() =>
          expect(textOf(cardInActivity(sentTo(SAM).at(-1)))).toContain(
            'approved your new target date',
          ),
        );
      } finally {
        const now = (await deps().plans.getPlan(planId))!;
        await deps().plans.save(planId, {
          plan: { value: { ...now.value, settings: {} }, expectedVersion: now.version },
        });
      }
    });

    it('remind me later', async () => {
      cardOf(await press(SAM, SNOOZE, { for: '1w' }));
      expect((await action()).value.snooze).toMatchObject({ by: SAM.email });
      expect((await history()).at(-1)).toMatchObject({ field: 'snooze' });
    });

    it('not mine: the champion gets the reason and reassigns from their card', async () => {
      const card = cardOf(
        await press(SAM, NOT_MINE, { notMineReason: "Jo's team runs this" }, { ref: '1.5' }),
      );
      expect(textOf(card)).toContain("I've told Kim Champion");
      await eventually(() => expect(sentTo(KIM)).toHaveLength(1));
      const kims = cardInActivity(sentTo(KIM)[0]);
      expect(textOf(kims)).toContain("Jo's team runs this");

      const done = cardOf(await press(KIM, REASSIGN, { newOwners: JO.email }, { ref: '1.5' }));
      expect(textOf(done)).toContain('Action 1.5 is now owned by Jo Reader.');
      expect((await action('1.5')).value.owners).toEqual([JO.email]);
      await eventually(() =>
        expect(textOf(cardInActivity(sentTo(JO).at(-1)))).toContain('gave you action 1.5'),
      );
    });

    it('navigation buttons are answered as the commands they stand for, never 501', async () => {
      for (const verb of NAVIGATION_VERBS) {
        const answer = await bot.send(anInvoke({ from: SAM, verb, data: { planId, ref: '4.9a' } }));
        expect([verb, answer.status, answer.body?.statusCode]).toEqual([verb, 200, 200]);
      }
      const mine = cardOf(
        await bot.send(anInvoke({ from: SAM, verb: MY_ACTIONS, data: { planId } })),
      );
      expect(textOf(mine)).toContain('Your actions');
      const shown = cardOf(
        await bot.send(anInvoke({ from: SAM, verb: SHOW_ACTION, data: { planId, ref: '4.1' } })),
      );
      expect(textOf(shown)).toContain('Action 4.1');
    });

    it("refresh: the card as it is now, with the viewer's buttons", async () => {
      const activity = anInvoke({ from: JO, verb: REFRESH_ACTION, data: { planId, ref: '4.9a' } });
      const card = cardOf(
        await bot.send({ ...activity, value: { ...activity.value, trigger: 'automatic' } }),
      );
      expect(textOf(card)).toContain('Action 4.9a');
      expect(textOf(card)).not.toContain('Mark complete');
      expect(bot.connector.requests).toEqual([]);
    });
  });

  it("a non-owner's press is refused: nothing changes, the attempt is in the history and the CLI's", async () => {
    const before = await action();
    const card = cardOf(await press(JO, SET_STATUS, { status: 'complete' }));
    expect(textOf(card)).toContain("You can't change action 4.9a");
    expect(await action()).toEqual(before);
    expect((await history()).at(-1)).toMatchObject({
      kind: 'refused',
      by: JO.email,
      field: 'status',
      to: 'Complete',
    });

    const out: string[] = [];
    const code = await runCli(['history', '4.9a', '--plan', planId], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      config: bot.config,
      // The bot's own container: the CLI reads what the presses wrote. Left open for the bot.
      open: async () => ({
        deps: deps(),
        reminderDeps: () => bot.container.reminderDeps(),
        close: async () => {},
      }),
      readPlanFile,
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/jo\.reader@justice\.gov\.uk\s+refused: status to "Complete"/);
  });

  it('a stale card: the action as it stands, asked again, nothing overwritten', async () => {
    const old = await action();
    cardOf(await press(KIM, SET_STATUS, { status: 'in_progress' }));
    const now = await action();
    // Sam presses the old card after Kim's change has landed.
    while (Date.now() <= Date.parse(now.value.updatedAt))
      await new Promise((r) => setTimeout(r, 1));
    const card = cardOf(
      await press(SAM, SET_STATUS, { status: 'complete' }, { version: old.version }),
    );
    expect(textOf(card)).toContain('This card was out of date: Kim Champion changed action 4.9a');
    expect(await action()).toEqual(now);
    expect(JSON.stringify(card)).toContain(JSON.stringify(now.version));
  });

  it('600 presses in rounds of twenty on one action: 600 history entries in order, none lost, the last press is the status', async () => {
    const before = (await history()).length;
    const statuses = ['in_progress', 'blocked', 'complete'] as const;
    const ROUNDS = 30;
    for (let round = 0; round < ROUNDS; round++) {
      const card = await action();
      // All pressed on the same card, a moment before any of them reached the bot.
      const pressedAt = new Date(Date.now() - 1000).toISOString();
      const presses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          invoke(
            [SAM, KIM, ADA][i % 3]!,
            SET_STATUS,
            { status: statuses[(round + i) % 3], statusNote: `round ${round} press ${i}` },
            { version: card.version, timestamp: pressedAt },
          ),
        ),
      );
      const answers = await Promise.all(presses.map((p) => bot.send(p)));
      for (const answer of answers) {
        expect(textOf(cardOf(answer))).toContain('Saved: action 4.9a is');
      }
    }

    const entries = (await history()).slice(before);
    expect(entries).toHaveLength(600);
    expect(entries.every((e) => e.kind === 'changed' && e.field === 'status')).toBe(true);
    expect(new Set(entries.map((e) => e.by))).toEqual(new Set([SAM.email, KIM.email, ADA.email]));
    // Every press once; each round after the one before; each entry starting where the one
    // before it ended, so no write was lost or reordered between them.
    expect(new Set(entries.map((e) => e.note)).size).toBe(600);
    const rounds = entries.map((e) => Number(/^round (\d+)/.exec(e.note ?? '')?.[1]));
    expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.from).toBe(entries[i - 1]!.to);
    // The card shows the latest five, newest first: the last five of the history.
    expect((await deps().plans.latestHistory(planId, '4.9a', 5)).reverse()).toEqual(
      entries.slice(-5),
    );
    const final = await action();
    expect(entries.at(-1)!.to).toBe(statusLabel(final.value.status));
    expect(final.value.note).toBe(entries.at(-1)!.note);
  }, 300_000);

  it('after an update, the earlier reminder cards of the action show the new state (PUT)', async () => {
    const sam = (await deps().people.getByEmail(SAM.email))!.value;
    const kim = (await deps().people.getByEmail(KIM.email))!.value;
    for (const [activityId, person] of [
      ['reminder-sam-1', sam],
      ['reminder-sam-2', sam],
      ['escalation-kim-1', kim],
    ] as const) {
      await deps().sentCards!.record({
        planId,
        ref: '4.1',
        activityId,
        conversation: person.conversation!,
        kind: 'reminder',
        recipient: person.email,
        sentAt: new Date().toISOString(),
      });
    }
    cardOf(
      await press(
        SAM,
        SET_STATUS,
        { status: 'blocked' },
        { ref: '4.1', replyToId: 'reminder-sam-1' },
      ),
    );
    const version = (await action('4.1')).version;
    // Only 4.1's copies: earlier tests' copies of 4.9a may still be being brought up to date.
    const copiesOf41 = new Set(['reminder-sam-1', 'reminder-sam-2', 'escalation-kim-1']);
    const updates = () =>
      bot.connector.requests.filter((r) => r.kind === 'update' && copiesOf41.has(r.activityId!));
    await eventually(() =>
      expect(
        updates()
          .map((u) => u.activityId)
          .sort(),
      ).toEqual(['escalation-kim-1', 'reminder-sam-2']),
    );
    for (const update of updates()) {
      const card = cardInActivity(update);
      expect(textOf(card)).toContain('Blocked');
      expect(JSON.stringify(card)).toContain(JSON.stringify(version));
    }
    expect(updates().find((u) => u.activityId === 'escalation-kim-1')?.conversationId).toBe(
      personalChatOf(KIM).id,
    );
  });

  it('the Action.Submit fallback goes down the same path and is answered with a reply', async () => {
    const version = (await action('4.1')).version;
    const submit = aMessage({ from: SAM, text: '' });
    const { text: _none, ...withoutText } = submit;
    const activity = {
      ...withoutText,
      replyToId: 'old-client-card',
      value: { verb: SET_STATUS, ref: '4.1', planId, version, status: 'complete' },
    };
    const answer = await bot.send(activity);
    expect(answer.status).toBe(200);
    expect((await action('4.1')).value.status).toBe('complete');
    const reply = bot.connector.messages().find((m) => m.kind === 'reply');
    expect(textOf(cardInActivity(reply))).toContain('Saved: action 4.1 is now Complete.');
    // The pressed card is updated in place too: old clients keep no stale buttons.
    await eventually(() =>
      expect(
        bot.connector.requests.some(
          (r) => r.kind === 'update' && r.activityId === 'old-client-card',
        ),
      ).toBe(true),
    );

    bot.connector.clear();
    await bot.send({
      ...withoutText,
      id: 'submit-2',
      value: { verb: 'launchMissiles', ref: '4.1' },
    });
    expect(JSON.stringify(bot.connector.messages()[0]?.body)).toContain("I don't know that button");
  });

  describe('forged data is refused cleanly', () => {
    it("another action's ref: judged on that action; its owner's work is untouched", async () => {
      const theirs = await action('4.9b');
      const card = cardOf(
        await press(
          SAM,
          SET_STATUS,
          { status: 'complete' },
          { ref: '4.9b', version: (await action()).version },
        ),
      );
      expect(textOf(card)).toContain("You can't change action 4.9b");
      expect(await action('4.9b')).toEqual(theirs);
      expect((await history('4.9b')).at(-1)).toMatchObject({ kind: 'refused', by: SAM.email });
    });

    it("another plan's id", async () => {
      const activity = await invoke(SAM, SET_STATUS, {
        status: 'complete',
        planId: 'another-departments-plan',
      });
      expect(messageOf(await bot.send(activity))).toContain(
        "I can't find the plan this card is about",
      );
    });

    it('template expressions and markdown links in a note are kept as typed and shown inert', async () => {
      const note =
        'Done ${$root.version} [click me](https://evil.example) ![x](https://evil.example/i.png)';
      const card = cardOf(await press(SAM, ADD_NOTE, { note }));
      expect((await action()).value.note).toBe(note);
      const json = JSON.stringify(card);
      expect(json).not.toContain('${');
      expect(json).not.toContain('](https://evil');
      expect(textOf(card)).toContain(note);
    });

    it('a 100 KB note', async () => {
      const before = await history();
      const text = messageOf(await press(SAM, ADD_NOTE, { note: 'x'.repeat(100 * 1024) }));
      expect(text).toContain('102,400 characters long; it can be at most 1,000');
      expect(await history()).toEqual(before);
    });

    it.each([
      ['a status that is a number', { status: 3 }, SET_STATUS],
      ['a status no card sets', { status: 'closed' }, SET_STATUS],
      ['a note that is an object', { note: { text: 'hi' } }, ADD_NOTE],
      ['a date that is not one', { date: '2031-02-30', reason: 'r' }, PROPOSE_DATE],
      ['a snooze for ever', { for: 'forever' }, SNOOZE],
      ['a ref that is a list', { ref: ['4.9a'] }, SET_STATUS],
      ['a version that is a number', { version: 7, status: 'blocked' }, SET_STATUS],
    ])('%s', async (_name, data, verb) => {
      const before = await history();
      const stored = await action();
      const text = messageOf(await press(SAM, verb, data));
      expect(text).toMatch(/nothing has (changed|been saved)|not a real date/i);
      expect(await history()).toEqual(before);
      expect(await action()).toEqual(stored);
    });

    it('data that is not an object at all', async () => {
      const activity = anInvoke({ from: SAM, verb: SET_STATUS });
      const text = messageOf(
        await bot.send({
          ...activity,
          value: { action: { type: 'Action.Execute', verb: SET_STATUS, data: 'DROP TABLE' } },
        }),
      );
      expect(text).toContain('no details I can read');
    });
  });
});
