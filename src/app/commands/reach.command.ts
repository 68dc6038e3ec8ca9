import { readReachFacts, reachReport, type ReachLine } from '../people/reach-report.js';
import type { CommandHandler } from './command-handler.js';
import { notice, refusal } from './replies.js';

/** Lines on the card; `actionplan people reach` lists everyone. */
const MAX_LINES = 25;

/**
 * "who can you reach?": for a plan admin, every owner and champion of the plan the bot cannot
 * message directly — installable through Microsoft Graph, or not reachable and why — and how
 * many it reaches by personal chat and through which teams. The same report as
 * `actionplan people reach` (app/people/reach-report.ts).
 */
export const reachCommand: CommandHandler<'reach'> = {
  async answer(_command, turn) {
    const s = turn.planned();
    if (!s.roles.admin) return refusal(turn.deps, 'see who the bot can reach');
    const report = reachReport(await readReachFacts(turn.deps, s.plan.id));
    const { counts } = report;
    const total = report.lines.length;
    if (total === 0) {
      return notice(turn.deps, {
        title: 'Who I can reach',
        text: 'The plan names no owners of open actions and no champions yet.',
      });
    }
    const teams = [...new Set(report.lines.flatMap((l) => l.teams ?? []))];
    const text = [
      `Of ${total} ${total === 1 ? 'person' : 'people'} in ${s.plan.title}: ${counts.chat} by their personal chat, ${counts.team} through ${teams.length === 1 ? 'the team' : 'teams'}${teams.length > 0 ? ` (${teams.join(', ')})` : ''}, ${counts.graph} installable through Microsoft Graph, ${counts.none} not reachable.`,
      counts.none + counts.graph === 0 ? 'Everyone can be reached.' : '',
    ]
      .filter((t) => t !== '')
      .join(' ');
    const lines = report.lines.filter((l) => l.path === 'none' || l.path === 'graph');
    const details = lines.slice(0, MAX_LINES).map(lineText);
    if (lines.length > MAX_LINES) {
      details.push(
        `…and ${lines.length - MAX_LINES} more: actionplan people reach lists everyone.`,
      );
    }
    return notice(turn.deps, {
      title: 'Who I can reach',
      text,
      ...(details.length > 0 ? { details } : {}),
      tone: counts.none > 0 ? 'warning' : 'info',
    });
  },
};

function lineText(l: ReachLine): string {
  const who = l.name ? `${l.name} (${l.email})` : l.email;
  const owns =
    l.refs.length > 0
      ? `, owner of ${l.refs.slice(0, 8).join(', ')}${l.refs.length > 8 ? '…' : ''}`
      : '';
  const how = l.path === 'graph' ? 'installable through Microsoft Graph' : 'not reachable';
  return `${who}${owns}: ${how}. ${l.why ?? ''}`.trim();
}
