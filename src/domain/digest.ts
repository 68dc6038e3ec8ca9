import { DateTime } from 'luxon';
import { compareRefs } from './action-ref.js';
import type { Action, HistoryEntry, Plan } from './plan.js';
import type { DigestSchedule } from './plan-settings.js';
import {
  progressByRecommendation,
  summariseProgress,
  type ProgressSummary,
  type RecommendationProgress,
} from './progress.js';
import { isDone, parseStatus } from './status.js';

export type { DigestSchedule };

/** The product guide's default: Monday at 09:00 in the plan's time zone. */
export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { weekday: 1, sendAt: '09:00' };

/** How far ahead the digest looks for actions coming due. */
export const DIGEST_DUE_SOON_DAYS = 14;

/**
 * A digest sent more than this after its slot says it is late (the bot was down, or the sweep
 * could not run): the scheduler looks every few minutes, so an on-time digest is well inside it.
 */
export const LATE_AFTER_MS = 60 * 60 * 1000;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A plan's digest schedule: its own choice over the default. */
export function digestScheduleOf(plan: Pick<Plan, 'settings'>): DigestSchedule {
  const own = plan.settings?.digest ?? {};
  const weekday =
    own.weekday !== undefined &&
    Number.isInteger(own.weekday) &&
    own.weekday >= 1 &&
    own.weekday <= 7
      ? own.weekday
      : DEFAULT_DIGEST_SCHEDULE.weekday;
  const sendAt =
    own.sendAt !== undefined && HH_MM.test(own.sendAt)
      ? own.sendAt
      : DEFAULT_DIGEST_SCHEDULE.sendAt;
  return { weekday, sendAt };
}

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/** "Monday" → 1 … "sun" → 7; undefined when it is not a day of the week. */
export function parseWeekday(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t.length < 3) return undefined;
  const i = WEEKDAYS.findIndex((d) => d.startsWith(t));
  return i >= 0 ? i + 1 : undefined;
}

/** What is wrong with a digest schedule, in words; empty when nothing is. */
export function digestScheduleProblems(s: Partial<DigestSchedule>): string[] {
  const problems: string[] = [];
  if (
    s.weekday !== undefined &&
    !(Number.isInteger(s.weekday) && s.weekday >= 1 && s.weekday <= 7)
  ) {
    problems.push('The digest day must be a day of the week, such as Monday.');
  }
  if (s.sendAt !== undefined && !HH_MM.test(s.sendAt)) {
    problems.push(
      `The digest time must be HH:MM on a 24-hour clock (such as 09:00), not "${s.sendAt}".`,
    );
  }
  return problems;
}

/** One weekly slot: the day (YYYY-MM-DD in the plan's zone) and the instant it falls due. */
export interface DigestSlot {
  readonly day: string;
  readonly at: Date;
}

/**
 * The latest digest slot at or before `now`: this week's when its day and time have come, else
 * last week's. A slot's instant is its local time in the plan's zone (09:00 London is 09:00 GMT
 * in winter and 08:00 UTC in summer); a local time skipped by a clock change moves forward.
 */
export function latestDigestSlot(
  timeZone: string,
  schedule: DigestSchedule,
  now: Date,
): DigestSlot {
  const [hour, minute] = schedule.sendAt.split(':').map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const back = (local.weekday - schedule.weekday + 7) % 7;
  let slot = local.minus({ days: back }).set({ hour, minute, second: 0, millisecond: 0 });
  if (slot.toMillis() > now.getTime()) slot = slot.minus({ weeks: 1 });
  return { day: slot.toISODate() ?? '', at: slot.toJSDate() };
}

/** A change someone made in the week, for "what changed this week". */
export interface DigestChange {
  readonly ref: string;
  readonly at: string;
  readonly by: string;
  readonly field: string;
  readonly from?: string;
  readonly to?: string;
}

/** What a digest says: the picture on the day, and the week's changes from history. */
export interface Digest {
  /** The instant the digest is about (the slot, or now for a preview). */
  readonly asOf: string;
  /** YYYY-MM-DD of the first day of the week covered (seven days before asOf, plan's zone). */
  readonly weekFrom: string;
  readonly summary: ProgressSummary;
  readonly recommendations: readonly RecommendationProgress[];
  /** Changes made in the week, newest first (not the import's creation of actions). */
  readonly changes: readonly DigestChange[];
  /** Actions moved to complete or closed during the week, and done now, in ref order. */
  readonly completed: readonly Action[];
  /** How many different people changed something in the week. */
  readonly changedBy: number;
}

export interface DigestInput {
  readonly plan: Pick<Plan, 'timeZone' | 'recommendations'>;
  readonly actions: readonly Action[];
  /** The plan's history (any order); entries outside the week are ignored. */
  readonly history: readonly HistoryEntry[];
  readonly asOf: Date;
  /** Lower-cased emails of the people the bot can message. */
  readonly reachable: ReadonlySet<string>;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Composes the weekly digest as of an instant: overall progress and RAG, progress per
 * recommendation, overdue, due in the next 14 days, no owner, owners the bot cannot reach, and
 * from history the week before `asOf` (asOf − 7 days ≤ at < asOf): who changed what, and what was
 * completed. Pure: the same input gives the same digest on any machine.
 */
export function composeDigest(input: DigestInput): Digest {
  const { plan, actions, asOf } = input;
  const summary = summariseProgress(plan, actions, asOf, input.reachable, DIGEST_DUE_SOON_DAYS);
  const to = asOf.getTime();
  const from = to - WEEK_MS;
  const inWeek = input.history.filter((h) => {
    const t = Date.parse(h.at);
    return t >= from && t < to && h.kind === 'changed';
  });
  const changes = inWeek
    .map((h) => ({
      ref: h.ref,
      at: h.at,
      by: h.by,
      field: h.field ?? 'change',
      ...(h.from !== undefined ? { from: h.from } : {}),
      ...(h.to !== undefined ? { to: h.to } : {}),
    }))
    .sort((a, b) => b.at.localeCompare(a.at) || compareRefs(a.ref, b.ref));
  const byRef = new Map(actions.map((a) => [a.ref, a]));
  const completedRefs = new Set(
    inWeek
      .filter((h) => h.field === 'status' && isDoneText(h.to) && !isDoneText(h.from))
      .map((h) => h.ref),
  );
  const completed = [...completedRefs]
    .flatMap((ref) => {
      const a = byRef.get(ref);
      return a && isDone(a.status) ? [a] : [];
    })
    .sort((a, b) => compareRefs(a.ref, b.ref));
  return {
    asOf: asOf.toISOString(),
    weekFrom: DateTime.fromMillis(from, { zone: plan.timeZone }).toISODate() ?? '',
    summary,
    recommendations: progressByRecommendation(plan.recommendations, actions),
    changes,
    completed,
    changedBy: new Set(changes.map((c) => c.by.toLowerCase())).size,
  };
}

function isDoneText(text: string | undefined): boolean {
  const s = text === undefined ? undefined : parseStatus(text);
  return s !== undefined && isDone(s);
}
