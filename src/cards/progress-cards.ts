import { formatDate } from '../domain/calendar.js';
import { joinList } from '../domain/permissions.js';
import type { Action } from '../domain/plan.js';
import { describeDueness, type StatusCounts } from '../domain/progress.js';
import { RAG_LABEL, type RagRating } from '../domain/rag.js';
import { STATUSES, statusLabel } from '../domain/status.js';
import type { CardView, PersonView } from '../ports/card-renderer.js';
import {
  LIMITS,
  moreText,
  ownersLabel,
  personLabel,
  whyText,
  planLine,
  STATUS_CHART_COLOR,
  truncateText,
  type CardColor,
} from './card-format.js';
import {
  actionButtonData,
  planButtonData,
  type ButtonCommand,
  type ButtonData,
  type PlanButtonData,
} from './verbs.js';

type View<K extends CardView['kind']> = Extract<CardView, { kind: K }>;

export interface ChartPoint {
  readonly legend: string;
  readonly value: number;
  readonly color: string;
}

export interface StatusSection {
  readonly title: string;
  readonly color: CardColor;
  /** Rows that open an action's card. */
  readonly links: readonly {
    ref: string;
    text: string;
    payload: ButtonData<Extract<ButtonCommand, { readonly kind: 'action' }>>;
  }[];
  /** Rows of plain text (lists of refs, people). */
  readonly lines: readonly { text: string }[];
  readonly hasMore: boolean;
  readonly moreText: string;
}

export interface StatusCardData {
  readonly planTitle: string;
  readonly title: string;
  readonly asOf: string;
  readonly hasChampions: boolean;
  readonly championsLine: string;
  readonly hasActions: boolean;
  readonly noActionsText: string;
  readonly headline: string;
  /** "Amber: 3 actions overdue; 1 action blocked" (rag.ts). */
  readonly ragLine: string;
  readonly ragColor: CardColor;
  readonly counts: readonly { legend: string; valueText: string }[];
  readonly donut: readonly ChartPoint[];
  /** The donut's fallback for clients without charts: a text bar of the share done. */
  readonly progressBar: string;
  /** A stacked bar per recommendation (of the actions shown), with a text fallback. */
  readonly hasBars: boolean;
  readonly bars: readonly { title: string; segments: readonly ChartPoint[] }[];
  readonly barsFallback: string;
  readonly sections: readonly StatusSection[];
  readonly payload: PlanButtonData;
}

const RAG_CARD_COLOR: Readonly<Record<RagRating, CardColor>> = {
  red: 'Attention',
  amber: 'Warning',
  green: 'Good',
};

/**
 * Where a plan, or some of its areas, stands: counts and share done, a donut by status, then what
 * needs chasing: overdue actions, those due soon, those nobody owns, and owners the bot cannot
 * reach. Each list shows its first rows and counts the rest, so 200 actions still fit.
 */
export function statusCardData(view: View<'status'>): StatusCardData {
  const { summary, plan } = view;
  const { counts } = summary;
  const person = (email: string): PersonView =>
    view.people.get(email) ?? { email, reachable: false };
  const owners = (a: Action): string => ownersLabel(a.owners.map(person));
  const link = (a: Action, state: string): StatusSection['links'][number] => ({
    ref: a.ref,
    text: `${truncateText(a.text, 90)} — ${state} · ${owners(a)}`,
    payload: actionButtonData(a.ref, plan.id),
  });
  const areas = view.areas ?? [];
  const champions = view.champions ?? [];

  const sections: StatusSection[] = [
    linkSection(
      `Overdue (${summary.overdue.length})`,
      'Attention',
      summary.overdue.map((o) =>
        link(o.action, describeDueness({ kind: 'overdue', days: o.daysOverdue })),
      ),
    ),
    linkSection(
      `Due in the next ${summary.dueSoonDays} days (${summary.dueSoon.length})`,
      'Warning',
      summary.dueSoon.map((d) =>
        link(
          d.action,
          `${describeDueness({ kind: 'due', days: d.daysLeft })} (${
            d.action.target.kind === 'date' ? formatDate(d.action.target.date) : ''
          })`,
        ),
      ),
    ),
    lineSection(
      `No owner (${summary.noOwner.length})`,
      'Warning',
      refLines(summary.noOwner.map((a) => a.ref)),
      summary.noOwner.length > LIMITS.refsInLine ? summary.noOwner.length - LIMITS.refsInLine : 0,
    ),
    lineSection(
      `Owners not yet reachable (${summary.unreachable.length})`,
      'Default',
      summary.unreachable.slice(0, LIMITS.sectionRows).map((u) => ({
        text: `${personLabel({ ...person(u.email), reachable: true })} — ${u.refs.join(', ')}${whyText(person(u.email))}`,
      })),
      Math.max(0, summary.unreachable.length - LIMITS.sectionRows),
    ),
  ].filter((s) => s.links.length + s.lines.length > 0);

  return {
    planTitle: planLine(plan),
    title: areas.length > 0 ? `Status: ${joinList(areas)}` : 'Status of the whole plan',
    asOf: `As of ${formatDate(summary.today)}`,
    hasChampions: areas.length > 0,
    championsLine:
      champions.length === 0
        ? 'No KIM Champion yet.'
        : `${champions.length === 1 ? 'KIM Champion' : 'KIM Champions'}: ${joinList(champions.map(personLabel))}`,
    hasActions: counts.total > 0,
    noActionsText:
      areas.length > 0
        ? `No actions are assigned to ${joinList(areas)} yet.`
        : 'This plan has no actions yet.',
    headline: doneHeadline(counts),
    ragLine: `${RAG_LABEL[summary.rag.rating]}: ${summary.rag.reasons.join('; ')}`,
    ragColor: RAG_CARD_COLOR[summary.rag.rating],
    counts: STATUSES.map((s) => ({ legend: statusLabel(s), valueText: String(counts[s]) })),
    donut: statusSegments(counts),
    progressBar: `${bar(counts.percentDone)} ${counts.percentDone}% done`,
    ...recommendationBars(
      (view.recommendations ?? []).filter((r) => r.counts.total > 0).slice(0, MAX_RECOMMENDATIONS),
    ),
    sections,
    payload: planButtonData(plan.id),
  };
}

/** At most this many recommendations in one card (plans have a handful; this is a guard). */
const MAX_RECOMMENDATIONS = 30;

function recommendationBars(
  recs: readonly { number: string; counts: StatusCounts }[],
): Pick<StatusCardData, 'hasBars' | 'bars' | 'barsFallback'> {
  return { hasBars: recs.length > 0, ...barsOf(recs, true) };
}

/** A donut's or a stacked bar's parts: one per status present, in order, in its chart colour. */
export const statusSegments = (counts: StatusCounts): ChartPoint[] =>
  STATUSES.filter((s) => counts[s] > 0).map((s) => ({
    legend: statusLabel(s),
    value: counts[s],
    color: STATUS_CHART_COLOR[s],
  }));

/**
 * A stacked bar per recommendation, and the text bars Teams shows where charts are not drawn
 * (`withCounts` adds "(3 of 7)" to each line).
 */
export function barsOf(
  recs: readonly { number: string; counts: StatusCounts }[],
  withCounts: boolean,
): { bars: { title: string; segments: ChartPoint[] }[]; barsFallback: string } {
  return {
    bars: recs.map((r) => ({ title: `Rec ${r.number}`, segments: statusSegments(r.counts) })),
    barsFallback: recs
      .map((r) => {
        const { percentDone, done, total } = r.counts;
        const line = `Rec ${r.number.padEnd(3)} ${bar(percentDone, 10)} ${percentDone}%`;
        return withCounts ? `${line} (${done} of ${total})` : line;
      })
      .join('\n\n'),
  };
}

function linkSection(
  title: string,
  color: CardColor,
  links: StatusSection['links'],
): StatusSection {
  const more = Math.max(0, links.length - LIMITS.sectionRows);
  return {
    title,
    color,
    links: links.slice(0, LIMITS.sectionRows),
    lines: [],
    hasMore: more > 0,
    moreText: more > 0 ? moreText(more) : '',
  };
}

function lineSection(
  title: string,
  color: CardColor,
  lines: StatusSection['lines'],
  more: number,
): StatusSection {
  return {
    title,
    color,
    links: [],
    lines,
    hasMore: more > 0,
    moreText: more > 0 ? moreText(more) : '',
  };
}

/** Refs on one line: a list of 200 refs is still one short paragraph. */
function refLines(refs: readonly string[]): { text: string }[] {
  return refs.length === 0 ? [] : [{ text: refs.slice(0, LIMITS.refsInLine).join(', ') }];
}

/** "2 of 42 actions done (5%)". */
export function doneHeadline(counts: StatusCounts): string {
  return `${counts.done} of ${counts.total} ${counts.total === 1 ? 'action' : 'actions'} done (${counts.percentDone}%)`;
}

/** A 20-character text bar: the share done, for cards shown where charts are not. */
export function bar(percent: number, width = 20): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export interface PlanProgressCardData {
  readonly planTitle: string;
  readonly headline: string;
  readonly hasActions: boolean;
  readonly bars: readonly { title: string; segments: readonly ChartPoint[] }[];
  readonly barsFallback: string;
  readonly rows: readonly { title: string; line: string; text: string }[];
  readonly payload: PlanButtonData;
}

/** Progress per recommendation: a stacked bar each, then a line each with the counts. */
export function planProgressCardData(view: View<'planProgress'>): PlanProgressCardData {
  const recs = view.recommendations.slice(0, MAX_RECOMMENDATIONS);
  return {
    planTitle: planLine(view.plan),
    headline: doneHeadline(view.overall),
    hasActions: view.overall.total > 0,
    ...barsOf(recs, false),
    rows: recs.map((r) => ({
      title: `Recommendation ${r.number}`,
      line: recommendationLine(r.counts),
      text: r.text ? truncateText(r.text, 160) : 'Not listed in the plan',
    })),
    payload: planButtonData(view.plan.id),
  };
}

/** "1 of 5 done (20%) · 2 in progress · 1 blocked": the statuses with actions, done first. */
function recommendationLine(counts: StatusCounts): string {
  const open = (['in_progress', 'blocked', 'not_started'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${statusLabel(s).toLowerCase()}`);
  return [doneHeadline(counts), ...open].join(' · ');
}
