import { DateTime } from 'luxon';
import { compareRefs } from '../../domain/action-ref.js';
import { type Action, DEFAULT_TIME_ZONE, type HistoryEntry, type Plan } from '../../domain/plan.js';
import { type Priority, priorityLabel } from '../../domain/priority.js';
import { type Status, STATUSES, statusLabel } from '../../domain/status.js';
import type { Target } from '../../domain/target.js';

/**
 * The "Progress update – <Month Year>" a department sends back to The National Archives, as a
 * format-neutral model: the Word, Excel and CSV exporters only lay it out, so all three always say
 * the same thing.
 */
export interface ProgressReport {
  readonly title: string;
  /** The new progress-update label, e.g. "November 2026". */
  readonly label: string;
  /** When the report was made, as people read it: "24 November 2026" (plan's time zone). */
  readonly generated: string;
  /** The same day as YYYY-MM-DD. */
  readonly generatedOn: string;
  /** In number order; every recommendation of the plan, even one with no actions. */
  readonly recommendations: readonly ProgressReportRecommendation[];
  readonly summary: ProgressSummary;
}

export interface ProgressReportRecommendation {
  readonly number: string;
  readonly text: string;
  /** Sorted by ref: 1.2 before 1.10, 4.9 before 4.9a. */
  readonly rows: readonly ProgressReportRow[];
}

export interface ProgressReportRow {
  readonly ref: string;
  readonly recommendation: string;
  readonly text: string;
  readonly priority: Priority;
  /** "High", "Medium", "Low". */
  readonly priorityLabel: string;
  /** What the table shows: the target as written, or "End Mar 2017 (moved to 30 June 2017)". */
  readonly target: string;
  /** The target as the plan first wrote it. */
  readonly originalTarget: string;
  /** The target now: as written if never moved, else the new date as "30 June 2017". */
  readonly currentTarget: string;
  /**
   * The target now exactly as stored ("End Mar 2017", or "2017-06-30" after a card moved it):
   * what the Excel and CSV exports put in their Target date column, so an import reads back the
   * same target, word for word.
   */
  readonly targetText: string;
  readonly moved: boolean;
  readonly status: Status;
  /** "Not started", "In progress", … */
  readonly statusLabel: string;
  readonly owners: readonly string[];
  /** The business area, or "" when none is assigned. */
  readonly area: string;
  /** The latest progress note, or "". */
  readonly note: string;
}

export interface ProgressSummary {
  readonly total: number;
  /** Complete plus closed. */
  readonly done: number;
  /** One entry per status, in the order of STATUSES, zero counts included. */
  readonly byStatus: readonly { status: Status; label: string; count: number }[];
}

export interface ProgressReportInput {
  plan: Plan;
  actions: readonly Action[];
  /** The plan's history; only entries for the plan's own actions are used. */
  history: readonly HistoryEntry[];
  /** The new progress-update label, e.g. "November 2026". */
  label: string;
  asOf: Date;
}

const DISPLAY_DATE = 'd MMMM yyyy';

/** Builds the progress report. Pure: the same input always gives the same report. */
export function buildProgressReport(input: ProgressReportInput): ProgressReport {
  const { plan, actions, history, label, asOf } = input;
  const historyByRef = groupHistory(plan.id, history);

  const byRecommendation = new Map<string, Action[]>();
  for (const a of actions) {
    const list = byRecommendation.get(a.recommendation) ?? [];
    list.push(a);
    byRecommendation.set(a.recommendation, list);
  }

  // Every recommendation the plan has, plus any an action names that the plan does not: an action
  // is never left out of the report silently.
  const texts = new Map(plan.recommendations.map((r) => [r.number, r.text]));
  const numbers = [...new Set([...texts.keys(), ...byRecommendation.keys()])].sort(
    compareRecommendations,
  );

  const recommendations = numbers.map((number) => ({
    number,
    text: texts.get(number) ?? '',
    rows: (byRecommendation.get(number) ?? [])
      .slice()
      .sort((a, b) => compareRefs(a.ref, b.ref))
      .map((a) => toRow(a, historyByRef.get(a.ref) ?? [])),
  }));

  const generatedAt = inZone(asOf, plan.timeZone);
  return {
    title: plan.title,
    label: label.trim(),
    generated: generatedAt.toFormat(DISPLAY_DATE),
    generatedOn: generatedAt.toISODate() ?? '',
    recommendations,
    summary: summarise(actions),
  };
}

/** "42 actions: 30 not started, 8 in progress, 4 complete": the report's counts in one line. */
export function summaryLine(summary: ProgressSummary): string {
  const parts = summary.byStatus
    .filter((s) => s.count > 0)
    .map((s) => `${s.count} ${s.label.toLowerCase()}`);
  const total = `${summary.total} ${summary.total === 1 ? 'action' : 'actions'}`;
  return parts.length > 0 ? `${total}: ${parts.join(', ')}` : total;
}

/** "Generated on 31 March 2017. 42 actions: …": the line under the title of every export. */
export function generatedLine(report: Pick<ProgressReport, 'generated' | 'summary'>): string {
  return `Generated on ${report.generated}. ${summaryLine(report.summary)}.`;
}

/** True for an export's own "Generated on …" line, which an import of that export passes over. */
export const isGeneratedLine = (text: string): boolean =>
  /^Generated on \d{1,2} [A-Z][a-z]+ \d{4}\. \d+ actions?\b/.test(text);

// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Text without the control characters XML 1.0 cannot hold: one pasted into a note would make Word
 * or Excel refuse (or "repair") the file. Tab and line breaks stay.
 */
export const xmlSafe = (s: string): string => s.replace(XML_INVALID, '');

/** Owners as one cell of text. */
export const ownersText = (row: ProgressReportRow): string => row.owners.join('; ');

/** "End Mar 2017 (moved to 30 June 2017)": a moved target as the Word export shows it. */
const movedTarget = (original: string, current: string): string =>
  `${original} (moved to ${current})`;

/** The target a cell holds now: "End Mar 2017 (moved to 30 June 2017)" → "30 June 2017". */
export function currentTargetText(cell: string): string {
  return /^.*\(moved to ([^()]+)\)\s*$/s.exec(cell)?.[1]?.trim() ?? cell;
}

function toRow(action: Action, history: readonly HistoryEntry[]): ProgressReportRow {
  const current = action.target.text;
  // The first recorded move says what the plan originally said; later moves only change `current`.
  const firstMove = history.find((h) => h.kind === 'changed' && h.field === 'target');
  const original = firstMove?.from?.trim() ? firstMove.from.trim() : current;
  const moved = firstMove !== undefined && original !== current;
  const currentTarget = moved ? displayTarget(action.target) : current;
  const note = action.note?.trim() || latestNote(history);
  return {
    ref: action.ref,
    recommendation: action.recommendation,
    text: action.text,
    priority: action.priority,
    priorityLabel: priorityLabel(action.priority),
    target: moved ? movedTarget(original, currentTarget) : current,
    originalTarget: original,
    currentTarget,
    targetText: current,
    moved,
    status: action.status,
    statusLabel: statusLabel(action.status),
    owners: action.owners,
    area: action.area ?? '',
    note,
  };
}

/**
 * A moved-to target as people read it. A new date usually comes from a card's date picker as
 * "2017-06-30", so a resolved date is shown as "30 June 2017"; anything else as written.
 */
function displayTarget(target: Target): string {
  if (target.kind !== 'date') return target.text;
  const d = DateTime.fromISO(target.date, { zone: 'UTC' });
  return d.isValid ? d.setLocale('en-GB').toFormat(DISPLAY_DATE) : target.text;
}

/** When the action carries no note, the newest note left with a change (e.g. a date move's reason). */
function latestNote(history: readonly HistoryEntry[]): string {
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    if (h && h.kind === 'changed' && h.note?.trim()) return h.note.trim();
  }
  return '';
}

/** History entries per ref, oldest first (ties keep their given order). */
function groupHistory(
  planId: string,
  history: readonly HistoryEntry[],
): Map<string, HistoryEntry[]> {
  const sorted = history
    .map((h, i) => ({ h, i, t: Date.parse(h.at) }))
    .filter(({ h }) => h.planId === planId)
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const byRef = new Map<string, HistoryEntry[]>();
  for (const { h } of sorted) {
    const list = byRef.get(h.ref) ?? [];
    list.push(h);
    byRef.set(h.ref, list);
  }
  return byRef;
}

function summarise(actions: readonly Action[]): ProgressSummary {
  const counts = new Map<Status, number>(STATUSES.map((s) => [s, 0]));
  for (const a of actions) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const byStatus = STATUSES.map((status) => ({
    status,
    label: statusLabel(status),
    count: counts.get(status) ?? 0,
  }));
  const done = (counts.get('complete') ?? 0) + (counts.get('closed') ?? 0);
  return { total: actions.length, done, byStatus };
}

function compareRecommendations(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a.localeCompare(b);
}

/** `asOf` in the plan's zone; an unknown zone falls back to Europe/London rather than "Invalid DateTime". */
function inZone(asOf: Date, timeZone: string): DateTime {
  const d = DateTime.fromJSDate(asOf, { zone: timeZone });
  return (d.isValid ? d : DateTime.fromJSDate(asOf, { zone: DEFAULT_TIME_ZONE })).setLocale(
    'en-GB',
  );
}
