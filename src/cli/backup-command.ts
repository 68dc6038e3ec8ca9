import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { countsOf, createBackup } from '../app/backup/create-backup.js';
import type { BackupStores } from '../app/backup/record-kind.js';
import { RECORD_KINDS, type BackupCounts } from '../app/backup/record-kinds.js';
import { restoreBackup, said, type Removed } from '../app/backup/restore-backup.js';
import { readBackupDocument, writeBackupDocument } from '../documents/backup-document.js';
import { ActionPlanError } from '../domain/errors.js';
import type { Progress } from '../ports/progress.js';
import type { CliEnvironment } from './cli-environment.js';

/** What the commands need of the CLI's environment: every store, through `open`. */
export type BackupEnvironment = Pick<CliEnvironment, 'out' | 'open' | 'progress'>;

/** A restore file larger than this is refused before it is read: a real backup is a few MB. */
const MAX_BACKUP_BYTES = 512 * 1024 * 1024;

/**
 * `actionplan backup --out <file.json>` and `actionplan restore <file.json> [--force]`: everything
 * stored, as one JSON file with a format version, and back. The file is
 * src/documents/backup-document.ts; what is in it, src/app/backup/record-kinds.ts.
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
          await writeFile(partial, writeBackupDocument(backup), 'utf8');
          await rename(partial, o.out);
          progress?.update(1);
          return countsOf(backup.records);
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
      const backup = readBackupDocument(await readBackupFile(file));
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
      if (report.removed.length > 0) {
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

/** "2 plans, 44 actions, …": each kind a backup holds, in the order of RECORD_KINDS. */
function describeCounts(c: BackupCounts): string {
  return RECORD_KINDS.flatMap((kind) => {
    const n = c[kind.name];
    return n === undefined ? [] : [said(n, kind)];
  }).join(', ');
}

/** "3 plans (130 records), 2 people": each kind removed, with what went with it. */
function describeRemoved(removed: readonly Removed[]): string {
  return removed
    .map((r) => {
      const kind = RECORD_KINDS.find((k) => k.name === r.kind)!;
      const records = r.records === r.count ? '' : ` (${r.records} records)`;
      return `${said(r.count, kind)}${records}`;
    })
    .join(', ');
}
