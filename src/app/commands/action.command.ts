import { compareRefs, normaliseRef, recommendationOf } from '../../domain/action-ref.js';
import { actionCardTooBig, actionView, HISTORY_SHOWN } from '../card-actions/action-scene.js';
import type { CommandHandler } from './command-handler.js';
import { notice, reply } from './replies.js';
import type { PlanSituation } from './situation.js';

/** One action's card, with its buttons; a ref the plan lacks is answered with the refs near it. */
export const actionCommand: CommandHandler<'action'> = {
  async answer(command, turn) {
    const s = turn.planned();
    const { deps } = turn;
    const ref = normaliseRef(command.ref) ?? command.ref;
    const found = await deps.plans.getAction(s.plan.id, ref);
    if (!found) {
      return notice(deps, {
        text: `There is no action ${ref} in this plan. ${nearbyRefs(s, ref)}`,
      });
    }
    const history = await deps.plans.latestHistory(s.plan.id, ref, HISTORY_SHOWN);
    return reply(deps, actionView(s, found, history), actionCardTooBig(ref));
  },
};

/** "Recommendation 4 has actions 4.1 to 4.9d.": a way back from a mistyped ref. */
function nearbyRefs(s: PlanSituation, ref: string): string {
  const refs = s.actions.map((a) => a.ref).sort(compareRefs);
  const same = refs.filter((r) => recommendationOf(r) === recommendationOf(ref));
  if (same.length > 0) {
    return `Recommendation ${recommendationOf(ref)} has actions ${same[0]!}${same.length > 1 ? ` to ${same[same.length - 1]!}` : ''}.`;
  }
  return refs.length > 0
    ? `The plan's actions run from ${refs[0]!} to ${refs[refs.length - 1]!}.`
    : 'The plan has no actions yet.';
}
