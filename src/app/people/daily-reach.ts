import { isActionPlanError } from '../../domain/errors.js';
import type { DeliveryRecord, DeliveryRecordRepository } from '../../ports/delivery-records.js';
import type { LeaseStore } from '../../ports/lease.js';
import type { Logger } from '../../ports/logger.js';
import type { RosterSyncer } from '../../ports/roster-syncer.js';
import { installForUnreached, whoCanWeReach, type ReachDeps } from './reach-report.js';

/** The lease the daily roster job takes, so that one instance at a time does it. */
export const ROSTER_LEASE = 'roster-sync';
const LEASE_MS = 30 * 60 * 1000;
/** The delivery records of the daily job live under this made-up plan id (never a plan's). */
export const ROSTER_JOB_PLAN = '~roster-sync';
/** A day whose run failed this often is left for the next day. */
const MAX_ATTEMPTS = 3;

export type DailyReachDeps = ReachDeps & {
  readonly leases: LeaseStore;
  readonly deliveries: DeliveryRecordRepository;
  readonly clock: { now(): Date };
  readonly logger: Logger;
  readonly rosters: RosterSyncer;
};

export interface DailyReachReport {
  /** False when it had run today already, or another instance holds the lease. */
  readonly ran: boolean;
  readonly rosters?: number;
  readonly rostersFailed?: number;
  readonly installed?: number;
  readonly installRefused?: number;
  readonly installFailed?: number;
}

/**
 * Once a day (UTC): every roster the bot holds is read again (members who joined or left while
 * an event was missed are caught), then, when Graph installation is configured, the app is
 * installed for every owner and champion found nowhere. "Once" is a delivery record per day,
 * created before the work as the digest's is per week; the lease keeps two instances from doing
 * it at once. A run that fails is tried again at the next tick, up to three times that day.
 */
export async function runDailyReach(
  deps: DailyReachDeps,
  holder: string,
  signal?: AbortSignal,
): Promise<DailyReachReport> {
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  if (!(await deps.leases.acquire(ROSTER_LEASE, holder, LEASE_MS))) return { ran: false };
  try {
    const claimed = await claimDay(deps, day, holder);
    if (!claimed) return { ran: false };
    let report: DailyReachReport;
    try {
      report = await work(deps, signal);
    } catch (error) {
      await settle(deps, claimed, { state: 'retrying', code: 'Failed', reason: messageOf(error) });
      throw error;
    }
    await settle(deps, claimed, { state: 'sent' });
    deps.logger.info({ ...report }, 'daily roster sync and installations');
    return report;
  } finally {
    await deps.leases.release(ROSTER_LEASE, holder);
  }
}

async function work(deps: DailyReachDeps, signal?: AbortSignal): Promise<DailyReachReport> {
  const outcomes = await deps.rosters.syncAll(signal ? { signal } : {});
  let installed = 0;
  let installRefused = 0;
  let installFailed = 0;
  const installer = deps.installer;
  if (installer && !signal?.aborted) {
    for (const { value: plan } of await deps.plans.listPlans()) {
      const report = await whoCanWeReach(deps, plan.id);
      const done = await installForUnreached({ ...deps, installer }, report);
      installed += done.installed;
      installRefused += done.refused;
      installFailed += done.failed;
    }
  }
  return {
    ran: true,
    rosters: outcomes.length,
    rostersFailed: outcomes.filter((o) => o.outcome === 'failed').length,
    ...(installer ? { installed, installRefused, installFailed } : {}),
  };
}

type Claimed = { readonly record: DeliveryRecord; readonly version: string };

/** Today's record, created or taken over from a failed try; undefined when today is done. */
async function claimDay(
  deps: DailyReachDeps,
  day: string,
  holder: string,
): Promise<Claimed | undefined> {
  const at = deps.clock.now().toISOString();
  const record: DeliveryRecord = {
    planId: ROSTER_JOB_PLAN,
    id: `roster-sync:${day}`,
    ref: '-',
    kind: 'roster_sync',
    recipient: '-',
    role: 'admin',
    scheduledFor: day,
    state: 'sending',
    queuedAt: at,
    updatedAt: at,
    attempts: 1,
    throttled: 0,
    claimedBy: holder,
    claimedAt: at,
  };
  if (await deps.deliveries.create(record)) {
    const created = await deps.deliveries.get(record.planId, record.id, day);
    return created ? { record: created.value, version: created.version } : undefined;
  }
  const stored = await deps.deliveries.get(record.planId, record.id, day);
  if (!stored || stored.value.state !== 'retrying' || stored.value.attempts >= MAX_ATTEMPTS) {
    return undefined;
  }
  const retry = {
    ...stored.value,
    state: 'sending' as const,
    attempts: stored.value.attempts + 1,
    claimedBy: holder,
    claimedAt: at,
    updatedAt: at,
  };
  try {
    return { record: retry, version: await deps.deliveries.update(retry, stored.version) };
  } catch (error) {
    if (isActionPlanError(error, 'conflict')) return undefined;
    throw error;
  }
}

async function settle(
  deps: DailyReachDeps,
  claimed: Claimed,
  change: Pick<DeliveryRecord, 'state'> & Partial<Pick<DeliveryRecord, 'code' | 'reason'>>,
): Promise<void> {
  const { code: _code, reason: _reason, ...rest } = claimed.record;
  await deps.deliveries
    .update({ ...rest, ...change, updatedAt: deps.clock.now().toISOString() }, claimed.version)
    .catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'the daily roster job could not record how it went');
    });
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
