import { Option, type Command } from 'commander';
import { dateApproval } from '../app/card-actions/date-approval.js';
import { ActionPlanError } from '../domain/errors.js';
import type { CliEnvironment } from './cli-environment.js';

/**
 * `actionplan date-approval [on|off] [--plan <id>]`: whether an owner's new target date, proposed
 * from the card, waits for the area's KIM Champion (or an admin) to approve it. Off by default:
 * owners move their own dates and the champion is told. Without on or off, says which it is.
 */
export function addDateApprovalCommand(
  program: Command,
  env: Pick<CliEnvironment, 'out' | 'open'>,
): void {
  program
    .command('date-approval')
    .description("whether owners' new target dates need their KIM Champion's approval")
    .argument('[on|off]', 'on: a champion approves each new date; off: owners move their own')
    .addOption(new Option('--plan <id>', 'the plan (needed when several are stored)'))
    .action(async (choice: string | undefined, o: { plan?: string }) => {
      const wanted = choice === undefined ? undefined : parseChoice(choice);
      const { deps, close } = await env.open();
      try {
        const result = await dateApproval(deps, o.plan, wanted);
        const what = result.required
          ? "new target dates proposed by owners wait for their KIM Champion's approval"
          : 'owners move their own target dates, and their KIM Champion is told';
        env.out(
          `${result.plan.title}: ${what}${result.changed ? '.' : wanted === undefined ? '.' : ' (no change).'}`,
        );
      } finally {
        await close();
      }
    });
}

function parseChoice(choice: string): boolean {
  const c = choice.trim().toLowerCase();
  if (['on', 'yes', 'true'].includes(c)) return true;
  if (['off', 'no', 'false'].includes(c)) return false;
  throw new ActionPlanError('invalid_input', `Say on or off, not "${choice}".`);
}
