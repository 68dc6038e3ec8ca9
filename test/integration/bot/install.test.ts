import { UNINSTALLED_REASON } from '../../../src/teams/install-routes.js';
import {
  aConversationUpdate,
  anInstallationUpdate,
  BOT,
  GENERAL_CHANNEL,
  GROUP_CHAT,
  KIM,
  personalChatOf,
  SAM,
  startBotDriver,
  TENANT,
  type BotDriver,
} from '../../helpers/bot-driver.js';

describe('installing and removing the app', () => {
  let bot: BotDriver;
  beforeEach(async () => {
    bot = await startBotDriver({ members: [SAM, KIM] });
  });
  afterEach(async () => {
    await bot.close();
  });
  const people = () => bot.container.deps.people;

  it('keeps a person who installs it, with their chat, and welcomes them with a card', async () => {
    const install = aConversationUpdate({ membersAdded: [{ id: BOT.id }] });
    const answer = await bot.send(install);

    expect(answer.status).toBe(200);
    expect(bot.connector.memberLookups).toEqual([
      { conversationId: personalChatOf(SAM).id, userId: SAM.id },
    ]);
    const sam = (await people().getByEmail(SAM.email))?.value;
    expect(sam).toMatchObject({
      email: SAM.email,
      name: SAM.name,
      aadObjectId: SAM.aadObjectId,
      teamsUserId: SAM.id,
      tenantId: TENANT,
      reachable: true,
    });
    const reference = JSON.parse(sam!.conversation!);
    expect(reference).toMatchObject({
      conversation: { id: personalChatOf(SAM).id, tenantId: TENANT },
      serviceUrl: bot.connector.url,
      user: { id: SAM.id },
      bot: { id: BOT.id },
    });

    const [welcome, ...others] = bot.connector.messages();
    expect(others).toEqual([]);
    expect(welcome?.conversationId).toBe(personalChatOf(SAM).id);
    expect(welcome?.body.attachments?.[0]?.contentType).toBe(
      'application/vnd.microsoft.card.adaptive',
    );
    expect(JSON.stringify(welcome?.body)).toContain('Hello Sam');
  });

  it('marks someone who removes the app as unreachable, saying why, and sends nothing', async () => {
    await bot.send(aConversationUpdate({ membersAdded: [{ id: BOT.id }] }));
    bot.connector.clear();

    await bot.send(aConversationUpdate({ membersRemoved: [{ id: BOT.id }] }));

    const sam = (await people().getByEmail(SAM.email))?.value;
    expect(sam).toMatchObject({ reachable: false, unreachableReason: UNINSTALLED_REASON });
    expect(bot.connector.requests).toEqual([]);
  });

  it('treats an installationUpdate removal the same way, as either may come alone', async () => {
    await bot.send(aConversationUpdate({ membersAdded: [{ id: BOT.id }] }));
    await bot.send(anInstallationUpdate({ action: 'remove' }));
    expect((await people().getByEmail(SAM.email))?.value.reachable).toBe(false);
  });

  it('makes someone reachable again when they reinstall, keeping what an admin stored', async () => {
    await bot.send(aConversationUpdate({ membersAdded: [{ id: BOT.id }] }));
    const stored = await people().getByEmail(SAM.email);
    await people().savePerson({ ...stored!.value, admin: true }, stored!.version);
    await bot.send(aConversationUpdate({ membersRemoved: [{ id: BOT.id }] }));

    await bot.send(aConversationUpdate({ membersAdded: [{ id: BOT.id }] }));

    const sam = (await people().getByEmail(SAM.email))?.value;
    expect(sam).toMatchObject({ reachable: true, admin: true });
    expect(sam).not.toHaveProperty('unreachableReason');
  });

  it('welcomes someone Teams gives no email for, but cannot keep them', async () => {
    const stranger = { ...SAM, id: '29:stranger', aadObjectId: 'aad-stranger' };
    await bot.send(aConversationUpdate({ from: stranger, membersAdded: [{ id: BOT.id }] }));
    expect(await people().listPeople()).toEqual([]);
    expect(bot.connector.messages()).toHaveLength(1);
    expect(bot.logs.map((l) => l.message)).toContain(
      'installed by someone Teams gave no email for: they cannot be matched to actions',
    );
  });

  it('keeps a group chat it is added to and says hello there', async () => {
    await bot.send(
      aConversationUpdate({ in: GROUP_CHAT, from: KIM, membersAdded: [{ id: BOT.id }] }),
    );

    const conversations = await people().listConversations();
    expect(conversations).toEqual([
      expect.objectContaining({
        conversationId: GROUP_CHAT.id,
        kind: 'groupChat',
        name: 'KIM team',
        tenantId: TENANT,
      }),
    ]);
    expect(JSON.parse(conversations[0]!.reference).conversation.id).toBe(GROUP_CHAT.id);
    const hello = bot.connector.messages();
    expect(hello).toHaveLength(1);
    expect(hello[0]?.conversationId).toBe(GROUP_CHAT.id);
    expect(hello[0]?.body.text).toContain('"@Action Plan status"');
    expect(await people().listPeople()).toEqual([]);
  });

  it('ignores people joining a group chat it is already in', async () => {
    await bot.send(
      aConversationUpdate({ in: GROUP_CHAT, from: KIM, membersAdded: [{ id: SAM.id }] }),
    );
    expect(await people().listConversations()).toEqual([]);
    expect(bot.connector.requests).toEqual([]);
  });

  it('keeps a team it is added to, and forgets it when removed', async () => {
    await bot.send(
      aConversationUpdate({ in: GENERAL_CHANNEL, from: KIM, membersAdded: [{ id: BOT.id }] }),
    );
    expect(await people().listConversations()).toEqual([
      expect.objectContaining({
        conversationId: GENERAL_CHANNEL.id,
        kind: 'channel',
        name: GENERAL_CHANNEL.team!.name,
        teamId: GENERAL_CHANNEL.team!.id,
      }),
    ]);
    bot.connector.clear();

    // Someone else leaving the team changes nothing; the bot leaving does.
    await bot.send(
      aConversationUpdate({ in: GENERAL_CHANNEL, from: KIM, membersRemoved: [{ id: SAM.id }] }),
    );
    expect(await people().listConversations()).toHaveLength(1);
    await bot.send(
      aConversationUpdate({ in: GENERAL_CHANNEL, from: KIM, membersRemoved: [{ id: BOT.id }] }),
    );
    expect(await people().listConversations()).toEqual([]);
    expect(bot.connector.requests).toEqual([]);
  });
});
