import { isActionPlanError } from '../../domain/errors.js';
import { notice } from '../commands/replies.js';
import { describeIssue, type ImportPlanReport } from '../import-plan.js';
import { applyImport, previewPlanFile } from '../preview-import.js';
import type { CardActionDeps, CardAnswer, CardPress } from './card-press.js';
import { checkImportPress, claim, NO_PREVIEW, type ImportPress } from './import-press.js';
import type { PlanDocumentReader } from '../../ports/plan-document-reader.js';
import { currentTurn, runOutsideTurn } from '../../ports/turn-deadline.js';

/**
 * Import on an import preview card: the file the admin sent is imported, once. The press is
 * checked (import-press.ts: the admin who sent it, still waiting, not expired), then claimed with
 * an update at the version read, so of two presses at once (a double click, two instances of the
 * bot) exactly one imports; the other is told it is being imported already. The kept file is
 * read again by the same reader and imported against the plan as it is now, the history naming
 * the admin. How it ended is kept on the record, and the file is dropped.
 */
export async function importPlanPress(deps: CardActionDeps, press: CardPress): Promise<CardAnswer> {
  const checked = await checkImportPress(deps, press);
  if ('answer' in checked) return checked.answer;
  const { pendingImports, readPlanDocument } = checked.deps;
  const record = checked.preview.value;
  const file = await pendingImports.readFile(record.id);
  if (!file || !readPlanDocument) return { text: NO_PREVIEW };

  const claimed = await claim(checked, { state: 'importing' });
  if ('answer' in claimed) return claimed.answer;

  // A large plan takes longer than Teams waits for an answer: once claimed, the import runs to
  // its end outside the turn's time limit, and a press answered before it ends says so.
  const turn = currentTurn();
  if (turn) {
    turn.writing = true;
    turn.lateText = `The import of ${record.fileName} is taking longer than Teams waits for an answer, and it carries on. Press Import again in a minute to see how it ended.`;
  }
  const claimedFile = { bytes: file, reader: readPlanDocument, version: claimed.version };
  return runOutsideTurn(() => importClaimed(deps, checked, claimedFile));
}

/** Imports the claimed file and records how it ended; the answer says so. */
async function importClaimed(
  deps: CardActionDeps,
  checked: ImportPress,
  claimed: { bytes: Uint8Array; reader: PlanDocumentReader; version: string },
): Promise<CardAnswer> {
  const { preview, email } = checked;
  const { pendingImports } = checked.deps;
  const { bytes: file, reader: readPlanDocument, version } = claimed;
  const record = preview.value;
  const settle = async (state: 'imported' | 'failed', outcome: string): Promise<void> => {
    await pendingImports.update(
      { ...record, state, outcome, settledAt: deps.clock.now().toISOString() },
      version,
    );
    await pendingImports.dropFile(record.id);
  };
  try {
    const read = await previewPlanFile(
      { plans: deps.plans, clock: deps.clock, readPlanDocument },
      { bytes: file, fileName: record.fileName },
      { planId: record.planId },
    );
    const report = await applyImport(deps, read, {
      by: email,
      ...(deps.planTimeZone ? { timeZone: deps.planTimeZone } : {}),
    });
    const outcome = outcomeOf(report);
    await settle('imported', outcome);
    deps.logger.info(
      { planId: report.planId, actions: report.actionCount, added: report.added.length },
      'plan imported from a file sent in Teams',
    );
    return notice(deps, {
      title: report.created ? 'Plan imported' : 'Plan updated',
      text: `${outcome} The history names you as the importer.`,
      tone: 'good',
    });
  } catch (error) {
    const plain = isActionPlanError(error) && error.reason !== 'storage_unavailable';
    const why = plain ? error.message : 'Something went wrong on my side.';
    await settle('failed', why).catch((e: unknown) =>
      deps.logger.warn({ err: e }, 'could not record that an import failed'),
    );
    if (!plain) throw error;
    return notice(deps, {
      title: `I couldn't import ${record.fileName}`,
      text: `${why} Nothing has been imported.`,
      ...(error.details.length > 0 ? { details: error.details } : {}),
      tone: 'attention',
    });
  }
}

/** "Ministry of Justice IMA Action Plan (progress update May 2017): 42 actions — 3 new, …". */
function outcomeOf(r: ImportPlanReport): string {
  const changed = new Set(r.changes.map((c) => c.ref)).size;
  const label = r.progressUpdate ? ` (progress update ${r.progressUpdate})` : '';
  const kept =
    r.notInDocument.length > 0
      ? ` ${r.notInDocument.length} stored ${r.notInDocument.length === 1 ? 'action is' : 'actions are'} not in the file and ${r.notInDocument.length === 1 ? 'was' : 'were'} kept.`
      : '';
  const warnings =
    r.warnings.length > 0
      ? ` ${r.warnings.length} ${r.warnings.length === 1 ? 'warning' : 'warnings'}: ${describeIssue(r.warnings[0]!)}${r.warnings.length > 1 ? ' …' : ''}`
      : '';
  return `${r.title}${label}: ${r.actionCount} actions — ${r.added.length} new, ${changed} changed, ${r.unchanged.length} unchanged.${kept}${warnings}`;
}
