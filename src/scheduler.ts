import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DigestDeps } from './app/digest/digest-deps.js';
import { sweepDigests } from './app/digest/sweep-digests.js';
import type { ReminderDeps } from './app/reminders/reminder-deps.js';
import { runReminders, type RunReport } from './app/reminders/run.js';
import { workingDaysFor } from './calendar/bank-holidays.js';
import type { Config } from './config.js';
import type { Container } from './container.js';
import type { ChannelPoster } from './ports/channel-poster.js';
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
 * The scheduler's wiring: the reminders' stores on the app's storage account, the Teams notifier,
 * and the in-process timer `serve` runs (the digest and the reminders, one after the other).
 * The Teams SDK is loaded only when a notifier is made, so `actionplan reminders preview` stays
 * quick.
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

export interface Scheduler {
  /** Stops the timer, lets the tick under way finish (the reminders their batch), resolves then. */
  stop(): Promise<void>;
}

/** What one tick gives each job: a job id for its log lines, the stop signal, a deadline. */
export interface JobTick {
  /** `<job> <holder> <tick's start>`: every line of one run carries it, to be found together. */
  readonly jobId: string;
  /** Aborted when the scheduler is told to stop. */
  readonly signal: AbortSignal;
  /** Epoch ms: work that can wait (delayed retries) is left for the next tick after this. */
  readonly deadline: number;
}

/** One kind of scheduled work, done at every tick. */
export interface ScheduledJob {
  /** Names the job in log lines (`jobId`): `digest`, `reminders`. */
  readonly name: string;
  run(tick: JobTick): Promise<void>;
}

export interface SchedulerOptions {
  readonly intervalMs: number;
  /** The first tick; a few seconds after start unless given. */
  readonly firstRunAfterMs?: number;
  /** Who this instance is, in job ids (and, made by the caller, in leases and claims). */
  readonly holder: string;
  readonly logger: Logger;
}

/**
 * The one in-process timer of a bot instance: every `intervalMs` it runs each job in turn. Every
 * instance runs one; each job takes its own lease, so one instance at a time does it, and the
 * delivery records make sure nothing goes twice. A job that fails (storage down) is logged, the
 * others still run, and it is tried again at the next tick. A tick never overlaps the previous
 * one: the next is timed from the end of the last.
 */
export function startScheduler(
  jobs: readonly ScheduledJob[],
  options: SchedulerOptions,
): Scheduler {
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const tick = async (): Promise<void> => {
    const deadline = Date.now() + options.intervalMs;
    const started = new Date().toISOString();
    for (const job of jobs) {
      if (stopping.signal.aborted) return;
      const jobId = `${job.name} ${options.holder} ${started}`;
      try {
        await job.run({ jobId, signal: stopping.signal, deadline });
      } catch (error) {
        options.logger
          .child({ jobId })
          .warn({ err: error }, `the ${job.name} job failed; the next tick will try again`);
      }
    }
  };
  const schedule = (ms: number) => {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule(options.intervalMs);
      });
    }, ms);
    timer.unref();
  };
  schedule(options.firstRunAfterMs ?? 5_000);
  options.logger.info(
    {
      holder: options.holder,
      jobs: jobs.map((j) => j.name),
      everyMinutes: options.intervalMs / 60_000,
    },
    'scheduler started',
  );

  return {
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The reminders' round as a scheduled job: take the lease, sweep, send what is queued (until the
 * tick's deadline), give the lease back.
 */
export function reminderJob(
  deps: ReminderDeps,
  holder: string,
  onRun?: (report: RunReport) => void,
): ScheduledJob {
  return {
    name: 'reminders',
    async run({ jobId, signal, deadline }) {
      const job = { ...deps, logger: deps.logger.child({ jobId }) };
      const report = await runReminders(job, { holder, signal, deadline });
      onRun?.(report);
    },
  };
}

/**
 * The weekly digest's sweep as a scheduled job: each subscribed channel's digest for the latest
 * slot, once (its own lease and delivery records; src/app/digest/sweep-digests.ts). Quick when
 * nothing is due, so it runs first: Monday's digest does not wait behind a morning of reminders.
 */
export function digestJob(deps: DigestDeps): ScheduledJob {
  return {
    name: 'digest',
    async run({ jobId }) {
      await sweepDigests({ ...deps, logger: deps.logger.child({ jobId }) }, deps.clock.now());
    },
  };
}

/**
 * The scheduler `serve` starts: the weekly digest, then the reminders, every
 * REMINDER_SWEEP_MINUTES. `poster` is the running bot's (the digest goes to channels through it).
 * REMINDERS_ENABLED=false starts nothing: a copy of the bot that must not message anyone (a
 * staging slot on production's data) sends neither reminders nor digests, and still answers.
 */
export function startConfiguredScheduler(
  config: Config,
  container: Container,
  poster: ChannelPoster,
): Scheduler | undefined {
  const logger = container.logger.child({ component: 'scheduler' });
  if (!config.reminders.enabled) {
    logger.info(
      {},
      'REMINDERS_ENABLED=false: no reminders and no weekly digest from this instance',
    );
    return undefined;
  }
  const holder = instanceName();
  const digest = digestJob({
    ...container.deps,
    ...container.scheduler,
    poster,
    logger: container.logger.child({ component: 'digest' }),
    instanceId: holder,
  });
  const notifier = teamsNotifier(config, container.logger);
  const reminders = reminderJob(reminderDepsOf(container, config, notifier), holder);
  return startScheduler([digest, reminders], {
    intervalMs: config.reminders.sweepMinutes * 60_000,
    holder,
    logger,
  });
}
