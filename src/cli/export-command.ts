import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { countsLine, exportPlan } from '../app/export-plan.js';
import { findPlan } from '../app/find-plan.js';
import { reminderSettingsOf } from '../domain/plan-settings.js';
import { EXPORT_FORMATS, EXPORT_FORMAT_NAMES } from '../domain/export-format.js';
import type { ExportFormat } from '../domain/export-format.js';
import { asOfOption, resolveAsOf, type AsOf } from './as-of.js';
import type { CliEnvironment } from './cli-environment.js';

/** What the command needs of the CLI's environment. */
export type ExportEnvironment = Pick<CliEnvironment, 'out' | 'open' | 'progress'>;

/**
 * `actionplan export --format docx|xlsx|csv --out <file> [--plan <id>] [--label "November 2026"]
 * [--as-of 2026-11-30]`: the plan's next "Progress update – <label>" as a file, dated that day in
 * the plan's time zone (src/cli/as-of.ts: one meaning of --as-of for every command). The Excel and
 * CSV files import back (`actionplan import`) into the same actions, targets, statuses and owners.
 */
export function addExportCommand(program: Command, env: ExportEnvironment): void {
  program
    .command('export')
    .description('write the progress update for The National Archives as Word, Excel or CSV')
    .addOption(
      new Option('--format <format>', 'docx (Word), xlsx (Excel) or csv')
        .choices(EXPORT_FORMATS)
        .makeOptionMandatory(),
    )
    .requiredOption('--out <file>', 'the file to write (replaced if it exists)')
    .option('--plan <id>', 'the plan (needed only when there are several)')
    .option(
      '--label <label>',
      'the progress-update label (default: this month, e.g. "November 2026")',
    )
    .addOption(
      asOfOption(
        'the day the update is made (it dates the document and the default label; it does not rewind the plan)',
      ),
    )
    .option('--json', 'print what was written as JSON')
    .action(
      async (o: {
        format: ExportFormat;
        out: string;
        plan?: string;
        label?: string;
        asOf?: AsOf;
        json?: boolean;
      }) => {
        const progress = env.progress?.();
        const { deps, close } = await env.open();
        let exported;
        try {
          const plan = (await findPlan(deps, o.plan)).value;
          const asOf =
            o.asOf &&
            resolveAsOf(o.asOf, {
              timeZone: plan.timeZone,
              sendAt: reminderSettingsOf(plan).sendAt,
            });
          exported = await exportPlan(deps, {
            format: o.format,
            planId: plan.id,
            ...(o.label !== undefined ? { label: o.label } : {}),
            ...(asOf ? { asOf } : {}),
            ...(progress ? { progress } : {}),
          });
          progress?.stage(`Writing ${o.out}`, 1);
          await writeFile(o.out, exported.bytes);
          progress?.update(1);
        } finally {
          progress?.stop();
          await close();
        }
        if (o.json) {
          const { plan, bytes, counts, asOf, ...rest } = exported;
          env.out(
            JSON.stringify(
              {
                planId: plan.id,
                title: plan.title,
                ...rest,
                asOf: asOf.toISOString(),
                bytes: bytes.length,
                out: o.out,
                counts,
              },
              null,
              2,
            ),
          );
          return;
        }
        env.out(
          `Wrote ${o.out}: "${exported.plan.title}", Progress update – ${exported.label} (${EXPORT_FORMAT_NAMES[exported.format]}, ${kilobytes(exported.bytes.length)}).`,
        );
        env.out(`  ${countsLine(exported.counts)}.`);
      },
    );
}

const kilobytes = (n: number): string =>
  n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
