import { z } from 'zod';
import { planSettingsField } from './plan-settings.js';
import { priorityField } from './priority.js';
import { anyText, instant, isoDay, list, record, someText } from './record-fields.js';
import { statusField } from './status.js';
import { targetField } from './target.js';

/**
 * The plan's stored records, each defined once as a schema (record-fields.ts): the types below
 * are inferred from them, storage maps them by them and a backup is checked by them. A new field
 * is one line here (optional, unless every stored record already has it).
 */

export const DEFAULT_TIME_ZONE = 'Europe/London';

/** A plan's id (import makes it short and URL-safe: plan-import.ts `isPlanId`). */
const planId = someText;

/** An action's ref (import makes it canonical: action-ref.ts `normaliseRef`). */
const ref = someText;

export const recommendationRecord = record({
  /** "1".."n", as the plan numbers them. */
  number: anyText,
  text: anyText,
});
export type Recommendation = z.infer<typeof recommendationRecord>;

/** One action plan: what an Information Management Assessment (or any audit) asked for. */
export const planRecord = record({
  /** Short, URL-safe id chosen at import ("moj-ima-2017"). */
  id: planId,
  title: anyText,
  /** The label of the last "Progress update – <Month Year>" the plan carries, e.g. "May 2017". */
  progressUpdate: anyText,
  /** IANA time zone used for every "today" of this plan. */
  timeZone: someText,
  recommendations: list(recommendationRecord),
  createdAt: instant,
  updatedAt: instant,
  /** The plan's own choices (reminders…); absent or partial means the defaults (plan-settings.ts). */
  settings: planSettingsField.optional(),
});
export type Plan = z.infer<typeof planRecord>;

export const actionSnoozeRecord = record({
  /** YYYY-MM-DD in the plan's time zone: the day reminders come back. */
  until: isoDay,
  /** ISO instant it was asked for. */
  at: instant,
  /** Email/UPN of who asked. */
  by: anyText,
});
export type ActionSnooze = z.infer<typeof actionSnoozeRecord>;

export const proposedTargetRecord = record({
  /** YYYY-MM-DD: the proposed target date. */
  date: isoDay,
  /** Why the date needs to move, as typed (trimmed). */
  reason: anyText,
  /** Email/UPN of who proposed it. */
  by: anyText,
  /** ISO instant it was proposed. */
  at: instant,
});
export type ProposedTarget = z.infer<typeof proposedTargetRecord>;

export const actionRecord = record({
  planId,
  /** "1.1", "4.9a": unique within the plan. */
  ref,
  recommendation: anyText,
  text: anyText,
  priority: priorityField,
  target: targetField,
  status: statusField,
  /** Owners by email or UPN, lower-cased. */
  owners: list(anyText),
  /** The business area (e.g. "HMPPS"), if assigned. */
  area: anyText.optional(),
  /** The latest progress note, if any (every note is also in the history). */
  note: anyText.optional(),
  /**
   * "Remind me later", pressed on the action's card (src/app/card-actions/snooze): the owners hear
   * nothing about this action until `until`. For the reminder policy: this is its
   * `Snooze` without the ref — `{ ref: action.ref, ...action.snooze }`. A later snooze replaces
   * it; an old one (`until` in the past) is harmless and stays as a record.
   */
  snooze: actionSnoozeRecord.optional(),
  /**
   * A new target date an owner proposed from the card, waiting for the area's KIM Champion to
   * approve or decline it (only on plans whose `settings.newDatesNeedApproval` is set; otherwise
   * the owner moves the target at once). Cleared by the decision.
   */
  proposedTarget: proposedTargetRecord.optional(),
  /**
   * When the status last changed (ISO instant), absent while it never has: the reminders'
   * overdue count restarts from it without reading the history. Storage keeps it in step with
   * the status history written in the same save (`withStatusChange`), so no use case sets it.
   */
  statusChangedAt: instant.optional(),
  updatedAt: instant,
  updatedBy: anyText,
});
export type Action = z.infer<typeof actionRecord>;

/** A business area with its KIM Champion(s). */
export const areaRecord = record({
  planId,
  name: someText,
  /** Champions by email or UPN, lower-cased. */
  champions: list(anyText),
});
export type Area = z.infer<typeof areaRecord>;

export const HISTORY_KINDS = ['created', 'changed', 'refused'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * One append-only entry in an action's history: who did what, when, from → to, with a note.
 * A change to several fields at once is several entries with the same `at` and `by`.
 */
export const historyRecord = record({
  planId,
  ref,
  /** ISO 8601 instant. */
  at: instant,
  /** Email/UPN of the person, or "import:<file>" / "cli" for tools. */
  by: anyText,
  kind: z.enum(HISTORY_KINDS, { error: `is not one of ${HISTORY_KINDS.join(', ')}` }),
  /** The field that changed ("status", "target", "owners", …), absent for "created". */
  field: anyText.optional(),
  from: anyText.optional(),
  to: anyText.optional(),
  note: anyText.optional(),
});
export type HistoryEntry = z.infer<typeof historyRecord>;

/**
 * The action with `statusChangedAt` brought up to the last status change among `history` (the
 * entries written with it), or as it was when none of them changes its status.
 */
export function withStatusChange(action: Action, history: readonly HistoryEntry[]): Action {
  let last: HistoryEntry | undefined;
  for (const h of history) {
    if (h.ref !== action.ref || h.kind !== 'changed' || h.field !== 'status') continue;
    if (!last || Date.parse(h.at) >= Date.parse(last.at)) last = h;
  }
  return last ? { ...action, statusChangedAt: last.at } : action;
}

/** A stored value with the version (ETag) it was read at, for conditional updates. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: string;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (s: string): boolean => EMAIL.test(s.trim());
