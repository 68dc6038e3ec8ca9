import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDeps } from '../../src/app/deps.js';
import {
  importPlan,
  type ImportPlanInput,
  type ImportPlanReport,
} from '../../src/app/import-plan.js';
import { parseTextPlan } from '../../src/documents/text-plan-importer.js';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const MOJ_PLAN_PATH = join(FIXTURES, 'plans', 'moj-ima-action-plan-may-2017.txt');
export const mojPlanText = (): string => readFileSync(MOJ_PLAN_PATH, 'utf8');

/**
 * The MoJ plan document (May 2017) imported as `actionplan import` would, from a file of that
 * name unless `input` says otherwise (and with the plan id it takes from its title unless given).
 */
export async function importMojPlan(
  deps: AppDeps,
  input: Partial<Omit<ImportPlanInput, 'parsed' | 'errors'>> = {},
): Promise<ImportPlanReport> {
  const { plan, errors } = parseTextPlan(mojPlanText());
  return importPlan(deps, {
    parsed: plan,
    errors,
    source: 'moj-ima-action-plan-may-2017.txt',
    ...input,
  });
}

/** An action as read, without where it was found: to compare what two formats read. */
export function withoutPlace<T extends { line?: number; sheet?: string; table?: number }>(
  a: T,
): Omit<T, 'line' | 'sheet' | 'table'> {
  const { line: _l, sheet: _s, table: _t, ...rest } = a;
  return rest;
}
