import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { QueueClient } from '@azure/storage-queue';
import type { Clock } from '../ports/clock.js';
import type { Stores } from '../ports/stores.js';
import { AzureDeliveryRecords } from './azure-delivery-records.js';
import {
  AzureDigestSubscriptions,
  DEFAULT_DIGEST_SUBSCRIPTIONS_TABLE_NAME,
} from './azure-digest-subscriptions.js';
import { AzureLeaseStore } from './azure-lease-store.js';
import {
  AzurePendingImports,
  DEFAULT_PENDING_IMPORTS_TABLE_NAME,
} from './azure-pending-imports.js';
import { AzurePeopleRepository } from './azure-people-repository.js';
import { AzurePlanRepository, STORAGE_RETRY_OPTIONS } from './azure-plan-repository.js';
import { DEFAULT_PEOPLE_TABLE_NAME } from './azure-people-repository.js';
import {
  AzureReminderQueue,
  deadLetterQueueName,
  DEFAULT_REMINDER_QUEUE_NAME,
} from './azure-reminder-queue.js';
import { DEFAULT_REMINDER_TABLE_NAME, ReminderTable } from './azure-reminder-table.js';
import {
  AzureSentCardRepository,
  DEFAULT_SENT_CARDS_TABLE_NAME,
} from './azure-sent-card-repository.js';
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

export interface OpenStorageOptions extends StoreNames {
  /**
   * The clock the leases are timed by: the one the rest of the process reads, so that a job and
   * its lease agree on what "now" is (a test's fixed day included).
   */
  readonly clock: Clock;
  /** Azure Storage (or an Azurite started elsewhere). Without it an embedded Azurite is started. */
  readonly connectionString?: string;
  /**
   * An account reached with an Entra ID token instead of a key (the managed identity in Azure).
   * Takes precedence over `connectionString`; config.ts refuses both at once.
   */
  readonly account?: StorageAccountOptions;
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

/**
 * Where each store lives on the account. Every name has a default; a deployment sets the plans'
 * table (`ACTIONPLAN_TABLE`) and the queue (`REMINDER_QUEUE`), tests give fresh names to share
 * one Azurite.
 */
export interface StoreNames {
  /** Table of the action plans; `ActionPlans` unless given. */
  readonly tableName?: string;
  /** Table of people and installed conversations; `People` unless given. */
  readonly peopleTableName?: string;
  /** Table of the leases and delivery records; `Reminders` unless given. */
  readonly reminderTableName?: string;
  /** Table of the sent cards; `SentCards` unless given. */
  readonly sentCardsTableName?: string;
  /** Table of the digest subscriptions; `DigestSubscriptions` unless given. */
  readonly digestSubscriptionsTableName?: string;
  /** Table of the files waiting for their preview's Import; `PendingImports` unless given. */
  readonly pendingImportsTableName?: string;
  /** The reminder queue (its dead letters in `<name>-failed`); `actionplan-reminders` unless given. */
  readonly queueName?: string;
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

/** An opened storage account: how it is reached, and how to let go of it. */
export interface OpenedAccount {
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

/** Every store, once, on the opened account; and the account itself. */
export interface OpenedStorage extends Stores, OpenedAccount {
  /** Resolves when storage answers one cheap request; ActionPlanError('storage_unavailable') if not. */
  probe(): Promise<void>;
}

/**
 * Opens the storage account the entry points use. With a connection string, that account (Azure,
 * or an Azurite run by hand or in a container). Without one, Azurite is started inside this
 * process so that `npm start` and the CLI work on a fresh machine with nothing else installed:
 * persistent under `dataDir`, or in memory when `inMemory` is set.
 */
export async function openAccount(
  options: Omit<OpenStorageOptions, keyof StoreNames | 'clock'>,
): Promise<OpenedAccount> {
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
    return {
      access: { kind: 'connection-string', connectionString },
      connectionString,
      close: () => Promise.resolve(),
    };
  }
  const azurite = options.inMemory
    ? await startEmbeddedAzurite({ inMemory: true })
    : await startOrShare(options.dataDir ?? DEFAULT_DATA_DIR, options.tablePort, options.queuePort);
  return {
    access: { kind: 'connection-string', connectionString: azurite.connectionString },
    connectionString: azurite.connectionString,
    close: () => azurite.stop(),
  };
}

/** Opens the account (`openAccount`) and every store on it (`storesOn`). */
export async function openStorage(options: OpenStorageOptions): Promise<OpenedStorage> {
  const account = await openAccount(options);
  return {
    ...storesOn(account.access, options),
    access: account.access,
    get connectionString(): string {
      return account.connectionString;
    },
    close: () => account.close(),
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

/**
 * Every store on one storage account, each built once, and a probe of the account. The leases
 * and the delivery records share one table (and one client of it); the other stores have a table
 * (or a queue) each. A new store is one more line here and one in `Stores`.
 */
export function storesOn(
  access: StorageAccess,
  options: StoreNames & { readonly clock: Clock },
): Stores & Pick<OpenedStorage, 'probe'> {
  const table = (name: string) => tableClientFor(access, name);
  const reminders = new ReminderTable(
    table(options.reminderTableName ?? DEFAULT_REMINDER_TABLE_NAME),
  );
  const queueName = options.queueName ?? DEFAULT_REMINDER_QUEUE_NAME;
  const people = new AzurePeopleRepository(
    table(options.peopleTableName ?? DEFAULT_PEOPLE_TABLE_NAME),
  );
  return {
    plans: new AzurePlanRepository(table(options.tableName ?? DEFAULT_TABLE_NAME)),
    people,
    sentCards: new AzureSentCardRepository(
      new ReminderTable(table(options.sentCardsTableName ?? DEFAULT_SENT_CARDS_TABLE_NAME)),
    ),
    deliveries: new AzureDeliveryRecords(reminders),
    leases: new AzureLeaseStore(reminders, options.clock),
    digestSubscriptions: new AzureDigestSubscriptions(
      table(options.digestSubscriptionsTableName ?? DEFAULT_DIGEST_SUBSCRIPTIONS_TABLE_NAME),
    ),
    queue: new AzureReminderQueue(() => ({
      queue: queueClientFor(access, queueName),
      dead: queueClientFor(access, deadLetterQueueName(queueName)),
    })),
    pendingImports: new AzurePendingImports(
      new ReminderTable(
        table(options.pendingImportsTableName ?? DEFAULT_PENDING_IMPORTS_TABLE_NAME),
      ),
    ),
    probe: () => people.probe(),
  };
}
