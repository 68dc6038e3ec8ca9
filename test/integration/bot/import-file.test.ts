import { TableClient } from '@azure/data-tables';
import { tableClientFor } from '../../../src/storage/open-storage.js';
import { DEFAULT_PENDING_IMPORTS_TABLE_NAME } from '../../../src/storage/azure-pending-imports.js';
import {
  aFileMessage,
  aMessage,
  anInvoke,
  GENERAL_CHANNEL,
  GROUP_CHAT,
  KIM,
  SAM,
  startBotDriver,
  type ActivityJson,
  type BotDriver,
} from '../../helpers/bot-driver.js';
import { mojPlanText } from '../../helpers/fixtures.js';
import {
  compoundFile,
  docxFromBody,
  HEADER_ROW,
  p,
  tbl,
  tc,
  tr,
  wordPlanDocx,
} from '../../helpers/word-documents.js';

/**
 * Importing a plan in Teams, through the whole bot as Teams would drive it: a plan admin sends
 * the file in their personal chat (a message with a file download info attachment; the fake
 * connector serves the download), the bot answers with a preview card, and the card's Import or
 * Cancel is pressed (an `adaptiveCard/action` invoke). Real server, real storage (Azurite).
 */

const PLAN = 'ministry-of-justice-ima-action-plan';
const START = Date.parse('2017-06-05T09:00:00Z');
let now = START;
const clock = { now: () => new Date(now) };

let bot: BotDriver;
beforeAll(async () => {
  // Sam is the plan admin; Kim is no one in particular.
  bot = await startBotDriver({
    members: [SAM, KIM],
    // A new plan's time zone, here not London's, so the times shown are seen to follow it.
    env: {
      ADMIN_EMAILS: SAM.email,
      FILE_DOWNLOAD_TIMEOUT_SECONDS: '1',
      PLAN_TIME_ZONE: 'Europe/Paris',
    },
    clock,
  });
});
afterAll(() => bot.close());
beforeEach(async () => {
  now = START;
  bot.connector.clear();
  for (const { value } of await bot.container.deps.plans.listPlans()) {
    await bot.container.deps.plans.deletePlan(value.id);
  }
});

/** Sends `bytes` as file `name`, from `from`; the bot's one reply. */
async function sendFile(
  name: string,
  bytes: Uint8Array,
  o: { from?: typeof SAM; in?: typeof GROUP_CHAT; mention?: boolean } = {},
): Promise<ActivityJson> {
  bot.connector.clear();
  const downloadUrl = bot.connector.serveFile(name, { bytes });
  const answer = await bot.send(aFileMessage({ name, downloadUrl, ...o }));
  expect(answer.status).toBe(200);
  const replies = bot.connector.messages();
  expect(replies).toHaveLength(1);
  return replies[0]!.body as ActivityJson;
}

const cardOf = (activity: ActivityJson): Record<string, unknown> =>
  activity.attachments?.[0]?.content ?? {};
const textOf = (card: unknown): string => JSON.stringify(card);

/** The Import or Cancel button of a preview card: its verb and data. */
function button(card: Record<string, unknown>, title: 'Import' | 'Cancel') {
  const actions = (card['actions'] ?? []) as { title: string; verb: string; data: object }[];
  const found = actions.find((a) => a.title === title);
  if (!found) throw new Error(`no ${title} button on ${textOf(card)}`);
  return found;
}

/** Presses a button as `from`; the card (or message) that answers it. */
async function press(
  b: { verb: string; data: object },
  from = SAM,
  on: BotDriver = bot,
): Promise<string> {
  const answer = await on.send(
    anInvoke({ verb: b.verb, data: b.data as Record<string, unknown>, from }),
  );
  expect(answer.status).toBe(200);
  return textOf(answer.body.value);
}

const mojDocx = async (): Promise<Uint8Array> => new Uint8Array(await wordPlanDocx());
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

async function previewRecords(): Promise<number> {
  const table = tableClientFor(bot.container.storageAccess, DEFAULT_PENDING_IMPORTS_TABLE_NAME);
  let n = 0;
  try {
    for await (const _ of (table as TableClient).listEntities()) n++;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return 0;
    throw error;
  }
  return n;
}

it('previews the Word document, then imports it on Import, the history naming the admin', async () => {
  const card = cardOf(await sendFile('MoJ IMA action plan.docx', await mojDocx()));
  const shown = textOf(card);
  expect(shown).toContain('Import Ministry of Justice IMA Action Plan?');
  expect(shown).toContain('Progress update – May 2017');
  expect(shown).toContain('A new plan: 6 recommendations and 42 actions.');
  // 09:00 UTC is 11:00 in Paris in June: times are shown in the new plan's time zone.
  expect(shown).toContain('expires at 11:30');
  expect(shown).not.toContain('${');
  // Nothing is written to the plan before Import.
  expect(await bot.container.deps.plans.listPlans()).toEqual([]);

  now += 5 * 60_000;
  const answer = await press(button(card, 'Import'));
  expect(answer).toContain('Plan imported');
  expect(answer).toContain('42 actions — 42 new');
  const actions = await bot.container.deps.plans.listActions(PLAN);
  expect(actions).toHaveLength(42);
  expect((await bot.container.deps.plans.getPlan(PLAN))?.value.timeZone).toBe('Europe/Paris');
  const history = await bot.container.deps.plans.listHistory(PLAN);
  expect(history.length).toBeGreaterThanOrEqual(42);
  expect(new Set(history.map((h) => h.by))).toEqual(new Set([SAM.email]));

  // Pressed again (a double click, the card still on screen): nothing more happens.
  const again = await press(button(card, 'Import'));
  expect(again).toContain('Already imported');
  expect(await bot.container.deps.plans.listHistory(PLAN)).toHaveLength(history.length);
  // And Cancel after Import says what happened, changing nothing.
  expect(await press(button(card, 'Cancel'))).toContain('Already imported');
});

it('imports nothing on Cancel, and Import after Cancel says so', async () => {
  const card = cardOf(await sendFile('plan.txt', text(mojPlanText())));
  expect(await press(button(card, 'Cancel'))).toContain('Import cancelled');
  expect(await press(button(card, 'Import'))).toContain('This import was cancelled');
  expect(await press(button(card, 'Cancel'))).toContain('This import was cancelled');
  expect(await bot.container.deps.plans.listPlans()).toEqual([]);
});

it('lets the preview expire after 30 minutes: Import then imports nothing', async () => {
  const card = cardOf(await sendFile('plan.txt', text(mojPlanText())));
  now += 29 * 60_000;
  const nearly = cardOf(await sendFile('plan.txt', text(mojPlanText())));
  now += 2 * 60_000;
  const answer = await press(button(card, 'Import'));
  expect(answer).toContain('This preview has expired');
  expect(answer).toContain('expired at 11:30');
  expect(await bot.container.deps.plans.listPlans()).toEqual([]);
  // The newer preview still works.
  expect(await press(button(nearly, 'Import'))).toContain('Plan imported');
});

it('refuses a non-admin politely, naming who can import, without downloading the file', async () => {
  const reply = textOf(cardOf(await sendFile('plan.docx', await mojDocx(), { from: KIM })));
  expect(reply).toContain('Only a plan admin can import a plan');
  expect(reply).toContain(SAM.email);
  expect(bot.connector.fileDownloads).toEqual([]);
  expect(await bot.container.deps.plans.listPlans()).toEqual([]);
});

it('honours the buttons only for the admin who sent the file', async () => {
  const card = cardOf(await sendFile('plan.txt', text(mojPlanText())));
  const refused = await press(button(card, 'Import'), KIM);
  expect(refused).toContain('Only the admin who sent the file can do that');
  expect(await press(button(card, 'Cancel'), KIM)).toContain('Only the admin who sent the file');
  expect(await bot.container.deps.plans.listPlans()).toEqual([]);
  // Still there for the admin.
  expect(await press(button(card, 'Import'))).toContain('Plan imported');
});

it('asks for a file sent in a group chat or channel to be sent in the personal chat', async () => {
  const reply = textOf(
    cardOf(await sendFile('plan.docx', await mojDocx(), { in: GROUP_CHAT, mention: true })),
  );
  expect(reply).toContain('Send the file in our personal chat');

  // In a channel Teams shares a file as a link into the team's SharePoint.
  bot.connector.clear();
  await bot.send({
    ...aMessage({ text: 'please import this', in: GENERAL_CHANNEL, mention: true }),
    attachments: [
      {
        contentType: 'reference',
        contentUrl: 'https://contoso.sharepoint.com/sites/kim/Shared%20Documents/plan.docx',
        name: 'plan.docx',
      },
    ],
  });
  expect(textOf(bot.connector.messages()[0]?.body)).toContain('Send the file in our personal chat');
  expect(bot.connector.fileDownloads).toEqual([]);
});

it('shows what a newer progress update would change, and imports it keeping what it leaves out', async () => {
  const first = cardOf(await sendFile('may.txt', text(mojPlanText())));
  await press(button(first, 'Import'));
  now += 60 * 60_000;

  const november = mojPlanText()
    .replaceAll('Progress update – May 2017', 'Progress update – November 2017')
    .replace(/^(1\.1\t.*\t)In progress$/m, '$1Complete')
    .replace(/^(1\.2\t.*\t)End Mar 2017(\t.*)$/m, '$1End Jun 2017$2')
    .replace(
      /^6\.7\t.*$/m,
      '6.8\tPublishing the retention schedule on the intranet\tL\tDec 2017\tNot started',
    );
  const card = cardOf(await sendFile('november.txt', text(november)));
  const shown = textOf(card);
  expect(shown).toContain('An update of the stored plan (progress update May 2017)');
  expect(shown).toContain('Progress update – November 2017');
  expect(shown).toContain('New actions (1)');
  expect(shown).toContain('6.8');
  expect(shown).toMatch(/1\.1 status: “In progress” → “Complete”/);
  expect(shown).toMatch(/1\.2 target: “End Mar 2017” → “End Jun 2017”/);
  expect(shown).toContain('Not in this file (1): kept, not deleted');
  expect(shown).toContain('6.7');
  // Previewing changed nothing.
  expect((await bot.container.deps.plans.getAction(PLAN, '1.1'))?.value.status).toBe('in_progress');

  expect(await press(button(card, 'Import'))).toContain('Plan updated');
  expect((await bot.container.deps.plans.getAction(PLAN, '1.1'))?.value.status).toBe('complete');
  expect(await bot.container.deps.plans.getAction(PLAN, '6.7')).toBeDefined();
  expect(await bot.container.deps.plans.getAction(PLAN, '6.8')).toBeDefined();
  const history = await bot.container.deps.plans.listHistory(PLAN, '1.1');
  expect(history.find((h) => h.field === 'status')).toMatchObject({
    by: SAM.email,
    from: 'In progress',
    to: 'Complete',
  });
});

it('refuses an older progress update than the stored plan, keeping nothing', async () => {
  await press(button(cardOf(await sendFile('may.txt', text(mojPlanText()))), 'Import'));
  const before = await previewRecords();
  const january = mojPlanText()
    .replaceAll('Progress update – May 2017', 'Progress update – January 2017')
    .replace(/^(1\.1\t.*\t)In progress$/m, '$1Not started');
  const shown = textOf(cardOf(await sendFile('january.txt', text(january))));
  expect(shown).toContain('january.txt is an older progress update');
  expect(shown).toContain('older than the plan');
  expect(shown).not.toContain('"verb"');
  expect(await previewRecords()).toBe(before);
  expect((await bot.container.deps.plans.getAction(PLAN, '1.1'))?.value.status).toBe('in_progress');
});

it('imports once when Import is pressed on two instances of the bot at the same moment', async () => {
  // A second instance on the same storage, as two App Service instances share one account.
  const other = await startBotDriver({
    members: [SAM, KIM],
    env: {
      ADMIN_EMAILS: SAM.email,
      AZURE_STORAGE_CONNECTION_STRING: bot.container.connectionString,
    },
    clock,
  });
  try {
    const card = cardOf(await sendFile('plan.txt', text(mojPlanText())));
    const answers = await Promise.all([
      press(button(card, 'Import'), SAM, bot),
      press(button(card, 'Import'), SAM, other),
    ]);
    expect(answers.filter((a) => a.includes('Plan imported'))).toHaveLength(1);
    expect(answers.filter((a) => /Already (being )?imported/.test(a))).toHaveLength(1);
    const history = await bot.container.deps.plans.listHistory(PLAN);
    expect(history.filter((h) => h.kind === 'created')).toHaveLength(42);
    expect(history.filter((h) => h.kind !== 'created')).toEqual([]);
  } finally {
    await other.close();
  }
});

describe('bad input: a clear answer, and nothing kept', () => {
  const cases: [string, () => Promise<{ name: string; url: string }>, RegExp][] = [
    [
      'a download Teams refuses',
      async () => ({
        name: 'plan.docx',
        url: bot.connector.serveFile('gone.docx', { status: 403 }),
      }),
      /couldn't download the file from Teams \(Teams answered 403\)/,
    ],
    [
      'a download that never finishes',
      async () => ({
        name: 'plan.docx',
        url: bot.connector.serveFile('slow.docx', { bytes: new Uint8Array(64), hang: true }),
      }),
      /took longer than 1 second/,
    ],
    [
      'a file over 10 MB',
      async () => ({
        name: 'huge.docx',
        url: bot.connector.serveFile('huge.docx', { bytes: new Uint8Array(11 * 1024 * 1024) }),
      }),
      /The file is 11 MB; the largest plan file I take is 10 MB/,
    ],
    [
      'an old Word 97–2003 .doc',
      async () => ({
        name: 'plan.doc',
        url: bot.connector.serveFile('plan.doc', { bytes: compoundFile('WordDocument') }),
      }),
      /Word 97/,
    ],
    [
      'a password-protected .docx',
      async () => ({
        name: 'locked.docx',
        url: bot.connector.serveFile('locked.docx', {
          bytes: compoundFile('EncryptionInfo', 'EncryptedPackage'),
        }),
      }),
      /protected with a password/,
    ],
    [
      'a PDF named .docx',
      async () => ({
        name: 'plan.docx',
        url: bot.connector.serveFile('pdf.docx', { bytes: text('%PDF-1.7\n%âãÏÓ\n1 0 obj') }),
      }),
      /PDF/,
    ],
    [
      'a Word document with no table',
      async () => ({
        name: 'plan.docx',
        url: bot.connector.serveFile('no-table.docx', {
          bytes: await docxFromBody(p('Our plan') + p('Recommendation 1') + p('Do better.')),
        }),
      }),
      /This Word document has no table/,
    ],
    [
      'a table inside a table, named by its table, row and column',
      async () => ({
        name: 'plan.docx',
        url: bot.connector.serveFile('nested.docx', {
          bytes: await docxFromBody(
            tbl(
              HEADER_ROW,
              tr(tc('1.1'), `<w:tc>${tbl(tr(tc('x')))}${p('')}</w:tc>`, tc('H'), tc('Ongoing')),
            ),
          ),
        }),
      }),
      /Table 1, row 2: A cell in column 2 holds a table of its own/,
    ],
  ];

  it.each(cases)('%s', async (_what, make, message) => {
    const before = await previewRecords();
    const { name, url } = await make();
    bot.connector.clear();
    const answer = await bot.send(aFileMessage({ name, downloadUrl: url }));
    expect(answer.status).toBe(200);
    const [reply] = bot.connector.messages();
    const shown = textOf(reply?.body);
    expect(shown).toMatch(message);
    expect(shown).not.toContain('Import');
    expect(await previewRecords()).toBe(before);
    expect(await bot.container.deps.plans.listPlans()).toEqual([]);
  });
});
