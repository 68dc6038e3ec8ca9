import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';

import { parseCommand, type Command } from '../../../src/domain/command.js';

/**
 * The Teams app package: the manifest must be accepted by Teams once the Agents Toolkit has put
 * the environment's values into its placeholders, and its icons must have the sizes Teams demands
 * (an upload with a wrong size is refused with an unhelpful message).
 */

const PACKAGE_DIR = join(__dirname, '..', '..', '..', 'appPackage');
const manifestText = readFileSync(join(PACKAGE_DIR, 'manifest.json'), 'utf8');

/** What an env file (env/.env.dev) gives the Agents Toolkit for each placeholder. */
const TEST_VALUES: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '0b6d3c1e-5a4f-4e8b-9c2d-7f1e2a3b4c5d',
  BOT_ID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  BOT_DOMAIN: 'actionplan.example.gov.uk',
  DEVELOPER_NAME: 'Ministry of Justice KIM team',
  DEVELOPER_WEBSITE_URL: 'https://www.example.gov.uk/action-plan',
  PRIVACY_URL: 'https://www.example.gov.uk/action-plan/privacy',
  TERMS_OF_USE_URL: 'https://www.example.gov.uk/action-plan/terms',
};

const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

function filled(text: string): TeamsManifest {
  return JSON.parse(
    text.replace(PLACEHOLDER, (_, name: string) => {
      const value = TEST_VALUES[name];
      if (value === undefined) throw new Error(`No test value for the placeholder ${name}`);
      return value;
    }),
  ) as TeamsManifest;
}

interface CommandList {
  readonly scopes: readonly string[];
  readonly commands: readonly { readonly title: string; readonly description: string }[];
}
interface BotEntry {
  readonly botId: string;
  readonly scopes: readonly string[];
  readonly supportsFiles?: boolean;
  readonly commandLists?: readonly CommandList[];
}
const raw = JSON.parse(manifestText) as {
  readonly $schema: string;
  readonly manifestVersion: string;
  readonly bots: readonly BotEntry[];
  readonly icons: { readonly color: string; readonly outline: string };
  readonly name: { readonly short: string };
  readonly validDomains: readonly string[];
};

describe('appPackage/manifest.json', () => {
  it('validates against its bundled schema with no errors once the placeholders are filled', async () => {
    expect(raw.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${raw.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    await expect(AppManifestUtils.validateAgainstSchema(filled(manifestText))).resolves.toEqual([]);
  });

  it('the validation is real: a broken manifest is reported', async () => {
    const broken = filled(manifestText) as unknown as { bots: { botId: string }[] };
    broken.bots[0]!.botId = 'not-a-guid';
    const errors = await AppManifestUtils.validateAgainstSchema(broken as unknown as TeamsManifest);
    expect(errors.join('\n')).toMatch(/botId/);
  });

  it('uses only the Agents Toolkit placeholders a deployment fills in, and holds no secrets', () => {
    const names = [...manifestText.matchAll(PLACEHOLDER)].map((m) => m[1]);
    expect(new Set(names)).toEqual(new Set(Object.keys(TEST_VALUES)));
    expect(manifestText).not.toMatch(/secret|password|AccountKey|-----BEGIN/i);
    expect(raw.validDomains).toEqual(['${{BOT_DOMAIN}}']);
  });

  it('is the "Action Plan" bot in personal chats, teams and group chats', () => {
    expect(raw.name.short).toBe('Action Plan');
    expect(raw.bots).toHaveLength(1);
    expect(raw.bots[0]!.botId).toBe('${{BOT_ID}}');
    expect([...raw.bots[0]!.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('takes and sends files in a personal chat: a plan document to import, the progress update', () => {
    // Without it, Teams drops files sent to the bot and shows no file consent card.
    expect(raw.bots[0]!.supportsFiles).toBe(true);
  });

  it('offers commands in every scope the bot is installed in', () => {
    const lists = raw.bots[0]!.commandLists ?? [];
    const scopes = new Set(lists.flatMap((l) => l.scopes));
    expect([...scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    const personal = lists.find((l) => l.scopes.includes('personal'))!;
    expect(personal.commands.map((c) => c.title)).toEqual([
      'help',
      'my actions',
      'status',
      'status HMCTS',
      'overdue',
      'action 1.1',
      'plan',
    ]);
  });

  /**
   * Teams puts a command's title in the compose box as it is, so each title must work when sent
   * unchanged: in a channel or group chat it arrives after an @mention of the bot.
   */
  it('every command in the menu is one the bot understands, as sent from each scope', () => {
    const expected: Record<string, Command['kind']> = {
      help: 'help',
      'my actions': 'myActions',
      status: 'status',
      'status HMCTS': 'status',
      overdue: 'overdue',
      'action 1.1': 'action',
      plan: 'plan',
    };
    const sent = (raw.bots[0]!.commandLists ?? []).flatMap((list) =>
      list.commands.flatMap((c) =>
        list.scopes.map((scope) => ({
          scope,
          title: c.title,
          text: scope === 'personal' ? c.title : `<at>Action Plan</at> ${c.title}`,
        })),
      ),
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const { scope, title, text } of sent) {
      expect({ scope, title, kind: parseCommand(text).kind }).toEqual({
        scope,
        title,
        kind: expected[title],
      });
    }
    expect(parseCommand('status HMCTS')).toEqual({ kind: 'status', area: 'HMCTS' });
    expect(parseCommand('action 1.1')).toEqual({ kind: 'action', ref: '1.1' });
  });

  it('command titles and descriptions fit what Teams shows (32 and 128 characters)', () => {
    for (const list of raw.bots[0]!.commandLists ?? []) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });
});

describe('app icons', () => {
  it('color.png is 192×192 and opaque', () => {
    const png = readPng(join(PACKAGE_DIR, raw.icons.color));
    expect([png.width, png.height]).toEqual([192, 192]);
    expect(png.pixels().every((p) => p.a === 255)).toBe(true);
  });

  it('outline.png is 32×32, white on transparent', () => {
    const png = readPng(join(PACKAGE_DIR, raw.icons.outline));
    expect([png.width, png.height]).toEqual([32, 32]);
    const pixels = png.pixels();
    expect(pixels.every((p) => p.a === 0 || (p.r === 255 && p.g === 255 && p.b === 255))).toBe(
      true,
    );
    // Both parts are there: a visible glyph and a transparent background.
    expect(pixels.some((p) => p.a === 255)).toBe(true);
    expect(pixels.some((p) => p.a === 0)).toBe(true);
  });
});

interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/**
 * Reads a PNG's header, and its pixels when it is 8-bit RGBA without interlacing (what
 * make-icons.cjs writes; any of the five scanline filters, so a re-save by an editor still reads).
 */
function readPng(path: string): { width: number; height: number; pixels: () => Rgba[] } {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const [bitDepth, colourType, , , interlace] = bytes.subarray(24, 29);
  const pixels = (): Rgba[] => {
    expect({ bitDepth, colourType, interlace }).toEqual({
      bitDepth: 8,
      colourType: 6,
      interlace: 0,
    });
    const idat: Buffer[] = [];
    for (let at = 8; at < bytes.length;) {
      const length = bytes.readUInt32BE(at);
      if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') {
        idat.push(bytes.subarray(at + 8, at + 8 + length));
      }
      at += 12 + length;
    }
    const data = inflateSync(Buffer.concat(idat));
    const stride = width * 4;
    const out = Buffer.alloc(height * stride);
    for (let y = 0; y < height; y++) {
      const filter = data[y * (stride + 1)];
      for (let x = 0; x < stride; x++) {
        const value = data[y * (stride + 1) + 1 + x]!;
        const left = x >= 4 ? out[y * stride + x - 4]! : 0;
        const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
        const upLeft = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4]! : 0;
        const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? 0];
        out[y * stride + x] = (value + (predictor ?? 0)) & 0xff;
      }
    }
    const result: Rgba[] = [];
    for (let i = 0; i < out.length; i += 4) {
      result.push({ r: out[i]!, g: out[i + 1]!, b: out[i + 2]!, a: out[i + 3]! });
    }
    return result;
  };
  return { width, height, pixels };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
