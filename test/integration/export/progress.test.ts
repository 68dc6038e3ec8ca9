import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Progress } from '../../../src/ports/progress';
import { fixedClock } from '../../../src/ports/clock';
import { useTestAzurite } from '../../helpers/azurite';
import { cliAgainst } from '../../helpers/cli-driver';

/**
 * The long commands (import, export, backup, restore) report their progress as they go, on the
 * Progress the CLI is given (a bar on a terminal): checked here with a recording one, on a plan of
 * 600 actions, which Azure Table Storage writes in several transactions.
 */

const dir = mkdtempSync(join(tmpdir(), 'actionplan-progress-'));
const ACTIONS = 600;

const azurite = useTestAzurite();

/** Every stage with the updates it got, and whether the job was stopped. */
function recorder() {
  const stages: { label: string; total: number; updates: number[] }[] = [];
  let stops = 0;
  const progress: Progress = {
    stage: (label, total) => stages.push({ label, total, updates: [] }),
    update: (done) => stages.at(-1)?.updates.push(done),
    stop: () => void stops++,
  };
  return { progress, stages, stops: () => stops, reset: () => void (stages.length = 0) };
}

/** Each stage's updates only go up, and the last one is the stage's total. */
function expectComplete(stage: { label: string; total: number; updates: number[] }): void {
  expect(stage.updates.length).toBeGreaterThan(0);
  expect(stage.updates.at(-1)).toBe(stage.total);
  stage.updates.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(stage.updates[i - 1] ?? 0));
}

it('shows progress while importing, exporting, backing up and restoring a large plan', async () => {
  const rows = Array.from({ length: ACTIONS }, (_x, i) => {
    const ref = `${Math.floor(i / 60) + 1}.${(i % 60) + 1}`;
    return `${ref},Action ${ref},M,31/03/2027,,`;
  });
  const csv = join(dir, 'large.csv');
  writeFileSync(csv, ['Ref,Action,Priority,Target date,Status,Owner', ...rows].join('\n'));
  const r = recorder();
  const cli = cliAgainst(azurite.connectionString, fixedClock('2026-11-24T10:00:00Z'), {
    progress: () => r.progress,
  });

  expect((await cli.run('import', csv, '--plan', 'large')).code).toBe(0);
  // The plan record, each action and its "created" history entry, in several transactions.
  expect(r.stages.map((s) => [s.label, s.total])).toEqual([['Saving records', 1 + 2 * ACTIONS]]);
  expectComplete(r.stages[0]!);
  expect(r.stages[0]!.updates.length).toBeGreaterThan(5);
  expect(r.stops()).toBe(1);

  r.reset();
  expect((await cli.run('export', '--format', 'xlsx', '--out', join(dir, 'large.xlsx'))).code).toBe(
    0,
  );
  expect(r.stages.map((s) => [s.label, s.total])).toEqual([
    ['Laying out actions', ACTIONS],
    [`Writing ${join(dir, 'large.xlsx')}`, 1],
  ]);
  r.stages.forEach(expectComplete);
  expect(r.stages[0]!.updates).toHaveLength(ACTIONS);

  r.reset();
  const backup = join(dir, 'large.json');
  expect((await cli.run('backup', '--out', backup)).code).toBe(0);
  expect(r.stages.map((s) => s.label)).toEqual(['Reading plans', `Writing ${backup}`]);
  r.stages.forEach(expectComplete);

  r.reset();
  expect((await cli.run('restore', backup, '--force')).code).toBe(0);
  expect(r.stages.map((s) => [s.label, s.total])).toEqual([
    ['Removing what is stored', 1],
    ['Restoring records', 1 + 2 * ACTIONS],
  ]);
  r.stages.forEach(expectComplete);
  expect(r.stages[1]!.updates.length).toBeGreaterThan(5);
});
