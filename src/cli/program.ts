import { Command, CommanderError, Option } from 'commander';
import { addArea } from '../app/add-area.js';
import { assignAction } from '../app/assign-action.js';
import { findPlan } from '../app/find-plan.js';
import { describeIssue, type ImportPlanReport } from '../app/import-plan.js';
import { applyImport, previewImport } from '../app/preview-import.js';
import { listActions, showAction } from '../app/list-actions.js';
import { CONFIG_EXIT_CODE, ConfigError } from '../config.js';
import { ActionPlanError } from '../domain/errors.js';
import { STATUSES, type Status } from '../domain/status.js';
import { ACTION_HEADER, actionRows, describeHistory, describeTarget, table } from './format.js';
import { addServeCommand } from './serve-command.js';
import { addExportCommand } from './export-command.js';
import { addBackupCommands } from './backup-command.js';
import { addDateApprovalCommand } from './date-approval-command.js';
import { addPeopleCommands } from './people-command.js';
import { addRemindersCommand } from './reminders-command.js';
import { addDigestCommands } from './digest-command.js';
import type { ContainerDeps } from '../container.js';
import type { ImportResult } from '../domain/parsed-plan.js';
import type { CliEnvironment } from './cli-environment.js';
import { statusLabel } from '../domain/status.js';
import { priorityLabel } from '../domain/priority.js';
import { basename } from 'node:path';

export type { CliEnvironment, Opened } from './cli-environment.js';

/** Runs one command line (without "node actionplan"); resolves to the process exit code. */
export async function runCli(args: readonly string[], env: CliEnvironment): Promise<number> {
  const program = buildProgram(env);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ActionPlanError) {
      env.err(e.message);
      for (const d of e.details) env.err(`  - ${d}`);
      return 1;
    }
    if (e instanceof ConfigError) {
      env.err(e.message);
      return CONFIG_EXIT_CODE;
    }
    env.err(`Something went wrong: ${e instanceof Error ? e.message : String(e)}`);
    return 70;
  }
}

async function withDeps<T>(
  env: CliEnvironment,
  fn: (deps: ContainerDeps) => Promise<T>,
): Promise<T> {
  const { deps, close } = await env.open();
  try {
    return await fn(deps);
  } finally {
    await close();
  }
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

function buildProgram(env: CliEnvironment): Command {
  const program = new Command('actionplan')
    .description(
      "Import an action plan and keep track of it: the command-line door to the action-plan bot's storage.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => env.out(s.trimEnd()),
      writeErr: (s) => env.err(s.trimEnd()),
    })
    .showSuggestionAfterError();
  const planOption = () =>
    new Option('--plan <id>', 'the plan (needed only when there are several)');

  program
    .command('import')
    .description(
      'import a plan (Word .docx, Excel .xlsx, CSV, or text copied from the Word table), or a newer progress update of it',
    )
    .argument('<file>', 'the plan document')
    .addOption(planOption())
    .option('--dry-run', 'read and check the file, write nothing')
    .option('--json', 'print JSON')
    .option('--time-zone <zone>', 'time zone of a new plan', env.config.defaultTimeZone)
    .option('--force', 'import even an older progress update than the one stored')
    .action(
      async (
        file: string,
        o: { plan?: string; dryRun?: boolean; json?: boolean; timeZone: string; force?: boolean },
      ) => {
        const { plan: parsed, errors } = await env.readPlanFile(file);
        if (o.dryRun) {
          if (o.json) env.out(json({ ...parsed, errors }));
          else printParsed(env, parsed, errors.length);
          if (errors.length > 0) {
            if (!o.json) for (const e of errors) env.err(`  - ${describeIssue(e)}`);
            throw new ActionPlanError(
              'invalid_input',
              `${file} has ${errors.length} problem(s); nothing was imported.`,
            );
          }
          return;
        }
        const progress = errors.length === 0 ? env.progress?.() : undefined;
        // The same two steps as a file sent to the bot: preview what the file does, then apply it.
        const report = await withDeps(env, async (deps) => {
          const preview = await previewImport(
            deps,
            { plan: parsed, errors },
            { fileName: basename(file), ...(o.plan ? { planId: o.plan } : {}) },
          );
          return applyImport(deps, preview, {
            timeZone: o.timeZone,
            ...(o.force ? { force: true } : {}),
            ...(progress ? { progress } : {}),
          });
        }).finally(() => progress?.stop());
        if (o.json) env.out(json(report));
        else printImportReport(env, report);
      },
    );

  program
    .command('plans')
    .description('list the stored plans')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const plans = await withDeps(env, async (deps) =>
        Promise.all(
          (await deps.plans.listPlans()).map(async (p) => ({
            ...p.value,
            actionCount: (await deps.plans.listActions(p.value.id)).length,
          })),
        ),
      );
      if (o.json) return env.out(json(plans));
      if (plans.length === 0) return env.out('No plans yet. Import one: actionplan import <file>');
      env.out(
        table(
          ['Plan', 'Title', 'Progress update', 'Actions'],
          plans.map((p) => [p.id, p.title, p.progressUpdate, String(p.actionCount)]),
        ),
      );
    });

  program
    .command('list')
    .description("list a plan's actions")
    .addOption(planOption())
    .addOption(new Option('--status <status>', 'only actions with this status').choices(STATUSES))
    .option('--overdue', 'only actions past their target date and not done')
    .option('--owner <email>', "only this person's actions")
    .option('--area <name>', "only this area's actions")
    .option('--json', 'print JSON')
    .action(
      async (o: {
        plan?: string;
        status?: Status;
        overdue?: boolean;
        owner?: string;
        area?: string;
        json?: boolean;
      }) => {
        const actions = await withDeps(env, async (deps) => {
          const plan = await findPlan(deps, o.plan);
          return listActions(deps, plan.value, {
            ...(o.status ? { status: o.status } : {}),
            ...(o.overdue ? { overdue: true } : {}),
            ...(o.owner ? { owner: o.owner } : {}),
            ...(o.area ? { area: o.area } : {}),
          });
        });
        if (o.json) return env.out(json(actions));
        if (actions.length === 0) return env.out('No actions match.');
        env.out(table(ACTION_HEADER, actionRows(actions)));
        env.out(`${actions.length} action${actions.length === 1 ? '' : 's'}.`);
      },
    );

  const showLike = (name: string, description: string, historyOnly: boolean) =>
    program
      .command(name)
      .description(description)
      .argument('<ref>', 'the action ref, e.g. 4.9a')
      .addOption(planOption())
      .option('--json', 'print JSON')
      .action(async (ref: string, o: { plan?: string; json?: boolean }) => {
        const found = await withDeps(env, async (deps) =>
          showAction(deps, (await findPlan(deps, o.plan)).value.id, ref),
        );
        if (o.json) return env.out(json(historyOnly ? found.history : found));
        if (!historyOnly) printAction(env, found.action);
        env.out(historyOnly ? `History of ${found.action.ref}:` : '\nHistory:');
        for (const h of found.history) env.out(`  ${describeHistory(h)}`);
      });
  showLike('show', 'show one action and its history', false);
  showLike('history', "print one action's history", true);

  program
    .command('assign')
    .description('give an action its owner(s), and optionally its area')
    .argument('<ref>', 'the action ref, e.g. 4.9a')
    .requiredOption('--owner <email...>', 'owner email address(es)')
    .option('--area <name>', 'the business area')
    .addOption(planOption())
    .action(async (ref: string, o: { owner: string[]; area?: string; plan?: string }) => {
      const result = await withDeps(env, async (deps) =>
        assignAction(deps, {
          planId: (await findPlan(deps, o.plan)).value.id,
          ref,
          owners: o.owner,
          ...(o.area ? { area: o.area } : {}),
          by: 'cli',
        }),
      );
      const a = result.action.value;
      env.out(
        result.changes.length === 0
          ? `${a.ref} already belongs to ${a.owners.join(', ')}${a.area ? ` in ${a.area}` : ''}; nothing changed.`
          : `${a.ref} now belongs to ${a.owners.join(', ')}${a.area ? ` in ${a.area}` : ''}.`,
      );
    });

  const area = program.command('area').description('business areas and their KIM Champions');
  area
    .command('add')
    .description('add an area with its champion(s), or add champions to an area')
    .argument('<name>', 'the area, e.g. HMPPS')
    .requiredOption('--champion <email...>', 'champion email address(es)')
    .addOption(planOption())
    .action(async (name: string, o: { champion: string[]; plan?: string }) => {
      const saved = await withDeps(env, async (deps) =>
        addArea(deps, {
          planId: (await findPlan(deps, o.plan)).value.id,
          name,
          champions: o.champion,
        }),
      );
      env.out(
        `Area ${saved.name}: champion${saved.champions.length === 1 ? '' : 's'} ${saved.champions.join(', ')}.`,
      );
    });
  area
    .command('list')
    .description("list a plan's areas")
    .addOption(planOption())
    .option('--json', 'print JSON')
    .action(async (o: { plan?: string; json?: boolean }) => {
      const areas = await withDeps(env, async (deps) =>
        deps.plans.listAreas((await findPlan(deps, o.plan)).value.id),
      );
      if (o.json) return env.out(json(areas.map((a) => a.value)));
      if (areas.length === 0)
        return env.out('No areas yet. Add one: actionplan area add <name> --champion <email>');
      env.out(
        table(
          ['Area', 'Champions'],
          areas.map((a) => [a.value.name, a.value.champions.join(', ')]),
        ),
      );
    });

  addServeCommand(program, env);
  addExportCommand(program, env);
  addBackupCommands(program, env);
  addDateApprovalCommand(program, env);
  addPeopleCommands(program, env);
  addRemindersCommand(program, env);
  addDigestCommands(program, env);
  return program;
}

function printParsed(env: CliEnvironment, parsed: ImportResult['plan'], errorCount: number): void {
  env.out(
    `${parsed.title || '(no title)'}${parsed.progressUpdate ? ` — progress update ${parsed.progressUpdate}` : ''}`,
  );
  env.out(`${parsed.recommendations.length} recommendations, ${parsed.actions.length} actions.`);
  for (const w of parsed.warnings) env.out(`  warning: ${describeIssue(w)}`);
  if (errorCount === 0) env.out('The file reads cleanly (dry run: nothing was written).');
}

function printImportReport(env: CliEnvironment, r: ImportPlanReport): void {
  env.out(
    `${r.created ? 'Imported' : 'Updated'} "${r.title}" as plan ${r.planId}${r.progressUpdate ? ` (progress update ${r.progressUpdate})` : ''}: ${r.actionCount} actions — ${r.added.length} new, ${new Set(r.changes.map((c) => c.ref)).size} changed, ${r.unchanged.length} unchanged.`,
  );
  for (const c of r.changes) env.out(`  ${c.ref} ${c.field}: "${c.from}" → "${c.to}"`);
  if (r.notInDocument.length > 0) {
    env.out(`  Kept, though not in this document: ${r.notInDocument.join(', ')}.`);
  }
  for (const k of r.kept) env.out(`  ${k}`);
  for (const w of r.warnings) env.out(`  warning: ${describeIssue(w)}`);
}

function printAction(env: CliEnvironment, a: import('../domain/plan.js').Action): void {
  env.out(`${a.ref}  ${a.text}`);
  env.out(
    `  Recommendation ${a.recommendation} · Priority ${priorityLabel(a.priority)} · Target ${describeTarget(a)}`,
  );
  env.out(
    `  Status ${statusLabel(a.status)} · Owner ${a.owners.join(', ') || '(no owner)'}${a.area ? ` · Area ${a.area}` : ''}`,
  );
  if (a.note) env.out(`  Latest note: ${a.note}`);
}
