import {
  aConversationUpdate,
  aMessage,
  BOT,
  GROUP_CHAT,
  KIM,
  OTHER_TENANT,
  SAM,
  useBotDriver,
  TENANT,
} from '../../helpers/bot-driver.js';

describe('ALLOWED_TENANT_IDS', () => {
  const bot = useBotDriver({
    members: [SAM, KIM],
    env: { ALLOWED_TENANT_IDS: `${TENANT.toUpperCase()}, 00000000-0000-0000-0000-000000000001` },
  });
  beforeEach(() => {
    bot.connector.clear();
  });

  it('ignores a foreign tenant: no reply, no look-up, nothing stored, one warning', async () => {
    const install = aConversationUpdate({ tenantId: OTHER_TENANT, membersAdded: [{ id: BOT.id }] });
    const message = aMessage({ tenantId: OTHER_TENANT, text: 'help' });
    const groupInstall = aConversationUpdate({
      tenantId: OTHER_TENANT,
      in: GROUP_CHAT,
      from: KIM,
      membersAdded: [{ id: BOT.id }],
    });

    for (const activity of [install, message, groupInstall]) {
      expect((await bot.send(activity)).status).toBe(200);
    }

    expect(bot.connector.requests).toEqual([]);
    expect(bot.connector.memberLookups).toEqual([]);
    expect(await bot.container.deps.people.listPeople()).toEqual([]);
    expect(await bot.container.deps.people.listConversations()).toEqual([]);
    const warnings = bot.logs.filter((l) => l.message.includes('its tenant is not allowed'));
    expect(warnings.map((w) => w.fields)).toEqual([
      expect.objectContaining({ activityId: install.id, tenantId: OTHER_TENANT }),
      expect.objectContaining({ activityId: message.id, tenantId: OTHER_TENANT }),
      expect.objectContaining({ activityId: groupInstall.id, tenantId: OTHER_TENANT }),
    ]);
  });

  it('ignores an activity that names no tenant at all', async () => {
    const message = aMessage({ text: 'help' });
    delete message.channelData.tenant;
    delete message.conversation.tenantId;
    await bot.send(message);
    expect(bot.connector.requests).toEqual([]);
  });

  it.each([
    ['another tenant in channelData', OTHER_TENANT, TENANT],
    ['another tenant in the conversation', TENANT, OTHER_TENANT],
  ])(
    'ignores an activity naming two tenants (%s), even when one is allowed',
    async (_, inChannelData, inConversation) => {
      const message = aMessage({ text: 'help' });
      message.channelData.tenant = { id: inChannelData };
      message.conversation.tenantId = inConversation;
      expect((await bot.send(message)).status).toBe(200);
      expect(bot.connector.requests).toEqual([]);
      expect(bot.logs.map((l) => l.message)).toContain(
        'activity ignored: conversation.tenantId and channelData.tenant.id name different tenants',
      );
    },
  );

  it('answers an allowed tenant, whatever the case of its id', async () => {
    await bot.send(aConversationUpdate({ membersAdded: [{ id: BOT.id }] }));
    await bot.send(aMessage({ text: 'help' }));
    expect(bot.connector.messages()).toHaveLength(2);
    expect((await bot.container.deps.people.getByEmail(SAM.email))?.value.tenantId).toBe(TENANT);
  });
});

describe('tenants, with no allow-list and no app id (a local run)', () => {
  const bot = useBotDriver({ members: [SAM] });

  it('answers any one tenant, but not an activity naming two', async () => {
    await bot.send(aMessage({ tenantId: OTHER_TENANT, text: 'help' }));
    expect(bot.connector.messages()).toHaveLength(1);
    bot.connector.clear();
    const twoTenants = aMessage({ text: 'help' });
    twoTenants.conversation.tenantId = OTHER_TENANT;
    await bot.send(twoTenants);
    expect(bot.connector.requests).toEqual([]);
  });
});
