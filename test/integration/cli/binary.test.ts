import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedAzurite } from '../../../src/storage/embedded-azurite';
import { freshTableName, useTestAzurite } from '../../helpers/azurite';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures';
import { freePort } from '../../helpers/free-port';

/**
 * The installed command as a user runs it: the build that `npm install` makes (the `prepare`
 * script, and `npm test` builds first), reading its settings from the environment.
 */
const BIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'cli', 'main.js');
/** Runs the command; one that has not exited after a minute is killed (`killed: true`). */
const run = async (args: string[], env: Record<string, string>) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    return { code: 0, killed: false, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; killed?: boolean; stdout: string; stderr: string };
    return { code: err.code, killed: err.killed === true, stdout: err.stdout, stderr: err.stderr };
  }
};

const azurite = useTestAzurite();

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

  it('shares the Azurite of a running npm start, and exits when its work is done', async () => {
    // npm start's embedded Azurite: persistent, in its data folder, on fixed ports.
    const dataDir = await mkdtemp(join(tmpdir(), 'actionplan-bin-'));
    const tablePort = await freePort();
    const queuePort = await freePort();
    const running = await startEmbeddedAzurite({
      location: join(dataDir, 'azurite'),
      tablePort,
      queuePort,
    });
    try {
      const env = {
        ACTIONPLAN_DATA_DIR: dataDir,
        AZURITE_TABLE_PORT: String(tablePort),
        AZURITE_QUEUE_PORT: String(queuePort),
        LOG_LEVEL: 'warn',
      };
      const imported = await run(['import', MOJ_PLAN_PATH], env);
      expect({ code: imported.code, killed: imported.killed }).toEqual({ code: 0, killed: false });
      // A reminder round opens the queue too; with nobody reachable it sends nothing, and ends.
      const round = await run(['reminders', 'run', '--as-of', '2017-03-22'], env);
      expect({ code: round.code, killed: round.killed, err: round.stderr }).toEqual({
        code: 0,
        killed: false,
        err: '',
      });
      expect(round.stdout).toMatch(/^Delivered: 0 sent/m);
      // What the command wrote is in the running Azurite.
      const plans = await run(['plans', '--json'], env);
      expect(JSON.parse(plans.stdout)).toEqual([expect.objectContaining({ actionCount: 42 })]);
    } finally {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
