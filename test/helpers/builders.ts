/**
 * Test builders: a valid plan, action or history entry with sensible defaults, so a test says only
 * what matters to it — `anAction({ ref: '4.9a', status: 'complete' })`.
 */
import { recommendationOf } from '../../src/domain/action-ref.js';
import type { Action, HistoryEntry, Plan } from '../../src/domain/plan.js';
import { parseTarget } from '../../src/domain/target.js';

export const PLAN_ID = 'moj-ima-2017';
const CREATED = '2017-05-01T09:00:00.000Z';

export function aPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: PLAN_ID,
    title: 'Ministry of Justice IMA Action Plan',
    progressUpdate: 'May 2017',
    timeZone: 'Europe/London',
    recommendations: [
      {
        number: '1',
        text: 'The Ministry of Justice (MoJ) should ensure that it has established clear and integrated goals for knowledge and information management.',
      },
      {
        number: '2',
        text: 'MoJ should actively work to improve its culture of knowledge, information and records management.',
      },
    ],
    createdAt: CREATED,
    updatedAt: CREATED,
    ...overrides,
  };
}

/**
 * An action, by default 1.1, high priority, due "End Mar 2017", not started, with one owner.
 * The recommendation follows the ref unless given; `targetText` is a shortcut for `target`.
 */
export function anAction(overrides: Partial<Action> & { targetText?: string } = {}): Action {
  const { targetText, ...rest } = overrides;
  const ref = rest.ref ?? '1.1';
  return {
    planId: PLAN_ID,
    ref,
    recommendation: recommendationOf(ref),
    text: `Action ${ref}`,
    priority: 'H',
    target: parseTarget(targetText ?? 'End Mar 2017'),
    status: 'not_started',
    owners: ['alex.owner@justice.gov.uk'],
    updatedAt: CREATED,
    updatedBy: 'import:moj-ima-action-plan-may-2017.txt',
    ...rest,
  };
}

/** A history entry, by default the owner changing 1.1's status from not started to in progress. */
export function aHistoryEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    planId: PLAN_ID,
    ref: '1.1',
    at: '2017-06-01T09:00:00.000Z',
    by: 'alex.owner@justice.gov.uk',
    kind: 'changed',
    field: 'status',
    from: 'not_started',
    to: 'in_progress',
    ...overrides,
  };
}
