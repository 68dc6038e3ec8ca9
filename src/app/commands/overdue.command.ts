import { isChampionOf, joinList } from '../../domain/permissions.js';
import { overdueActions } from '../../domain/progress.js';
import type { CommandHandler } from './command-handler.js';
import { notice, reply } from './replies.js';
import { listItem } from './situation.js';

/** Every overdue action, the longest overdue first; a champion's own areas before the rest. */
export const overdueCommand: CommandHandler<'overdue'> = {
  answer(_command, turn) {
    const s = turn.planned();
    const all = overdueActions([...s.actions], s.today);
    if (all.length === 0) {
      return notice(turn.deps, {
        title: 'Nothing is overdue',
        text: `Every open action in ${s.plan.title} is within its target date.`,
        tone: 'good',
      });
    }
    const theirs = s.roles.championOf;
    const inTheirAreas = all.filter((o) => isChampionOf(s.roles, o.action.area));
    const ordered = [...inTheirAreas, ...all.filter((o) => !isChampionOf(s.roles, o.action.area))];
    const areas = theirs.length === 1 ? 'area' : 'areas';
    const intro =
      theirs.length === 0
        ? 'The longest overdue first. Select one to see who owns it and its history.'
        : inTheirAreas.length > 0
          ? `The ${inTheirAreas.length} in your ${areas} (${joinList(theirs)}) come first, the longest overdue first.`
          : `None of them is in your ${areas} (${joinList(theirs)}).`;
    return reply(turn.deps, {
      kind: 'actionList',
      plan: s.plan,
      title: `Overdue actions (${all.length})`,
      intro,
      items: ordered.map((o) => listItem(s, o.action)),
      today: s.today,
    });
  },
};
