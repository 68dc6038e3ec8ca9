/**
 * The one way the browser tests and `npm run cards:render` start a headless Chromium, so that
 * both work on a machine with nothing but Node and npm.
 *
 * In order: the browser named by CHROMIUM_PATH; Debian's `/usr/bin/chromium` when it is there
 * (with `fonts-noto-color-emoji` it draws emoji, so the card pictures are drawn with it); else the
 * headless Chromium shipped inside the `@sparticuz/chromium` package, unpacked to the temporary
 * folder on first use (about 190 MB, a couple of seconds; later runs reuse it). That one carries
 * no emoji font: emoji show as boxes, which the tests do not look at. Version 143 of the package
 * is the last that runs on Node 20.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** A Chromium to launch and the flags it needs. */
export interface ChromiumChoice {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** Where it came from, for messages. */
  readonly source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

// Headless, no sandbox (CI runs as root), and no calls home from a test machine.
const SYSTEM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

let unpacked: Promise<string> | undefined;

/** The part of @sparticuz/chromium used here. */
interface PackagedChromium {
  readonly args: string[];
  executablePath(): Promise<string>;
}

/**
 * Loaded only when there is no system Chromium. Its CommonJS build exports the class itself, but
 * its type declarations resolve to the ES module build, which a CommonJS file cannot import.
 */
function loadPackagedChromium(): PackagedChromium {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@sparticuz/chromium') as PackagedChromium;
}

/**
 * Picks the Chromium to run (see the file comment). A CHROMIUM_PATH that names no file is an
 * error rather than a quiet fall-back, so a mistyped path is noticed.
 */
export async function chooseChromium(
  env: NodeJS.ProcessEnv = process.env,
  systemPath: string = SYSTEM_CHROMIUM,
): Promise<ChromiumChoice> {
  const named = env['CHROMIUM_PATH'];
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist.`);
    return { executablePath: named, args: SYSTEM_ARGS, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(systemPath)) {
    return { executablePath: systemPath, args: SYSTEM_ARGS, source: 'system' };
  }
  const packaged = loadPackagedChromium();
  // One unpacking per process: two at once would write the same files.
  unpacked ??= packaged.executablePath();
  return {
    executablePath: await unpacked,
    args: [...packaged.args, '--disable-background-networking', '--disable-sync'],
    source: '@sparticuz/chromium',
  };
}

/** Launches a Chromium (by default the chosen one) headless through playwright-core. */
export async function launchHeadlessChromium(choice?: ChromiumChoice): Promise<Browser> {
  const { executablePath, args } = choice ?? (await chooseChromium());
  // playwright-core gives every launch a fresh temporary profile (its own --user-data-dir).
  return chromium.launch({ executablePath, args: [...args], headless: true });
}
