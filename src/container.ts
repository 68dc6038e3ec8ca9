import type { BotDeps } from './app/bot-deps.js';
import type { Config } from './config.js';
import { renderCard } from './cards/render-card.js';
import { createLogger } from './logging/pino-logger.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import { openStorage } from './storage/open-storage.js';

/** Everything an entry point needs, wired together. */
export interface Container {
  /** The use cases' dependencies: plans, people, the clock, the configured admins, the cards. */
  readonly deps: BotDeps;
  readonly logger: Logger;
  /** The storage connection string in use (the embedded Azurite's when none was configured). */
  readonly connectionString: string;
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
}

/** Opens storage (or the embedded Azurite) and wires the use cases' dependencies. */
export async function openContainer(
  config: Config,
  options: ContainerOptions = {},
): Promise<Container> {
  const logger = options.logger ?? createLogger(config.logLevel, { app: 'actionplan' });
  const storage = await openStorage({
    ...(config.storage.connectionString
      ? { connectionString: config.storage.connectionString }
      : {}),
    tableName: config.storage.tableName,
    dataDir: `${config.storage.dataDir}/azurite`,
    tablePort: config.storage.embeddedTablePort,
    queuePort: config.storage.embeddedQueuePort,
    ...(options.inMemory ? { inMemory: true } : {}),
  });
  logger.debug({ embedded: !config.storage.connectionString }, 'storage opened');
  return {
    deps: {
      plans: storage.plans,
      people: storage.people,
      clock: options.clock ?? systemClock,
      adminEmails: config.adminEmails,
      renderCard,
    },
    logger,
    connectionString: storage.connectionString,
    checkStorage: () => storage.probe(),
    close: () => storage.close(),
  };
}
