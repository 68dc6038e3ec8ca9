import { assignAction } from '../../../src/app/assign-action.js';
import { importPlan } from '../../../src/app/import-plan.js';
import { ADD_NOTE, SET_STATUS } from '../../../src/cards/verbs.js';
import { parseTextPlan } from '../../../src/documents/text-plan-importer.js';
import {
  aConversationUpdate,
  aMessage,
  anInvoke,
  BOT,
  KIM,
  SAM,
  startBotDriver,
  type BotDriver,
  type HttpAnswer,
  type User,
} from '../../helpers/bot-driver.js';
import { mojPlanText } from '../../helpers/fixtures.js';
import { storageSnapshot } from '../../helpers/storage-snapshot.js';

/**
 * What a refused card press leaves behind: who pressed and which button, in the action's history,
 * and never what they typed; past five refusals in ten minutes from one person, nothing more.
 * Sam owns 4.9a; Jo and Kim own nothing, and may not change it.
 */

const JO: User = {
  id: '29:1jo-reader',
  name: 'Jo Reader',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000004',
  email: 'jo.reader@justice.gov.uk',
};
/** What Jo types into the note box: it must appear nowhere. */
const SECRET = 'Jo-wrote-this-9f3c <at>Sam Owner</at> [x](http://evil.example)';

describe('refused card presses', () => {
  let bot: BotDriver;
  let planId: string;
  const deps = () => bot.container.deps;
  const history = () => deps().plans.listHistory(planId, '4.9a');

  const press = async (user: User, verb: string, data: Record<string, unknown>) => {
    const version = (await deps().plans.getAction(planId, '4.9a'))!.version;
    return bot.send(
      anInvoke({
        from: user,
        verb,
        data: { ref: '4.9a', planId, version, ...data },
        replyToId: `card-for-${user.id}`,
      }),
    );
  };
  const cardJson = (answer: HttpAnswer): string => {
    expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    return JSON.stringify(answer.body.value).replace(/\u200b/g, '');
  };

  beforeAll(async () => {
    bot = await startBotDriver({ members: [SAM, KIM, JO] });
    const { plan, errors } = parseTextPlan(mojPlanText());
    planId = (await importPlan(deps(), { parsed: plan, errors, source: 'moj.txt' })).planId;
    await assignAction(deps(), { planId, ref: '4.9a', owners: [SAM.email], by: 'cli' });
    for (const user of [SAM, KIM, JO]) {
      await bot.send(aConversationUpdate({ from: user, membersAdded: [{ id: BOT.id }] }));
    }
  });
  afterAll(async () => {
    await bot.close();
  });

  it('records who tried to add a note, and not the note: it is nowhere, not in storage, cards or logs', async () => {
    const answer = await press(JO, ADD_NOTE, { note: SECRET });
    expect(cardJson(answer)).toContain("You can't change action 4.9a");
    expect(cardJson(answer)).not.toContain('Jo-wrote-this');

    const entry = (await history()).at(-1);
    expect(entry).toEqual(
      expect.objectContaining({ kind: 'refused', by: JO.email, field: 'note' }),
    );
    expect(entry).not.toHaveProperty('to');

    // The action's card, as anyone asking for it sees it: the attempt, without the text.
    bot.connector.clear();
    await bot.send(aMessage({ from: SAM, text: 'action 4.9a' }));
    const shown = JSON.stringify(bot.connector.messages()[0]?.body).replace(/\u200b/g, '');
    expect(shown).toContain('refused note');
    expect(shown).not.toContain('Jo-wrote-this');

    const stored = JSON.stringify(await storageSnapshot(bot.container.connectionString));
    expect(stored).not.toContain('Jo-wrote-this');
    expect(JSON.stringify(bot.logs)).not.toContain('Jo-wrote-this');
  });

  it('never shows the text of a refused note written before, not as a note', async () => {
    // An entry as an older version stored it, with the attempted note in `to`.
    await deps().plans.save(planId, {
      history: [
        {
          planId,
          ref: '4.9a',
          at: new Date().toISOString(),
          by: JO.email,
          kind: 'refused',
          field: 'note',
          to: 'Old-refused-text-77',
        },
      ],
    });
    bot.connector.clear();
    await bot.send(aMessage({ from: SAM, text: 'action 4.9a' }));
    const shown = JSON.stringify(bot.connector.messages()[0]?.body);
    expect(shown).not.toContain('Old-refused-text-77');
  });

  it('writes at most five refusals from one person in ten minutes, and still answers each press', async () => {
    const before = (await history()).filter((h) => h.kind === 'refused' && h.by === JO.email);
    const banners: string[] = [];
    for (let i = 0; i < 7; i++) {
      banners.push(cardJson(await press(JO, SET_STATUS, { status: 'complete' })));
    }
    const after = (await history()).filter((h) => h.kind === 'refused' && h.by === JO.email);
    // The note above was the first of Jo's five.
    expect(after.length - before.length).toBe(4);
    for (const banner of banners) expect(banner).toContain("You can't change action 4.9a");
    expect(banners.slice(0, 4).every((b) => b.includes('the attempt is noted'))).toBe(true);
    expect(banners.slice(4).some((b) => b.includes('the attempt is noted'))).toBe(false);
    expect((await deps().plans.getAction(planId, '4.9a'))?.value.status).not.toBe('complete');
    // Someone else's refusals are counted apart.
    await press(KIM, SET_STATUS, { status: 'complete' });
    expect((await history()).at(-1)).toMatchObject({ kind: 'refused', by: KIM.email });
  });
});
