import { formatDate, todayIn } from '../domain/calendar.js';
import type { Action, Plan } from '../domain/plan.js';
import { joinList } from '../domain/permissions.js';
import { describeDueness, dueness, type Dueness } from '../domain/progress.js';
import type { Status } from '../domain/status.js';
import { refusedValue } from '../domain/refused-entry.js';
import type { HistoryView, PersonView } from '../ports/card-renderer.js';

/**
 * How many rows a card shows before it says "and N more". Chosen so that the largest card (a list
 * of long actions, each with owners and area) stays well under 40 KB, half Teams' ~80 KB message
 * limit, whatever the size of the plan.
 */
export const LIMITS = {
  listRows: 25,
  sectionRows: 8,
  refsInLine: 40,
  textInList: 140,
  textInCard: 2000,
  noteInCard: 1000,
  historyNote: 200,
} as const;

/** Adaptive Card TextBlock colours. */
export type CardColor = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

/** Teams chart colours per status: done looks good, blocked needs attention. */
export const STATUS_CHART_COLOR: Readonly<Record<Status, string>> = {
  not_started: 'neutral',
  in_progress: 'categoricalBlue',
  blocked: 'attention',
  complete: 'good',
  closed: 'categoricalTeal',
};

/** What to say when rows are left off: where to see them all. */
export const moreText = (n: number): string =>
  `…and ${n} more — see the export, or actionplan list in the CLI.`;

/** "Ministry of Justice IMA Action Plan · Progress update – May 2017". */
export const planLine = (plan: Pick<Plan, 'title' | 'progressUpdate'>): string =>
  plan.progressUpdate ? `${plan.title} · Progress update – ${plan.progressUpdate}` : plan.title;

/** A person as shown: their name, else their email, flagged when the bot cannot reach them. */
export function personLabel(p: PersonView): string {
  const label = p.name?.trim() || p.email;
  return p.reachable ? label : `${label} (not yet reachable)`;
}

/** ": why" for a line about someone the bot cannot reach, when the reason is known. */
export const whyText = (p: PersonView): string => (p.why ? `. ${p.why}` : '');

export function ownersLabel(owners: readonly PersonView[], none = 'no owner'): string {
  return owners.length === 0 ? none : joinList(owners.map(personLabel));
}

/** Colour of a due phrase: overdue needs attention, due within a week is a warning. */
export function dueColor(d: Dueness): CardColor {
  if (d.kind === 'overdue') return 'Attention';
  if (d.kind === 'due' && d.days <= 7) return 'Warning';
  if (d.kind === 'done') return 'Good';
  return 'Default';
}

/**
 * The target as the plan wrote it and as a date: "End Mar 2017 (31 March 2017)"; the original
 * text is always shown, since it is what the owners and The National Archives agreed.
 */
export function targetLabel(action: Pick<Action, 'target'>): string {
  const t = action.target;
  if (t.kind === 'ongoing') return t.text || 'Ongoing';
  if (t.kind === 'unresolved') return t.text ? `${t.text} (not a date I can track)` : 'None given';
  const date = formatDate(t.date);
  return t.text && t.text !== date ? `${t.text} (${date})` : date;
}

/** "In progress · due in 7 days": the short state of an action on a given day. */
export function dueLabel(action: Pick<Action, 'target' | 'status'>, today: string): string {
  return describeDueness(dueness(action, today));
}

/** Who made a change, as people read it: a name, an email, or the tool that did it. */
export function byLabel(by: string, name?: string): string {
  if (name) return name;
  if (by.startsWith('import:')) return `Import of ${by.slice('import:'.length)}`;
  if (by === 'cli') return 'Command line';
  return by;
}

const quoted = (s: string, max: number): string => `“${truncateText(s, max)}”`;

/** What a history entry did, in words: "status Not started → In progress". */
export function historyWhat(entry: HistoryView): string {
  const note = entry.note ? ` — ${quoted(entry.note, LIMITS.historyNote)}` : '';
  if (entry.kind === 'created') return `added the action${note}`;
  const field = entry.field ?? 'change';
  // Before the note: a refused note is not a note (and keeps no text).
  if (entry.kind === 'refused') {
    const tried = refusedValue(entry);
    return `refused ${field}${tried ? ` set to ${truncateText(tried, 80)}` : ''}${note}`;
  }
  if (field === 'note' && entry.to) return `note ${quoted(entry.to, LIMITS.historyNote)}`;
  const from = truncateText(entry.from ?? '', 80);
  const to = truncateText(entry.to ?? '', 80);
  // Card answers (src/app/card-actions): an owner disowning the action, a status confirmed as is.
  if (entry.kind === 'changed' && field === 'not mine') return `said it isn't theirs${note}`;
  if (entry.kind === 'changed' && from && from === to) return `${field} confirmed as ${to}${note}`;
  const change = !from
    ? `${field} set to ${to}`
    : !to
      ? `${field} cleared (was ${from})`
      : `${field} ${from} → ${to}`;
  return `${change}${note}`;
}

/** The day a history entry happened, in the plan's time zone: "1 June 2017". */
export const historyWhen = (entry: HistoryView, timeZone: string): string =>
  formatDate(todayIn(timeZone, new Date(entry.at)));

/** Shortens text for a list row, at a word boundary where one is near, with an ellipsis. */
export function truncateText(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

/** Like truncateText, but keeps line breaks (notes and action text shown in full on a card). */
export function limitText(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}
