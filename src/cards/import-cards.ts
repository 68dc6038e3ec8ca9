import { STATUSES, statusLabel } from '../domain/status.js';
import type { CardView } from '../ports/card-renderer.js';
import { LIMITS, truncateText, type CardColor } from './card-format.js';
import { importButtonData, type ImportButtonData } from './verbs.js';

type View = Extract<CardView, { kind: 'importPreview' }>;

/** Rows of each list before "…and N more": the card stays small whatever the file. */
export const IMPORT_LIST_ROWS = 8;

interface Section {
  readonly title: string;
  readonly color: CardColor;
  readonly lines: readonly { text: string }[];
}

export interface ImportPreviewCardData {
  readonly fileName: string;
  readonly heading: string;
  readonly hasLabel: boolean;
  readonly label: string;
  readonly summary: string;
  readonly counts: readonly { legend: string; valueText: string }[];
  readonly sections: readonly Section[];
  readonly expiry: string;
  readonly payload: ImportButtonData;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The first rows of a list, then how many more there are. */
function firstRows(lines: readonly string[]): { text: string }[] {
  const shown = lines
    .slice(0, IMPORT_LIST_ROWS)
    .map((line) => ({ text: truncateText(line, LIMITS.textInList * 2) }));
  if (lines.length > IMPORT_LIST_ROWS) {
    shown.push({ text: `…and ${lines.length - IMPORT_LIST_ROWS} more.` });
  }
  return shown;
}

const refsLine = (refs: readonly string[]): string => {
  const shown = refs.slice(0, LIMITS.refsInLine).join(', ');
  return refs.length > LIMITS.refsInLine
    ? `${shown} and ${refs.length - LIMITS.refsInLine} more`
    : shown;
};

/**
 * What importing a file would do, before anything is written: the plan's title and label, the
 * actions by status, and for a newer progress update of a stored plan what would change (new
 * actions, changed fields, the stored actions the file leaves out, which are kept), then the
 * warnings with their places. Import and Cancel carry only the preview's id.
 */
export function importPreviewCardData(view: View): ImportPreviewCardData {
  const update = view.update;
  const sections: Section[] = [];
  if (update) {
    if (update.added.length > 0) {
      sections.push({
        title: `New actions (${update.added.length})`,
        color: 'Good',
        lines: [{ text: refsLine(update.added) }],
      });
    }
    if (update.changes.length > 0) {
      sections.push({
        title: `Changes (${update.changes.length})`,
        color: 'Accent',
        lines: firstRows(
          update.changes.map(
            (c) =>
              `${c.ref} ${c.field}: “${truncateText(c.from, 80) || '(blank)'}” → “${truncateText(c.to, 80) || '(blank)'}”`,
          ),
        ),
      });
    }
    if (update.notInDocument.length > 0) {
      sections.push({
        title: `Not in this file (${update.notInDocument.length}): kept, not deleted`,
        color: 'Warning',
        lines: [{ text: refsLine(update.notInDocument) }],
      });
    }
    if (update.kept.length > 0) {
      sections.push({
        title: `Kept as set in the bot (${update.kept.length})`,
        color: 'Default',
        lines: firstRows(update.kept),
      });
    }
  }
  if (view.warnings.length > 0) {
    sections.push({
      title: `Warnings (${view.warnings.length}): imported as written`,
      color: 'Warning',
      lines: firstRows(view.warnings),
    });
  }
  return {
    fileName: truncateText(view.fileName, LIMITS.textInList),
    heading: `Import ${truncateText(view.title, LIMITS.textInList * 2)}?`,
    hasLabel: view.progressUpdate !== '',
    label: `Progress update – ${view.progressUpdate}`,
    summary: summaryOf(view),
    counts: STATUSES.filter((s) => view.byStatus[s] > 0).map((s) => ({
      legend: statusLabel(s),
      valueText: String(view.byStatus[s]),
    })),
    sections,
    expiry: `Nothing is stored until you press Import. This preview expires at ${view.expiresAt}; only you can import it.`,
    payload: importButtonData(view.previewId),
  };
}

function summaryOf(view: View): string {
  const size = `${plural(view.recommendationCount, 'recommendation')} and ${plural(view.actionCount, 'action')}`;
  const update = view.update;
  if (!update) return `A new plan: ${size}.`;
  const changed = new Set(update.changes.map((c) => c.ref)).size;
  const stored = update.storedProgressUpdate
    ? `the stored plan (progress update ${update.storedProgressUpdate})`
    : 'the stored plan';
  return `An update of ${stored}: ${size}; ${plural(update.added.length, 'new action')}, ${plural(changed, 'action')} changed, ${update.unchanged} unchanged.`;
}
