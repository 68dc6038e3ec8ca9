import { compareRefs } from '../../domain/action-ref.js';
import { joinList } from '../../domain/permissions.js';
import type { Action } from '../../domain/plan.js';
import { dueness, dueWithin, DUE_SOON_DAYS, overdueActions } from '../../domain/progress.js';
import { isDone } from '../../domain/status.js';
import type { CommandHandler } from './command-handler.js';
import { notice, reply } from './replies.js';
import { listItem } from './situation.js';

/** The asker's own actions, the most urgent first, each opening its card to answer on. */
export const myActionsCommand: CommandHandler<'myActions'> = {
  answer(_command, turn) {
    const s = turn.planned();
    if (!s.roles.email) {
      return notice(turn.deps, {
        text: "I can't see your email address, so I can't tell which actions are yours. Ask the KIM team to check that your Teams account has one.",
      });
    }
    const mine = s.actions.filter((a) => s.roles.owns.includes(a.ref));
    if (mine.length === 0) {
      return notice(turn.deps, {
        title: 'No actions yet',
        text: `You don't own any actions in ${s.plan.title} yet. When a plan admin or your KIM Champion assigns you one, it will show here, and I'll remind you before it's due. Meanwhile **status** shows how the plan is doing.`,
      });
    }
    const ordered = [...mine].sort(byUrgency(s.today));
    const overdueCount = overdueActions(mine, s.today).length;
    const dueSoon = dueWithin(mine, s.today, DUE_SOON_DAYS).length;
    const done = mine.filter((a) => isDone(a.status)).length;
    const parts = [
      ...(overdueCount > 0 ? [`${overdueCount} overdue`] : []),
      ...(dueSoon > 0 ? [`${dueSoon} due in the next ${DUE_SOON_DAYS} days`] : []),
      ...(done > 0 ? [`${done} done`] : []),
    ];
    return reply(turn.deps, {
      kind: 'actionList',
      plan: s.plan,
      title: `Your actions (${mine.length})`,
      intro: `You own ${mine.length === 1 ? '1 action' : `${mine.length} actions`}${parts.length ? `: ${joinList(parts)}` : ''}. Select one to update it.`,
      items: ordered.map((a) => listItem(s, a)),
      today: s.today,
    });
  },
};

/** Open actions first, the most urgent first (overdue, then soonest); undated, then done, last. */
function byUrgency(today: string): (a: Action, b: Action) => number {
  const rank = (a: Action): [number, string] => {
    const d = dueness(a, today);
    if (d.kind === 'done') return [3, ''];
    if (d.kind === 'overdue' || d.kind === 'due') {
      return [0, a.target.kind === 'date' ? a.target.date : ''];
    }
    return [d.kind === 'ongoing' ? 1 : 2, ''];
  };
  return (a, b) => {
    const [ra, da] = rank(a);
    const [rb, db] = rank(b);
    return ra - rb || da.localeCompare(db) || compareRefs(a.ref, b.ref);
  };
}
