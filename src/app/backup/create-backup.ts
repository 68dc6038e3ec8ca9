import { ActionPlanError } from '../../domain/errors.js';
import type { PlanRepository } from '../../ports/plan-repository.js';
import { noProgress, type Progress } from '../../ports/progress.js';
import type { AnyRecordKind, BackupReading, BackupStores, PlanCopy } from './record-kind.js';
import { RECORD_KINDS, type BackupCounts, type BackupRecords } from './record-kinds.js';

/**
 * A backup: every record the bot stores, each kind (record-kinds.ts) as a list of the records'
 * own shapes (never storage entities), so a backup can be restored into any adapter. Versions
 * (ETags) are not kept: restored records get new ones. A kind is absent when the deployment that
 * made the backup keeps none. The file it is written to is documents/backup-document.ts.
 */
export interface Backup {
  /** ISO instant the backup was made. */
  readonly createdAt: string;
  readonly records: BackupRecords;
}

/** A plan read again when it changed while being read; after this many tries the backup fails. */
const MAX_PLAN_READS = 5;

/**
 * Reads everything stored into a Backup, kind by kind. Each plan is a consistent copy: its plan
 * record and actions are read again after its history, and if any changed meanwhile (someone
 * answered a card during the backup) the plan is read again, so a backup never holds a change
 * without its history entry or the other way round. Other kinds are read as they are.
 */
export async function createBackup(
  stores: BackupStores,
  progress: Progress = noProgress,
): Promise<Backup> {
  const createdAt = stores.clock.now().toISOString();
  const reading = planReading(stores.plans, progress);
  const records: Record<string, readonly unknown[]> = {};
  for (const kind of RECORD_KINDS as readonly AnyRecordKind[]) {
    const store: unknown = kind.store(stores);
    if (store !== undefined) records[kind.name] = await kind.list(store, reading);
  }
  return { createdAt, records };
}

/** How many records of each kind a backup holds (kinds it does not hold are absent). */
export function countsOf(records: BackupRecords): BackupCounts {
  const counts: Record<string, number> = {};
  for (const kind of RECORD_KINDS) {
    const list = records[kind.name];
    if (list) counts[kind.name] = list.length;
  }
  return counts;
}

/** Every plan, copied once whichever kind asks first. */
function planReading(plans: PlanRepository, progress: Progress): BackupReading {
  let copies: Promise<readonly PlanCopy[]> | undefined;
  return {
    plans: () => (copies ??= readPlans(plans, progress)),
  };
}

async function readPlans(plans: PlanRepository, progress: Progress): Promise<PlanCopy[]> {
  const listed = await plans.listPlans();
  progress.stage('Reading plans', listed.length);
  const copies: PlanCopy[] = [];
  for (const [i, p] of listed.entries()) {
    const copy = await readPlan(plans, p.value.id);
    if (copy) copies.push(copy);
    progress.update(i + 1);
  }
  return copies;
}

/** A consistent copy of one plan; undefined when it was removed since it was listed. */
async function readPlan(plans: PlanRepository, planId: string): Promise<PlanCopy | undefined> {
  for (let attempt = 1; ; attempt++) {
    const [plan, actions, areas] = await Promise.all([
      plans.getPlan(planId),
      plans.listActions(planId),
      plans.listAreas(planId),
    ]);
    const history = await plans.listHistory(planId);
    const [planAgain, actionsAgain, areasAgain] = await Promise.all([
      plans.getPlan(planId),
      plans.listActions(planId),
      plans.listAreas(planId),
    ]);
    const unchanged =
      plan?.version === planAgain?.version &&
      versions(actions) === versions(actionsAgain) &&
      versions(areas) === versions(areasAgain);
    if (plan && unchanged) {
      return {
        plan: plan.value,
        actions: actions.map((a) => a.value),
        areas: areas.map((a) => a.value),
        history,
      };
    }
    // Removed since it was listed (only a forced restore removes plans): nothing to back up.
    if (!plan && !planAgain) return undefined;
    if (attempt >= MAX_PLAN_READS) {
      throw new ActionPlanError(
        'conflict',
        `Plan "${planId}" kept changing while it was being backed up (read ${MAX_PLAN_READS} times); try again when the bot is quieter.`,
      );
    }
  }
}

const versions = (records: readonly { version: string }[]): string =>
  records.map((r) => r.version).join('\n');
