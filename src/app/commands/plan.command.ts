import { countByStatus, progressByRecommendation } from '../../domain/progress.js';
import type { CommandHandler } from './command-handler.js';
import { reply } from './replies.js';

/** Progress per recommendation: the plan as The National Archives reads it. */
export const planCommand: CommandHandler<'plan'> = {
  answer(_command, turn) {
    const s = turn.planned();
    return reply(turn.deps, {
      kind: 'planProgress',
      plan: s.plan,
      overall: countByStatus(s.actions),
      recommendations: progressByRecommendation(s.plan.recommendations, s.actions),
    });
  },
};
