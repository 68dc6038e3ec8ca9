import type { CommandHandler } from './command-handler.js';
import { EXAMPLE_EMAIL, notice, refusal } from './replies.js';
import { areaNames } from './situation.js';

/** An admin command with a part missing: how to write it, with the plan's own ref and area. */
export const usageCommand: CommandHandler<'usage'> = {
  answer(command, turn) {
    const s = turn.planned();
    const { deps } = turn;
    if (!s.roles.admin) {
      return refusal(deps, command.command === 'assign' ? 'assign actions' : 'name KIM Champions');
    }
    const example = s.actions[0]?.ref ?? '1.1';
    const area = areaNames(s)[0] ?? 'HMPPS';
    return notice(deps, {
      text:
        command.command === 'assign'
          ? `To assign an action, write: assign ${example} to ${EXAMPLE_EMAIL} — and add “area ${area}” to set its area too. Owners are given by email address; several can be separated by commas.`
          : `To name a KIM Champion, write: champion ${area} ${EXAMPLE_EMAIL}. The area is added if it is new.`,
    });
  },
};
