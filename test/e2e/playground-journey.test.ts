import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import {
  cardCount,
  cardWith,
  launchChromium,
  nextCard,
  ROOT,
  say,
  startStack,
  step,
  type Stack,
} from './stack.js';

/**
 * A person using the bot in a Teams-like client: `npm start`'s stack (embedded Azurite, the bot,
 * the Microsoft 365 Agents Playground) driven through the Playground's page in headless chromium.
 * The Playground's user is the demo admin Priya Shah, who owns 1.1 and 5.2 in MoJ HQ (an area
 * with no champion, whose status an admin reads as a champion would); the Playground cannot
 * switch users. Steps run in order and share the stack: each builds on the one before.
 */

let stack: Stack;
let closeBrowser: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  const chromium = await launchChromium();
  closeBrowser = chromium.close;
  page = await chromium.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(stack.playgroundUrl);
  // The welcome card the bot sends when the Playground installs it.
  await cardWith(page, 'Hello Priya');
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await stack?.stop();
}, 60_000);

const openChat = async (name: string): Promise<void> => {
  await page.getByText(name, { exact: true }).first().click();
};

test('an owner types "my actions", opens 5.2, presses In progress with a note and sees the card change', async () => {
  await step(page, 'my-actions', async () => {
    const before = await cardCount(page);
    await say(page, 'my actions');
    const list = await nextCard(page, before);
    await list.getByText('Your actions (2)').waitFor();
    await list.getByText(/Drawing up a maturity model/).click();
  });
  const card = await step(page, 'action-card', () => cardWith(page, 'Action 5.2'));
  await step(page, 'press-in-progress', async () => {
    await card.getByText('Not started', { exact: true }).first().waitFor();
    await card.locator('input').first().fill('Draft model shared with the KIM board');
    await card.getByRole('button', { name: 'Mark in progress' }).click();
    // The pressed card is replaced by the bot's answer: the new status and the note.
    const changed = await cardWith(page, 'Draft model shared with the KIM board');
    await changed.getByText('In progress', { exact: true }).first().waitFor();
    expect(await changed.getByRole('button', { name: 'Mark in progress' }).count()).toBe(0);
  });
});

test('status of the area shows the change', async () => {
  await step(page, 'status-area', async () => {
    const before = await cardCount(page);
    await say(page, 'status MoJ HQ');
    const status = await nextCard(page, before);
    await status
      .getByText(/MoJ HQ/)
      .first()
      .waitFor();
    await status.getByText(/5\.2/).first().waitFor();
    // Before the press: 4 not started and 1 (1.1) in progress; now 5.2 is in progress too.
    const text = await status.innerText();
    expect(text).toMatch(/Not started\W*3\W*In progress\W*2/);
  });
});

test('in the team channel: subscribe digest, then digest preview shows the digest', async () => {
  await step(page, 'channel-subscribe', async () => {
    await openChat('Action plan digest');
    await page.getByText('Start a new post').waitFor();
    await post('subscribe digest');
    await page.getByText('Subscribed to the weekly digest').waitFor();
  });
  await step(page, 'channel-digest-preview', async () => {
    await post('digest preview');
    const digest = await cardWith(page, 'Weekly digest (preview)');
    await digest.getByText('A preview: this digest has not been posted anywhere.').waitFor();
    expect(await digest.innerText()).toMatch(/Ministry of Justice IMA Action Plan \(demo\)/);
  });
});

test('the owners in the Playground’s team are reachable through it, without opening the bot', async () => {
  // The Playground added the bot to "MoJ KIM Network" when the page loaded, and serves its
  // members; only Priya (the Playground's user) has a chat with the bot.
  const report = JSON.parse(await actionplan('people', 'reach', '--json')) as {
    counts: Record<string, number>;
    people: { email: string; path: string; teams?: string[] }[];
  };
  const pathOf = (email: string) => report.people.find((p) => p.email === email);
  for (const owner of [
    'gareth.evans',
    'aisha.rahman',
    'sam.mitchell',
    'tom.okafor',
    'hannah.lewis',
  ]) {
    expect(pathOf(`${owner}@justice.example`)).toMatchObject({
      path: 'team',
      teams: ['MoJ KIM Network'],
    });
  }
  expect(pathOf('priya.shah@justice.example')).toMatchObject({ path: 'chat' });
  expect(report.counts['none']).toBe(0);
});

test('a reminder sent with `actionplan reminders run --as-of` appears in the owner’s chat and is answered there', async () => {
  await openChat('Personal Chat');
  await cardWith(page, 'Hello Priya');
  const before = await cardCount(page);
  const asOf = nextWednesday();
  const cli = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'reminders', 'run', '--as-of', asOf],
    { cwd: ROOT, env: { ...stack.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let cliOutput = '';
  cli.stdout.on('data', (c: Buffer) => (cliOutput += c.toString('utf8')));
  cli.stderr.on('data', (c: Buffer) => (cliOutput += c.toString('utf8')));
  const exited = new Promise<number | null>((done) => cli.once('exit', (code) => done(code)));
  try {
    await step(page, 'reminder-arrives', async () => {
      // 1.1 is overdue: its weekly reminder goes to Priya on any working day.
      await nextCard(page, before);
      await cardWith(page, /Completing work on the Knowledge and Information Management/);
    });
    // Delivered, the command ends by itself and says what it sent.
    expect(await exited).toBe(0);
    expect(cliOutput).toMatch(/^Delivered: [1-9]\d* sent, 0 refused by Teams/m);
  } catch (e) {
    if (e instanceof Error)
      e.message += `\nactionplan reminders run --as-of ${asOf}:\n${cliOutput}`;
    throw e;
  } finally {
    if (cli.exitCode === null) cli.kill('SIGTERM');
  }
  await step(page, 'reminder-answered', async () => {
    const reminder = await cardWith(
      page,
      /Completing work on the Knowledge and Information Management/,
    );
    await reminder.getByRole('button', { name: 'Mark complete' }).click();
    // The reminder is replaced in place by the action as it now stands: complete, no button.
    await reminder.getByRole('button', { name: 'Mark complete' }).waitFor({ state: 'detached' });
    expect(await reminder.innerText()).toMatch(/\bComplete\b/);
  });
});

/** Runs the command line against the stack's storage; resolves to what it printed. */
async function actionplan(...args: string[]): Promise<string> {
  const cli = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), ...args], {
    cwd: ROOT,
    env: { ...stack.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  cli.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  cli.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await new Promise<number | null>((done) => cli.once('exit', done));
  if (code !== 0) throw new Error(`actionplan ${args.join(' ')} ended ${code}:\n${out}${err}`);
  return out;
}

/** A new post in the open channel, @mentioning the bot (it answers only when mentioned there). */
async function post(text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').first().click();
  await page.keyboard.type('@Action');
  await page.getByRole('menuitem', { name: /Action Plan/ }).click();
  await page.keyboard.type(` ${text}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** A working day a few days on (Wednesday: never a bank holiday in England but at Christmas). */
function nextWednesday(): string {
  let d = DateTime.now().setZone('Europe/London').plus({ days: 3 });
  while (d.weekday !== 3 || (d.month === 12 && d.day >= 24) || (d.month === 1 && d.day === 1)) {
    d = d.plus({ days: 1 });
  }
  return d.toISODate()!;
}
