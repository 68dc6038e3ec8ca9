import type { BotDeps } from './app/bot-deps.js';
import type { Config } from './config.js';
import { renderCard } from './cards/render-card.js';
import { writeProgressUpdate } from './documents/export/write-progress-update.js';
import { createLogger, type LogSink } from './logging/pino-logger.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import type { DeliveryRecordRepository } from './ports/delivery-records.js';
import type { DigestSubscriptionRepository } from './ports/digest-subscriptions.js';
import type { LeaseStore } from './ports/lease.js';
import {
  AzureDeliveryRecords,
  AzureDigestSubscriptions,
  AzureLeaseStore,
  DEFAULT_DELIVERIES_TABLE,
  DEFAULT_DIGEST_SUBSCRIPTIONS_TABLE,
  DEFAULT_LEASES_TABLE,
} from './storage/azure-scheduler-tables.js';
import { openStorage, tableClientFor, type StorageAccess } from './storage/open-storage.js';
import { ReminderTable } from './storage/azure-reminder-table.js';
import {
  AzureSentCardRepository,
  DEFAULT_SENT_CARDS_TABLE_NAME,
} from './storage/azure-sent-card-repository.js';

/** Everything an entry point needs, wired together. */
export interface Container {
  /** The use cases' dependencies: plans, people, the clock, the configured admins, the cards. */
  readonly deps: BotDeps;
  readonly logger: Logger;
  /**
   * The storage connection string in use (the embedded Azurite's when none was configured).
   * Throws when storage is reached with a token (`AZURE_STORAGE_ACCOUNT_URL`): use `storageAccess`.
   */
  readonly connectionString: string;
  /** How storage is reached (connection string or token), for other clients such as queues. */
  readonly storageAccess: StorageAccess;
  /**
   * Resolves when storage answers one cheap request, and throws ActionPlanError
   * ('storage_unavailable') when it does not: the web server's health check.
   */
  checkStorage(): Promise<void>;
  /** The scheduler's records: digest subscriptions, delivery records, the sweep lease. */
  readonly scheduler: {
    readonly subscriptions: DigestSubscriptionRepository;
    readonly deliveries: DeliveryRecordRepository;
    readonly leases: LeaseStore;
  };
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Run the embedded Azurite in memory (tests, throw-away demos). */
  readonly inMemory?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Also receives every log line (telemetry: Application Insights), when no logger is given. */
  readonly logSink?: LogSink;
}

/** Opens storage (or the embedded Azurite) and wires the use cases' dependencies. */
export async function openContainer(
  config: Config,
  options: ContainerOptions = {},
): Promise<Container> {
  const logger =
    options.logger ?? createLogger(config.logLevel, { app: 'actionplan' }, options.logSink);
  const storage = await openStorage({
    ...(config.storage.connectionString
      ? { connectionString: config.storage.connectionString }
      : {}),
    ...(config.storage.account ? { account: config.storage.account } : {}),
    tableName: config.storage.tableName,
    dataDir: `${config.storage.dataDir}/azurite`,
    tablePort: config.storage.embeddedTablePort,
    queuePort: config.storage.embeddedQueuePort,
    ...(options.inMemory ? { inMemory: true } : {}),
  });
  logger.debug(
    {
      storage: config.storage.account
        ? 'token'
        : config.storage.connectionString
          ? 'connection string'
          : 'embedded',
    },
    'storage opened',
  );
  const clock = options.clock ?? systemClock;
  const scheduler = {
    subscriptions: new AzureDigestSubscriptions(
      tableClientFor(storage.access, DEFAULT_DIGEST_SUBSCRIPTIONS_TABLE),
    ),
    deliveries: new AzureDeliveryRecords(tableClientFor(storage.access, DEFAULT_DELIVERIES_TABLE)),
    leases: new AzureLeaseStore(tableClientFor(storage.access, DEFAULT_LEASES_TABLE), () =>
      clock.now(),
    ),
  };
  return {
    deps: {
      plans: storage.plans,
      people: storage.people,
      clock,
      adminEmails: config.adminEmails,
      renderCard,
      writeProgressUpdate,
      digests: scheduler.subscriptions,
      // Every copy of an action's card: reminders record theirs, card answers update them all.
      sentCards: new AzureSentCardRepository(
        new ReminderTable(tableClientFor(storage.access, DEFAULT_SENT_CARDS_TABLE_NAME)),
      ),
    },
    scheduler,
    logger,
    get connectionString() {
      return storage.connectionString;
    },
    storageAccess: storage.access,
    checkStorage: () => storage.probe(),
    close: () => storage.close(),
  };
}
