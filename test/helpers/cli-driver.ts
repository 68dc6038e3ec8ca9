import { runCli, type CliEnvironment } from '../../src/cli/program.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { PeopleRepository } from '../../src/ports/people-repository.js';
import type { Progress } from '../../src/ports/progress.js';
import type { SentCardRepository } from '../../src/ports/sent-card-repository.js';
import { readPlanFile } from '../../src/documents/plan-file.js';
import type { Clock } from '../../src/ports/clock.js';
import { systemClock } from '../../src/ports/clock.js';
import { openStorage, tableClientFor } from '../../src/storage/open-storage.js';
import {
  AzureDeliveryRecords,
  AzureDigestSubscriptions,
} from '../../src/storage/azure-scheduler-tables.js';
import type { DeliveryRecordRepository } from '../../src/ports/delivery-records.js';
import type { DigestSubscriptionRepository } from '../../src/ports/digest-subscriptions.js';
import { freshTableName } from './azurite.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  /** Sent cards, for a deployment that stores them (none is wired in production yet). */
  readonly sentCards?: SentCardRepository;
  /** The progress bar the commands draw; none unless given. */
  readonly progress?: () => Progress;
}

/**
 * Runs `actionplan` commands in-process against fresh tables (plans and people) of a test
 * Azurite, the way main.ts wires them, capturing what they print. `opened` counts how often
 * storage was opened.
 */
export function cliAgainst(
  connectionString: string,
  clock: Clock = systemClock,
  options: CliOptions = {},
) {
  const tableName = freshTableName('cli');
  const peopleTableName = freshTableName('people');
  const state = { opened: 0 };
  const subscriptionsTableName = freshTableName('digests');
  const deliveriesTableName = freshTableName('deliveries');
  const deps = async (): Promise<
    AppDeps & {
      people: PeopleRepository;
      digests: DigestSubscriptionRepository;
      deliveries: DeliveryRecordRepository;
      sentCards?: SentCardRepository;
    }
  > => {
    const storage = await openStorage({ connectionString, tableName, peopleTableName });
    return {
      plans: storage.plans,
      people: storage.people,
      clock,
      // As main.ts gives them: digest subscriptions in the container's deps, and its scheduler's
      // delivery records.
      digests: new AzureDigestSubscriptions(tableClientFor(storage.access, subscriptionsTableName)),
      deliveries: new AzureDeliveryRecords(tableClientFor(storage.access, deliveriesTableName)),
      ...(options.sentCards ? { sentCards: options.sentCards } : {}),
    };
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
      ...(options.progress ? { progress: options.progress } : {}),
    };
    const code = await runCli(args, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { run, deps, state, tableName, peopleTableName };
}
