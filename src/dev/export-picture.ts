/**
 * `npm run docs:export-picture`: draws the first page of the Word progress update of the MoJ plan
 * to docs/export-first-page.png, for docs/ADMIN.md.
 *
 * The plan (demo/moj-ima-action-plan-may-2017.txt) is imported into memory on a fixed day and
 * given the kind of updates the bot collects (statuses, notes, a target moved from a card), then
 * exported as Word exactly as `actionplan export` does. LibreOffice turns the document into a PDF
 * and pdftoppm (poppler) draws its first page. Both come from Debian packages:
 *
 *     apt-get install -y libreoffice-writer poppler-utils
 *
 * Not run by CI: the picture is committed, and redrawn by hand when the layout changes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { addArea } from '../app/add-area.js';
import { assignAction } from '../app/assign-action.js';
import { changeAction } from '../app/change-action.js';
import { exportPlan } from '../app/export-plan.js';
import { importPlan } from '../app/import-plan.js';
import { writeProgressUpdate } from '../documents/export/write-progress-update.js';
import { parseTextPlan } from '../documents/text-plan-importer.js';
import type { Status } from '../domain/status.js';
import { parseTarget } from '../domain/target.js';
import { fixedClock } from '../ports/clock.js';
import { InMemoryPlanRepository } from '../storage/in-memory-plan-repository.js';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..');
const PLAN_FILE = join(ROOT, 'demo', 'moj-ima-action-plan-may-2017.txt');
const PICTURE = join(ROOT, 'docs', 'export-first-page.png');
/** Pixels per inch of the picture: an A4 landscape page 1170 pixels wide. */
const RESOLUTION = 100;

async function main(): Promise<void> {
  const plans = new InMemoryPlanRepository();
  const deps = { plans, clock: fixedClock('2017-11-24T10:00:00Z') };
  const { plan, errors } = parseTextPlan(await readFile(PLAN_FILE, 'utf8'));
  const { planId } = await importPlan(
    { plans, clock: fixedClock('2017-05-31T12:00:00Z') },
    { parsed: plan, errors, source: 'moj-ima-action-plan-may-2017.txt' },
  );

  // Six months of answers on cards, as the November 2017 update would show them.
  await addArea(deps, { planId, name: 'MoJ HQ', champions: ['priya.shah@justice.gov.uk'] });
  await assignAction(deps, {
    planId,
    ref: '1.1',
    owners: ['kim.lead@justice.gov.uk'],
    area: 'MoJ HQ',
    by: 'priya.shah@justice.gov.uk',
  });
  const update = (ref: string, status: Status, note: string) =>
    changeAction(deps, {
      planId,
      ref,
      by: 'kim.lead@justice.gov.uk',
      note,
      apply: (a) => ({ ...a, status, note }),
    });
  await update(
    '1.1',
    'in_progress',
    'Strategy drafted; with the Executive Committee for sign-off.',
  );
  await changeAction(deps, {
    planId,
    ref: '1.1',
    by: 'kim.lead@justice.gov.uk',
    note: 'Executive Committee meets in January.',
    apply: (a) => ({ ...a, target: parseTarget('2018-01-31') }),
  });
  await update(
    '1.2',
    'complete',
    'Foreword from the Permanent Secretary published on the intranet.',
  );
  await update('1.3', 'in_progress', 'Quarterly KIM board reports since July.');
  await update('1.4', 'blocked', 'Waiting for the new Chief Information Officer to start.');

  const exported = await exportPlan(
    { plans, clock: deps.clock, writeProgressUpdate },
    { planId, format: 'docx', label: 'November 2017' },
  );

  const dir = await mkdtemp(join(tmpdir(), 'export-picture-'));
  try {
    const docx = join(dir, 'progress-update.docx');
    await writeFile(docx, exported.bytes);
    await tool('soffice', [
      '--headless',
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      docx,
    ]);
    await tool('pdftoppm', [
      '-png',
      '-r',
      String(RESOLUTION),
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(dir, 'progress-update.pdf'),
      PICTURE.replace(/\.png$/, ''),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`Drew the first page of ${exported.fileName} to ${PICTURE}.\n`);
}

async function tool(command: string, args: readonly string[]): Promise<void> {
  try {
    await run(command, args, { timeout: 120_000 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${command} is not installed. Install LibreOffice and poppler: apt-get install -y libreoffice-writer poppler-utils`,
        { cause: e },
      );
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
