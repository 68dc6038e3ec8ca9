import { ActionPlanError, isActionPlanError } from '../../domain/errors.js';
import type { Action, HistoryEntry, Versioned } from '../../domain/plan.js';
import { currentTurn, runInTurn, runOutsideTurn, type Turn } from '../../ports/turn-deadline.js';
import type { AppDeps } from '../deps.js';

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
  /** The action as it was just before this answer was applied (after any lost races). */
  readonly before: Action;
  /** The action as written, with its new version: after this answer and any in its group. */
  readonly action: Versioned<Action>;
  readonly entry: HistoryEntry;
  /** Every entry written with this one (its group, this one included), in arrival order. */
  readonly entries: readonly HistoryEntry[];
  /** The version of the action the group was applied to. */
  readonly from: string;
  /** How many times the answer was re-applied after someone else's write won a race. */
  readonly retries: number;
}

/**
 * Answers that lose a race against another instance re-read and re-apply; a short random pause
 * before re-reading spreads out instances that keep colliding (the same policy as changeAction).
 */
const MAX_ATTEMPTS = 25;
const backoff = (attempt: number): Promise<void> =>
  new Promise((done) => setTimeout(done, Math.random() * 10 * 2 ** Math.min(attempt, 5)));

/**
 * At most this many answers go in one write: each is a history entry, and the action is one
 * more operation of Table Storage's 100 in a transaction.
 */
export const MAX_GROUP = 99;

/**
 * Records one card answer: the action's change and exactly one history entry, atomically,
 * conditional on the version read. Within this process, answers to one action that arrive while
 * one is being written wait for it and are then written together (group commit): one transaction
 * of the action and every waiting answer's entry, each applied in arrival order to the action as
 * the one before left it, so nothing is lost and nothing reordered, and twenty presses at once
 * cost two writes, not twenty. A write that loses a race (another instance got there first)
 * re-reads the action and re-applies its whole group; an answer that no longer makes sense on the
 * fresh action is refused alone, the rest written.
 *
 * Why not changeAction: it writes one entry per changed field and nothing when no field changes,
 * and it compares only the fields an import knows. An answer is always exactly one entry — an
 * owner confirming "still in progress" is an answer too, and must not vanish from the history —
 * and a snooze or a proposal changes fields no import has.
 *
 * A group's entries share one time, after the action's last change even when clocks agree to
 * the millisecond; their keys keep their arrival order (storage/history-keys.ts), so the last
 * status entry of an action is its status.
 */
export function recordAnswer(deps: AppDeps, change: AnswerChange): Promise<RecordedAnswer> {
  return groups.submit(deps, change);
}

interface Waiting {
  readonly change: AnswerChange;
  /** The turn the answer is part of: its time limit, and where to say a write was sent. */
  readonly turn: Turn | undefined;
  readonly resolve: (answer: RecordedAnswer) => void;
  readonly reject: (error: unknown) => void;
}

class AnswerGroups {
  /** Per action: the answers waiting; present while a write of that action is under way. */
  private readonly waiting = new Map<string, Waiting[]>();

  submit(deps: AppDeps, change: AnswerChange): Promise<RecordedAnswer> {
    const key = `${change.planId}|${change.ref}`;
    return new Promise<RecordedAnswer>((resolve, reject) => {
      const waiting: Waiting = { change, turn: currentTurn(), resolve, reject };
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push(waiting);
        return;
      }
      this.waiting.set(key, [waiting]);
      // In no one's turn: each group sets its own time limit (writeGroup).
      void runOutsideTurn(() => this.drain(deps, key));
    });
  }

  /** Writes the answers of one action group by group until none is waiting. Never rejects. */
  private async drain(deps: AppDeps, key: string): Promise<void> {
    // What this process last wrote: the next group starts from it rather than a read.
    let known: Versioned<Action> | undefined;
    for (;;) {
      const queue = this.waiting.get(key)!;
      if (queue.length === 0) {
        this.waiting.delete(key);
        return;
      }
      const group = queue.splice(0, MAX_GROUP).filter(inTime);
      if (group.length === 0) continue;
      // The group's reads and write have as long as its most patient member's turn allows.
      const turn = groupTurn(group);
      const start = known ?? group[0]!.change.read;
      known = await (turn
        ? runInTurn(turn, () => writeGroup(deps, group, start))
        : writeGroup(deps, group, start));
    }
  }
}

/** Answers to one action in this process: a write under way, and the answers waiting for it. */
const groups = new AnswerGroups();

/**
 * Whether an answer may still be written: one whose turn ran out while it waited was answered
 * already ("nothing has changed"), so it is refused here and never written.
 */
function inTime(w: Waiting): boolean {
  if (!w.turn || Date.now() < w.turn.storageBy) return true;
  w.reject(
    new ActionPlanError(
      'storage_unavailable',
      'Storage took too long to answer, so this answer was not written.',
    ),
  );
  return false;
}

/** The turn a group's storage requests run in: the latest of its members' (none if one has none). */
function groupTurn(group: readonly Waiting[]): Turn | undefined {
  if (group.some((w) => !w.turn)) return undefined;
  const storageBy = Math.max(...group.map((w) => w.turn!.storageBy));
  return { storageBy, writing: false };
}

interface Applied {
  readonly waiting: Waiting;
  readonly before: Action;
  readonly entry: HistoryEntry;
}

/**
 * Writes one group: every answer applied in turn, then the action and all their entries in one
 * transaction. Settles every answer of the group; answers the action as written (undefined when
 * the write failed and what is stored is not known).
 */
async function writeGroup(
  deps: AppDeps,
  group: readonly Waiting[],
  start: Versioned<Action> | undefined,
): Promise<Versioned<Action> | undefined> {
  const { planId, ref } = group[0]!.change;
  let pending = group;
  for (let attempt = 0; ; attempt++) {
    let current: Versioned<Action> | undefined;
    try {
      current = attempt === 0 && start ? start : await deps.plans.getAction(planId, ref);
    } catch (error) {
      for (const w of pending) w.reject(error);
      return undefined;
    }
    if (!current) {
      const gone = new ActionPlanError('not_found', `There is no action ${ref} in this plan.`);
      for (const w of pending) w.reject(gone);
      return undefined;
    }
    const at = entryTime(current.value.updatedAt, deps.clock.now());
    let action = current.value;
    let changed = false;
    const applied: Applied[] = [];
    for (const w of pending) {
      let answer: ReturnType<AnswerChange['apply']>;
      try {
        answer = w.change.apply(action);
      } catch (error) {
        // No longer makes sense, or no longer allowed: this answer alone is refused.
        w.reject(error);
        continue;
      }
      applied.push({
        waiting: w,
        before: action,
        entry: { planId, ref, at, by: w.change.by, kind: 'changed', ...answer.entry },
      });
      if (answer.action) {
        action = { ...answer.action, updatedAt: at, updatedBy: w.change.by };
        changed = true;
      }
    }
    if (applied.length === 0) return current;
    const entries = applied.map((a) => a.entry);
    let version = current.version;
    // From here on each member's answer may be stored, whatever the outcome looks like to us.
    for (const a of applied) if (a.waiting.turn) a.waiting.turn.writing = true;
    try {
      if (changed) {
        const saved = await deps.plans.save(planId, {
          actions: [{ value: action, expectedVersion: current.version }],
          history: entries,
        });
        version = saved.actionVersions.get(ref) ?? '';
      } else {
        // Nothing on the action changes (a "not mine"): the entries are appended, no race to lose.
        await deps.plans.save(planId, { history: entries });
      }
    } catch (error) {
      if (isActionPlanError(error, 'conflict') && attempt + 1 < MAX_ATTEMPTS) {
        await backoff(attempt);
        pending = applied.map((a) => a.waiting);
        continue;
      }
      for (const a of applied) a.waiting.reject(error);
      return undefined;
    }
    const written: Versioned<Action> =
      version !== ''
        ? { value: action, version }
        : ((await reread(deps, planId, ref)) ?? { value: action, version });
    for (const a of applied) {
      a.waiting.resolve({
        before: a.before,
        action: written,
        entry: a.entry,
        entries,
        from: current.version,
        retries: attempt,
      });
    }
    return written;
  }
}

/** The action as stored, when a write did not say its new version. */
const reread = (deps: AppDeps, planId: string, ref: string) =>
  deps.plans.getAction(planId, ref).catch(() => undefined);

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
