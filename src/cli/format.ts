import { formatDate } from '../domain/calendar.js';
import type { Action, HistoryEntry } from '../domain/plan.js';
import { priorityLabel } from '../domain/priority.js';
import { statusLabel } from '../domain/status.js';
import { refusedValue } from '../domain/refused-entry.js';

/** "End Mar 2017 (31 March 2017)", "Ongoing", or the text as written when it is unresolved. */
export function describeTarget(action: Pick<Action, 'target'>): string {
  const t = action.target;
  if (t.kind === 'date')
    return t.text === formatDate(t.date) ? t.text : `${t.text} (${formatDate(t.date)})`;
  if (t.kind === 'ongoing') return 'Ongoing';
  return t.text ? `${t.text} (not a date)` : '(no target)';
}

/** A plain text table: columns padded to their widest cell, the last column left free. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function actionRows(actions: readonly Action[]): string[][] {
  return actions.map((a) => [
    a.ref,
    priorityLabel(a.priority),
    describeTarget(a),
    statusLabel(a.status),
    a.owners.join(', ') || '(no owner)',
    a.area ?? '',
    clip(a.text, 70),
  ]);
}

export const ACTION_HEADER = ['Ref', 'Priority', 'Target', 'Status', 'Owner', 'Area', 'Action'];

export function describeHistory(h: HistoryEntry): string {
  const when = h.at.replace('T', ' ').slice(0, 16);
  const what =
    h.kind === 'created'
      ? 'created'
      : h.kind === 'refused'
        ? `refused: ${h.field ?? 'change'}${refusedValue(h) ? ` to "${refusedValue(h)}"` : ''}`
        : `${h.field}: "${h.from ?? ''}" → "${h.to ?? ''}"`;
  return `${when} UTC  ${h.by}  ${what}${h.note ? `  (${h.note})` : ''}`;
}
