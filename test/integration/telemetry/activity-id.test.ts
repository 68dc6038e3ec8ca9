import {
  aConversationUpdate,
  aMessage,
  anInstallationUpdate,
  BOT,
  GROUP_CHAT,
  KIM,
  personalChatOf,
  SAM,
  startBotDriver,
  type BotDriver,
} from '../../helpers/bot-driver';

/**
 * One logger everywhere, and the activity id on every line the Teams door writes while handling
 * an activity: whatever the route, whatever goes wrong, a turn's lines can be found together
 * (in Application Insights they are the activityId custom dimension).
 */

let bot: BotDriver;
beforeEach(async () => {
  bot = await startBotDriver({ members: [SAM] });
});
afterEach(async () => {
  await bot.close();
});

/** The lines the Teams door wrote (the server's own start-up lines are not about an activity). */
const teamsLines = () => bot.logs.filter((l) => l.fields.component === 'teams');

describe('the activity id on every line', () => {
  it('is on the lines of installs, removals and messages, each with its own id', async () => {
    const activities = [
      // Kim is unknown to Teams' member look-up: two warnings.
      aConversationUpdate({ from: KIM, in: personalChatOf(KIM), membersAdded: [BOT] }),
      // Not addressed to the bot: a debug line.
      aMessage({ from: SAM, in: GROUP_CHAT, text: 'lunch?' }),
      // Removed from a personal chat: an info line.
      anInstallationUpdate({ from: SAM, in: personalChatOf(SAM), action: 'remove' }),
    ];
    for (const activity of activities) {
      expect((await bot.send(activity)).status).toBeLessThan(300);
    }
    const lines = teamsLines();
    const ids = activities.map((a) => a.id as string);
    for (const id of ids) {
      expect(lines.filter((l) => l.fields.activityId === id).length).toBeGreaterThan(0);
    }
    expect(lines.filter((l) => !ids.includes(l.fields.activityId as string))).toEqual([]);
  });

  it('is on the lines of a turn that fails', async () => {
    await bot.stopStorage();
    const message = aMessage({ from: SAM, text: 'my actions' });
    await bot.send(message);
    const lines = teamsLines();
    expect(lines.map((l) => l.message)).toContain(
      'could not answer a message: storage unavailable',
    );
    expect(lines.filter((l) => l.fields.activityId !== message.id)).toEqual([]);
  });
});
