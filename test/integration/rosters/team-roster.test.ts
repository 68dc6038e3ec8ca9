import { assignAction } from '../../../src/app/assign-action.js';
import { runReminders } from '../../../src/app/reminders/run.js';
import { reachOf } from '../../../src/ports/people-repository.js';
import {
  aConversationUpdate,
  BOT,
  personalChatOf,
  startBotDriver,
  TENANT,
  type BotDriver,
  type User,
} from '../../helpers/bot-driver.js';
import type { FakeMember } from '../../helpers/fake-connector.js';
import { importMojPlan } from '../../helpers/fixtures.js';
import { ADMIN, aTeam, MORNING } from '../../helpers/roster-world.js';

/**
 * The bot added to a team whose members never installed it, through the whole stack: the real
 * server, Azurite, the fake connector serving the team's roster page by page. Five owners of
 * action 1.1 are members, among 1,100 others, a guest without an email and a bot.
 */

const TEAM_ID = '19:kim-network-general@thread.tacv2';
const KIM_NETWORK = aTeam(TEAM_ID, 'KIM network');

const member = (n: number, name: string, email: string, upn = email): FakeMember => ({
  id: `29:1member-${n}`,
  name,
  aadObjectId: `7b2c6a1f-0000-4000-8000-${String(n).padStart(12, '0')}`,
  email,
  userPrincipalName: upn,
  tenantId: TENANT,
});

const OWNERS: FakeMember[] = [
  member(1, 'Ada Owner', 'ada.owner@justice.gov.uk'),
  member(2, 'Ben Owner', 'ben.owner@justice.gov.uk'),
  member(3, 'Cat Owner', 'cat.owner@justice.gov.uk'),
  member(4, 'Dev Owner', 'dev.owner@justice.gov.uk'),
  // Named in the plan by their sign-in name, which differs from their mail.
  member(5, 'Eve Owner', 'eve.owner@justice.gov.uk', 'e.owner@justice.onmicrosoft.com'),
];
const OWNER_ADDRESSES = [
  ...OWNERS.slice(0, 4).map((o) => o.email!),
  'e.owner@justice.onmicrosoft.com',
];
const OTHERS = Array.from({ length: 1100 }, (_, i) =>
  member(100 + i, `Colleague ${i}`, `colleague${i}@justice.gov.uk`),
);
const GUEST: FakeMember = { id: '29:1guest', name: 'A Guest', aadObjectId: 'guest-oid' };
const ANOTHER_BOT: FakeMember = { id: '28:another-bot', name: 'Another bot' };

describe('the bot added to a team whose members never installed it', () => {
  let bot: BotDriver;
  beforeAll(async () => {
    bot = await startBotDriver({ env: { ADMIN_EMAILS: ADMIN.email } });
    bot.connector.setRoster(TEAM_ID, [
      ...OWNERS.slice(0, 2),
      GUEST,
      ...OTHERS.slice(0, 600),
      ANOTHER_BOT,
      OWNERS[2]!,
      OWNERS[2]!, // listed twice
      ...OTHERS.slice(600),
      ...OWNERS.slice(3),
    ]);
    const deps = bot.container.deps;
    const { planId } = await importMojPlan(deps);
    await assignAction(deps, { planId, ref: '1.1', owners: OWNER_ADDRESSES, by: 'cli' });
    await bot.send(
      aConversationUpdate({ from: ADMIN, in: KIM_NETWORK, membersAdded: [{ id: BOT.id }] }),
    );
  });
  afterAll(async () => {
    await bot.close();
  });
  const people = () => bot.container.deps.people;

  it('reads the whole roster, 500 a page, following the continuation token', () => {
    const reads = bot.connector.rosterReads;
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(reads.map((r) => r.pageSize)).toEqual([500, 500, 500]);
    expect(reads.map((r) => r.continuationToken)).toEqual([undefined, 'page-500', 'page-1000']);
    const synced = bot.logs.find((l) => l.message === 'team roster synced');
    expect(synced?.fields).toMatchObject({
      teamId: TEAM_ID,
      listed: 1108,
      added: 1105,
      skipped: 2,
      duplicates: 1,
      removed: 0,
    });
  });

  it('stores every owner, found by mail or UPN, reachable through the team without a chat', async () => {
    for (const address of OWNER_ADDRESSES) {
      const person = (await people().getByEmail(address))?.value;
      expect(person).toMatchObject({
        teamsUserId: expect.stringMatching(/^29:1member-/),
        teams: [TEAM_ID],
      });
      expect(person?.conversation).toBeUndefined();
      expect(reachOf(person)).toEqual({ kind: 'team', teams: [TEAM_ID] });
    }
    expect((await people().listRoster(TEAM_ID)).length).toBe(1105);
    expect(await people().getByAadObjectId(GUEST.aadObjectId!)).toBeUndefined();
  });

  it('reminds each owner once, in a 1:1 chat it opens on the team’s Teams service, and keeps it', async () => {
    bot.connector.clear();
    // The container's own notifier: the chat is opened on the service the team's events came from.
    const run = () =>
      runReminders(bot.container.reminderDeps(), {
        holder: 'roster-test',
        asOf: MORNING,
        pollMs: 20,
        visibilitySeconds: 2,
      });
    expect(await run()).toMatchObject({ ran: true });
    const created = bot.connector.requests.filter((r) => r.kind === 'createConversation');
    expect(created.map((r) => r.body.members[0].id).sort()).toEqual(OWNERS.map((o) => o.id).sort());
    const reminders = bot.connector.messages().filter((m) => m.kind === 'send');
    expect(reminders).toHaveLength(5);
    expect(new Set(reminders.map((m) => m.conversationId)).size).toBe(5);
    for (const m of reminders) expect(m.conversationId).toMatch(/^a:created-/);
    for (const address of OWNER_ADDRESSES) {
      const person = (await people().getByEmail(address))?.value;
      expect(JSON.parse(person!.conversation!).conversation.id).toMatch(/^a:created-/);
    }

    // The same morning again: nothing goes twice.
    bot.connector.clear();
    expect(await run()).toMatchObject({ ran: true });
    expect(bot.connector.messages()).toEqual([]);
  });

  it('takes a member who leaves off the roster, keeping their record, and adds them back when they rejoin', async () => {
    const leaver = OTHERS[7]!;
    await bot.send(
      aConversationUpdate({
        from: ADMIN,
        in: KIM_NETWORK,
        membersRemoved: [{ id: leaver.id, aadObjectId: leaver.aadObjectId! }],
      }),
    );
    const gone = (await people().getByEmail(leaver.email!))?.value;
    expect(gone).toMatchObject({ name: leaver.name });
    expect(gone?.teams).toBeUndefined();
    expect(reachOf(gone)).toMatchObject({ kind: 'none', code: 'no_path' });
    expect((await people().listRoster(TEAM_ID)).some((e) => e.email === leaver.email)).toBe(false);

    await bot.send(
      aConversationUpdate({ from: ADMIN, in: KIM_NETWORK, membersAdded: [{ id: leaver.id }] }),
    );
    expect((await people().getByEmail(leaver.email!))?.value.teams).toEqual([TEAM_ID]);
  });

  it('finds a member who left by their Teams id when Teams gives no object id', async () => {
    const leaver = OTHERS[8]!;
    await bot.send(
      aConversationUpdate({ from: ADMIN, in: KIM_NETWORK, membersRemoved: [{ id: leaver.id }] }),
    );
    expect((await people().getByEmail(leaver.email!))?.value.teams).toBeUndefined();
  });
});

describe('a roster read that fails, a re-sync, and the bot removed from the team', () => {
  let bot: BotDriver;
  const added = () =>
    bot.send(aConversationUpdate({ from: ADMIN, in: KIM_NETWORK, membersAdded: [{ id: BOT.id }] }));
  beforeAll(async () => {
    bot = await startBotDriver({ env: { ADMIN_EMAILS: ADMIN.email } });
  });
  afterAll(async () => {
    await bot.close();
  });
  const people = () => bot.container.deps.people;

  it('tries a page that failed again, and stores the whole roster', async () => {
    bot.connector.setRoster(TEAM_ID, OTHERS.slice(0, 560));
    bot.connector.failRosterReads(1, 503, 1);
    await added();
    expect(bot.connector.rosterReads.map((r) => r.status)).toEqual([200, 503, 200]);
    expect(await people().listRoster(TEAM_ID)).toHaveLength(560);
  });

  it('keeps what was stored, and takes nobody off, when a page keeps failing', async () => {
    bot.connector.clear();
    // Teams now lists 40 fewer members, but the second page cannot be read however often the
    // bot (and the Bot Framework SDK under it) tries.
    bot.connector.setRoster(TEAM_ID, OTHERS.slice(40, 560));
    bot.connector.failRosterReads(10, 429, 1);
    await added();
    const statuses = bot.connector.rosterReads.map((r) => r.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(1).every((s) => s === 429)).toBe(true);
    expect(statuses.length).toBeGreaterThan(2);
    expect(await people().listRoster(TEAM_ID)).toHaveLength(560);
    const failure = bot.logs.find((l) => l.message.startsWith('could not record an installation'));
    expect(failure).toBeDefined();
  });

  it('a complete re-sync takes off those who left and saves those Teams describes differently', async () => {
    bot.connector.clear();
    const renamed = { ...OTHERS[150]!, name: 'Colleague 150 (HMPPS)' };
    bot.connector.setRoster(TEAM_ID, [
      ...OTHERS.slice(40, 150),
      renamed,
      ...OTHERS.slice(151, 560),
    ]);
    await added();
    const synced = bot.logs.filter((l) => l.message === 'team roster synced').at(-1);
    expect(synced?.fields).toMatchObject({ removed: 40, updated: 1, unchanged: 519, added: 0 });
    expect(await people().listRoster(TEAM_ID)).toHaveLength(520);
    expect((await people().getByEmail(OTHERS[150]!.email!))?.value.name).toBe(
      'Colleague 150 (HMPPS)',
    );
    // Nobody was deleted: those who left are still known, with no path.
    expect((await people().getByEmail(OTHERS[0]!.email!))?.value.teams).toBeUndefined();
  });

  it('forgets the team when the bot is removed: nobody is reached through it, nobody is deleted', async () => {
    await bot.send(
      aConversationUpdate({ from: ADMIN, in: KIM_NETWORK, membersRemoved: [{ id: BOT.id }] }),
    );
    expect(await people().listRoster(TEAM_ID)).toEqual([]);
    expect(await people().listConversations()).toEqual([]);
    const someone = (await people().getByEmail(OTHERS[300]!.email!))?.value;
    expect(someone).toMatchObject({ teamsUserId: OTHERS[300]!.id });
    expect(reachOf(someone)).toMatchObject({ kind: 'none', code: 'no_path' });
  });
});

describe('a team member whose address another account holds', () => {
  let bot: BotDriver;
  const SAM: User = {
    id: '29:1sam',
    name: 'Sam Owner',
    aadObjectId: '7b2c6a1f-0000-4000-8000-5a5a5a5a5a5a',
    email: 'sam.owner@justice.gov.uk',
  };
  const OTHER_SAM = member(42, 'Sam Owner', SAM.email);
  beforeAll(async () => {
    bot = await startBotDriver({ members: [SAM] });
    const deps = bot.container.deps;
    const { planId } = await importMojPlan(deps);
    await assignAction(deps, { planId, ref: '1.1', owners: [SAM.email], by: 'cli' });
    await bot.send(aConversationUpdate({ from: SAM, membersAdded: [{ id: BOT.id }] }));
    bot.connector.setRoster(TEAM_ID, [OTHER_SAM]);
    await bot.send(
      aConversationUpdate({ from: SAM, in: KIM_NETWORK, membersAdded: [{ id: BOT.id }] }),
    );
  });
  afterAll(async () => {
    await bot.close();
  });

  it('is kept apart, not merged: the holder keeps the address, their chat and their reminders', async () => {
    const people = bot.container.deps.people;
    const holder = (await people.getByEmail(SAM.email))?.value;
    expect(holder?.aadObjectId).toBe(SAM.aadObjectId);
    expect(JSON.parse(holder!.conversation!).conversation.id).toBe(personalChatOf(SAM).id);
    const apart = (await people.getByAadObjectId(OTHER_SAM.aadObjectId!, TENANT))?.value;
    expect(apart).toMatchObject({ keptApart: expect.any(String), teams: [TEAM_ID] });
    const line = bot.logs.find((l) => l.message.includes('a team member has an address another'));
    expect(line?.fields).toMatchObject({ aadObjectId: OTHER_SAM.aadObjectId });

    bot.connector.clear();
    await runReminders(bot.container.reminderDeps(), {
      holder: 'roster-test',
      asOf: MORNING,
      pollMs: 20,
      visibilitySeconds: 2,
    });
    expect(bot.connector.requests.filter((r) => r.kind === 'createConversation')).toEqual([]);
    const sent = bot.connector.messages();
    expect(sent.length).toBeGreaterThan(0);
    for (const m of sent) expect(m.conversationId).toBe(personalChatOf(SAM).id);
  });
});
