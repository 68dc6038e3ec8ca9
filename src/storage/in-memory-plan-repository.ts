import { compareRefs } from '../domain/action-ref.js';
import { ActionPlanError } from '../domain/errors.js';
import { isDone } from '../domain/status.js';
import type { Action, Area, HistoryEntry, Plan, Versioned } from '../domain/plan.js';
import type {
  ListActionsOptions,
  PlanChanges,
  PlanRepository,
  SaveOptions,
  SaveResult,
} from '../ports/plan-repository.js';
import { compareHistoryKeys, HISTORY_RANGE, historyRangeOf } from './history-keys.js';
import {
  ACTION_RANGE,
  actionRowKey,
  AREA_RANGE,
  conflictMessage,
  type KeyedRecord,
  keyedWrites,
  PLAN_ROW_KEY,
  type RowKeyRange,
} from './table-keys.js';

interface Row {
  readonly record: KeyedRecord;
  readonly version: string;
}

/**
 * A PlanRepository held in this process's memory, with the same rules as the Azure one: every
 * write gives the record a new version, a stale version or a create over an existing record is
 * refused with 'conflict', history is only ever appended, and a save is all-or-nothing (here
 * always, whatever its size). Records are copied in and out, so callers cannot change what is
 * stored behind the repository's back.
 *
 * For tests and single-process tools only: the data dies with the process, and two processes (or
 * two instances of the bot behind a load balancer) would each see their own plan and silently
 * disagree. Anything that must survive a restart or be shared uses AzurePlanRepository.
 */
export class InMemoryPlanRepository implements PlanRepository {
  /** planId → RowKey → row: the same keys as the table, so ranges and order behave the same. */
  private readonly partitions = new Map<string, Map<string, Row>>();
  private lastVersion = 0;

  async listPlans(): Promise<Versioned<Plan>[]> {
    const plans: Versioned<Plan>[] = [];
    for (const partition of this.partitions.values()) {
      const row = partition.get(PLAN_ROW_KEY);
      if (row?.record.kind === 'plan') plans.push(versioned(row.record.value, row.version));
    }
    return plans.sort((a, b) => cmp(a.value.id, b.value.id));
  }

  async getPlan(planId: string): Promise<Versioned<Plan> | undefined> {
    const row = this.partitions.get(planId)?.get(PLAN_ROW_KEY);
    return row?.record.kind === 'plan' ? versioned(row.record.value, row.version) : undefined;
  }

  async listActions(
    planId: string,
    options: ListActionsOptions = {},
  ): Promise<Versioned<Action>[]> {
    const actions: Versioned<Action>[] = [];
    for (const [, row] of this.range(planId, ACTION_RANGE)) {
      if (row.record.kind !== 'action') continue;
      if (options.open && isDone(row.record.value.status)) continue;
      actions.push(versioned(row.record.value, row.version));
    }
    return actions.sort((a, b) => compareRefs(a.value.ref, b.value.ref));
  }

  async getAction(planId: string, ref: string): Promise<Versioned<Action> | undefined> {
    const row = this.partitions.get(planId)?.get(actionRowKey(ref));
    return row?.record.kind === 'action' ? versioned(row.record.value, row.version) : undefined;
  }

  async listAreas(planId: string): Promise<Versioned<Area>[]> {
    const areas: Versioned<Area>[] = [];
    for (const [, row] of this.range(planId, AREA_RANGE)) {
      if (row.record.kind === 'area') areas.push(versioned(row.record.value, row.version));
    }
    return areas;
  }

  async listHistory(planId: string, ref?: string): Promise<HistoryEntry[]> {
    const rows = this.range(planId, ref === undefined ? HISTORY_RANGE : historyRangeOf(ref));
    return rows
      .sort(([a], [b]) => compareHistoryKeys(a, b))
      .flatMap(([, row]) => (row.record.kind === 'history' ? [copy(row.record.value)] : []));
  }

  async latestHistory(planId: string, ref: string, count: number): Promise<HistoryEntry[]> {
    // The keys are newest first, as in the table.
    return this.range(planId, historyRangeOf(ref))
      .slice(0, Math.max(0, count))
      .flatMap(([, row]) => (row.record.kind === 'history' ? [copy(row.record.value)] : []));
  }

  async save(planId: string, changes: PlanChanges, options: SaveOptions = {}): Promise<SaveResult> {
    const writes = keyedWrites(planId, changes);
    const partition = this.partitions.get(planId) ?? new Map<string, Row>();
    // Check every condition before writing anything: a save is all-or-nothing.
    for (const write of writes) {
      const stored = partition.get(write.rowKey);
      const refusal =
        write.mode === 'create' && stored
          ? 'exists'
          : write.mode === 'update' && !stored
            ? 'missing'
            : write.mode === 'update' && stored?.version !== write.version
              ? 'changed'
              : undefined;
      if (refusal) {
        throw new ActionPlanError('conflict', conflictMessage(write.label, refusal));
      }
    }
    const actionVersions = new Map<string, string>();
    for (const write of writes) {
      const version = this.nextVersion();
      partition.set(write.rowKey, { record: copy(write.record), version });
      if (write.record.kind === 'action') actionVersions.set(write.record.value.ref, version);
    }
    if (writes.length > 0) this.partitions.set(planId, partition);
    options.onProgress?.(writes.length, writes.length);
    return { actionVersions };
  }

  async deletePlan(planId: string): Promise<number> {
    const removed = this.partitions.get(planId)?.size ?? 0;
    this.partitions.delete(planId);
    return removed;
  }

  private range(planId: string, range: RowKeyRange): [string, Row][] {
    const partition = this.partitions.get(planId);
    if (!partition) return [];
    return [...partition.entries()]
      .filter(([key]) => key >= range.ge && key < range.lt)
      .sort(([a], [b]) => cmp(a, b));
  }

  private nextVersion(): string {
    this.lastVersion += 1;
    return `mem-${this.lastVersion}`;
  }
}

/**
 * A deep copy that, like a table entity, keeps no `undefined` properties: what a test reads back
 * from here is what it would read back from Azure.
 */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const versioned = <T>(value: T, version: string): Versioned<T> => ({
  value: copy(value),
  version,
});

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
