import type { PlanSettings } from './plan-settings.js';
import type { Priority } from './priority.js';
import type { Status } from './status.js';
import type { Target } from './target.js';

export const DEFAULT_TIME_ZONE = 'Europe/London';

export interface Recommendation {
  /** "1".."n", as the plan numbers them. */
  readonly number: string;
  readonly text: string;
}

/** One action plan: what an Information Management Assessment (or any audit) asked for. */
export interface Plan {
  /** Short, URL-safe id chosen at import ("moj-ima-2017"). */
  readonly id: string;
  readonly title: string;
  /** The label of the last "Progress update – <Month Year>" the plan carries, e.g. "May 2017". */
  readonly progressUpdate: string;
  /** IANA time zone used for every "today" of this plan. */
  readonly timeZone: string;
  readonly recommendations: readonly Recommendation[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The plan's own choices (reminders…); absent or partial means the defaults (plan-settings.ts). */
  readonly settings?: PlanSettings;
}

export interface Action {
  readonly planId: string;
  /** "1.1", "4.9a": unique within the plan. */
  readonly ref: string;
  readonly recommendation: string;
  readonly text: string;
  readonly priority: Priority;
  readonly target: Target;
  readonly status: Status;
  /** Owners by email or UPN, lower-cased. */
  readonly owners: readonly string[];
  /** The business area (e.g. "HMPPS"), if assigned. */
  readonly area?: string;
  /** The latest progress note, if any (every note is also in the history). */
  readonly note?: string;
  /**
   * "Remind me later", pressed on the action's card (src/app/card-actions/snooze): the owners hear
   * nothing about this action until `until`. For the reminder policy (issue 4): this is its
   * `Snooze` without the ref — `{ ref: action.ref, ...action.snooze }`. A later snooze replaces
   * it; an old one (`until` in the past) is harmless and stays as a record.
   */
  readonly snooze?: ActionSnooze;
  /**
   * A new target date an owner proposed from the card, waiting for the area's KIM Champion to
   * approve or decline it (only on plans whose `settings.newDatesNeedApproval` is set; otherwise
   * the owner moves the target at once). Cleared by the decision.
   */
  readonly proposedTarget?: ProposedTarget;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface ActionSnooze {
  /** YYYY-MM-DD in the plan's time zone: the day reminders come back. */
  readonly until: string;
  /** ISO instant it was asked for. */
  readonly at: string;
  /** Email/UPN of who asked. */
  readonly by: string;
}

export interface ProposedTarget {
  /** YYYY-MM-DD: the proposed target date. */
  readonly date: string;
  /** Why the date needs to move, as typed (trimmed). */
  readonly reason: string;
  /** Email/UPN of who proposed it. */
  readonly by: string;
  /** ISO instant it was proposed. */
  readonly at: string;
}

/** A business area with its KIM Champion(s). */
export interface Area {
  readonly planId: string;
  readonly name: string;
  /** Champions by email or UPN, lower-cased. */
  readonly champions: readonly string[];
}

export type HistoryKind = 'created' | 'changed' | 'refused';

/**
 * One append-only entry in an action's history: who did what, when, from → to, with a note.
 * A change to several fields at once is several entries with the same `at` and `by`.
 */
export interface HistoryEntry {
  readonly planId: string;
  readonly ref: string;
  /** ISO 8601 instant. */
  readonly at: string;
  /** Email/UPN of the person, or "import:<file>" / "cli" for tools. */
  readonly by: string;
  readonly kind: HistoryKind;
  /** The field that changed ("status", "target", "owners", …), absent for "created". */
  readonly field?: string;
  readonly from?: string;
  readonly to?: string;
  readonly note?: string;
}

/** A stored value with the version (ETag) it was read at, for conditional updates. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: string;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (s: string): boolean => EMAIL.test(s.trim());
