import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

import { addArea } from '../app/add-area.js';
import { assignAction } from '../app/assign-action.js';
import type { AppDeps } from '../app/deps.js';
import { importPlan } from '../app/import-plan.js';
import { normaliseRef } from '../domain/action-ref.js';
import type { ImportResult } from '../domain/parsed-plan.js';
import { isEmail, normaliseEmail } from '../domain/plan.js';

/** Who owns what in the demo plan: demo/demo-assignments.json. */
export interface DemoAssignments {
  /** Plan admins for the demo (ADMIN_EMAILS when it is not set). */
  readonly admins: readonly string[];
  readonly areas: readonly { readonly name: string; readonly champions: readonly string[] }[];
  readonly assignments: readonly {
    readonly ref: string;
    readonly owners: readonly string[];
    readonly area?: string;
  }[];
}

export interface DemoFiles {
  /** The plan document to import (demo/moj-ima-action-plan-may-2017.txt). */
  readonly planPath: string;
  /** The areas, champions and owners to apply after the import (demo/demo-assignments.json). */
  readonly assignmentsPath: string;
}

export interface SeedOutcome {
  /** False when a plan was already stored, so nothing was touched. */
  readonly seeded: boolean;
  /** The demo plan's id when seeded; otherwise the ids of the plans found. */
  readonly planIds: readonly string[];
  readonly actionCount: number;
  readonly areaCount: number;
  readonly assignedCount: number;
}

/** Recorded as the author of the demo's assignments in each action's history. */
export const DEMO_AUTHOR = 'demo:demo-assignments.json';

/** The demo files in the project's `demo/` folder. */
export function defaultDemoFiles(root: string = projectRoot()): DemoFiles {
  return {
    planPath: join(root, 'demo', 'moj-ima-action-plan-may-2017.txt'),
    assignmentsPath: join(root, 'demo', 'demo-assignments.json'),
  };
}

/**
 * The project folder: the nearest one above this file with a package.json and a demo folder. This
 * file runs from src/dev (tests) and from dist/src/dev (npm start), at different depths.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'demo'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`No project folder (package.json and demo/) above ${from}.`);
    }
  }
}

/**
 * Gives a fresh local run something to look at: when storage holds no plan at all, imports the
 * demo plan and applies the demo areas, champions and owners through the same use cases an admin
 * would use (so the history says who did it). When any plan is already stored it does nothing, so
 * a second start neither duplicates the plan nor undoes what was changed in the demo since.
 */
export async function seedDemoPlan(
  deps: AppDeps,
  files: DemoFiles,
  readPlanFile: (path: string) => Promise<ImportResult>,
): Promise<SeedOutcome> {
  const existing = await deps.plans.listPlans();
  if (existing.length > 0) {
    return {
      seeded: false,
      planIds: existing.map((p) => p.value.id),
      actionCount: 0,
      areaCount: 0,
      assignedCount: 0,
    };
  }
  // Read and check both files before writing anything: a broken assignments file must not leave
  // a half-seeded plan that the next start would then skip.
  const demo = await readDemoAssignments(files.assignmentsPath);
  const { plan: parsed, errors } = await readPlanFile(files.planPath);
  const mismatches = checkAgainstPlan(demo, parsed.actions);
  if (mismatches.length > 0) {
    throw new Error(
      `${files.assignmentsPath} does not fit ${basename(files.planPath)}:\n${mismatches.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  const report = await importPlan(deps, { parsed, errors, source: basename(files.planPath) });
  for (const area of demo.areas) {
    await addArea(deps, { planId: report.planId, name: area.name, champions: area.champions });
  }
  for (const a of demo.assignments) {
    await assignAction(deps, {
      planId: report.planId,
      ref: a.ref,
      owners: a.owners,
      ...(a.area ? { area: a.area } : {}),
      by: DEMO_AUTHOR,
    });
  }
  return {
    seeded: true,
    planIds: [report.planId],
    actionCount: report.actionCount,
    areaCount: demo.areas.length,
    assignedCount: demo.assignments.length,
  };
}

/** Refs the plan does not have and areas the file does not define, as messages. */
function checkAgainstPlan(
  demo: DemoAssignments,
  actions: readonly { readonly ref: string }[],
): string[] {
  const refs = new Set(actions.map((a) => normaliseRef(a.ref)));
  const areas = new Set(demo.areas.map((a) => a.name.toLowerCase()));
  return demo.assignments.flatMap((a) => [
    ...(refs.has(normaliseRef(a.ref)) ? [] : [`the plan has no action ${a.ref}`]),
    ...(a.area === undefined || areas.has(a.area.toLowerCase())
      ? []
      : [`action ${a.ref}: the area "${a.area}" is not in "areas"`]),
  ]);
}

/** Reads demo-assignments.json; a malformed file fails with the file name and what is wrong. */
export async function readDemoAssignments(path: string): Promise<DemoAssignments> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} cannot be read as JSON: ${e instanceof Error ? e.message : e}`, {
      cause: e,
    });
  }
  const problems: string[] = [];
  const result = parseDemoAssignments(json, problems);
  if (problems.length > 0) {
    throw new Error(`${path} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return result;
}

function parseDemoAssignments(json: unknown, problems: string[]): DemoAssignments {
  const record = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const list = (v: unknown, where: string): unknown[] => {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    problems.push(`${where} should be a list.`);
    return [];
  };
  const emails = (v: unknown, where: string): string[] =>
    list(v, where).flatMap((e) => {
      if (typeof e === 'string' && isEmail(e)) return [normaliseEmail(e)];
      problems.push(`${where}: ${JSON.stringify(e)} is not an email address.`);
      return [];
    });
  const text = (v: unknown, where: string): string => {
    if (typeof v === 'string' && v.trim()) return v.trim();
    problems.push(`${where} is missing.`);
    return '';
  };
  const root = record(json);
  return {
    admins: emails(root['admins'], 'admins'),
    areas: list(root['areas'], 'areas').map((a, i) => ({
      name: text(record(a)['name'], `areas[${i}].name`),
      champions: emails(record(a)['champions'], `areas[${i}].champions`),
    })),
    assignments: list(root['assignments'], 'assignments').map((a, i) => {
      const area = record(a)['area'];
      return {
        ref: text(record(a)['ref'], `assignments[${i}].ref`),
        owners: emails(record(a)['owners'], `assignments[${i}].owners`),
        ...(area === undefined ? {} : { area: text(area, `assignments[${i}].area`) }),
      };
    }),
  };
}
