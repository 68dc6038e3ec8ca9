#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';

import { writeZip } from '../documents/zip-archive.js';

/**
 * `npm run package`: the Teams app package to upload to Teams (Teams admin centre, Developer
 * Portal, or "Upload a custom app"). It fills the `${{NAME}}` placeholders of
 * appPackage/manifest.json from environment variables of the same names (BOT_ID falls back to
 * MicrosoftAppId), refuses a missing or malformed value by name, validates the result offline
 * against the manifest's own schema with @microsoft/app-manifest, and writes
 * appPackage/build/appPackage.zip: manifest.json, color.png and outline.png at its root.
 *
 *   npm run package [-- --env-file <file>] [-- --out <file.zip>]
 */

/** `${{NAME}}`, as the Agents Toolkit writes its placeholders. */
export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** What each placeholder of our manifest is, for the message when it is missing. */
const MEANING: Readonly<Record<string, string>> = {
  TEAMS_APP_ID:
    'the Teams app id, a GUID chosen once and kept for every version of the app (make one with: node -e "console.log(crypto.randomUUID())")',
  BOT_ID:
    "the bot's Microsoft App ID, the Application (client) ID of the Azure Bot's Entra app registration (MicrosoftAppId is used when BOT_ID is not set)",
  BOT_DOMAIN:
    "the host name of the bot's messaging endpoint, such as actionplan.azurewebsites.net (no https://, no path)",
  DEVELOPER_NAME: 'who publishes the app, as Teams shows it (your organisation or team)',
  DEVELOPER_WEBSITE_URL: 'an https page about the app or its publisher',
  PRIVACY_URL: "an https page with the app's privacy statement",
  TERMS_OF_USE_URL: "an https page with the app's terms of use",
};

/** A placeholder that another setting already answers when it is not set itself. */
const FALLBACK: Readonly<Record<string, string>> = { BOT_ID: 'MicrosoftAppId' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The app package could not be made; the message says which setting or file to fix. */
export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The app package was not made:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The placeholder names a manifest uses, each once, in order. */
export function placeholdersOf(manifestText: string): string[] {
  return [...new Set([...manifestText.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * The value of every placeholder the manifest uses, from `env`. Every missing or malformed value
 * is reported at once, by name.
 */
export function placeholderValues(manifestText: string, env: Env): Record<string, string> {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const name of placeholdersOf(manifestText)) {
    const fallback = FALLBACK[name];
    const value = env[name]?.trim() || (fallback ? env[fallback]?.trim() : undefined);
    if (!value) {
      problems.push(`${name} is not set: ${MEANING[name] ?? `the manifest uses \${{${name}}}`}.`);
      continue;
    }
    const problem = checkValue(name, value);
    if (problem) problems.push(problem);
    else values[name] = value;
  }
  if (problems.length > 0) throw new PackageError(problems);
  return values;
}

function checkValue(name: string, value: string): string | undefined {
  if (name === 'TEAMS_APP_ID' || name === 'BOT_ID') {
    return GUID.test(value) ? undefined : `${name} "${value}" is not a GUID: ${MEANING[name]}.`;
  }
  if (name === 'BOT_DOMAIN') {
    return HOST.test(value)
      ? undefined
      : `BOT_DOMAIN "${value}" is not a host name: ${MEANING[name]}.`;
  }
  if (name.endsWith('_URL')) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    return url?.protocol === 'https:' ? undefined : `${name} "${value}" is not an https URL.`;
  }
  return undefined;
}

/** The manifest text with each placeholder replaced, escaped for the JSON string it sits in. */
export function fillPlaceholders(manifestText: string, values: Readonly<Record<string, string>>) {
  return manifestText.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new PackageError([`${name} has no value.`]);
    return JSON.stringify(value).slice(1, -1);
  });
}

export interface PackageOptions {
  /** The folder with manifest.json and the icons (appPackage/). */
  readonly appPackageDir: string;
  /** Where to write the zip. */
  readonly outFile: string;
  readonly env: Env;
}

export interface PackageResult {
  readonly outFile: string;
  readonly manifest: TeamsManifest;
  /** The names inside the zip, in order. */
  readonly entries: readonly string[];
}

/** Fills, validates and zips the app package; writes nothing when anything is wrong. */
export async function packageApp(options: PackageOptions): Promise<PackageResult> {
  const manifestPath = join(options.appPackageDir, 'manifest.json');
  const text = await readFile(manifestPath, 'utf8').catch((e: unknown) => {
    throw new PackageError([`${manifestPath} cannot be read: ${(e as Error).message}`]);
  });
  const filledText = fillPlaceholders(text, placeholderValues(text, options.env));
  let manifest: TeamsManifest;
  try {
    manifest = JSON.parse(filledText) as TeamsManifest;
  } catch (e) {
    throw new PackageError([`${manifestPath} is not JSON once filled: ${(e as Error).message}`]);
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  if (errors.length > 0) {
    throw new PackageError(
      errors.map((e) => `the manifest does not match its schema (${manifest.$schema}): ${e}`),
    );
  }

  const icons = [manifest.icons.color, manifest.icons.outline];
  const files: { name: string; data: Buffer }[] = [
    { name: 'manifest.json', data: Buffer.from(filledText, 'utf8') },
  ];
  const missing: string[] = [];
  for (const icon of icons) {
    const path = join(options.appPackageDir, icon);
    if (icon.includes('/') || icon.includes('\\') || !existsSync(path)) {
      missing.push(
        `the icon "${icon}" named in the manifest is not a file in ${options.appPackageDir}.`,
      );
      continue;
    }
    files.push({ name: icon, data: await readFile(path) });
  }
  if (missing.length > 0) throw new PackageError(missing);

  await mkdir(dirname(options.outFile), { recursive: true });
  // Written beside the target and renamed, so an upload never picks up half a file.
  const partial = `${options.outFile}.partial`;
  await writeFile(partial, await writeZip(files));
  await rename(partial, options.outFile);
  return { outFile: options.outFile, manifest, entries: files.map((f) => f.name) };
}

/** The nearest folder above `from` holding appPackage/manifest.json (src/dev or dist/src/dev). */
export function projectWithAppPackage(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'appPackage', 'manifest.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No appPackage/manifest.json above ${from}.`);
  }
}

const USAGE = `Usage: npm run package [-- --env-file <file>] [-- --out <file.zip>]

Fills the \${{NAME}} placeholders of appPackage/manifest.json from environment variables,
validates the manifest and writes appPackage/build/appPackage.zip. Variables:
${Object.entries(MEANING)
  .map(([name, meaning]) => `  ${name}: ${meaning}`)
  .join('\n')}
--env-file reads NAME=value lines; a variable already set in the environment wins.`;

/** The command line: exit code 0 made, 1 refused (the message says why), 2 bad usage. */
export async function main(
  argv: readonly string[],
  env: Env,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        'env-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const root = projectWithAppPackage();
  let settings: Env = env;
  if (args['env-file']) {
    try {
      settings = { ...parseEnv(await readFile(args['env-file'], 'utf8')), ...env };
    } catch (e) {
      err(`The env file ${args['env-file']} cannot be read: ${(e as Error).message}`);
      return 1;
    }
  }
  const outFile = resolve(args.out ?? join(root, 'appPackage', 'build', 'appPackage.zip'));
  try {
    const result = await packageApp({
      appPackageDir: join(root, 'appPackage'),
      outFile,
      env: settings,
    });
    const bot = result.manifest.bots?.[0]?.botId ?? '(none)';
    const shown = relative(process.cwd(), outFile);
    out(
      [
        `Made ${shown && !shown.startsWith('..') ? shown : outFile}: ${result.entries.join(', ')}.`,
        `  Teams app id ${result.manifest.id}, version ${result.manifest.version}, bot ${bot}.`,
        '  Upload it in the Teams admin centre (Teams apps > Manage apps > Upload new app), the',
        '  Developer Portal (Apps > Import app), or Teams itself (Apps > Manage your apps > Upload an app).',
      ].join('\n'),
    );
    return 0;
  } catch (e) {
    if (e instanceof PackageError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  main(
    process.argv.slice(2),
    process.env,
    (text) => process.stdout.write(`${text}\n`),
    (text) => process.stderr.write(`${text}\n`),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
      process.exitCode = 1;
    },
  );
}
