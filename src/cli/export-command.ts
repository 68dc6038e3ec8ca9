import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { countsLine, exportPlan } from '../app/export-plan.js';
import { EXPORT_FORMATS, EXPORT_FORMAT_NAMES } from '../domain/export-format.js';
import type { ExportFormat } from '../domain/export-format.js';
import type { CliEnvironment } from './cli-environment.js';

/** What the command needs of the CLI's environment. */
export type ExportEnvironment = Pick<CliEnvironment, 'out' | 'open' | 'progress'>;

/**
 * `actionplan export --format docx|xlsx|csv --out <file> [--plan <id>] [--label "November 2026"]
 * [--as-of 2026-11-30]`: the plan's next "Progress update – <label>" as a file. The Excel and
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
    .option(
      '--as-of <date>',
      'the date the update is made, YYYY-MM-DD (default: today); it dates the document and the default label, it does not rewind the plan',
      parseAsOf,
    )
    .option('--json', 'print what was written as JSON')
    .action(
      async (o: {
        format: ExportFormat;
        out: string;
        plan?: string;
        label?: string;
        asOf?: Date;
        json?: boolean;
      }) => {
        const progress = env.progress?.();
        const { deps, close } = await env.open();
        let exported;
        try {
          exported = await exportPlan(deps, {
            format: o.format,
            ...(o.plan ? { planId: o.plan } : {}),
            ...(o.label !== undefined ? { label: o.label } : {}),
            ...(o.asOf ? { asOf: o.asOf } : {}),
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

/** YYYY-MM-DD (noon UTC, so it is that day in any plan's zone) or a full ISO 8601 instant. */
export function parseAsOf(text: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = day ? new Date(`${text.trim()}T12:00:00Z`) : new Date(text);
  const valid =
    !Number.isNaN(date.getTime()) &&
    (!day || date.toISOString().slice(0, 10) === text.trim()) &&
    (day !== null || /^\d{4}-\d{2}-\d{2}T/.test(text.trim()));
  if (!valid) throw new InvalidArgumentError('give a date as YYYY-MM-DD, e.g. 2026-11-30.');
  return date;
}
