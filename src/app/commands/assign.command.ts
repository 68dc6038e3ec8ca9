import { joinList } from '../../domain/permissions.js';
import { assignAction } from '../assign-action.js';
import type { CommandHandler } from './command-handler.js';
import { EXAMPLE_EMAIL, notice, notReachableLines, refusal } from './replies.js';
import { matchArea, nameOf, personView } from './situation.js';

/**
 * `assign <ref> to <email>[, …] [area <name>]`, for plan admins: the owners (and area) change,
 * with a history entry; owners the bot cannot reach yet are named. An area that does not exist
 * changes nothing and says how to add it.
 */
export const assignCommand: CommandHandler<'assign'> = {
  async answer(command, turn) {
    const s = turn.planned();
    const { deps } = turn;
    if (!s.roles.admin) return refusal(deps, 'assign actions');
    const stored = s.areas.map((a) => a.name);
    const area = command.area ? matchArea(stored, command.area) : undefined;
    if (command.area && !area) {
      return notice(deps, {
        text: `There is no area “${command.area}” yet, so nothing has changed. Add it first with its KIM Champion: champion ${command.area} ${EXAMPLE_EMAIL}${stored.length > 0 ? `; or use one of: ${joinList(stored)}` : ''}.`,
      });
    }
    const result = await assignAction(deps, {
      planId: s.plan.id,
      ref: command.ref,
      owners: command.owners,
      ...(area ? { area } : {}),
      by: s.roles.email ?? 'teams',
    });
    const ref = result.action.value.ref;
    const owners = command.owners.map((o) => personView(s, o));
    if (result.changes.length === 0) {
      return notice(deps, {
        text: `Action ${ref} already had ${area ? 'that owner and area' : 'that owner'}; nothing has changed.`,
      });
    }
    return notice(deps, {
      title: `Action ${ref} assigned`,
      text: `Action ${ref} is now owned by ${joinList(owners.map(nameOf))}${area ? ` in ${area}` : ''}.`,
      details: notReachableLines(owners),
      tone: 'good',
    });
  },
};
