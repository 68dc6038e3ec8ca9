import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, inflateRawSync } from 'node:zlib';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';

import { packageApp, PackageError, placeholdersOf } from '../../../src/dev/package-app.js';

/**
 * `npm run package`: the zip a Teams admin uploads. It is read back here with a separate ZIP
 * reader (and node:zlib's own CRC-32), not with the code that wrote it.
 */

const ROOT = join(__dirname, '..', '..', '..');
const APP_PACKAGE = join(ROOT, 'appPackage');
/** The built entry point that `npm run package` runs (npm test builds first). */
const BIN = join(ROOT, 'dist', 'src', 'dev', 'package-app.js');

const ENV: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '0b6d3c1e-5a4f-4e8b-9c2d-7f1e2a3b4c5d',
  BOT_ID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  BOT_DOMAIN: 'actionplan-bot.azurewebsites.net',
  DEVELOPER_NAME: 'Ministry of Justice "KIM" team',
  DEVELOPER_WEBSITE_URL: 'https://www.example.gov.uk/action-plan',
  PRIVACY_URL: 'https://www.example.gov.uk/action-plan/privacy',
  TERMS_OF_USE_URL: 'https://www.example.gov.uk/action-plan/terms',
};

interface ZipFile {
  readonly name: string;
  readonly data: Buffer;
}

/** Reads a ZIP through its central directory, checking each entry's sizes and CRC-32. */
function unzip(bytes: Buffer): ZipFile[] {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const compressed = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extra + comment;

    expect(bytes.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const body = bytes.subarray(start, start + compressed);
    expect([0, 8]).toContain(method);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect({ name, size: data.length, crc: crc32(data) }).toEqual({ name, size, crc });
    files.push({ name, data });
  }
  return files;
}

describe('npm run package', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'actionplan-package-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('zips the filled manifest and the two icons at the root of appPackage.zip', async () => {
    const outFile = join(dir, 'build', 'appPackage.zip');
    const result = await packageApp({ appPackageDir: APP_PACKAGE, outFile, env: ENV });

    expect(result.outFile).toBe(outFile);
    const files = unzip(await readFile(outFile));
    expect(files.map((f) => f.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(files[1]!.data.equals(await readFile(join(APP_PACKAGE, 'color.png')))).toBe(true);
    expect(files[2]!.data.equals(await readFile(join(APP_PACKAGE, 'outline.png')))).toBe(true);

    const text = files[0]!.data.toString('utf8');
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as TeamsManifest;
    expect(manifest).toMatchObject({
      id: ENV.TEAMS_APP_ID,
      developer: {
        name: ENV.DEVELOPER_NAME,
        websiteUrl: ENV.DEVELOPER_WEBSITE_URL,
        privacyUrl: ENV.PRIVACY_URL,
        termsOfUseUrl: ENV.TERMS_OF_USE_URL,
      },
      bots: [expect.objectContaining({ botId: ENV.BOT_ID })],
      validDomains: [ENV.BOT_DOMAIN],
    });
    await expect(AppManifestUtils.validateAgainstSchema(manifest)).resolves.toEqual([]);
    // The rest of the manifest is as written.
    const original = await readFile(join(APP_PACKAGE, 'manifest.json'), 'utf8');
    expect(JSON.parse(text).description).toEqual(JSON.parse(original).description);
  });

  it('makes the same bytes from the same files and settings', async () => {
    const a = join(dir, 'a.zip');
    const b = join(dir, 'b.zip');
    await packageApp({ appPackageDir: APP_PACKAGE, outFile: a, env: ENV });
    await packageApp({ appPackageDir: APP_PACKAGE, outFile: b, env: ENV });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it("takes the bot id from MicrosoftAppId when BOT_ID is not set, and BOT_ID's when both are", async () => {
    const appId = '11111111-2222-4333-8444-555555555555';
    const { BOT_ID: _unset, ...withoutBotId } = ENV;
    const fallback = await packageApp({
      appPackageDir: APP_PACKAGE,
      outFile: join(dir, 'a.zip'),
      env: { ...withoutBotId, MicrosoftAppId: appId },
    });
    expect(fallback.manifest.bots?.[0]?.botId).toBe(appId);
    const both = await packageApp({
      appPackageDir: APP_PACKAGE,
      outFile: join(dir, 'b.zip'),
      env: { ...ENV, MicrosoftAppId: appId },
    });
    expect(both.manifest.bots?.[0]?.botId).toBe(ENV.BOT_ID);
  });

  it.each(Object.keys(ENV))(
    'refuses to package without %s, naming it, and writes nothing',
    async (name) => {
      const outFile = join(dir, 'appPackage.zip');
      const env = { ...ENV, [name]: '  ' };
      const refused = packageApp({ appPackageDir: APP_PACKAGE, outFile, env });
      await expect(refused).rejects.toThrow(PackageError);
      await expect(refused).rejects.toThrow(new RegExp(`^  - ${name} is not set`, 'm'));
      expect(existsSync(outFile)).toBe(false);
    },
  );

  it('uses exactly the variables the tests set, so none can be missed', async () => {
    const manifest = await readFile(join(APP_PACKAGE, 'manifest.json'), 'utf8');
    expect(placeholdersOf(manifest).sort()).toEqual(Object.keys(ENV).sort());
  });

  it.each([
    ['BOT_DOMAIN', 'https://actionplan-bot.azurewebsites.net/api/messages', /not a host name/],
    ['BOT_ID', 'my-bot', /not a GUID/],
    ['TEAMS_APP_ID', '12345', /not a GUID/],
    ['PRIVACY_URL', 'http://www.example.gov.uk/privacy', /not an https URL/],
  ])('refuses %s = %s', async (name, value, problem) => {
    const outFile = join(dir, 'appPackage.zip');
    await expect(
      packageApp({ appPackageDir: APP_PACKAGE, outFile, env: { ...ENV, [name]: value } }),
    ).rejects.toThrow(problem);
    expect(existsSync(outFile)).toBe(false);
  });

  it('refuses a manifest its schema rejects, saying what is wrong', async () => {
    const copy = join(dir, 'appPackage');
    await cp(APP_PACKAGE, copy, { recursive: true, filter: (p) => !p.includes('build') });
    const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    manifest.name.short = 'A name far longer than the thirty characters Teams allows';
    await writeFile(join(copy, 'manifest.json'), JSON.stringify(manifest, null, 2));

    const outFile = join(dir, 'appPackage.zip');
    await expect(packageApp({ appPackageDir: copy, outFile, env: ENV })).rejects.toThrow(
      /does not match its schema[\s\S]*name\/short/,
    );
    expect(existsSync(outFile)).toBe(false);
  });

  it('refuses a manifest whose icon is missing', async () => {
    const copy = join(dir, 'appPackage');
    await cp(APP_PACKAGE, copy, { recursive: true, filter: (p) => !p.includes('build') });
    await rm(join(copy, 'outline.png'));
    await expect(
      packageApp({ appPackageDir: copy, outFile: join(dir, 'x.zip'), env: ENV }),
    ).rejects.toThrow(/icon "outline.png"/);
  });

  describe('as npm runs it', () => {
    const run = async (args: string[], env: Record<string, string>) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
          env: { PATH: process.env.PATH ?? '', ...env },
        });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
      }
    };

    it('is the "package" script, writing appPackage/build/appPackage.zip, which git ignores', async () => {
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
      expect(pkg.scripts.package).toMatch(/node dist\/src\/dev\/package-app\.js$/);
      const ignored = (await readFile(join(ROOT, '.gitignore'), 'utf8')).split(/\r?\n/);
      expect(ignored).toContain('appPackage/build/');
      const help = await run(['--help'], {});
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('appPackage/build/appPackage.zip');
    });

    it('writes the zip where --out says, reading an --env-file under the environment', async () => {
      const envFile = join(dir, 'teams.env');
      const { BOT_DOMAIN, ...rest } = ENV;
      await writeFile(
        envFile,
        `${Object.entries(rest)
          .map(([k, v]) => `${k}='${v}'`)
          .join('\n')}\nBOT_DOMAIN=from-the-file.example.org\n`,
      );
      const outFile = join(dir, 'out', 'appPackage.zip');
      const made = await run(['--out', outFile, '--env-file', envFile], {
        BOT_DOMAIN: BOT_DOMAIN!,
      });
      expect(made).toMatchObject({ code: 0, stderr: '' });
      expect(made.stdout).toContain(`Made ${outFile}: manifest.json, color.png, outline.png.`);
      const manifest = JSON.parse(unzip(await readFile(outFile))[0]!.data.toString('utf8'));
      expect(manifest.validDomains).toEqual([BOT_DOMAIN]);
      expect(manifest.developer.name).toBe(ENV.DEVELOPER_NAME);
    });

    it('exits 1 naming the missing variable, writing nothing', async () => {
      const { TEAMS_APP_ID: _missing, ...env } = ENV;
      const outFile = join(dir, 'appPackage.zip');
      const refused = await run(['--out', outFile], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('TEAMS_APP_ID is not set');
      expect(refused.stderr).not.toContain('BOT_ID');
      expect(existsSync(outFile)).toBe(false);
    });

    it('exits 2 on an option it does not know', async () => {
      expect((await run(['--zip'], ENV)).code).toBe(2);
    });
  });
});
