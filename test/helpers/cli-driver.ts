import { randomBytes } from 'node:crypto';
import { runCli, type CliEnvironment } from '../../src/cli/program.js';
import { readConfig } from '../../src/config.js';
import { openContainer, type ContainerDeps } from '../../src/container.js';
import { readPlanFile } from '../../src/documents/plan-file.js';
import type { Clock } from '../../src/ports/clock.js';
import { systemClock } from '../../src/ports/clock.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { Progress } from '../../src/ports/progress.js';
import { freshTableName } from './azurite.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  /** The progress bar the commands draw; none unless given. */
  readonly progress?: () => Progress;
}

/**
 * Runs `actionplan` commands in-process against fresh tables and a fresh queue of a test Azurite,
 * wired as main.ts wires them (the container, on `clock`), capturing what they print. `opened`
 * counts how often storage was opened.
 */
export function cliAgainst(
  connectionString: string,
  clock: Clock = systemClock,
  options: CliOptions = {},
) {
  const names = {
    tableName: freshTableName('cli'),
    peopleTableName: freshTableName('people'),
    reminderTableName: freshTableName('reminders'),
    sentCardsTableName: freshTableName('sent'),
    digestSubscriptionsTableName: freshTableName('digests'),
    queueName: `cli-${randomBytes(6).toString('hex')}`,
  };
  const config = readConfig({
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    LOG_LEVEL: 'silent',
  });
  const state = { opened: 0 };
  const open = () => openContainer(config, { clock, logger: silentLogger, names });
  const deps = async (): Promise<ContainerDeps> => (await open()).deps;
  const run = async (...args: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const env: CliEnvironment = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      config,
      open: () => {
        state.opened++;
        return open();
      },
      readPlanFile,
      ...(options.progress ? { progress: options.progress } : {}),
    };
    const code = await runCli(args, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { run, deps, state, tableName: names.tableName, peopleTableName: names.peopleTableName };
}
