/**
 * `npm run cards:render`: draws every card template, filled with the demo plan's data, to
 * docs/cards/<name>.png, as the `adaptivecards` JavaScript renderer shows it in headless Chromium,
 * for the README. Draw the committed pictures with Debian's `chromium` and `fonts-noto-color-emoji`:
 * the Chromium shipped in an npm package (used where there is no system one) draws emoji as boxes.
 *
 * The cards are the bot's own: the demo plan is seeded into an in-memory store on a fixed day and
 * the cards come from the same use cases and templates that answer in Teams. The renderer has no
 * markdown of its own; a small converter (bold, italics, links, lists, line breaks, as Teams
 * supports in a TextBlock) stands in for the one Teams uses. Charts (Teams-only elements) show
 * their fallbacks. Not run by CI: the pictures are committed and redrawn when a card changes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { answerCommand, answerMessage } from '../app/answer-command.js';
import type { Actor } from '../app/bot-reply.js';
import { buildDigest } from '../app/digest/build-digest.js';
import { exportPlan } from '../app/export-plan.js';
import { readConfig } from '../config.js';
import { openContainer } from '../container.js';
import { readPlanFile } from '../documents/plan-file.js';
import { fixedClock } from '../ports/clock.js';
import { defaultDemoFiles, projectRoot, seedDemoPlan } from './demo-seed.js';
import { launchHeadlessChromium } from './headless-chromium.js';

const ROOT = projectRoot();
const OUT = join(ROOT, 'docs', 'cards');
const NOW = '2026-11-24T10:00:00Z';

const priya: Actor = { email: 'priya.shah@justice.example', name: 'Priya Shah' };
const tom: Actor = { email: 'tom.okafor@justice.example', name: 'Tom Okafor' };

async function sampleCards(): Promise<[string, object][]> {
  const config = readConfig({ LOG_LEVEL: 'silent', PORT: '0', ADMIN_EMAILS: priya.email! });
  const container = await openContainer(config, { inMemory: true, clock: fixedClock(NOW) });
  try {
    const deps = container.deps;
    const seed = await seedDemoPlan(deps, defaultDemoFiles(ROOT), readPlanFile);
    const planId = seed.planIds[0]!;
    const ask = async (actor: Actor, text: string): Promise<object> => {
      const reply = await answerMessage(deps, { actor, text, scope: 'personal', planId });
      if (!reply.card) throw new Error(`"${text}" gave no card`);
      return reply.card;
    };
    const plan = (await deps.plans.getPlan(planId))!.value;
    const action = (await deps.plans.getAction(planId, '1.1'))!;
    const reminder = deps.renderCard({
      kind: 'reminder',
      plan,
      action: action.value,
      version: action.version,
      reason: { kind: 'overdue', role: 'owner' },
      owners: [{ email: priya.email!, name: priya.name!, reachable: true }],
      today: NOW.slice(0, 10),
    });
    const digest = await buildDigest(deps, plan, new Date(NOW), { preview: true });
    const importPreview = await previewOfAnUpdate(deps, planId);
    return [
      ['welcome', await ask(priya, 'hello')],
      ['help', await ask(priya, 'help')],
      ['my-actions', await ask(priya, 'my actions')],
      ['action', await ask(priya, 'show 1.1')],
      ['reminder', reminder],
      ['area-status', await ask(tom, 'status HMPPS')],
      ['plan-progress', await ask(priya, 'status')],
      ['digest', digest.card],
      ['message', await ask(tom, 'show 9.9')],
      ['import-preview', importPreview],
    ];
  } finally {
    await container.close();
  }
}

/**
 * The preview card of a newer progress update sent to the bot: the plan's own export as CSV, with
 * a new label, two statuses moved on, one action added and one left out, as the file Priya sends.
 */
async function previewOfAnUpdate(
  deps: Awaited<ReturnType<typeof openContainer>>['deps'],
  planId: string,
): Promise<object> {
  const exported = await exportPlan(deps, { planId, format: 'csv', label: 'November 2026' });
  const lines = new TextDecoder().decode(exported.bytes).split(/\r?\n/);
  const at = (ref: string): number => lines.findIndex((l) => l.split(',')[1] === ref);
  const moved = (ref: string, from: string, to: string): void => {
    lines[at(ref)] = lines[at(ref)]!.replace(`,${from},`, `,${to},`);
  };
  moved('1.1', 'In progress', 'Complete');
  moved('1.2', 'Not started', 'In progress');
  // 6.7 is left out of the file, and a new 6.8 comes in under the same recommendation.
  const last = lines[at('6.7')]!;
  lines.splice(
    at('6.7'),
    1,
    last.replace(
      /^6,6\.7,("(?:[^"]|"")*"|[^,]*),/,
      '6,6.8,Publishing the retention schedule on the intranet,',
    ),
  );
  const reply = await answerCommand(
    { ...deps, downloadFile: () => Promise.resolve(new TextEncoder().encode(lines.join('\r\n'))) },
    {
      actor: priya,
      scope: 'personal',
      command: {
        kind: 'importFile',
        fileName: 'moj-ima-progress-update-november-2026.csv',
        downloadUrl: 'https://justice-my.sharepoint.com/personal/priya/update.csv',
      },
    },
  );
  if (!reply.card) throw new Error('the file gave no preview card');
  return reply.card;
}

/** Runs in the page: Teams-like markdown for TextBlocks, then each card into its own box. */
const PAGE_SCRIPT = `
window.renderAll = (cards) => {
  const AC = window.AdaptiveCards;
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inline = (s) => esc(s)
    .replace(/\\*\\*(.+?)\\*\\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\\*(?!\\s)(.+?)\\*/g, '$1<em>$2</em>')
    .replace(/_(\\S.*?)_/g, '<em>$1</em>')
    .replace(/\\[([^\\]]+)\\]\\((https?:[^)\\s]+)\\)/g, '<a href="$2">$1</a>');
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const html = [];
    let list = null;
    for (const line of text.split(/\\r?\\n/)) {
      const item = /^\\s*(?:[-*]|(\\d+)\\.)\\s+(.*)$/.exec(line);
      if (item) {
        const tag = item[1] ? 'ol' : 'ul';
        if (list !== tag) { if (list) html.push('</' + list + '>'); html.push('<' + tag + ' style="margin:0;padding-left:20px">'); list = tag; }
        html.push('<li>' + inline(item[2]) + '</li>');
      } else {
        if (list) { html.push('</' + list + '>'); list = null; }
        html.push(line.trim() === '' ? '<br>' : '<p style="margin:0">' + inline(line) + '</p>');
      }
    }
    if (list) html.push('</' + list + '>');
    result.outputHtml = html.join('');
    result.didProcess = true;
  };
  const hostConfig = new AC.HostConfig({
    fontFamily: "'Segoe UI', 'Noto Sans', 'DejaVu Sans', 'Noto Color Emoji', sans-serif",
    supportsInteractivity: true,
  });
  for (const [name, json] of cards) {
    const card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.parse(json);
    const box = document.createElement('div');
    box.id = 'card-' + name;
    box.className = 'card';
    box.appendChild(card.render());
    document.body.appendChild(box);
  }
};
`;

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px; background: #f5f5f5; font-family: 'Segoe UI', 'Noto Sans', sans-serif; }
  .card { width: 520px; margin: 0 0 24px; background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; overflow: hidden; }
  .ac-pushButton { background: #fff; border: 1px solid #d1d1d1; border-radius: 4px; padding: 6px 12px; font-weight: 600; font-family: inherit; }
  .ac-actionSet { flex-wrap: wrap; row-gap: 8px; }
  .ac-input { font-family: inherit; border: 1px solid #d1d1d1; border-radius: 4px; padding: 4px; }
</style></head><body></body></html>`;

async function main(): Promise<void> {
  const cards = await sampleCards();
  const browser = await launchHeadlessChromium();
  try {
    const page = await browser.newPage({
      viewport: { width: 560, height: 800 },
      deviceScaleFactor: 1,
    });
    await page.setContent(PAGE_HTML);
    await page.addScriptTag({
      path: require.resolve('adaptivecards/dist/adaptivecards.min.js'),
    });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    await page.evaluate(`window.renderAll(${JSON.stringify(cards)})`);
    await page.evaluate('document.fonts.ready');
    await mkdir(OUT, { recursive: true });
    for (const [name] of cards) {
      const file = join(OUT, `${name}.png`);
      await writeFile(file, await page.locator(`#card-${name}`).screenshot());
      process.stdout.write(`${file}\n`);
    }
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
