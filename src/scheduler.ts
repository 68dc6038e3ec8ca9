import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ReminderDeps } from './app/reminders/reminder-deps.js';
import { runReminders, type RunReport } from './app/reminders/run.js';
import { workingDaysFor } from './calendar/bank-holidays.js';
import type { Config } from './config.js';
import type { Container } from './container.js';
import type { DeliveryRecordRepository } from './ports/delivery-records.js';
import type { LeaseStore } from './ports/lease.js';
import type { Logger } from './ports/logger.js';
import type { ProactiveNotifier } from './ports/proactive-notifier.js';
import type { ReminderQueue } from './ports/reminder-queue.js';
import type { SentCardRepository } from './ports/sent-card-repository.js';
import { AzureDeliveryRecords } from './storage/azure-delivery-records.js';
import { AzureLeaseStore } from './storage/azure-lease-store.js';
import { AzureReminderQueue, deadLetterQueueName } from './storage/azure-reminder-queue.js';
import { DEFAULT_REMINDER_TABLE_NAME, ReminderTable } from './storage/azure-reminder-table.js';
import {
  AzureSentCardRepository,
  DEFAULT_SENT_CARDS_TABLE_NAME,
} from './storage/azure-sent-card-repository.js';
import { queueClientFor, tableClientFor, type StorageAccess } from './storage/open-storage.js';
import type { ProactiveNotifierOptions } from './teams/proactive-notifier.js';

/**
 * The reminder scheduler's wiring: its stores on the app's storage account, the Teams notifier,
 * and the in-process timer `serve` runs. The Teams SDK is loaded only when a notifier is made, so
 * `actionplan reminders preview` stays quick.
 */

export interface ReminderStores {
  readonly leases: LeaseStore;
  readonly deliveries: DeliveryRecordRepository;
  readonly queue: ReminderQueue;
  readonly sentCards: SentCardRepository;
}

export interface ReminderStoreNames {
  readonly queueName: string;
  /** Leases and delivery records; `Reminders` unless given. */
  readonly tableName?: string;
  /** `SentCards` unless given. */
  readonly sentCardsTableName?: string;
}

/** The reminder stores on the account `access` reaches (the same as the plans'). */
export function reminderStoresOn(access: StorageAccess, names: ReminderStoreNames): ReminderStores {
  const table = new ReminderTable(
    tableClientFor(access, names.tableName ?? DEFAULT_REMINDER_TABLE_NAME),
  );
  return {
    leases: new AzureLeaseStore(table),
    deliveries: new AzureDeliveryRecords(table),
    queue: new AzureReminderQueue(
      queueClientFor(access, names.queueName),
      queueClientFor(access, deadLetterQueueName(names.queueName)),
    ),
    sentCards: new AzureSentCardRepository(
      new ReminderTable(
        tableClientFor(access, names.sentCardsTableName ?? DEFAULT_SENT_CARDS_TABLE_NAME),
      ),
    ),
  };
}

/** The Teams notifier for the configured bot (loads botbuilder). */
export function teamsNotifier(
  config: Config,
  logger: Logger,
  overrides: Partial<Omit<ProactiveNotifierOptions, 'settings' | 'logger'>> = {},
): ProactiveNotifier {
  /* eslint-disable @typescript-eslint/no-require-imports -- the bot SDKs load on demand */
  const { createProactiveNotifier } =
    require('./teams/proactive-notifier.js') as typeof import('./teams/proactive-notifier.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return createProactiveNotifier({
    settings: config.bot,
    logger,
    serviceUrl: config.reminders.teamsServiceUrl,
    ...overrides,
  });
}

/** Everything the reminder use cases need, from an opened container. */
export function reminderDepsOf(
  container: Container,
  config: Config,
  notifier: ProactiveNotifier,
  stores: ReminderStores = reminderStoresOn(container.storageAccess, {
    queueName: config.reminders.queueName,
  }),
): ReminderDeps {
  return {
    ...container.deps,
    ...stores,
    notifier,
    workingDaysFor,
    logger: container.logger.child({ component: 'reminders' }),
  };
}

/** A name for this process in leases and claims: host, process id and a random suffix. */
export const instanceName = (): string =>
  `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export interface ReminderScheduler {
  /** Stops the timer, lets the round under way finish its current batch, and resolves then. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  readonly intervalMs: number;
  /** The first round; a few seconds after start unless given. */
  readonly firstRunAfterMs?: number;
  readonly holder?: string;
  /** Told each round's report (tests, logs). */
  readonly onRun?: (report: RunReport) => void;
}

/**
 * Runs a reminder round every `intervalMs` on this instance: take the lease, sweep, send what is
 * queued (for at most one interval), give the lease back. Every instance runs one; the lease lets
 * one work at a time and the delivery records make sure nothing goes twice. A round that fails
 * (storage down) is logged and tried again at the next tick.
 */
export function startReminderScheduler(
  deps: ReminderDeps,
  options: SchedulerOptions,
): ReminderScheduler {
  const holder = options.holder ?? instanceName();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const round = async (): Promise<void> => {
    // Every line of a round carries its job id, so one round's lines can be found together.
    const job = {
      ...deps,
      logger: deps.logger.child({ jobId: `reminders ${holder} ${new Date().toISOString()}` }),
    };
    try {
      const report = await runReminders(job, {
        holder,
        signal: stopping.signal,
        deadline: Date.now() + options.intervalMs,
      });
      options.onRun?.(report);
    } catch (error) {
      job.logger.warn({ err: error }, 'a reminder round failed; the next one will try again');
    }
  };
  const schedule = (ms: number) => {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      running = round().finally(() => {
        running = undefined;
        schedule(options.intervalMs);
      });
    }, ms);
    timer.unref();
  };
  schedule(options.firstRunAfterMs ?? 5_000);
  deps.logger.info(
    { holder, everyMinutes: options.intervalMs / 60_000 },
    'reminder scheduler started',
  );

  return {
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** The scheduler `serve` starts: configured by REMINDERS_ENABLED and REMINDER_SWEEP_MINUTES. */
export function startConfiguredReminders(
  config: Config,
  container: Container,
): ReminderScheduler | undefined {
  if (!config.reminders.enabled) {
    container.logger.info({}, 'reminders are off (REMINDERS_ENABLED=false)');
    return undefined;
  }
  const deps = reminderDepsOf(container, config, teamsNotifier(config, container.logger));
  return startReminderScheduler(deps, { intervalMs: config.reminders.sweepMinutes * 60_000 });
}
