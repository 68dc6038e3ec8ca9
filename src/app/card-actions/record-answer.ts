import { ActionPlanError, isActionPlanError } from '../../domain/errors.js';
import type { Action, HistoryEntry, Versioned } from '../../domain/plan.js';
import type { AppDeps } from '../deps.js';
import { OneAtATime } from './one-at-a-time.js';

/** The history entry of one answer, without what recordAnswer fills in. */
export type AnswerEntry = Omit<HistoryEntry, 'planId' | 'ref' | 'at' | 'by' | 'kind'>;

export interface AnswerChange {
  readonly planId: string;
  readonly ref: string;
  /** Email/UPN of who pressed. */
  readonly by: string;
  /** The action as the caller just read it: the first attempt starts from it (one read fewer). */
  readonly read?: Versioned<Action>;
  /**
   * Decides the answer from the action as it is now: the changed action (absent: the action is
   * left as it is, only the history grows) and the one history entry that records the answer.
   * Called again with the fresh action after a conflicting write, so it must decide from what it
   * is given; it throws an ActionPlanError when the answer no longer makes sense or is no longer
   * allowed (the presser stopped being an owner, someone else already decided a proposal).
   */
  readonly apply: (current: Action) => { readonly action?: Action; readonly entry: AnswerEntry };
}

export interface RecordedAnswer {
  /** The action as it was when the answer was applied (after any lost races). */
  readonly before: Action;
  /** The action after the answer, with its new version. */
  readonly action: Versioned<Action>;
  readonly entry: HistoryEntry;
  /** How many times the answer was re-applied after someone else's write won a race. */
  readonly retries: number;
}

/**
 * Twenty people pressing one card at once each lose several races; a short random pause before
 * re-reading spreads them out so every answer gets its turn (the same policy as changeAction).
 */
const MAX_ATTEMPTS = 25;
const backoff = (attempt: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.random() * 10 * 2 ** Math.min(attempt, 5)));

/** Answers to one action in this process, written in the order they come. */
const queue = new OneAtATime();

/**
 * Records one card answer: the action's change and exactly one history entry, in one atomic
 * write conditional on the version read. Within this process answers to one action are written
 * one at a time, in the order they come; a write that still loses a race (another instance got
 * there first) re-reads and re-applies, so answers pressed at the same moment are all kept, in
 * the order they were written.
 *
 * Why not changeAction: it writes one entry per changed field and nothing when no field changes,
 * and it compares only the fields an import knows. An answer is always exactly one entry — an
 * owner confirming "still in progress" is an answer too, and must not vanish from the history —
 * and a snooze or a proposal changes fields no import has.
 *
 * Each entry's time is after the action's last change, even when clocks agree to the millisecond,
 * so the history of an action is in the order its writes happened and its last status entry is
 * the action's status.
 */
export function recordAnswer(deps: AppDeps, change: AnswerChange): Promise<RecordedAnswer> {
  return queue.run(`${change.planId}|${change.ref}`, (waited) =>
    write(deps, change, waited ? undefined : change.read),
  );
}

async function write(
  deps: AppDeps,
  change: AnswerChange,
  read: Versioned<Action> | undefined,
): Promise<RecordedAnswer> {
  for (let attempt = 0; ; attempt++) {
    const current =
      attempt === 0 && read ? read : await deps.plans.getAction(change.planId, change.ref);
    if (!current) {
      throw new ActionPlanError('not_found', `There is no action ${change.ref} in this plan.`);
    }
    const at = entryTime(current.value.updatedAt, deps.clock.now());
    const answer = change.apply(current.value);
    const entry: HistoryEntry = {
      planId: change.planId,
      ref: change.ref,
      at,
      by: change.by,
      kind: 'changed',
      ...answer.entry,
    };
    if (!answer.action) {
      // Nothing on the action changes (a "not mine"): the entry is appended, no race to lose.
      await deps.plans.save(change.planId, { history: [entry] });
      return { before: current.value, action: current, entry, retries: attempt };
    }
    const updated: Action = { ...answer.action, updatedAt: at, updatedBy: change.by };
    try {
      await deps.plans.save(change.planId, {
        actions: [{ value: updated, expectedVersion: current.version }],
        history: [entry],
      });
    } catch (e) {
      if (isActionPlanError(e, 'conflict') && attempt + 1 < MAX_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      throw e;
    }
    const saved = await deps.plans.getAction(change.planId, change.ref);
    return {
      before: current.value,
      action: saved ?? { value: updated, version: '' },
      entry,
      retries: attempt,
    };
  }
}

/**
 * The time for a new history entry of an action last changed at `previous`: `now`, or a
 * millisecond after `previous` when the clock has not moved past it.
 */
export function entryTime(previous: string, now: Date): string {
  const last = Date.parse(previous);
  return Number.isNaN(last) || now.getTime() > last
    ? now.toISOString()
    : new Date(last + 1).toISOString();
}
