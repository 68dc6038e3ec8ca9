import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EmbeddedAzurite } from '../../../src/storage/embedded-azurite';
import { freshTableName, startTestAzurite } from '../../helpers/azurite';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures';

/**
 * The installed command as a user runs it: the build that `npm install` makes (the `prepare`
 * script, and `npm test` builds first), reading its settings from the environment.
 */
const BIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'cli', 'main.js');
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

let azurite: EmbeddedAzurite;
beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

describe('the actionplan command', () => {
  it('imports into the storage named by AZURE_STORAGE_CONNECTION_STRING and lists it', async () => {
    const env = {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      ACTIONPLAN_TABLE: freshTableName('bin'),
    };
    const imported = await run(['import', MOJ_PLAN_PATH], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('42 new');
    const plans = await run(['plans', '--json'], env);
    expect(JSON.parse(plans.stdout)).toEqual([expect.objectContaining({ actionCount: 42 })]);
  });

  it('dry-runs without any storage at all', async () => {
    // A connection string to a port where nothing listens: a dry run must not even try it.
    const env = {
      AZURE_STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1',
    };
    const r = await run(['import', MOJ_PLAN_PATH, '--dry-run', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).actions).toHaveLength(42);
  });

  it('names the setting that is wrong, and exits non-zero', async () => {
    const r = await run(['plans'], { ACTIONPLAN_TABLE: 'no-dashes!' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ACTIONPLAN_TABLE');
  });

  it('says plainly when storage does not answer', async () => {
    const env = {
      AZURE_STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1',
    };
    const r = await run(['plans'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Storage is not answering/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
