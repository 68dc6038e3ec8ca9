import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchHeadlessChromium } from '../../src/dev/headless-chromium.js';
import { freePort } from '../helpers/free-port.js';

/**
 * The `npm start` stack for browser tests: the built start-local (embedded Azurite, the bot, the
 * Agents Playground) on free ports with a fresh data folder, and headless Chromium (via
 * playwright-core; see src/dev/headless-chromium.ts) on the Playground's page.
 */

export const ROOT = resolve(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');

export interface Stack {
  readonly playgroundUrl: string;
  readonly env: NodeJS.ProcessEnv;
  readonly output: () => string;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const entry = join(ROOT, 'dist', 'src', 'dev', 'start-local.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first.`);
  const dataDir = await mkdtemp(join(tmpdir(), 'actionplan-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ACTIONPLAN_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    PLAYGROUND_PORT: String(await freePort()),
    AZURITE_TABLE_PORT: String(await freePort()),
    AZURITE_QUEUE_PORT: String(await freePort()),
    TEAMSAPPTESTER_BROWSER: 'none',
    LOG_LEVEL: 'info',
    // The scheduler would send reminders on its own; the tests send them with the CLI.
    REMINDERS_ENABLED: 'false',
  };
  delete env['ADMIN_EMAILS'];
  delete env['AZURE_STORAGE_CONNECTION_STRING'];
  delete env['MicrosoftAppId'];
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    await stopChild(child, exited);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((done, fail) => {
      const onData = (chunk: Buffer): void => {
        out += chunk.toString('utf8');
        const m = /Agents Playground:\s+(http:\/\/localhost:\d+)/.exec(out);
        if (m && out.includes('Press Ctrl+C to stop.')) done(m[1]!);
        else if (/Agents Playground:\s+not running/.test(out)) fail(new Error(out));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(() => fail(new Error(`npm start stopped as it started:\n${out}`)));
    });
    return { playgroundUrl: url, env, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Headless Chromium: the system's when there is one, else the one shipped in an npm package. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await launchHeadlessChromium();
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}

/** Runs one step; on failure keeps a screenshot in test-artifacts/e2e/<name>.png and rethrows. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    if (e instanceof Error) e.message += `\n(screenshot: ${file})`;
    throw e;
  }
}

/** Types a message in the Playground's compose box and sends it. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('[data-lexical-editor="true"]');
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The last Adaptive Card on the page that contains `text`, once one does. */
export async function cardWith(page: Page, text: string | RegExp): Promise<Locator> {
  const card = page.locator('.ac-adaptiveCard', { hasText: text }).last();
  await card.waitFor({ state: 'visible', timeout: 30_000 });
  return card;
}

/** How many cards the conversation shows. */
export const cardCount = (page: Page): Promise<number> => page.locator('.ac-adaptiveCard').count();

/** Waits until the conversation shows more than `before` cards; returns the newest. */
export async function nextCard(page: Page, before: number): Promise<Locator> {
  // A string, evaluated in the page (the tests compile without the DOM's types).
  await page.waitForFunction(
    `document.querySelectorAll('.ac-adaptiveCard').length > ${before}`,
    undefined,
    {
      timeout: 30_000,
    },
  );
  return page.locator('.ac-adaptiveCard').last();
}
