import type { Action, Area, HistoryEntry, Plan, Versioned } from '../domain/plan.js';

/**
 * How a write relates to what is stored:
 * - `undefined`: write whatever is there (upsert);
 * - `null`: the record must not exist yet (create);
 * - a version string: the record must still be at that version (ETag), else `conflict`.
 */
export type ExpectedVersion = string | null | undefined;

export interface Put<T> {
  readonly value: T;
  readonly expectedVersion?: ExpectedVersion;
}

/** Everything one use case writes to one plan in one go. */
export interface PlanChanges {
  readonly plan?: Put<Plan>;
  readonly actions?: readonly Put<Action>[];
  readonly areas?: readonly Put<Area>[];
  /** Appended, never replaced. */
  readonly history?: readonly HistoryEntry[];
}

export interface ListActionsOptions {
  /** Only the actions still open: not complete, not closed. */
  readonly open?: boolean;
}

/** What a save wrote that a caller may need next. */
export interface SaveResult {
  /** The new version of each action the save wrote, by ref: no read-back needed to know it. */
  readonly actionVersions: ReadonlyMap<string, string>;
}

export interface SaveOptions {
  /**
   * Told how many of the save's records are written so far, out of how many: after each storage
   * transaction in Azure, once at the end in memory. For progress bars on long imports and restores.
   */
  readonly onProgress?: (written: number, total: number) => void;
}

/**
 * Plans, their actions, areas and the append-only action history.
 *
 * `save` is all-or-nothing when the changes fit in one storage transaction (up to 100 records in
 * Azure Table Storage, so any single-action update with its history, and the import of a plan of up
 * to 98 actions). Larger sets are written in batches: each action with its own history entries in
 * the same batch, the plan record last, so an interrupted write leaves every action either old or
 * new with matching history, and the plan record still at its old version; re-running the same
 * import finishes the job. A version mismatch throws ActionPlanError('conflict'); storage that
 * does not answer throws ActionPlanError('storage_unavailable').
 */
export interface PlanRepository {
  listPlans(): Promise<Versioned<Plan>[]>;
  getPlan(planId: string): Promise<Versioned<Plan> | undefined>;
  /**
   * The plan's actions in ref order; with `open`, only those not yet done (neither complete nor
   * closed), filtered by storage so that a sweep reads only what it may remind about.
   */
  listActions(planId: string, options?: ListActionsOptions): Promise<Versioned<Action>[]>;
  getAction(planId: string, ref: string): Promise<Versioned<Action> | undefined>;
  listAreas(planId: string): Promise<Versioned<Area>[]>;
  /** History in the order it happened; one action's when `ref` is given, else the whole plan's. */
  listHistory(planId: string, ref?: string): Promise<HistoryEntry[]>;
  /**
   * The latest `count` entries of one action's history, newest first: what its card shows. Reads
   * those entries alone (a key range), however long the history has grown.
   */
  latestHistory(planId: string, ref: string, count: number): Promise<HistoryEntry[]>;
  save(planId: string, changes: PlanChanges, options?: SaveOptions): Promise<SaveResult>;
  /**
   * Removes a plan and everything stored under it (actions, areas, history); answers how many
   * records went. Only a forced restore does this: nothing in the bot deletes a plan. The plan
   * record goes last, so an interrupted removal leaves the plan listed, and running it again
   * finishes the job. Removing a plan that is not there removes nothing.
   */
  deletePlan(planId: string): Promise<number>;
}
