import { isDone } from './status.js';
import type { Action } from './plan.js';

/**
 * A RAG rating for an area or a whole plan, as KIM Champions report it (docs/CHAMPIONS.md):
 * - red: a high-priority action is overdue, or more than a quarter of the open actions are;
 * - amber: anything is overdue, or anything is blocked;
 * - green: otherwise (including an area with nothing open).
 */
export type RagRating = 'red' | 'amber' | 'green';

export interface Rag {
  readonly rating: RagRating;
  /** Why, in words, most serious first; one line saying all is well when green. */
  readonly reasons: readonly string[];
}

/** More than this share of the open actions overdue makes the rating red. */
export const RED_OVERDUE_SHARE = 0.25;

const n = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

/** The rating of a set of actions, given which of them are overdue (progress.overdueActions). */
export function ragOf(
  actions: readonly Pick<Action, 'status'>[],
  overdue: readonly { readonly action: Pick<Action, 'ref' | 'priority'> }[],
): Rag {
  const open = actions.filter((a) => !isDone(a.status));
  const highOverdue = overdue.filter((o) => o.action.priority === 'H');
  const blocked = open.filter((a) => a.status === 'blocked').length;
  const share = open.length > 0 ? overdue.length / open.length : 0;
  const red: string[] = [];
  if (highOverdue.length > 0) {
    red.push(
      `${n(highOverdue.length, 'high-priority action', 'high-priority actions')} overdue (${highOverdue
        .map((o) => o.action.ref)
        .slice(0, 5)
        .join(', ')}${highOverdue.length > 5 ? '…' : ''})`,
    );
  }
  if (share > RED_OVERDUE_SHARE) {
    red.push(
      `${Math.round(share * 100)}% of open actions overdue (${overdue.length} of ${open.length})`,
    );
  }
  if (red.length > 0) return { rating: 'red', reasons: red };
  const amber: string[] = [];
  if (overdue.length > 0) amber.push(`${n(overdue.length, 'action', 'actions')} overdue`);
  if (blocked > 0) amber.push(`${n(blocked, 'action', 'actions')} blocked`);
  if (amber.length > 0) return { rating: 'amber', reasons: amber };
  return {
    rating: 'green',
    reasons: [open.length === 0 ? 'Nothing open' : 'Nothing overdue or blocked'],
  };
}

export const RAG_LABEL: Readonly<Record<RagRating, string>> = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
};
