import { findArea } from '../../domain/area-name.js';
import { joinList } from '../../domain/permissions.js';
import { addArea } from '../add-area.js';
import type { CommandHandler } from './command-handler.js';
import { notice, notReachableLines, refusal } from './replies.js';
import { nameOf, personView } from './situation.js';

/**
 * `champion <area> <email>[ …]`, for plan admins: names KIM Champions of an area, adding the area
 * when it is new. "MoJ-HQ" is the area stored as "MoJ HQ" (domain/area-name.ts).
 */
export const championCommand: CommandHandler<'champion'> = {
  async answer(command, turn) {
    const s = turn.planned();
    const { deps } = turn;
    if (!s.roles.admin) return refusal(deps, 'name KIM Champions');
    const existing = findArea(s.areas, command.area, (a) => a.name);
    const already = command.emails.filter((e) => existing?.champions.includes(e));
    const added = command.emails.filter((e) => !already.includes(e));
    const area = await addArea(deps, {
      planId: s.plan.id,
      name: command.area,
      champions: command.emails,
    });
    const people = (emails: readonly string[]): string =>
      joinList(emails.map((e) => nameOf(personView(s, e))));
    const lines = [
      ...(added.length > 0
        ? [
            existing
              ? `${people(added)} ${added.length === 1 ? 'is' : 'are'} now ${added.length === 1 ? 'a KIM Champion' : 'KIM Champions'} for ${area.name}.`
              : `Added the area ${area.name}, with ${people(added)} as KIM Champion.`,
          ]
        : []),
      ...(already.length > 0
        ? [
            `${people(already)} ${already.length === 1 ? 'was' : 'were'} already KIM Champion for ${area.name}.`,
          ]
        : []),
    ];
    return notice(deps, {
      title: `KIM Champions for ${area.name}`,
      text: lines.join(' '),
      details: notReachableLines(added.map((e) => personView(s, e))),
      tone: added.length > 0 ? 'good' : 'info',
    });
  },
};
