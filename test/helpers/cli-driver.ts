import { runCli, type CliEnvironment } from '../../src/cli/program.js';
import type { AppDeps } from '../../src/app/deps.js';
import { readPlanFile } from '../../src/documents/plan-file.js';
import type { Clock } from '../../src/ports/clock.js';
import { systemClock } from '../../src/ports/clock.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { freshTableName } from './azurite.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `actionplan` commands in-process against one fresh table of a test Azurite, the way
 * main.ts wires them, capturing what they print. `opened` counts how often storage was opened.
 */
export function cliAgainst(connectionString: string, clock: Clock = systemClock) {
  const tableName = freshTableName('cli');
  const state = { opened: 0 };
  const deps = async (): Promise<AppDeps> => {
    const storage = await openStorage({ connectionString, tableName });
    return { plans: storage.plans, clock };
  };
  const run = async (...args: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const env: CliEnvironment = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      open: async () => {
        state.opened++;
        return { deps: await deps(), close: async () => {} };
      },
      readPlanFile,
      defaultTimeZone: 'Europe/London',
    };
    const code = await runCli(args, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { run, deps, state, tableName };
}
