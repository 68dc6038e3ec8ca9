import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ReminderDeps } from './app/reminders/reminder-deps.js';
import { workingDaysFor } from './calendar/bank-holidays.js';
import { renderCard } from './cards/render-card.js';
import type { Config } from './config.js';
import { writeProgressUpdate } from './documents/export/write-progress-update.js';
import { MAX_PLAN_FILE_BYTES, readPlanDocument } from './documents/plan-file.js';
import type { WorkingDays } from './domain/working-days.js';
import { createLogger, type LogSink } from './logging/pino-logger.js';
import type { RenderCard } from './ports/card-renderer.js';
import type { ChannelPoster } from './ports/channel-poster.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { DownloadFile } from './ports/file-download.js';
import type { Logger } from './ports/logger.js';
import type { PlanDocumentReader } from './ports/plan-document-reader.js';
import type { ProactiveNotifier } from './ports/proactive-notifier.js';
import type { WriteProgressUpdate } from './ports/progress-update-writer.js';
import type { RosterSyncer } from './ports/roster-syncer.js';
import type { Stores } from './ports/stores.js';
import type { TeamsAppInstaller } from './ports/teams-app-installer.js';
import { createGraphInstaller } from './graph/graph-installer.js';
import { graphTokenSource } from './graph/graph-token.js';
import {
  digestJob,
  reminderJob,
  rosterJob,
  startScheduler,
  type Scheduler,
  type ScheduledJob,
} from './scheduler.js';
import { createAttachmentDownloader } from './teams/attachment-download.js';
import {
  openAccount,
  storesOn,
  type StorageAccess,
  type StoreNames,
} from './storage/open-storage.js';

/**
 * The one wiring root. Every entry point (the web server and its scheduler, the command line,
 * the local demo) opens a container from the configuration it read once, and takes everything
 * from it: each store is built here once, on one clock, so the server, the scheduler and a
 * command all see the same instances.
 *
 * What goes where:
 * - a store: a port in `ports/stores.ts` and its line in `storage/open-storage.ts` (`storesOn`);
 *   it then reaches every door through `deps`;
 * - a client of another service (made from `config`): one line in `deps`, optional only when the
 *   configuration may leave it off;
 * - a scheduled job: one line in `scheduledJobs`, its lease taken by the job itself.
 */

/**
 * What the use cases can be given: every store, the clock, the configured admins, the card
 * renderer, the progress-update writer, the working-day calendar and the logger. Each use case
 * names the part it needs (`BotDeps`, `ReminderReadDeps`, `DigestReadDeps`…); this is all of them.
 */
export type ContainerDeps = Stores & {
  readonly clock: Clock;
  /** ADMIN_EMAILS: admins of every plan whatever storage says. */
  readonly adminEmails: readonly string[];
  /**
   * The tenants the bot answers, lower-case (`config.bot`; empty only when it answers every
   * tenant): ADMIN_EMAILS make admins only of accounts in them (`BotDeps`).
   */
  readonly allowedTenantIds?: readonly string[];
  readonly renderCard: RenderCard;
  readonly writeProgressUpdate: WriteProgressUpdate;
  /** The working days of a holiday region (`GB-ENG`…): bank-holidays.ts. */
  readonly workingDaysFor: (region: string) => WorkingDays;
  readonly logger: Logger;
  /** PLAN_TIME_ZONE: the time zone of a plan imported new (each plan keeps its own). */
  readonly planTimeZone: string;
  /** Reads a plan document from its bytes (Word, Excel, CSV, text): documents/plan-file.ts. */
  readonly readPlanDocument: PlanDocumentReader;
  /** Fetches a file sent to the bot in Teams, within its caps: teams/attachment-download.ts. */
  readonly downloadFile: DownloadFile;
  /**
   * Installs the app through Microsoft Graph for people the bot cannot reach otherwise. Present
   * exactly when GRAPH_INSTALL_ENABLED is on: `if (deps.installer)` is production's choice.
   */
  readonly installer?: TeamsAppInstaller;
};

/** Everything an entry point needs, wired together. */
export interface Container {
  /** The configuration the container was opened with, read once by the entry point. */
  readonly config: Config;
  readonly deps: ContainerDeps;
  /** `deps.logger`: every component logs through a child of it. */
  readonly logger: Logger;
  /**
   * The reminders' dependencies: `deps`, the Teams notifier and the reminders' logger. The bot's
   * SDKs load on the first call, so commands that send nothing do not pay for them.
   */
  reminderDeps(): ReminderDeps;
  /** Re-reads every team roster the bot holds (loads botbuilder on the first call). */
  rosterSyncer(): RosterSyncer;
  /**
   * Starts the scheduler `serve` runs: each tick the weekly digest (posted through `poster`, the
   * running bot's), then the reminders, every REMINDER_SWEEP_MINUTES. REMINDERS_ENABLED=false
   * starts nothing and resolves to undefined: a copy of the bot that must not message anyone (a
   * staging slot on production's data) sends neither reminders nor digests, and still answers.
   */
  startScheduler(poster: ChannelPoster): Scheduler | undefined;
  /**
   * The storage connection string in use (the embedded Azurite's when none was configured).
   * Throws when storage is reached with a token (`AZURE_STORAGE_ACCOUNT_URL`): use `storageAccess`.
   */
  readonly connectionString: string;
  /** How storage is reached (connection string or token), for other clients. */
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
  /** The one clock of the process (the system's unless given): use cases, jobs and leases. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Also receives every log line (telemetry: Application Insights), when no logger is given. */
  readonly logSink?: LogSink;
  /** Other tables and queue than the configured ones: tests sharing one Azurite. */
  readonly names?: StoreNames;
  /** Graph's token, instead of DefaultAzureCredential's (tests against a fake Graph). */
  readonly graphToken?: () => Promise<string>;
}

/** Opens storage (or the embedded Azurite) and wires everything to it. */
export async function openContainer(
  config: Config,
  options: ContainerOptions = {},
): Promise<Container> {
  const logger =
    options.logger ?? createLogger(config.logLevel, { app: 'actionplan' }, options.logSink);
  const clock = options.clock ?? systemClock;
  const account = await openAccount({
    ...(config.storage.connectionString
      ? { connectionString: config.storage.connectionString }
      : {}),
    ...(config.storage.account ? { account: config.storage.account } : {}),
    dataDir: `${config.storage.dataDir}/azurite`,
    tablePort: config.storage.embeddedTablePort,
    queuePort: config.storage.embeddedQueuePort,
    ...(options.inMemory ? { inMemory: true } : {}),
  });
  const { probe, ...stores } = storesOn(account.access, {
    tableName: config.storage.tableName,
    queueName: config.reminders.queueName,
    ...options.names,
    clock,
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
  const graph = config.graph;
  const deps: ContainerDeps = {
    ...stores,
    clock,
    adminEmails: config.adminEmails,
    allowedTenantIds: config.bot.allowedTenantIds,
    renderCard,
    writeProgressUpdate,
    workingDaysFor,
    logger,
    planTimeZone: config.defaultTimeZone,
    readPlanDocument,
    downloadFile: createAttachmentDownloader({
      maxBytes: MAX_PLAN_FILE_BYTES,
      timeoutMs: config.downloads.timeoutMs,
      hosts: config.downloads.hosts,
      // Without an app id nothing is authenticated and the bot listens on 127.0.0.1 alone.
      allowLoopback: !config.bot.appId,
    }),
    ...(graph
      ? {
          installer: createGraphInstaller({
            baseUrl: graph.baseUrl,
            token:
              options.graphToken ?? graphTokenSource(graph.scope, graph.managedIdentityClientId),
            ...(graph.catalogAppId ? { catalogAppId: graph.catalogAppId } : {}),
            ...(graph.manifestAppId ? { manifestAppId: graph.manifestAppId } : {}),
          }),
        }
      : {}),
  };
  let notifier: ProactiveNotifier | undefined;
  let rosters: RosterSyncer | undefined;
  const container: Container = {
    config,
    deps,
    logger,
    reminderDeps: () => ({
      ...deps,
      notifier: (notifier ??= teamsNotifier(config, logger)),
      logger: logger.child({ component: 'reminders' }),
    }),
    rosterSyncer: () =>
      (rosters ??= teamsRosterSyncer(config, deps, logger.child({ component: 'rosters' }))),
    startScheduler: (poster) => startConfiguredScheduler(container, poster),
    get connectionString() {
      return account.connectionString;
    },
    storageAccess: account.access,
    checkStorage: probe,
    close: () => account.close(),
  };
  return container;
}

/**
 * The jobs of each tick, in order. The digest is quick when nothing is due, so it goes first:
 * Monday's digest does not wait behind a morning of reminders. Each job takes its own lease from
 * `deps.leases`, so one instance at a time does it.
 */
function scheduledJobs(
  container: Container,
  poster: ChannelPoster,
  holder: string,
): ScheduledJob[] {
  const { deps, logger } = container;
  return [
    digestJob({
      ...deps,
      poster,
      instanceId: holder,
      logger: logger.child({ component: 'digest' }),
    }),
    reminderJob(container.reminderDeps(), holder),
    rosterJob(
      {
        ...deps,
        rosters: container.rosterSyncer(),
        logger: logger.child({ component: 'rosters' }),
      },
      holder,
    ),
  ];
}

function startConfiguredScheduler(
  container: Container,
  poster: ChannelPoster,
): Scheduler | undefined {
  const { config } = container;
  const logger = container.logger.child({ component: 'scheduler' });
  if (!config.reminders.enabled) {
    logger.info(
      {},
      'REMINDERS_ENABLED=false: no reminders and no weekly digest from this instance',
    );
    return undefined;
  }
  const holder = instanceName();
  return startScheduler(scheduledJobs(container, poster, holder), {
    intervalMs: config.reminders.sweepMinutes * 60_000,
    holder,
    logger,
  });
}

/** A name for this process in leases and claims: host, process id and a random suffix. */
const instanceName = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** The Teams notifier for the configured bot (loads botbuilder). */
function teamsNotifier(config: Config, logger: Logger): ProactiveNotifier {
  /* eslint-disable @typescript-eslint/no-require-imports -- the bot SDKs load on demand */
  const { createProactiveNotifier } =
    require('./teams/proactive-notifier.js') as typeof import('./teams/proactive-notifier.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return createProactiveNotifier({
    settings: config.bot,
    logger,
    serviceUrl: config.reminders.teamsServiceUrl,
  });
}

/** The daily re-sync of team rosters for the configured bot (loads botbuilder). */
function teamsRosterSyncer(config: Config, deps: ContainerDeps, logger: Logger): RosterSyncer {
  /* eslint-disable @typescript-eslint/no-require-imports -- the bot SDKs load on demand */
  const { createRosterSyncer } =
    require('./teams/roster-reader.js') as typeof import('./teams/roster-reader.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return createRosterSyncer({ settings: config.bot, deps, logger });
}
