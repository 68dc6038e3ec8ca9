import { compareRefs } from './action-ref.js';
import { daysBetween, isOverdue, todayIn } from './calendar.js';
import type { Action, Plan, Recommendation } from './plan.js';
import { normaliseEmail } from './plan.js';
import { ragOf, type Rag } from './rag.js';
import { isDone, type Status } from './status.js';

/** How many actions are in each status, and how many are done (complete + closed). */
export type StatusCounts = Readonly<Record<Status, number>> & {
  readonly total: number;
  readonly done: number;
  /** Whole percent done, rounded; 0 when there are no actions. */
  readonly percentDone: number;
};

export function countByStatus(actions: readonly Pick<Action, 'status'>[]): StatusCounts {
  const counts: Record<Status, number> = {
    not_started: 0,
    in_progress: 0,
    blocked: 0,
    complete: 0,
    closed: 0,
  };
  for (const a of actions) counts[a.status] += 1;
  const total = actions.length;
  const done = counts.complete + counts.closed;
  return { ...counts, total, done, percentDone: percentOf(done, total) };
}

/** Rounded whole percent; never 100 until everything is done, never 0 once anything is. */
export function percentOf(part: number, whole: number): number {
  if (whole <= 0 || part <= 0) return 0;
  if (part >= whole) return 100;
  return Math.min(99, Math.max(1, Math.round((part / whole) * 100)));
}

export interface RecommendationProgress {
  readonly number: string;
  /** The recommendation's text, or '' for actions whose recommendation the plan does not list. */
  readonly text: string;
  readonly counts: StatusCounts;
}

/**
 * Progress per recommendation, in the plan's order; a recommendation with no actions still shows
 * (at 0 of 0), and actions under a number the plan does not list get a row of their own at the end
 * rather than vanishing from the totals.
 */
export function progressByRecommendation(
  recommendations: readonly Recommendation[],
  actions: readonly Pick<Action, 'recommendation' | 'status'>[],
): RecommendationProgress[] {
  const listed = recommendations.map((r) => ({
    number: r.number,
    text: r.text,
    counts: countByStatus(actions.filter((a) => a.recommendation === r.number)),
  }));
  const known = new Set(recommendations.map((r) => r.number));
  const others = [...new Set(actions.map((a) => a.recommendation))]
    .filter((n) => !known.has(n))
    .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
    .map((number) => ({
      number,
      text: '',
      counts: countByStatus(actions.filter((a) => a.recommendation === number)),
    }));
  return [...listed, ...others];
}

/** Where an action stands against its target, on a given day. */
export type Dueness =
  | { readonly kind: 'done' }
  | { readonly kind: 'ongoing' }
  | { readonly kind: 'unresolved' }
  | { readonly kind: 'overdue'; readonly days: number }
  | { readonly kind: 'due'; readonly days: number };

export function dueness(action: Pick<Action, 'target' | 'status'>, today: string): Dueness {
  if (isDone(action.status)) return { kind: 'done' };
  const t = action.target;
  if (t.kind === 'ongoing') return { kind: 'ongoing' };
  if (t.kind === 'unresolved') return { kind: 'unresolved' };
  const days = daysBetween(today, t.date);
  return days < 0 ? { kind: 'overdue', days: -days } : { kind: 'due', days };
}

const days = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;

/** "due in 7 days", "due today", "3 days overdue", "ongoing": how the bot says it. */
export function describeDueness(d: Dueness): string {
  switch (d.kind) {
    case 'done':
      return 'done';
    case 'ongoing':
      return 'ongoing';
    case 'unresolved':
      return 'no target date';
    case 'overdue':
      return `${days(d.days)} overdue`;
    case 'due':
      return d.days === 0 ? 'due today' : d.days === 1 ? 'due tomorrow' : `due in ${days(d.days)}`;
  }
}

export interface OverdueItem {
  readonly action: Action;
  readonly daysOverdue: number;
}

/** Actions past their target and not done, the longest overdue first (then by ref). */
export function overdueActions(actions: readonly Action[], today: string): OverdueItem[] {
  return actions
    .flatMap((a) =>
      isOverdue(a, today) && a.target.kind === 'date'
        ? [{ action: a, daysOverdue: daysBetween(a.target.date, today) }]
        : [],
    )
    .sort((x, y) => y.daysOverdue - x.daysOverdue || compareRefs(x.action.ref, y.action.ref));
}

export interface DueItem {
  readonly action: Action;
  /** 0 = today. */
  readonly daysLeft: number;
}

/** Open actions with a target date from today to `days` days ahead, soonest first. */
export function dueWithin(actions: readonly Action[], today: string, days: number): DueItem[] {
  return actions
    .flatMap((a) => {
      if (isDone(a.status) || a.target.kind !== 'date') return [];
      const daysLeft = daysBetween(today, a.target.date);
      return daysLeft >= 0 && daysLeft <= days ? [{ action: a, daysLeft }] : [];
    })
    .sort((x, y) => x.daysLeft - y.daysLeft || compareRefs(x.action.ref, y.action.ref));
}

/** Open actions nobody owns: nobody will be reminded about them. Done ones no longer matter. */
export function withoutOwner(actions: readonly Action[]): Action[] {
  return actions
    .filter((a) => !isDone(a.status) && a.owners.length === 0)
    .sort((x, y) => compareRefs(x.ref, y.ref));
}

export interface UnreachableOwner {
  readonly email: string;
  /** The open actions they own, in ref order. */
  readonly refs: readonly string[];
}

/**
 * Owners of open actions whom the bot cannot message (they have not installed it, or Teams refuses
 * messages to them): their reminders would go nowhere, so a champion or admin must chase them.
 * `reachable` holds the lower-cased emails of the people the bot can message.
 */
export function unreachableOwners(
  actions: readonly Action[],
  reachable: ReadonlySet<string>,
): UnreachableOwner[] {
  const refs = new Map<string, string[]>();
  for (const a of actions) {
    if (isDone(a.status)) continue;
    for (const owner of a.owners.map(normaliseEmail)) {
      if (reachable.has(owner)) continue;
      refs.set(owner, [...(refs.get(owner) ?? []), a.ref]);
    }
  }
  return [...refs.entries()]
    .map(([email, r]) => ({ email, refs: r.sort(compareRefs) }))
    .sort((x, y) => x.email.localeCompare(y.email));
}

/** The picture a status card and the weekly digest show, for a whole plan or some of its areas. */
export interface ProgressSummary {
  readonly today: string;
  readonly counts: StatusCounts;
  readonly overdue: readonly OverdueItem[];
  readonly dueSoon: readonly DueItem[];
  readonly dueSoonDays: number;
  readonly noOwner: readonly Action[];
  readonly unreachable: readonly UnreachableOwner[];
  /** Red, amber or green, with why (rag.ts). */
  readonly rag: Rag;
}

export const DUE_SOON_DAYS = 14;

/**
 * Everything a status answer needs, judged on today in the plan's time zone.
 * `reachable`: lower-cased emails of the people the bot can message.
 */
export function summariseProgress(
  plan: Pick<Plan, 'timeZone'>,
  actions: readonly Action[],
  now: Date,
  reachable: ReadonlySet<string>,
  dueSoonDays = DUE_SOON_DAYS,
): ProgressSummary {
  const today = todayIn(plan.timeZone, now);
  const overdue = overdueActions(actions, today);
  return {
    today,
    counts: countByStatus(actions),
    overdue,
    dueSoon: dueWithin(actions, today, dueSoonDays),
    dueSoonDays,
    noOwner: withoutOwner(actions),
    unreachable: unreachableOwners(actions, reachable),
    rag: ragOf(actions, overdue),
  };
}
