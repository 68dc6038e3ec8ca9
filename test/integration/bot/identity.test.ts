import { DateTime } from 'luxon';
import { assignAction } from '../../../src/app/assign-action.js';
import { runReminders } from '../../../src/app/reminders/run.js';
import { silentLogger } from '../../../src/ports/logger.js';
import { createProactiveNotifier } from '../../../src/teams/proactive-notifier.js';
import {
  aConversationUpdate,
  aMessage,
  BOT,
  GROUP_CHAT,
  KIM,
  OTHER_TENANT,
  personalChatOf,
  SAM,
  startBotDriver,
  TENANT,
  type BotDriver,
  type User,
} from '../../helpers/bot-driver.js';
import type { RecordedRequest } from '../../helpers/fake-connector.js';
import { importMojPlan } from '../../helpers/fixtures.js';

/**
 * Who someone is, through the whole stack: the real server, Azurite, the fake connector. Kim is a
 * plan admin (ADMIN_EMAILS) and owns action 1.1. Another account, in another tenant the bot also
 * answers, whose mail is Kim's address, installs the bot after her.
 */

/** Same address as Kim, another account in another (allowed) tenant. */
const IMPOSTOR: User = {
  id: '29:1impostor',
  name: 'Kim Champion',
  aadObjectId: '0badf00d-0000-4000-8000-00000000beef',
  email: KIM.email,
};

/** Wednesday 22 March 2017, 09:00: 1.1 (End Mar 2017) is due its 7-working-day reminder. */
const MORNING = DateTime.fromISO('2017-03-22T09:00', { zone: 'Europe/London' }).toJSDate();

/** `actionplan reminders run --as-of` on the bot's own storage, sending through the fake connector. */
const remindersRunOn = (bot: BotDriver) =>
  runReminders(
    {
      ...bot.container.reminderDeps(),
      notifier: createProactiveNotifier({
        settings: bot.config.bot,
        logger: silentLogger,
        serviceUrl: bot.connector.url,
      }),
    },
    { holder: 'identity-test', asOf: MORNING, pollMs: 20, visibilitySeconds: 2 },
  );

/** Everything a request said, text and card, as one string to search. */
const said = (r: RecordedRequest | undefined): string => JSON.stringify(r?.body ?? null);

describe('an account with an admin’s email from another tenant', () => {
  let bot: BotDriver;
  let planId: string;
  beforeAll(async () => {
    bot = await startBotDriver({
      members: [KIM],
      env: { ALLOWED_TENANT_IDS: `${TENANT},${OTHER_TENANT}`, ADMIN_EMAILS: KIM.email },
    });
    bot.connector.addMembers({
      id: IMPOSTOR.id,
      name: IMPOSTOR.name,
      aadObjectId: IMPOSTOR.aadObjectId,
      email: KIM.email.toUpperCase(),
      userPrincipalName: 'kim@other-tenant.onmicrosoft.com',
      tenantId: OTHER_TENANT,
    });
    const deps = bot.container.deps;
    planId = (await importMojPlan(deps)).planId;
    await assignAction(deps, { planId, ref: '1.1', owners: [KIM.email], by: 'cli' });

    await bot.send(aConversationUpdate({ from: KIM, membersAdded: [{ id: BOT.id }] }));
    bot.connector.clear();
    await bot.send(
      aConversationUpdate({
        from: IMPOSTOR,
        tenantId: OTHER_TENANT,
        membersAdded: [{ id: BOT.id }],
      }),
    );
  });
  afterAll(async () => {
    await bot.close();
  });
  const people = () => bot.container.deps.people;

  it('does not take over the admin’s record or chat: it is stored apart, under its own account', async () => {
    const kim = await people().getByEmail(KIM.email);
    expect(kim?.value).toMatchObject({ aadObjectId: KIM.aadObjectId, tenantId: TENANT });
    expect(JSON.parse(kim!.value.conversation!).conversation.id).toBe(personalChatOf(KIM).id);

    const apart = (await people().getByAadObjectId(IMPOSTOR.aadObjectId, OTHER_TENANT))?.value;
    expect(apart).toMatchObject({
      email: KIM.email,
      upn: 'kim@other-tenant.onmicrosoft.com',
      tenantId: OTHER_TENANT,
      keptApart: expect.any(String),
    });
    expect(JSON.parse(apart!.conversation!).conversation.id).toBe(personalChatOf(IMPOSTOR).id);
  });

  it('welcomes it without any role, and tells the admins who have a chat, by card', async () => {
    const toImpostor = bot.connector
      .messages()
      .filter((m) => m.conversationId === personalChatOf(IMPOSTOR).id);
    expect(toImpostor).toHaveLength(1);
    expect(said(toImpostor[0])).toContain('already belongs to another Teams account');
    expect(said(toImpostor[0])).not.toContain('You are a plan admin');

    const toKim = bot.connector
      .messages()
      .filter((m) => m.conversationId === personalChatOf(KIM).id);
    expect(toKim).toHaveLength(1);
    expect(toKim[0]?.kind).toBe('send');
    expect(said(toKim[0])).toContain('A Teams account was kept apart');
    expect(said(toKim[0])).toContain(IMPOSTOR.aadObjectId);
    expect(said(toKim[0])).toContain(OTHER_TENANT);
  });

  it('logs it by ids, not by email', () => {
    const line = bot.logs.find((l) => l.message.includes('kept apart, with no roles'));
    expect(line?.fields).toMatchObject({
      aadObjectId: IMPOSTOR.aadObjectId,
      tenantId: OTHER_TENANT,
      heldBy: [{ aadObjectId: KIM.aadObjectId, tenantId: TENANT }],
    });
    expect(JSON.stringify(line)).not.toContain(KIM.email);
  });

  it('gives it no admin rights when it writes: no admin commands, and assigning is refused', async () => {
    bot.connector.clear();
    await bot.send(aMessage({ from: IMPOSTOR, tenantId: OTHER_TENANT, text: 'help' }));
    await bot.send(
      aMessage({
        from: IMPOSTOR,
        tenantId: OTHER_TENANT,
        text: 'assign 1.2 to mallory@example.org',
      }),
    );
    const [help, assign] = bot.connector.messages();
    expect(said(help)).not.toContain('assign ');
    expect(said(assign)).not.toContain('is now owned by');
    const action = await bot.container.deps.plans.getAction(planId, '1.2');
    expect(action?.value.owners ?? []).not.toContain('mallory@example.org');

    // Kim, for comparison, is still an admin.
    bot.connector.clear();
    await bot.send(aMessage({ from: KIM, text: 'help' }));
    expect(said(bot.connector.messages()[0])).toContain('assign ');
  });

  it('leaves the admin her reminders: they go to her chat, none to the other account', async () => {
    bot.connector.clear();
    expect(await remindersRunOn(bot)).toMatchObject({ ran: true });
    const sent = bot.connector.messages();
    const aboutKims = sent.filter((m) => said(m).includes('1.1'));
    expect(aboutKims.length).toBeGreaterThan(0);
    for (const m of aboutKims) expect(m.conversationId).toBe(personalChatOf(KIM).id);
    expect(sent.filter((m) => m.conversationId === personalChatOf(IMPOSTOR).id)).toEqual([]);
  });
});

describe('ADMIN_EMAILS and an account of a tenant the bot does not answer', () => {
  /** An admin's address on an account whose home tenant is not on the list (a shared channel). */
  const ADA: User = {
    id: '29:1ada',
    name: 'Ada Admin',
    aadObjectId: '6a1b5f0e-0000-4000-8000-0000000000ad',
    email: 'ada.admin@justice.gov.uk',
  };
  const FOREIGN = '00000000-0000-4000-8000-00000000f0e1';
  let bot: BotDriver;
  beforeAll(async () => {
    bot = await startBotDriver({
      env: { ALLOWED_TENANT_IDS: TENANT, ADMIN_EMAILS: ADA.email },
    });
    const deps = bot.container.deps;
    await importMojPlan(deps);
  });
  afterAll(async () => {
    await bot.close();
  });

  async function helpFor(tenantId: string): Promise<string> {
    bot.connector.addMembers({
      id: ADA.id,
      name: ADA.name,
      aadObjectId: ADA.aadObjectId,
      email: ADA.email,
      userPrincipalName: ADA.email,
      tenantId,
    });
    bot.connector.clear();
    await bot.send(aMessage({ from: ADA, in: GROUP_CHAT, text: 'help', mention: true }));
    const replies = bot.connector.messages();
    expect(replies).toHaveLength(1);
    return said(replies[0]);
  }

  it('is not an admin, though the chat is in an allowed tenant', async () => {
    expect(await helpFor(FOREIGN)).not.toContain('assign ');
  });

  it('while the same address on an account of the allowed tenant is', async () => {
    expect(await helpFor(TENANT)).toContain('assign ');
  });
});

describe('an owner named by the UPN that differs from their mail', () => {
  const UPN = 's.owner@justice.onmicrosoft.com';
  let bot: BotDriver;
  beforeAll(async () => {
    bot = await startBotDriver();
    bot.connector.addMembers({
      id: SAM.id,
      name: SAM.name,
      aadObjectId: SAM.aadObjectId,
      email: SAM.email,
      userPrincipalName: UPN,
    });
    const deps = bot.container.deps;
    const { planId } = await importMojPlan(deps);
    await assignAction(deps, { planId, ref: '1.1', owners: [UPN.toUpperCase()], by: 'cli' });
    await bot.send(aConversationUpdate({ from: SAM, membersAdded: [{ id: BOT.id }] }));
  });
  afterAll(async () => {
    await bot.close();
  });

  it('is that owner: "my actions" lists the action, and its reminder reaches their chat', async () => {
    bot.connector.clear();
    await bot.send(aMessage({ from: SAM, text: 'my actions' }));
    expect(said(bot.connector.messages()[0])).toContain('1.1');

    bot.connector.clear();
    expect(await remindersRunOn(bot)).toMatchObject({ ran: true });
    const reminders = bot.connector.messages().filter((m) => said(m).includes('1.1'));
    expect(reminders.length).toBeGreaterThan(0);
    for (const m of reminders) expect(m.conversationId).toBe(personalChatOf(SAM).id);
  });
});
