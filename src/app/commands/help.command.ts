import type { CommandHandler } from './command-handler.js';
import { reply } from './replies.js';
import { areaNames } from './situation.js';

/**
 * The help card: the commands, with examples taken from the plan (a ref with a letter, a real
 * area) so they can be tried as written; the admin commands for admins only. Answers before any
 * plan is imported too.
 */
export const helpCommand: CommandHandler<'help'> = {
  answer(_command, { deps, context, situation: s }) {
    const exampleRef = s.actions.find((a) => /[a-z]$/.test(a.ref))?.ref ?? s.actions[0]?.ref;
    const exampleArea = areaNames(s)[0];
    return reply(deps, {
      kind: 'help',
      scope: context.scope,
      isAdmin: s.roles.admin,
      ...(s.plan ? { planId: s.plan.id } : {}),
      ...(exampleRef ? { exampleRef } : {}),
      ...(exampleArea ? { exampleArea } : {}),
    });
  },
};
