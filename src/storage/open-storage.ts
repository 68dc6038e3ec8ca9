import type { PlanRepository } from '../ports/plan-repository.js';
import { AzurePlanRepository } from './azure-plan-repository.js';
import { startEmbeddedAzurite } from './embedded-azurite.js';

/** Where the embedded emulator keeps its data when no directory is given. */
export const DEFAULT_DATA_DIR = '.data/azurite';

export interface OpenStorageOptions {
  /** Azure Storage (or an Azurite started elsewhere). Without it an embedded Azurite is started. */
  readonly connectionString?: string;
  /** Table of the action plans; `ActionPlans` unless given. */
  readonly tableName?: string;
  /** Data directory of the embedded Azurite; `.data/azurite` unless given. */
  readonly dataDir?: string;
  /** Embedded Azurite keeps everything in memory, lost on close (demos, tests). */
  readonly inMemory?: boolean;
}

export interface OpenedStorage {
  readonly plans: PlanRepository;
  /** The connection string in use: the one given, or the embedded Azurite's (for the queue). */
  readonly connectionString: string;
  /** Stops the embedded Azurite, if one was started; otherwise nothing to do. */
  close(): Promise<void>;
}

/**
 * Opens the storage the entry points use. With a connection string, that account (Azure, or an
 * Azurite run by hand or in a container). Without one, Azurite is started inside this process so
 * that `npm start` and the CLI work on a fresh machine with nothing else installed: persistent
 * under `dataDir`, or in memory when `inMemory` is set.
 */
export async function openStorage(options: OpenStorageOptions = {}): Promise<OpenedStorage> {
  const tableName = options.tableName;
  if (options.connectionString) {
    const connectionString = options.connectionString;
    return {
      plans: AzurePlanRepository.fromConnectionString(connectionString, { tableName }),
      connectionString,
      close: () => Promise.resolve(),
    };
  }
  const azurite = await startEmbeddedAzurite(
    options.inMemory ? { inMemory: true } : { location: options.dataDir ?? DEFAULT_DATA_DIR },
  );
  return {
    plans: AzurePlanRepository.fromConnectionString(azurite.connectionString, { tableName }),
    connectionString: azurite.connectionString,
    close: () => azurite.stop(),
  };
}
