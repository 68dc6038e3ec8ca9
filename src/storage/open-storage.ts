import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { QueueClient } from '@azure/storage-queue';
import type { PlanRepository } from '../ports/plan-repository.js';
import type { PeopleRepository } from '../ports/people-repository.js';
import { AzurePeopleRepository } from './azure-people-repository.js';
import { AzurePlanRepository, STORAGE_RETRY_OPTIONS } from './azure-plan-repository.js';
import { DEFAULT_PEOPLE_TABLE_NAME } from './azure-people-repository.js';
import { DEFAULT_TABLE_NAME } from './table-keys.js';
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
  /**
   * An account reached with an Entra ID token instead of a key (the managed identity in Azure).
   * Takes precedence over `connectionString`; config.ts refuses both at once.
   */
  readonly account?: StorageAccountOptions;
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

/** `OpenStorageOptions.account`: the endpoints, and who signs in. */
export interface StorageAccountOptions {
  /** The Table service endpoint, `https://<account>.table.core.windows.net`. */
  readonly tableUrl: string;
  /** The Queue service endpoint, `https://<account>.queue.core.windows.net`. */
  readonly queueUrl: string;
  /** The user-assigned managed identity's client id, for DefaultAzureCredential. */
  readonly managedIdentityClientId?: string;
  /** Signs the requests; DefaultAzureCredential unless given (tests give their own). */
  readonly credential?: TokenCredential;
}

/**
 * How the opened storage is reached, so that other clients (the reminder queues) reach the same
 * account the same way: with a connection string (a key, or Azurite), or with a token.
 */
export type StorageAccess =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  | {
      readonly kind: 'token';
      readonly tableUrl: string;
      readonly queueUrl: string;
      readonly credential: TokenCredential;
    };

export interface OpenedStorage {
  readonly plans: PlanRepository;
  readonly people: PeopleRepository;
  /** Resolves when storage answers one cheap request; ActionPlanError('storage_unavailable') if not. */
  probe(): Promise<void>;
  /** How this storage is reached; `tableClientFor` and `queueClientFor` make clients from it. */
  readonly access: StorageAccess;
  /**
   * The connection string in use: the one given, or the embedded Azurite's. There is none when
   * the account is reached with a token: reading it then throws, naming `access` instead.
   */
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
  if (options.account) {
    const { tableUrl, queueUrl, managedIdentityClientId } = options.account;
    const access: StorageAccess = {
      kind: 'token',
      tableUrl,
      queueUrl,
      credential: explained(
        options.account.credential ??
          new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {}),
      ),
    };
    return {
      ...repositoriesOn(access, options),
      access,
      get connectionString(): string {
        throw new Error(
          'This storage is reached with a token (AZURE_STORAGE_ACCOUNT_URL), not a connection string: make clients with tableClientFor/queueClientFor(storage.access).',
        );
      },
      close: () => Promise.resolve(),
    };
  }
  if (options.connectionString) {
    const connectionString = options.connectionString;
    const access: StorageAccess = { kind: 'connection-string', connectionString };
    return {
      ...repositoriesOn(access, options),
      access,
      connectionString,
      close: () => Promise.resolve(),
    };
  }
  const azurite = options.inMemory
    ? await startEmbeddedAzurite({ inMemory: true })
    : await startOrShare(options.dataDir ?? DEFAULT_DATA_DIR, options.tablePort, options.queuePort);
  const access: StorageAccess = {
    kind: 'connection-string',
    connectionString: azurite.connectionString,
  };
  return {
    ...repositoriesOn(access, options),
    access,
    connectionString: azurite.connectionString,
    close: () => azurite.stop(),
  };
}

/**
 * A TableClient for `tableName` on the account of `access`, with the repositories' retry options.
 * Plain http is allowed only when a connection string asks for it (Azurite on this machine);
 * tokens go over https only.
 */
export function tableClientFor(access: StorageAccess, tableName: string): TableClient {
  const options: TableServiceClientOptions = { retryOptions: { ...STORAGE_RETRY_OPTIONS } };
  if (access.kind === 'token') {
    return new TableClient(access.tableUrl, tableName, access.credential, options);
  }
  const client = TableClient.fromConnectionString(access.connectionString, tableName, options);
  return client.url.startsWith('http:')
    ? TableClient.fromConnectionString(access.connectionString, tableName, {
        ...options,
        allowInsecureConnection: true,
      })
    : client;
}

/**
 * `credential`, with its failures said plainly: no identity to sign in with (a managed identity
 * not assigned to the web app, no `az login` on a workstation) is ActionPlanError
 * ('storage_unavailable'), which every caller already reports, not an unexplained crash.
 */
function explained(credential: TokenCredential): TokenCredential {
  return {
    getToken: async (scopes, options) => {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        throw new ActionPlanError(
          'storage_unavailable',
          'The bot could not get a token to reach storage (AZURE_STORAGE_ACCOUNT_URL). In Azure, check that the managed identity whose client id is AZURE_CLIENT_ID is assigned to the web app; on a workstation, sign in with `az login` first.',
          [error instanceof Error ? error.message : String(error)],
          { cause: error },
        );
      }
    },
  };
}

/** A QueueClient for `queueName` on the same account, reached the same way. */
export function queueClientFor(access: StorageAccess, queueName: string): QueueClient {
  return access.kind === 'token'
    ? new QueueClient(`${access.queueUrl}/${queueName}`, access.credential)
    : new QueueClient(access.connectionString, queueName);
}

async function startOrShare(
  location: string,
  tablePort = 0,
  queuePort = 0,
): Promise<Pick<EmbeddedAzurite, 'connectionString' | 'stop'>> {
  // Someone else's Azurite (a running `npm start`): shared as it is, never opened a second time
  // on its files, and not stopped when this process is done.
  const shared = (): Pick<EmbeddedAzurite, 'connectionString' | 'stop'> => {
    const ends = loopbackEndpoints(tablePort, queuePort);
    return {
      connectionString: developmentConnectionString(ends.table, ends.queue),
      stop: async () => {},
    };
  };
  if (tablePort !== 0 && (await azuriteAnswersOn(tablePort))) return shared();
  try {
    return await startEmbeddedAzurite({ location, tablePort, queuePort });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || tablePort === 0) throw e;
    // Started by someone else between the look above and our start.
    if (await azuriteAnswersOn(tablePort)) return shared();
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
  access: StorageAccess,
  options: OpenStorageOptions,
): Pick<OpenedStorage, 'plans' | 'people' | 'probe'> {
  const people = new AzurePeopleRepository(
    tableClientFor(access, options.peopleTableName ?? DEFAULT_PEOPLE_TABLE_NAME),
  );
  return {
    plans: new AzurePlanRepository(tableClientFor(access, options.tableName ?? DEFAULT_TABLE_NAME)),
    people,
    probe: () => people.probe(),
  };
}
