import type { ImportIssue, ImportResult, ParsedPlan } from '../domain/parsed-plan.js';
import { planIdFromTitle, planImport } from '../domain/plan-import.js';
import { DEFAULT_TIME_ZONE } from '../domain/plan.js';
import { STATUSES, type Status } from '../domain/status.js';
import type { ImportUpdateView } from '../ports/card-renderer.js';
import type { PlanDocumentReader } from '../ports/plan-document-reader.js';
import type { Progress } from '../ports/progress.js';
import type { AppDeps } from './deps.js';
import { importPlan, isOlderUpdate, type ImportPlanReport } from './import-plan.js';

/**
 * Importing a plan document in two steps, for every door (the command line, a file sent to the
 * bot): a preview that reads the document and works out what it would do to the stored plan,
 * writing nothing, and an apply step that imports what the preview read.
 */

/** What importing a document would do, before anything is written. */
export interface ImportPreview {
  readonly fileName: string;
  /** The plan it goes to: the id asked for, else one made from the document's title. */
  readonly planId: string;
  readonly title: string;
  /** The document's "Progress update – <label>", or ''. */
  readonly progressUpdate: string;
  readonly recommendationCount: number;
  readonly actionCount: number;
  readonly byStatus: Readonly<Record<Status, number>>;
  /** Problems that let the import go on, each with its place (line, sheet or table and row). */
  readonly warnings: readonly ImportIssue[];
  /** Problems that refuse the import: while there is one, apply writes nothing. */
  readonly errors: readonly ImportIssue[];
  /** When the plan is stored already: what the document would change in it. */
  readonly update?: ImportUpdatePreview;
  /** The document as read: what apply imports. */
  readonly parsed: ParsedPlan;
}

/** What a newer progress update would change (ports/card-renderer.ts), and whether it is older. */
export interface ImportUpdatePreview extends ImportUpdateView {
  /** The document's update is older than the stored one: apply refuses it unless forced. */
  readonly older: boolean;
}

export interface PreviewOptions {
  readonly planId?: string;
  /** The time zone of a new plan. */
  readonly timeZone?: string;
}

/** Reads the file (its kind told from its bytes) and previews its import. Writes nothing. */
export async function previewPlanFile(
  deps: AppDeps & { readonly readPlanDocument: PlanDocumentReader },
  file: { readonly bytes: Uint8Array; readonly fileName: string },
  options: PreviewOptions = {},
): Promise<ImportPreview> {
  const read = await deps.readPlanDocument(file.bytes, file.fileName);
  return previewImport(deps, read, { ...options, fileName: file.fileName });
}

/** Previews the import of a document already read. Writes nothing. */
export async function previewImport(
  deps: AppDeps,
  read: ImportResult,
  options: PreviewOptions & { readonly fileName: string },
): Promise<ImportPreview> {
  const parsed = read.plan;
  const planId = options.planId ?? planIdFromTitle(parsed.title);
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const a of parsed.actions) byStatus[a.status]++;
  const preview: ImportPreview = {
    fileName: options.fileName,
    planId,
    title: parsed.title,
    progressUpdate: parsed.progressUpdate,
    recommendationCount: parsed.recommendations.length,
    actionCount: parsed.actions.length,
    byStatus,
    warnings: parsed.warnings,
    errors: read.errors,
    parsed,
  };
  if (read.errors.length > 0) return preview;
  const stored = await deps.plans.getPlan(planId);
  if (!stored) return preview;
  const actions = (await deps.plans.listActions(planId)).map((a) => a.value);
  const outcome = planImport({ plan: stored.value, actions }, parsed, {
    planId,
    timeZone: stored.value.timeZone ?? options.timeZone ?? DEFAULT_TIME_ZONE,
    at: deps.clock.now().toISOString(),
    by: `import:${options.fileName}`,
  });
  return {
    ...preview,
    update: {
      storedProgressUpdate: stored.value.progressUpdate,
      older: isOlderUpdate(stored.value.progressUpdate, parsed.progressUpdate),
      added: outcome.added,
      changes: outcome.changes,
      unchanged: outcome.unchanged.length,
      notInDocument: outcome.notInDocument,
      kept: outcome.kept,
    },
  };
}

export interface ApplyOptions {
  /** Who imports, as the history names them; "import:<file name>" when not given. */
  readonly by?: string;
  readonly timeZone?: string;
  /** Import even if the document's progress update is older than the plan's. */
  readonly force?: boolean;
  readonly progress?: Progress;
}

/**
 * Imports what a preview read. The stored plan is read afresh, so a change made since the
 * preview is not undone; a preview with errors writes nothing.
 */
export function applyImport(
  deps: AppDeps,
  preview: ImportPreview,
  options: ApplyOptions = {},
): Promise<ImportPlanReport> {
  return importPlan(deps, {
    parsed: preview.parsed,
    errors: preview.errors,
    source: preview.fileName,
    planId: preview.planId,
    ...(options.by !== undefined ? { by: options.by } : {}),
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.force ? { force: true } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
}
