import type { PlanRepository } from '../ports/plan-repository.js';
import type { PeopleRepository } from '../ports/people-repository.js';
import { AzurePeopleRepository } from './azure-people-repository.js';
import { AzurePlanRepository } from './azure-plan-repository.js';
import { ActionPlanError } from '../domain/errors.js';
import {
  azuriteAnswersOn,
  developmentConnectionString,
  loopbackEndpoints,
  startEmbeddedAzurite,
  type EmbeddedAzurite,
} from './embedded-azurite.js';

/** Where the embedded emulator keeps its data when no directory is given. */
export const DEFAULT_DATA_DIR = '.data/azurite';

export interface OpenStorageOptions {
  /** Azure Storage (or an Azurite started elsewhere). Without it an embedded Azurite is started. */
  readonly connectionString?: string;
  /** Table of the action plans; `ActionPlans` unless given. */
  readonly tableName?: string;
  /** Table of people and installed conversations; `People` unless given. */
  readonly peopleTableName?: string;
  /** Data directory of the embedded Azurite; `.data/azurite` unless given. */
  readonly dataDir?: string;
  /** Embedded Azurite keeps everything in memory, lost on close (demos, tests). */
  readonly inMemory?: boolean;
  /**
   * Fixed ports for a persistent embedded Azurite (0 or absent: any free port). When another
   * process of this app already runs it there (`npm start` while the CLI is used), that one is
   * shared rather than opening the same data directory twice.
   */
  readonly tablePort?: number;
  readonly queuePort?: number;
}

export interface OpenedStorage {
  readonly plans: PlanRepository;
  readonly people: PeopleRepository;
  /** Resolves when storage answers one cheap request; ActionPlanError('storage_unavailable') if not. */
  probe(): Promise<void>;
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
  if (options.connectionString) {
    const connectionString = options.connectionString;
    return {
      ...repositoriesOn(connectionString, options),
      connectionString,
      close: () => Promise.resolve(),
    };
  }
  const azurite = options.inMemory
    ? await startEmbeddedAzurite({ inMemory: true })
    : await startOrShare(options.dataDir ?? DEFAULT_DATA_DIR, options.tablePort, options.queuePort);
  return {
    ...repositoriesOn(azurite.connectionString, options),
    connectionString: azurite.connectionString,
    close: () => azurite.stop(),
  };
}

async function startOrShare(
  location: string,
  tablePort = 0,
  queuePort = 0,
): Promise<Pick<EmbeddedAzurite, 'connectionString' | 'stop'>> {
  try {
    return await startEmbeddedAzurite({ location, tablePort, queuePort });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || tablePort === 0) throw e;
    if (await azuriteAnswersOn(tablePort)) {
      const ends = loopbackEndpoints(tablePort, queuePort);
      // Someone else's Azurite: sharing it must not stop it when this process is done.
      return {
        connectionString: developmentConnectionString(ends.table, ends.queue),
        stop: async () => {},
      };
    }
    throw new ActionPlanError(
      'storage_unavailable',
      `Port ${tablePort} (or ${queuePort}) is in use by something that is not Azurite. Stop it, or choose other ports with AZURITE_TABLE_PORT and AZURITE_QUEUE_PORT.`,
      [],
      { cause: e },
    );
  }
}

/** The plan and people repositories on one storage account, and a probe of it. */
function repositoriesOn(
  connectionString: string,
  options: OpenStorageOptions,
): Pick<OpenedStorage, 'plans' | 'people' | 'probe'> {
  const people = AzurePeopleRepository.fromConnectionString(connectionString, {
    tableName: options.peopleTableName,
  });
  return {
    plans: AzurePlanRepository.fromConnectionString(connectionString, {
      tableName: options.tableName,
    }),
    people,
    probe: () => people.probe(),
  };
}
