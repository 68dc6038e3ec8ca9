import { joinList } from '../../domain/permissions.js';
import { nameOf } from './action-scene.js';
import { audienceFor, type ActionVerb } from './card-verb.js';
import { optionalText } from './press-data.js';
import { ownerRefusal } from './refusals.js';

export interface NotMineData {
  readonly reason: string;
}

/** The history field of a "this isn't mine" (the action itself does not change). */
export const NOT_MINE_FIELD = 'not mine';

/**
 * "This isn't mine", with the owner's reason. Nothing on the action changes (it stays theirs
 * until someone reassigns it); the answer goes in the history, and the area's KIM Champion (a
 * plan admin in an area without one) gets the action's card with the reason and a Reassign form.
 * A press without a reason (a one-click button on a reminder card) is answered with the form.
 */
export const notMine: ActionVerb<NotMineData> = {
  read(fields, scene) {
    const reason = optionalText(fields, 'notMineReason', 'reason');
    if (!reason) {
      return {
        ask: `Tell me why action ${scene.action.value.ref} isn't yours (and whose it is, if you know) under “This isn't mine” below, and I'll pass it to your KIM Champion.`,
      };
    }
    return { reason };
  },
  refusal: ownerRefusal,
  attempted: () => ({ field: NOT_MINE_FIELD }),
  apply: (_current, data) => ({ entry: { field: NOT_MINE_FIELD, note: data.reason } }),
  saved(result, data, { deps, scene, by, byName }) {
    const action = result.action.value;
    const audience = audienceFor(deps, scene, action, by, true);
    const reached = audience.reachable.map((p) => nameOf(scene, p.email));
    return {
      banner: {
        tone: reached.length > 0 ? 'good' : 'warning',
        text:
          reached.length > 0
            ? `Thanks. I've told ${joinList(reached)} (${audience.role}), who can reassign action ${action.ref}; it stays yours until then.`
            : `I've noted in its history that action ${action.ref} isn't yours, but I can't reach its KIM Champion or a plan admin yet. Please tell the KIM team.`,
      },
      notices: [
        {
          to: audience.reachable,
          kind: 'not-mine',
          banner: {
            tone: 'warning',
            text: `${byName} says action ${action.ref} isn't theirs: “${data.reason}”. Give it to its owner with Reassign below.`,
          },
        },
      ],
    };
  },
};
