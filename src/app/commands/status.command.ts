import { joinList } from '../../domain/permissions.js';
import { normaliseEmail } from '../../domain/plan.js';
import { progressByRecommendation, summariseProgress } from '../../domain/progress.js';
import { areaKey } from '../../domain/area-name.js';
import type { BotDeps } from '../bot-deps.js';
import type { BotReply } from '../bot-reply.js';
import type { CommandHandler } from './command-handler.js';
import { notice, reply } from './replies.js';
import { areaNames, matchArea, personView, type PlanSituation } from './situation.js';

/** A champion's status card looks a month ahead (the digest, a fortnight). */
export const STATUS_DUE_SOON_DAYS = 30;

/**
 * Where things stand: an area's (named), a champion's own areas ("status" alone), or the whole
 * plan (anyone else, or "status all"). An area the plan does not know is answered with the ones
 * it does.
 */
export const statusCommand: CommandHandler<'status'> = {
  answer(command, turn) {
    const s = turn.planned();
    if (command.area) {
      const known = areaNames(s);
      const area = matchArea(known, command.area);
      if (!area) {
        return notice(turn.deps, {
          text:
            known.length > 0
              ? `There is no area “${command.area}” in this plan. The areas are: ${joinList(known)}.`
              : `There is no area “${command.area}”: this plan has no business areas yet. A plan admin can add one, for example: champion HMPPS name@department.gov.uk.`,
        });
      }
      return statusCard(turn.deps, s, [area]);
    }
    if (!command.overall && s.roles.championOf.length > 0) {
      return statusCard(turn.deps, s, s.roles.championOf);
    }
    return statusCard(turn.deps, s, undefined);
  },
};

function statusCard(
  deps: BotDeps,
  s: PlanSituation,
  areas: readonly string[] | undefined,
): BotReply {
  const keys = new Set((areas ?? []).map(areaKey));
  const actions = areas ? s.actions.filter((a) => a.area && keys.has(areaKey(a.area))) : s.actions;
  const champions = areas
    ? [
        ...new Set(s.areas.filter((a) => keys.has(areaKey(a.name))).flatMap((a) => a.champions)),
      ].map((c) => personView(s, c))
    : undefined;
  const reachable = new Set(
    actions.flatMap((a) => a.owners.map(normaliseEmail)).filter((o) => s.reach(o).kind !== 'none'),
  );
  const people = new Map(
    [...new Set(actions.flatMap((a) => a.owners))].map((o) => [o, personView(s, o)]),
  );
  return reply(deps, {
    kind: 'status',
    plan: s.plan,
    ...(areas ? { areas } : {}),
    ...(champions ? { champions } : {}),
    summary: summariseProgress(s.plan, actions, s.now, reachable, STATUS_DUE_SOON_DAYS),
    people,
    recommendations: progressByRecommendation(s.plan.recommendations, actions),
  });
}
