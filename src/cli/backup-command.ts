import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createBackup, type BackupCounts, type BackupStores } from '../app/backup.js';
import { readBackup, restoreBackup, type StoredCounts } from '../app/restore.js';
import { ActionPlanError } from '../domain/errors.js';
import type { Progress } from '../ports/progress.js';
import type { CliEnvironment } from './cli-environment.js';

/** What the commands need of the CLI's environment: every store, through `open`. */
export type BackupEnvironment = Pick<CliEnvironment, 'out' | 'open' | 'progress'>;

/** A restore file larger than this is refused before it is read: a real backup is a few MB. */
const MAX_BACKUP_BYTES = 512 * 1024 * 1024;

/**
 * `actionplan backup --out <file.json>` and `actionplan restore <file.json> [--force]`: everything
 * stored, as one JSON file with a format version, and back. See src/app/backup.ts for the format.
 */
export function addBackupCommands(program: Command, env: BackupEnvironment): void {
  program
    .command('backup')
    .description(
      'write everything stored (plans, actions, history, areas, people, conversations, sent cards, reminder records) to a JSON file',
    )
    .requiredOption('--out <file>', 'the backup file to write (replaced if it exists)')
    .option('--json', 'print what was written as JSON')
    .action(async (o: { out: string; json?: boolean }) => {
      const progress = env.progress?.();
      const counts = await withStores(
        env,
        async (stores) => {
          const backup = await createBackup(stores, progress);
          progress?.stage(`Writing ${o.out}`, 1);
          // Written beside the target, then renamed: an interrupted backup never leaves half a file
          // where a good one was.
          const partial = `${o.out}.partial`;
          await writeFile(partial, `${JSON.stringify(backup, null, 2)}\n`, 'utf8');
          await rename(partial, o.out);
          progress?.update(1);
          return backup.counts;
        },
        progress,
      );
      if (o.json) return env.out(JSON.stringify({ out: o.out, counts }, null, 2));
      env.out(`Backed up to ${o.out}: ${describeCounts(counts)}.`);
    });

  program
    .command('restore')
    .description(
      'put a backup back, into empty storage (or replace everything stored with --force)',
    )
    .argument('<file>', 'a backup written by actionplan backup')
    .option('--force', 'remove everything stored first, then restore the backup')
    .option('--json', 'print what was restored as JSON')
    .action(async (file: string, o: { force?: boolean; json?: boolean }) => {
      const backup = readBackup(await readBackupFile(file));
      const progress = env.progress?.();
      const report = await withStores(
        env,
        (stores) =>
          restoreBackup(stores, backup, {
            ...(o.force ? { force: true } : {}),
            ...(progress ? { progress } : {}),
          }),
        progress,
      );
      if (o.json) return env.out(JSON.stringify(report, null, 2));
      if (Object.values(report.removed).some((n) => n > 0)) {
        env.out(`Removed what was stored: ${describeRemoved(report.removed)}.`);
      }
      env.out(`Restored ${file}: ${describeCounts(report.restored)}.`);
      for (const w of report.warnings) env.out(`  warning: ${w}`);
    });
}

async function withStores<T>(
  env: BackupEnvironment,
  work: (stores: BackupStores) => Promise<T>,
  progress: Progress | undefined,
): Promise<T> {
  const { deps, close } = await env.open();
  try {
    return await work(deps);
  } finally {
    progress?.stop();
    await close();
  }
}

async function readBackupFile(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ActionPlanError('invalid_input', `"${path}" is not a file.`);
    if (info.size > MAX_BACKUP_BYTES) {
      throw new ActionPlanError(
        'invalid_input',
        `"${path}" is ${Math.round(info.size / 1024 / 1024)} MB: too big to be a backup of this bot.`,
      );
    }
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ActionPlanError('not_found', `There is no file "${path}".`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ActionPlanError(
        'invalid_input',
        `The file "${path}" cannot be read (permission denied).`,
      );
    }
    throw e;
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function describeCounts(c: BackupCounts): string {
  return [
    plural(c.plans, 'plan'),
    plural(c.actions, 'action'),
    plural(c.areas, 'area'),
    plural(c.history, 'history entry', 'history entries'),
    plural(c.people, 'person', 'people'),
    plural(c.conversations, 'conversation'),
    ...(c.sentCards === undefined ? [] : [plural(c.sentCards, 'sent card')]),
    ...(c.deliveries === undefined ? [] : [plural(c.deliveries, 'reminder delivery record')]),
    ...(c.digestSubscriptions === undefined
      ? []
      : [plural(c.digestSubscriptions, 'digest subscription')]),
  ].join(', ');
}

function describeRemoved(c: StoredCounts): string {
  return [
    `${plural(c.plans, 'plan')} (${plural(c.planRecords, 'record')})`,
    plural(c.people, 'person', 'people'),
    plural(c.conversations, 'conversation'),
    plural(c.sentCards, 'sent card'),
    ...(c.digestSubscriptions > 0 ? [plural(c.digestSubscriptions, 'digest subscription')] : []),
  ].join(', ');
}
