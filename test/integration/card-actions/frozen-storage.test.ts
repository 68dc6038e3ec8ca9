import { addArea } from '../../../src/app/add-area.js';
import { assignAction } from '../../../src/app/assign-action.js';
import { ADD_NOTE, REFRESH_ACTION, SET_STATUS } from '../../../src/cards/verbs.js';
import { NOT_CONFIRMED, STORAGE_UNAVAILABLE } from '../../../src/teams/replies.js';
import { startAzuriteProcess, type AzuriteProcess } from '../../helpers/azurite-process.js';
import {
  aConversationUpdate,
  anInvoke,
  BOT,
  KIM,
  SAM,
  startBotDriver,
  type ActivityJson,
  type BotDriver,
  type HttpAnswer,
  type User,
} from '../../helpers/bot-driver.js';
import { importMojPlan } from '../../helpers/fixtures.js';
import { plainText } from '../../../src/teams/plain-text.js';

/**
 * Storage that stops answering mid-conversation: the Azurite processes frozen (SIGSTOP), so
 * connections are accepted and nothing comes back, as with a storage account that hangs. Teams
 * gives an invoke about 5 seconds; the bot answers each within 4 with plain words, tells a
 * health probe it is down, claims nothing it did not write, and loses nothing once storage is back.
 */

/** What Teams waits for, less a second for the network: every answer arrives before it. */
const ANSWER_WITHIN_MS = 4_000;
const FROZEN_MS = 20_000;

jest.setTimeout(120_000);

describe('card presses while storage is frozen', () => {
  let azurite: AzuriteProcess;
  let bot: BotDriver;
  let planId: string;

  const deps = () => bot.container.deps;

  /** A press on a card showing the action at `version` (read before storage froze). */
  const pressOf = (
    user: User,
    verb: string,
    ref: string,
    version: string,
    data: Record<string, unknown> = {},
  ): ActivityJson =>
    anInvoke({ from: user, verb, data: { ref, planId, version, ...data }, replyToId: 'card-1' });

  /** Sends and times one activity. */
  const timed = async (activity: ActivityJson): Promise<{ answer: HttpAnswer; ms: number }> => {
    const start = Date.now();
    const answer = await bot.send(activity);
    return { answer, ms: Date.now() - start };
  };

  beforeAll(async () => {
    azurite = await startAzuriteProcess();
    bot = await startBotDriver({
      members: [SAM, KIM],
      env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString },
    });
    planId = (await importMojPlan(deps(), { source: 'moj.txt' })).planId;
    await addArea(deps(), { planId, name: 'HMPPS', champions: [KIM.email] });
    for (const ref of ['4.9a', '4.1']) {
      await assignAction(deps(), { planId, ref, owners: [SAM.email], area: 'HMPPS', by: 'cli' });
    }
    for (const user of [SAM, KIM]) {
      await bot.send(aConversationUpdate({ from: user, membersAdded: [{ id: BOT.id }] }));
    }
  });
  afterAll(async () => {
    azurite?.resume();
    await bot?.close();
    await azurite?.stop();
  });

  it('answers every press within 4 s in plain words, says it is down, and loses nothing', async () => {
    // Pressed and saved before storage froze.
    const version = async (ref: string) => (await deps().plans.getAction(planId, ref))!.version;
    const before = await bot.send(
      pressOf(SAM, SET_STATUS, '4.9a', await version('4.9a'), {
        status: 'blocked',
        statusNote: 'saved before the freeze',
      }),
    );
    expect(before.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    const saved = (await deps().plans.getAction(planId, '4.9a'))!;
    expect(saved.value).toMatchObject({ status: 'blocked', note: 'saved before the freeze' });
    const historyBefore = await deps().plans.listHistory(planId);
    const v41 = await version('4.1');

    azurite.pause();
    const frozenAt = Date.now();
    const answers: { answer: HttpAnswer; ms: number; note?: string }[] = [];
    let health: HttpAnswer | undefined;
    let n = 0;
    while (Date.now() - frozenAt < FROZEN_MS) {
      // A few people at once on one action (their answers wait on the same write), another action,
      // a look at a card, and the health probe.
      const notes = [0, 1, 2].map(() => `pressed while frozen ${(n += 1)}`);
      const round = await Promise.all([
        ...notes.map((note, i) =>
          timed(
            pressOf([SAM, KIM][i % 2]!, SET_STATUS, '4.9a', saved.version, {
              status: 'in_progress',
              statusNote: note,
            }),
          ).then((t) => ({ ...t, note })),
        ),
        timed(pressOf(SAM, ADD_NOTE, '4.1', v41, { note: `note while frozen ${n}` })).then((t) => ({
          ...t,
          note: `note while frozen ${n}`,
        })),
        timed(pressOf(KIM, REFRESH_ACTION, '4.9a', saved.version)),
      ]);
      answers.push(...round);
      health ??= await bot.get('/healthz');
    }
    const frozenFor = Date.now() - frozenAt;

    expect(frozenFor).toBeGreaterThanOrEqual(FROZEN_MS);
    expect(health?.status).toBe(503);
    expect(answers.length).toBeGreaterThanOrEqual(20);
    for (const { answer, ms } of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
      });
      expect([plainText(STORAGE_UNAVAILABLE), plainText(NOT_CONFIRMED)]).toContain(
        answer.body.value,
      );
      expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    }

    azurite.resume();
    for (let i = 0; (await bot.get('/healthz')).status !== 200; i++) {
      if (i > 100) throw new Error('storage did not come back');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Writes sent before the deadline may land late; give them a moment, then look.
    await new Promise((r) => setTimeout(r, 2_000));

    const history = await deps().plans.listHistory(planId);
    // Nothing saved before the freeze is lost.
    for (const entry of historyBefore) expect(history).toContainEqual(entry);
    const notesSaved = new Set(history.map((h) => h.note).filter(Boolean));
    expect(notesSaved).toContain('saved before the freeze');
    // An answer that said nothing was changed is true: that press wrote nothing.
    for (const { answer, note } of answers) {
      if (note && answer.body.value === plainText(STORAGE_UNAVAILABLE)) {
        expect(notesSaved).not.toContain(note);
        expect((await deps().plans.getAction(planId, '4.1'))!.value.note).not.toBe(note);
      }
    }
    // And presses work again.
    const after = await bot.send(
      pressOf(SAM, SET_STATUS, '4.9a', await version('4.9a'), {
        status: 'in_progress',
        statusNote: 'after the freeze',
      }),
    );
    expect(after.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    expect((await deps().plans.getAction(planId, '4.9a'))!.value.note).toBe('after the freeze');
  });
});
