import { Option, type Command } from 'commander';
import {
  installForUnreached,
  whoCanWeReach,
  type ReachLine,
  type ReachReport,
} from '../app/people/reach-report.js';
import { ActionPlanError } from '../domain/errors.js';
import type { CliEnvironment } from './cli-environment.js';
import { table } from './format.js';

/**
 * `actionplan people reach [--plan <id>] [--json] [--install]`: every owner and champion of the
 * plan and how the bot reaches them — their personal chat, a chat it opens through a team, an
 * installation through Microsoft Graph, or not at all and why. `--install` runs the Graph
 * installations now (with a progress bar), then shows the list again.
 */
export function addPeopleCommands(
  program: Command,
  env: Pick<CliEnvironment, 'out' | 'open' | 'progress'>,
): void {
  const people = program
    .command('people')
    .description('the people the bot knows, and how it reaches them');
  people
    .command('reach')
    .description('every owner and champion of a plan, and how the bot reaches them (or why not)')
    .addOption(new Option('--plan <id>', 'the plan (needed only when there are several)'))
    .option('--json', 'print JSON')
    .option(
      '--install',
      'install the app through Microsoft Graph now for those it can reach no other way',
    )
    .action(async (o: { plan?: string; json?: boolean; install?: boolean }) => {
      const { deps, close } = await env.open();
      try {
        let report = await whoCanWeReach(deps, o.plan);
        let installed;
        if (o.install) {
          const installer = deps.installer;
          if (!installer) {
            throw new ActionPlanError(
              'invalid_input',
              'Installing through Microsoft Graph is not switched on: set GRAPH_INSTALL_ENABLED=true and TEAMS_APP_ID (or TEAMS_APP_CATALOG_ID), and grant the permissions in docs/OPERATIONS.md.',
            );
          }
          const progress = env.progress?.();
          try {
            installed = await installForUnreached({ ...deps, installer }, report, {
              retryRefused: true,
              onEach: (done, of) => {
                if (done === 0) progress?.stage('Installing through Microsoft Graph', of);
                else progress?.update(done);
              },
            });
          } finally {
            progress?.stop();
          }
          report = await whoCanWeReach(deps, report.plan.id);
        }
        if (o.json) {
          env.out(
            JSON.stringify(
              { ...jsonOf(report), ...(installed ? { install: installed } : {}) },
              null,
              2,
            ),
          );
          return;
        }
        if (installed) {
          env.out(
            `Microsoft Graph: ${installed.tried} tried, ${installed.installed} installed, ${installed.refused} refused, ${installed.failed} failed.`,
          );
        }
        env.out(describe(report));
      } finally {
        await close();
      }
    });
}

const PATHS: Record<ReachLine['path'], string> = {
  chat: 'personal chat',
  team: 'through a team',
  graph: 'installable through Microsoft Graph',
  none: 'not reachable',
};

function describe(report: ReachReport): string {
  const { counts } = report;
  const total = report.lines.length;
  const head = `${report.plan.title}: ${total} ${total === 1 ? 'person' : 'people'} — ${counts.chat} by personal chat, ${counts.team} through a team, ${counts.graph} installable through Microsoft Graph, ${counts.none} not reachable.${report.graph ? '' : ' (Installing through Microsoft Graph is off.)'}`;
  if (total === 0) return `${head}\nThe plan names no owners or champions yet.`;
  const rows = report.lines.map((l) => [
    l.name ? `${l.name} <${l.email}>` : l.email,
    l.roles.join(', '),
    l.refs.join(', ') || '-',
    l.path === 'team' ? `through ${l.teams?.join(', ')}` : PATHS[l.path],
    l.why ?? '',
  ]);
  return `${head}\n\n${table(['Person', 'Role', 'Owns', 'How', 'Why'], rows)}`;
}

function jsonOf(report: ReachReport) {
  return {
    plan: report.plan.id,
    graph: report.graph,
    counts: report.counts,
    people: report.lines.map((l) => ({
      email: l.email,
      ...(l.name ? { name: l.name } : {}),
      roles: l.roles,
      refs: l.refs,
      path: l.path,
      ...(l.teams ? { teams: l.teams } : {}),
      ...(l.why ? { why: l.why } : {}),
      ...(l.lastInstall ? { lastInstall: l.lastInstall } : {}),
    })),
  };
}
