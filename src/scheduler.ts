import type { DigestDeps } from './app/digest/digest-deps.js';
import { runDailyReach, type DailyReachDeps } from './app/people/daily-reach.js';
import { sweepDigests } from './app/digest/sweep-digests.js';
import type { ReminderDeps } from './app/reminders/reminder-deps.js';
import { runReminders, type RunReport } from './app/reminders/run.js';
import type { Logger } from './ports/logger.js';

/**
 * The in-process timer `serve` runs, and the jobs it runs: the weekly digest, the reminders and
 * the daily roster sync.
 * What each job is given, and which jobs a tick runs, is wired in container.ts.
 */

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
      if (!report.ran) job.logger.debug({ reason: report.reason }, 'reminders: not this instance');
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
 * Once a day: every team roster read again, then the app installed through Microsoft Graph for
 * the owners found nowhere (when configured). Its own lease and a record per day
 * (src/app/people/daily-reach.ts), so each tick after the first that day costs two reads.
 */
export function rosterJob(deps: DailyReachDeps, holder: string): ScheduledJob {
  return {
    name: 'rosters',
    async run({ jobId, signal }) {
      const job = { ...deps, logger: deps.logger.child({ jobId }) };
      const report = await runDailyReach(job, holder, signal);
      if (!report.ran) job.logger.debug({}, 'rosters: done today, or not this instance');
    },
  };
}
