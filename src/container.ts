import type { BotDeps } from './app/bot-deps.js';
import type { Config } from './config.js';
import { renderCard } from './cards/render-card.js';
import { writeProgressUpdate } from './documents/export/write-progress-update.js';
import { createLogger, type LogSink } from './logging/pino-logger.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import { openStorage, type StorageAccess } from './storage/open-storage.js';

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
  return {
    deps: {
      plans: storage.plans,
      people: storage.people,
      clock: options.clock ?? systemClock,
      adminEmails: config.adminEmails,
      renderCard,
      writeProgressUpdate,
    },
    logger,
    get connectionString() {
      return storage.connectionString;
    },
    storageAccess: storage.access,
    checkStorage: () => storage.probe(),
    close: () => storage.close(),
  };
}
