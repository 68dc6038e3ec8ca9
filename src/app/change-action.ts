import { normaliseRef } from '../domain/action-ref.js';
import { ActionPlanError, isActionPlanError } from '../domain/errors.js';
import type { Action, HistoryEntry, Versioned } from '../domain/plan.js';
import { fieldChanges, type FieldChange } from '../domain/plan-import.js';
import type { AppDeps } from './deps.js';

export interface ActionChange {
  readonly planId: string;
  readonly ref: string;
  /** Email/UPN of the person, or the tool ("cli"). */
  readonly by: string;
  readonly note?: string;
  /**
   * Applies the change to the action as it is now. Called again with the fresh action when
   * someone else changed it in between, so it must decide from what it is given, not from what
   * the caller saw earlier; throw an ActionPlanError when the change no longer makes sense.
   */
  readonly apply: (current: Action) => Action;
}

export interface ActionChangeResult {
  readonly action: Versioned<Action>;
  readonly changes: readonly FieldChange[];
  /** How many times the change was re-applied after a conflicting write. */
  readonly retries: number;
}

/**
 * Under heavy contention (twenty people pressing one card at once) each writer may lose several
 * races; a short random pause before re-reading spreads them out so every change gets its turn.
 */
const MAX_ATTEMPTS = 25;
const backoff = (attempt: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.random() * 10 * 2 ** Math.min(attempt, 5)));

/**
 * Changes one action with its history in one atomic write, conditional on the version read.
 * On a conflict it re-reads and re-applies, so concurrent changes are never lost; every change
 * lands in the history with who, when, from → to and the note.
 */
export async function changeAction(
  deps: AppDeps,
  change: ActionChange,
): Promise<ActionChangeResult> {
  const ref = normaliseRef(change.ref);
  if (!ref)
    throw new ActionPlanError(
      'invalid_input',
      `"${change.ref}" is not an action ref (like 1.1 or 4.9a).`,
    );
  for (let attempt = 0; ; attempt++) {
    const current = await deps.plans.getAction(change.planId, ref);
    if (!current) throw new ActionPlanError('not_found', `There is no action ${ref} in this plan.`);
    const at = deps.clock.now().toISOString();
    const next = change.apply(current.value);
    const diff = fieldChanges(current.value, next);
    if (diff.length === 0) return { action: current, changes: [], retries: attempt };
    const updated: Action = { ...next, updatedAt: at, updatedBy: change.by };
    const history: HistoryEntry[] = diff.map((c) => ({
      planId: change.planId,
      ref,
      at,
      by: change.by,
      kind: 'changed',
      field: c.field,
      from: c.from,
      to: c.to,
      ...(change.note ? { note: change.note } : {}),
    }));
    try {
      await deps.plans.save(change.planId, {
        actions: [{ value: updated, expectedVersion: current.version }],
        history,
      });
    } catch (e) {
      if (isActionPlanError(e, 'conflict') && attempt + 1 < MAX_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      throw e;
    }
    const saved = await deps.plans.getAction(change.planId, ref);
    return { action: saved ?? { value: updated, version: '' }, changes: diff, retries: attempt };
  }
}
