import { SET_STATUS } from '../../../src/cards/verbs.js';
import {
  aConversationUpdate,
  aMessage,
  anInvoke,
  BOT,
  SAM,
  startBotDriver,
  type BotDriver,
} from '../../helpers/bot-driver.js';

/**
 * Plain replies (not cards) echo some of what was sent: a card's data that does not read is
 * quoted back. Teams renders them as Markdown, so they are escaped like card text: a forged
 * value cannot become a link, an image or an @mention in the bot's voice.
 */

const FORGED = '[x](http://evil.example) <at>Sam</at>';

describe('plain replies', () => {
  let bot: BotDriver;
  beforeAll(async () => {
    bot = await startBotDriver({ members: [SAM] });
    await bot.send(aConversationUpdate({ from: SAM, membersAdded: [{ id: BOT.id }] }));
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(() => {
    bot.connector.clear();
  });

  const inert = (text: string) => {
    expect(text).not.toContain('](');
    expect(text).not.toContain('<at>');
    // Only zero-width spaces were added: what was sent still reads as sent.
    expect(text.replace(/\u200b/g, '')).toContain('[x](http://evil');
  };

  it('escapes a forged value quoted back in an invoke answer', async () => {
    const answer = await bot.send(
      anInvoke({ from: SAM, verb: SET_STATUS, data: { ref: FORGED, planId: 'p', version: 'v' } }),
    );
    expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    inert(answer.body.value as string);
  });

  it('escapes a forged value quoted back in a message (the Action.Submit fallback)', async () => {
    const submit = {
      ...aMessage({ from: SAM, text: '' }),
      value: { verb: SET_STATUS, ref: FORGED, planId: 'p', version: 'v' },
    };
    expect((await bot.send(submit)).status).toBe(200);
    const [reply] = bot.connector.messages();
    expect(reply?.body.attachments).toBeUndefined();
    inert(reply?.body.text as string);
  });
});
