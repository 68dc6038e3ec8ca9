import { assignAction } from '../../../src/app/assign-action.js';
import { runReminders } from '../../../src/app/reminders/run.js';
import {
  aConversationUpdate,
  aMessage,
  BOT,
  personalChatOf,
  startBotDriver,
  TENANT,
  type BotDriver,
} from '../../helpers/bot-driver.js';
import { textsOf } from '../../helpers/bot-world.js';
import { ADMIN, aTeam, anOwner, MORNING } from '../../helpers/roster-world.js';
import { importMojPlan } from '../../helpers/fixtures.js';

/**
 * Chats the bot must open before a first reminder, through the real server and the fake
 * connector: three owners of 1.1 reached only through a team. Teams refuses to open one chat (the
 * owner blocked the bot) and throttles the first tries of another. The throttled owner gets their
 * reminder once; the refused one is marked unreachable with Teams' reason, which the admin's
 * status card then shows.
 */

const TEAM_ID = '19:hmpps-kim@thread.tacv2';
const TEAM = aTeam(TEAM_ID, 'HMPPS KIM');
const ADA = anOwner(1, 'Ada'); // blocked the bot
const BEN = anOwner(2, 'Ben');
const CAT = anOwner(3, 'Cat');

describe('opening a chat for a first reminder: refused with 403, throttled with 429', () => {
  let bot: BotDriver;
  beforeAll(async () => {
    bot = await startBotDriver({
      // Nothing listens there: a chat must be opened on the service the team's events came from.
      env: { ADMIN_EMAILS: ADMIN.email, TEAMS_SERVICE_URL: 'http://127.0.0.1:9/' },
      members: [ADMIN],
    });
    const { planId } = await importMojPlan(bot.container.deps);
    await assignAction(bot.container.deps, {
      planId,
      ref: '1.1',
      owners: [ADA, BEN, CAT].map((u) => u.email),
      by: 'cli',
    });
    bot.connector.setRoster(
      TEAM_ID,
      [ADA, BEN, CAT].map((u) => ({
        id: u.id,
        name: u.name,
        aadObjectId: u.aadObjectId!,
        email: u.email,
        tenantId: TENANT,
      })),
    );
    await bot.send(aConversationUpdate({ from: ADMIN, in: TEAM, membersAdded: [{ id: BOT.id }] }));
    await bot.send(aConversationUpdate({ from: ADMIN, membersAdded: [{ id: BOT.id }] }));
    bot.connector.refuseConversationsWith(ADA.id, 'ConversationBlockedByUser');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('sends each reachable owner one reminder in a chat it opened on the team’s service, waiting out 429s, and marks the refused one unreachable with Teams’ reason', async () => {
    bot.connector.clear();
    // The first two requests to open a chat are throttled (Retry-After: 0).
    bot.connector.throttleConversations(2, 0);
    const result = await runReminders(bot.container.reminderDeps(), {
      holder: 'open-chats-test',
      asOf: MORNING,
      pollMs: 20,
      visibilitySeconds: 1,
      retryBaseMs: 50,
      retryMaxMs: 200,
    });
    expect(result).toMatchObject({ ran: true });

    const created = bot.connector.requests.filter((r) => r.kind === 'createConversation');
    // Three owners, two throttled answers: five requests to open a chat, each in the tenant.
    expect(created).toHaveLength(5);
    for (const r of created) {
      expect(r.body.tenantId ?? r.body.channelData?.tenant?.id).toBe(TENANT);
      expect(r.body.isGroup).toBe(false);
    }
    const sends = bot.connector
      .messages()
      .filter((m) => m.kind === 'send' && m.conversationId?.startsWith('a:created-'));
    expect(sends).toHaveLength(2);
    expect(new Set(sends.map((s) => s.conversationId)).size).toBe(2);

    const people = bot.container.deps.people;
    for (const u of [BEN, CAT]) {
      const p = (await people.getByEmail(u.email))?.value;
      expect(p?.reachable).toBe(true);
      expect(sends.map((s) => s.conversationId)).toContain(
        JSON.parse(p!.conversation!).conversation.id,
      );
    }
    const ada = (await people.getByEmail(ADA.email))?.value;
    expect(ada?.reachable).toBe(false);
    expect(ada?.conversation).toBeUndefined();
    expect(ada?.unreachableReason).toMatch(
      /^Teams refused a message to them on \d{1,2} [A-Z][a-z]+ \d{4}: they have blocked the bot \(403 ConversationBlockedByUser\)\.$/,
    );
    // The plan's admin (no champion for 1.1's area) is told, with the reason.
    const told = bot.connector
      .messages()
      .find((m) => m.conversationId === personalChatOf(ADMIN).id);
    expect(JSON.stringify(told?.body)).toContain('they have blocked the bot');

    // Nothing goes twice, and nobody is asked again for Ada.
    bot.connector.clear();
    await runReminders(bot.container.reminderDeps(), {
      holder: 'open-chats-test',
      asOf: MORNING,
      pollMs: 20,
      visibilitySeconds: 1,
    });
    expect(bot.connector.requests).toEqual([]);
  });

  it('the status card lists the owner who cannot be reached, and why', async () => {
    bot.connector.clear();
    await bot.send(aMessage({ from: ADMIN, text: 'status' }));
    const reply = bot.connector
      .messages()
      .find((m) => m.conversationId === personalChatOf(ADMIN).id);
    const text = textsOf(reply?.body.attachments[0].content).join('\n');
    expect(text).toContain('Owners not yet reachable (1)');
    expect(text).toContain('Ada Owner');
    expect(text).toContain('they have blocked the bot');
  });
});
