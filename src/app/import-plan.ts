import { ActionPlanError, isActionPlanError } from '../domain/errors.js';
import type { ImportIssue, ParsedPlan } from '../domain/parsed-plan.js';
import {
  isPlanId,
  planIdFromTitle,
  planImport,
  progressUpdateDate,
  type ImportOutcome,
} from '../domain/plan-import.js';
import { DEFAULT_TIME_ZONE } from '../domain/plan.js';
import { capitalise, describePosition } from '../domain/source-position.js';
import type { PlanChanges } from '../ports/plan-repository.js';
import type { Progress } from '../ports/progress.js';
import type { AppDeps } from './deps.js';

export interface ImportPlanInput {
  readonly parsed: ParsedPlan;
  /** Errors the document reader found; any error refuses the import before storage is touched. */
  readonly errors: readonly ImportIssue[];
  /** The file name, recorded as "import:<file>" in the history. */
  readonly source: string;
  /** Who imports, as the history names them, when not "import:<file>" (a plan admin in Teams). */
  readonly by?: string;
  readonly planId?: string;
  readonly timeZone?: string;
  /** Import even if the document's progress update is older than the plan's. */
  readonly force?: boolean;
  /** Told how many records are saved so far (a plan of thousands of actions takes a while). */
  readonly progress?: Progress;
}

export interface ImportPlanReport extends Omit<ImportOutcome, 'plan' | 'actions' | 'history'> {
  readonly planId: string;
  readonly title: string;
  readonly progressUpdate: string;
  readonly actionCount: number;
  readonly warnings: readonly ImportIssue[];
}

const MAX_ATTEMPTS = 3;

/**
 * Imports a parsed plan document: creates the plan, or brings an existing plan up to a newer
 * progress update (see planImport for what wins). Every change is written with its history entry;
 * nothing is written when the document has errors. If someone changes an action while the import
 * runs, the import is worked out again from the fresh state.
 */
export async function importPlan(deps: AppDeps, input: ImportPlanInput): Promise<ImportPlanReport> {
  if (input.errors.length > 0) {
    throw new ActionPlanError(
      'invalid_input',
      `The plan was not imported: ${input.errors.length === 1 ? 'one problem' : `${input.errors.length} problems`} must be fixed first.`,
      input.errors.map(describeIssue),
    );
  }
  const planId = input.planId ?? planIdFromTitle(input.parsed.title);
  if (!isPlanId(planId)) {
    throw new ActionPlanError(
      'invalid_input',
      `"${planId}" cannot be a plan id: use lower-case letters, digits and hyphens (up to 63 characters).`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    const existingPlan = await deps.plans.getPlan(planId);
    const existingActions = existingPlan ? await deps.plans.listActions(planId) : [];
    if (existingPlan && !input.force)
      refuseOlderUpdate(existingPlan.value.progressUpdate, input.parsed.progressUpdate);
    const outcome = planImport(
      existingPlan
        ? { plan: existingPlan.value, actions: existingActions.map((a) => a.value) }
        : undefined,
      input.parsed,
      {
        planId,
        timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
        at: deps.clock.now().toISOString(),
        by: input.by ?? `import:${input.source}`,
      },
    );
    const versions = new Map(existingActions.map((a) => [a.value.ref, a.version]));
    try {
      const changes: PlanChanges = {
        plan: { value: outcome.plan, expectedVersion: existingPlan ? existingPlan.version : null },
        actions: outcome.actions.map(({ action, isNew }) => ({
          value: action,
          expectedVersion: isNew ? null : versions.get(action.ref),
        })),
        history: outcome.history,
      };
      input.progress?.stage('Saving records', writeCount(changes));
      await deps.plans.save(planId, changes, {
        onProgress: (written) => input.progress?.update(written),
      });
    } catch (e) {
      if (isActionPlanError(e, 'conflict') && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    const { plan, actions: _a, history: _h, ...rest } = outcome;
    return {
      ...rest,
      planId,
      title: plan.title,
      progressUpdate: plan.progressUpdate,
      actionCount: existingActions.length + outcome.added.length,
      warnings: input.parsed.warnings,
    };
  }
}

const writeCount = (c: PlanChanges): number =>
  (c.plan ? 1 : 0) + (c.actions?.length ?? 0) + (c.areas?.length ?? 0) + (c.history?.length ?? 0);

/** True when a document's progress update is for an earlier month than the stored plan's. */
export function isOlderUpdate(storedLabel: string, newLabel: string): boolean {
  const stored = progressUpdateDate(storedLabel);
  const incoming = progressUpdateDate(newLabel);
  return stored !== undefined && incoming !== undefined && incoming < stored;
}

function refuseOlderUpdate(storedLabel: string, newLabel: string): void {
  if (isOlderUpdate(storedLabel, newLabel)) {
    throw new ActionPlanError(
      'invalid_input',
      `This document is the "${newLabel}" progress update, older than the plan's "${storedLabel}": importing it would undo later changes. Import a newer update, or use --force if you mean it.`,
    );
  }
}

/**
 * "Line 12, column Priority: …", "Sheet "Plan", row 7: …", "Table 2, row 5, column Status: …":
 * how an import problem is shown to people, whatever the format.
 */
export function describeIssue(issue: ImportIssue): string {
  const where = [describePosition(issue), issue.column ? `column ${issue.column}` : '']
    .filter(Boolean)
    .join(', ');
  return where ? `${capitalise(where)}: ${issue.message}` : issue.message;
}
