import { ActionPlanError } from '../domain/errors.js';
import {
  defaultProgressLabel,
  EXPORT_CONTENT_TYPES,
  exportFileName,
  type ExportFormat,
  MAX_LABEL_LENGTH,
} from '../domain/export-format.js';
import type { Plan } from '../domain/plan.js';
import { countByStatus, type StatusCounts } from '../domain/progress.js';
import { STATUSES, statusLabel } from '../domain/status.js';
import { noProgress, type Progress } from '../ports/progress.js';
import type { WriteProgressUpdate } from '../ports/progress-update-writer.js';
import { matchableEmail } from '../ports/people-repository.js';
import { rolesOf, type PersonRoles } from '../domain/permissions.js';
import { normaliseEmail } from '../domain/plan.js';
import type { BotDeps } from './bot-deps.js';
import type { Actor, ExportFileRequest } from './bot-reply.js';
import type { AppDeps } from './deps.js';
import { findPlan } from './find-plan.js';

/** What an export needs: the plans, the clock, and the writer of Word, Excel and CSV files. */
export type ExportDeps = Pick<AppDeps, 'plans' | 'clock'> & {
  readonly writeProgressUpdate: WriteProgressUpdate;
};

export interface ExportPlanInput {
  /** The plan; without it, the only plan stored. */
  readonly planId?: string;
  readonly format: ExportFormat;
  /** The new progress-update label; the month and year of `asOf` in the plan's zone if absent. */
  readonly label?: string;
  /** When the update is made; now if absent. */
  readonly asOf?: Date;
  readonly progress?: Progress;
}

export interface ExportedPlan {
  readonly plan: Plan;
  readonly format: ExportFormat;
  readonly label: string;
  readonly asOf: Date;
  /** "moj-ima-2017-progress-update-november-2026.docx" */
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** The actions by status, as the document's summary line counts them. */
  readonly counts: StatusCounts;
}

/**
 * The "Progress update – <label>" of a plan as a file: reads the plan, its actions and its whole
 * history (which says where targets moved and holds the latest notes), and has the writer lay it
 * out. Reads only; nothing is stored, so the plan's own progress-update label is left as it is
 * until the update comes back in as an import.
 */
export async function exportPlan(deps: ExportDeps, input: ExportPlanInput): Promise<ExportedPlan> {
  const progress = input.progress ?? noProgress;
  const plan = (await findPlan(deps, input.planId)).value;
  const asOf = input.asOf ?? deps.clock.now();
  const label = checkedLabel(input.label ?? defaultProgressLabel(asOf, plan.timeZone));
  const [actions, history] = await Promise.all([
    deps.plans.listActions(plan.id),
    deps.plans.listHistory(plan.id),
  ]);
  const values = actions.map((a) => a.value);

  progress.stage('Laying out actions', values.length);
  const bytes = await deps.writeProgressUpdate(
    { plan, actions: values, history, label, asOf },
    input.format,
    (done) => progress.update(done),
  );
  return {
    plan,
    format: input.format,
    label,
    asOf,
    fileName: exportFileName(plan.id, label, input.format),
    contentType: EXPORT_CONTENT_TYPES[input.format],
    bytes,
    counts: countByStatus(values),
  };
}

function checkedLabel(text: string): string {
  const label = text.replace(/\s+/g, ' ').trim();
  if (!label) {
    throw new ActionPlanError(
      'invalid_input',
      'The progress-update label is empty; give one such as "November 2026".',
    );
  }
  if (label.length > MAX_LABEL_LENGTH) {
    throw new ActionPlanError(
      'invalid_input',
      `The progress-update label is ${label.length} characters long; keep it to ${MAX_LABEL_LENGTH}, such as "November 2026".`,
    );
  }
  return label;
}

/** "42 actions: 30 not started, 8 in progress, 4 complete", as the document's own summary says. */
export function countsLine(counts: StatusCounts): string {
  const parts = STATUSES.filter((s) => counts[s] > 0).map(
    (s) => `${counts[s]} ${statusLabel(s).toLowerCase()}`,
  );
  const total = `${counts.total} ${counts.total === 1 ? 'action' : 'actions'}`;
  return parts.length > 0 ? `${total}: ${parts.join(', ')}` : total;
}

/**
 * Who may have the progress update as a file in Teams: a plan admin or a KIM Champion. The file
 * holds every owner and note of the whole plan, which is more than an owner or a reader sees.
 */
export const mayExport = (roles: PersonRoles): boolean =>
  roles.admin || roles.championOf.length > 0;

/**
 * Makes the file someone accepted in Teams: checks again that they may have it (roles can change
 * between the offer and the answer), then exports it as it was offered, dated as offered.
 */
export async function exportForPerson(
  deps: BotDeps,
  actor: Actor,
  request: ExportFileRequest,
): Promise<ExportedPlan> {
  const writeProgressUpdate = deps.writeProgressUpdate;
  if (!writeProgressUpdate) {
    throw new ActionPlanError('invalid_input', 'This bot is not set up to make files.');
  }
  const plan = (await findPlan(deps, request.planId)).value;
  const [actions, areas] = await Promise.all([
    deps.plans.listActions(plan.id),
    deps.plans.listAreas(plan.id),
  ]);
  const person = actor.email
    ? await deps.people.getByEmail(actor.email)
    : actor.aadObjectId
      ? await deps.people.getByAadObjectId(actor.aadObjectId, actor.tenantId)
      : undefined;
  // A kept-apart account is matched to no role by its email (see Person.keptApart).
  const email = actor.email ?? (person ? matchableEmail(person.value) : undefined);
  const tenantId = person?.value.tenantId ?? actor.tenantId;
  const roles = rolesOf({
    ...(email ? { email: normaliseEmail(email) } : {}),
    ...(person?.value.upn ? { otherAddresses: [person.value.upn] } : {}),
    adminEmails: deps.adminEmails,
    storedAdmin: person?.value.admin === true,
    ...(tenantId ? { tenantId } : {}),
    ...(deps.allowedTenantIds ? { allowedTenantIds: deps.allowedTenantIds } : {}),
    ...(actor.keptApart || person?.value.keptApart ? { keptApart: true } : {}),
    areas: areas.map((a) => a.value),
    actions: actions.map((a) => a.value),
  });
  if (!mayExport(roles)) {
    throw new ActionPlanError(
      'forbidden',
      'Only a plan admin or a KIM Champion can have the progress update as a file, so it was not sent.',
    );
  }
  const asOf = new Date(request.asOf);
  return exportPlan(
    { plans: deps.plans, clock: deps.clock, writeProgressUpdate },
    {
      planId: plan.id,
      format: request.format,
      label: request.label,
      ...(Number.isNaN(asOf.getTime()) ? {} : { asOf }),
    },
  );
}
