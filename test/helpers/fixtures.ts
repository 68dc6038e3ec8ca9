import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const MOJ_PLAN_PATH = join(FIXTURES, 'plans', 'moj-ima-action-plan-may-2017.txt');
export const mojPlanText = (): string => readFileSync(MOJ_PLAN_PATH, 'utf8');
