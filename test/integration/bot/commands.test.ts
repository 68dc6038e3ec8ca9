import { TableClient } from '@azure/data-tables';
import { addArea } from '../../../src/app/add-area.js';
import { assignAction } from '../../../src/app/assign-action.js';
import {
  aConversationUpdate,
  aMessage,
  anInvoke,
  BOT,
  GROUP_CHAT,
  KIM,
  OTHER_TENANT,
  personalChatOf,
  SAM,
  useBotDriver,
  TENANT,
  type User,
} from '../../helpers/bot-driver.js';
import { textsOf } from '../../helpers/bot-world.js';
import type { RecordedRequest } from '../../helpers/fake-connector.js';
import { importMojPlan } from '../../helpers/fixtures.js';
import { storageSnapshot } from '../../helpers/storage-snapshot.js';

/**
 * The chat commands through the whole stack: the real server and storage, the MoJ plan imported
 * with areas, a champion and owners, and people who installed the bot in Teams. Sam owns three
 * HMPPS actions, Kim is the KIM Champion for HMPPS (and owns one MoJ HQ action), Jo has no part
 * in the plan, Pat is a plan admin (ADMIN_EMAILS). Four areas have names made of the bot's own
 * words (Export Team, Digest Unit, Digital Team, Progress), and MoJ HQ is stored as an older
 * version stored areas (RowKey `area|moj hq`).
 */

const JO: User = {
  id: '29:1jo-reader',
  name: 'Jo Reader',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000003',
  email: 'jo.reader@justice.gov.uk',
};
const PAT: User = {
  id: '29:1pat-admin',
  name: 'Pat Admin',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000004',
  email: 'pat.admin@justice.gov.uk',
};
/** Areas whose names are made of words the bot also reads as commands, each with an action. */
const WORDY_AREAS: readonly [string, string][] = [
  ['Export Team', '1.1'],
  ['Digest Unit', '1.2'],
  ['Digital Team', '1.3'],
  ['Progress', '1.4'],
];
/** Named as a champion by Pat, never installed the bot. */
const LEE = 'lee.champion@justice.gov.uk';
/** Named as an owner, never installed the bot. */
const UNREACHED = 'ursula.unreached@justice.gov.uk';

const SAMS_ACTIONS = ['1.5', '4.1', '4.9a'];
const HMPPS_ACTIONS = [...SAMS_ACTIONS, '4.9b'];

/** Verbs that only show something; every other verb changes the plan. */
const NAVIGATION = new Set([
  'showAction',
  'myActions',
  'showStatus',
  'showOverdue',
  'showPlan',
  'showHelp',
]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- card JSON
type Json = any;

/** The Adaptive Card of a reply, failing the test when there is none. */
function cardOf(request: RecordedRequest | undefined): Json {
  const attachment = request?.body?.attachments?.[0];
  expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment.content;
}

/** Every node of a card, depth first. */
function nodesOf(card: Json): Json[] {
  const out: Json[] = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    out.push(node);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}

/** The refs of the actions a card links to (rows that open an action's card). */
const linkedRefs = (card: Json): string[] => [
  ...new Set(
    nodesOf(card)
      .filter((n) => n.verb === 'showAction' && typeof n.data?.ref === 'string')
      .map((n) => n.data.ref as string),
  ),
];

/** The verbs of every button on a card, Universal Actions and Action.Submit fallbacks alike. */
const verbsOf = (card: Json): string[] => [
  ...new Set(
    nodesOf(card).flatMap((n) => [
      ...(typeof n.verb === 'string' ? [n.verb] : []),
      ...(n.type === 'Action.Submit' && typeof n.data?.verb === 'string' ? [n.data.verb] : []),
    ]),
  ),
];

const textOf = (card: Json): string => textsOf(card).join('\n');

describe('chat commands, through the server', () => {
  const bot = useBotDriver({
    members: [SAM, KIM, JO, PAT],
    env: { ALLOWED_TENANT_IDS: TENANT, ADMIN_EMAILS: PAT.email },
  });
  let planId: string;
  let welcomes: RecordedRequest[];

  beforeAll(async () => {
    const deps = bot.container.deps;
    planId = (await importMojPlan(deps, { source: 'moj.txt' })).planId;
    await addArea(deps, { planId, name: 'HMPPS', champions: [KIM.email] });
    await table().createEntity({
      partitionKey: planId,
      rowKey: 'area|moj hq',
      name: 'MoJ HQ',
      champions: '[]',
    });
    for (const [area, ref] of WORDY_AREAS) {
      await addArea(deps, { planId, name: area, champions: [] });
      await assignAction(deps, { planId, ref, owners: [UNREACHED], area, by: 'cli' });
    }
    const assign = (ref: string, owner: string, area: string) =>
      assignAction(deps, { planId, ref, owners: [owner], area, by: 'cli' });
    for (const ref of SAMS_ACTIONS) await assign(ref, SAM.email, 'HMPPS');
    await assign('4.9b', UNREACHED, 'HMPPS');
    await assign('2.6', KIM.email, 'MoJ HQ');

    for (const user of [SAM, KIM, JO]) {
      const install = aConversationUpdate({ from: user, membersAdded: [{ id: BOT.id }] });
      expect((await bot.send(install)).status).toBe(200);
    }
    welcomes = bot.connector.messages();
  });
  beforeEach(() => {
    bot.connector.clear();
  });

  /** The bot's plan table, as stored. */
  const table = () =>
    TableClient.fromConnectionString(bot.container.connectionString, bot.config.storage.tableName, {
      allowInsecureConnection: true,
    });

  /** Sends `text` from `user` in their personal chat; returns the one reply. */
  async function ask(user: User, text: string): Promise<RecordedRequest> {
    bot.connector.clear();
    const message = aMessage({ from: user, text });
    expect((await bot.send(message)).status).toBe(200);
    const replies = bot.connector.messages();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      conversationId: personalChatOf(user).id,
      activityId: message.id,
    });
    return replies[0]!;
  }

  it('welcomes each person who installs it with a card saying who they are in the plan', () => {
    expect(welcomes.map((w) => w.conversationId)).toEqual(
      [SAM, KIM, JO].map((u) => personalChatOf(u).id),
    );
    const [sam, kim, jo] = welcomes.map((w) => textOf(cardOf(w)));
    expect(sam).toContain('Hello Sam');
    expect(sam).toContain('You own 3 actions.');
    expect(kim).toContain('You are the KIM Champion for HMPPS and own 1 action.');
    expect(jo).toContain("You don't own any actions yet; you can read the plan's summaries.");
  });

  it('help: a card of the commands, with buttons that only show things', async () => {
    const card = cardOf(await ask(SAM, 'help'));
    const text = textOf(card);
    for (const command of ['my actions', 'status', 'overdue', 'plan']) {
      expect(text).toContain(command);
    }
    expect(verbsOf(card).filter((v) => !NAVIGATION.has(v))).toEqual([]);
  });

  it("my actions: exactly the owner's actions, whoever asks", async () => {
    const sams = cardOf(await ask(SAM, 'my actions'));
    expect(linkedRefs(sams).sort()).toEqual(SAMS_ACTIONS);
    expect(textOf(sams)).toContain('Your actions (3)');

    // Forgiving about case and extra words.
    expect(linkedRefs(cardOf(await ask(KIM, 'Show me MY ACTIONS please!')))).toEqual(['2.6']);

    const jos = textOf(cardOf(await ask(JO, 'my actions')));
    expect(jos).toContain('No actions yet');
  });

  it("a champion's status HMPPS: their area's actions only, with its champion", async () => {
    const card = cardOf(await ask(KIM, 'status HMPPS'));
    const text = textOf(card);
    expect(text).toContain('Status: HMPPS');
    expect(text).toContain('KIM Champion: Kim Champion');
    const refs = linkedRefs(card);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !HMPPS_ACTIONS.includes(r))).toEqual([]);
    // The owner who never installed the bot is flagged.
    expect(text).toContain(UNREACHED);

    // Asked another way, and "status" alone: a champion sees their areas.
    expect(textOf(cardOf(await ask(KIM, "what's the status of hmpps?")))).toContain(
      'Status: HMPPS',
    );
    expect(textOf(cardOf(await ask(KIM, 'status')))).toContain('Status: HMPPS');
  });

  it.each(WORDY_AREAS)(
    'typed "status %s": that area\'s status, never the command its words spell',
    async (area, ref) => {
      const card = cardOf(await ask(JO, `status ${area}`));
      expect(textOf(card)).toContain(`Status: ${area}`);
      expect(textOf(card)).not.toContain('Status of the whole plan');
      // The area's one action is the area's; none of the rest of the plan is.
      expect(linkedRefs(card).filter((r) => r !== ref)).toEqual([]);
    },
  );

  it.each(WORDY_AREAS)(
    "a button for the status of %s: that area's status, its name never read as words",
    async (area, ref) => {
      const pressed = await bot.send(
        anInvoke({ from: JO, verb: 'showStatus', data: { planId, area } }),
      );
      expect(pressed.status).toBe(200);
      expect(pressed.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
      const card = pressed.body.value;
      expect(textOf(card)).toContain(`Status: ${area}`);
      expect(linkedRefs(card).filter((r) => r !== ref)).toEqual([]);
    },
  );

  it('"champion MoJ-HQ …" adds a champion to MoJ HQ, stored under an older key, without a second area', async () => {
    const reply = textOf(cardOf(await ask(PAT, `champion MoJ-HQ ${LEE}`)));
    expect(reply).toContain('KIM Champions for MoJ HQ');
    expect(reply).toContain(`${LEE} is now a KIM Champion for MoJ HQ.`);
    expect(reply).toContain("hasn't installed the bot yet");
    const areas = (await bot.container.deps.plans.listAreas(planId)).map((a) => a.value);
    expect(areas.filter((a) => a.name.toLowerCase().startsWith('moj'))).toEqual([
      { planId, name: 'MoJ HQ', champions: [LEE] },
    ]);
    const rowKeys: string[] = [];
    for await (const e of table().listEntities()) {
      if (e.rowKey?.startsWith('area|moj')) rowKeys.push(e.rowKey);
    }
    expect(rowKeys).toEqual(['area|mojhq']);
    // Kim's action 2.6 is still in the area, under its name as stored.
    expect(textOf(cardOf(await ask(JO, 'status moj hq')))).toContain('KIM Champion: ' + LEE);
  });

  it('a non-champion sees a read-only summary: the whole plan, buttons that only show things, nothing changed', async () => {
    const before = await storageSnapshot(bot.container.connectionString);
    // The snapshot holds the plan and the people: comparing it means something.
    expect(before[bot.config.storage.tableName]?.length).toBeGreaterThan(42);
    expect(before['People']?.map((p) => p.rowKey)).toEqual(
      expect.arrayContaining([SAM.email, KIM.email, JO.email].map((e) => `address|${e}`)),
    );

    const jos = cardOf(await ask(JO, 'status'));
    expect(textOf(jos)).toContain('Status of the whole plan');
    expect(verbsOf(jos).length).toBeGreaterThan(0);
    expect(verbsOf(jos).filter((v) => !NAVIGATION.has(v))).toEqual([]);

    // An owner who is not a champion also gets the whole plan.
    expect(textOf(cardOf(await ask(SAM, 'status')))).toContain('Status of the whole plan');

    // Any area can be read, still without a button that changes anything.
    const area = cardOf(await ask(JO, 'status HMPPS'));
    expect(textOf(area)).toContain('Status: HMPPS');
    expect(verbsOf(area).filter((v) => !NAVIGATION.has(v))).toEqual([]);

    // Changing the plan from chat is refused, politely.
    const refused = JSON.stringify((await ask(JO, `champion HMPPS ${JO.email}`)).body);
    expect(refused).toMatch(/admin/i);
    expect(await storageSnapshot(bot.container.connectionString)).toEqual(before);
  });

  it('a foreign tenant changes nothing and gets no reply', async () => {
    const before = await storageSnapshot(bot.container.connectionString);
    const stranger: User = {
      id: '29:1stranger',
      name: 'Stranger',
      aadObjectId: '6a1b5f0e-0000-4000-8000-0000000000ff',
      email: 'stranger@other.example',
    };
    const activities = [
      aConversationUpdate({
        from: stranger,
        tenantId: OTHER_TENANT,
        membersAdded: [{ id: BOT.id }],
      }),
      aMessage({ from: SAM, tenantId: OTHER_TENANT, text: 'my actions' }),
      aMessage({ from: KIM, tenantId: OTHER_TENANT, text: 'status HMPPS' }),
      aMessage({ from: KIM, tenantId: OTHER_TENANT, text: `assign 4.1 to ${stranger.email}` }),
      aConversationUpdate({
        in: GROUP_CHAT,
        from: KIM,
        tenantId: OTHER_TENANT,
        membersAdded: [{ id: BOT.id }],
      }),
      aConversationUpdate({ from: SAM, tenantId: OTHER_TENANT, membersRemoved: [{ id: BOT.id }] }),
    ];
    for (const activity of activities) {
      expect((await bot.send(activity)).status).toBe(200);
    }

    expect(bot.connector.requests).toEqual([]);
    expect(bot.connector.memberLookups).toEqual([]);
    expect(await storageSnapshot(bot.container.connectionString)).toEqual(before);
    // The same from the bot's own tenant is answered: the silence above was the tenant check.
    await ask(SAM, 'my actions');
  });
});
