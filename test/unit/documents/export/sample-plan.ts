/** A small plan with the awkward cases every exporter must get right, shared by the export tests. */
import {
  buildProgressReport,
  type ProgressReport,
  type ProgressReportInput,
} from '../../../../src/documents/export/progress-report.js';
import type { Action, HistoryEntry, Plan } from '../../../../src/domain/plan.js';
import { parseTarget } from '../../../../src/domain/target.js';
import { aHistoryEntry, aPlan, anAction } from '../../../helpers/builders.js';

export const LABEL = 'November 2026';
/** 24 November 2026, 13:20 in London. */
export const AS_OF = new Date('2026-11-24T13:20:00Z');

/** A note no CSV writer may mangle: a comma, a quote and a line break. */
export const AWKWARD_NOTE = 'Signed off by the SIRO, "subject to" review;\nsee the board minutes.';

export const samplePlan = (): Plan =>
  aPlan({
    title: 'Ministry of Justice IMA Action Plan',
    // Deliberately out of order: the report puts recommendations in number order.
    recommendations: [
      {
        number: '4',
        text: 'MoJ should continue to ensure that it has a technology environment that supports the management of information.',
      },
      {
        number: '1',
        text: 'The Ministry of Justice (MoJ) should ensure that it has established clear and integrated goals.',
      },
      { number: '10', text: 'MoJ should review its progress, with care & attention <in full>.' },
      {
        number: '2',
        text: 'MoJ should actively work to improve its culture of knowledge, information and records management.',
      },
    ],
  });

export const sampleActions = (): Action[] => [
  anAction({
    ref: '1.10',
    text: 'Reviewing the strategy annually',
    priority: 'L',
    targetText: 'Ongoing',
  }),
  anAction({
    ref: '1.1',
    text: 'Completing work on the KIM Strategy and ensuring this is signed off at a senior level',
    priority: 'H',
    target: parseTarget('2017-09-30'),
    status: 'in_progress',
    owners: ['kim.lead@justice.gov.uk', 'siro.office@justice.gov.uk'],
    area: 'MoJ HQ',
  }),
  anAction({
    ref: '1.2',
    text: 'Getting senior support for the strategy – for example, a foreword',
    priority: 'M',
    targetText: 'End Mar 2017',
    status: 'blocked',
  }),
  anAction({
    ref: '4.9b',
    text: 'Ensuring that Information Managers have the right skills',
    priority: 'M',
    targetText: 'Mar 2017',
    status: 'in_progress',
  }),
  anAction({
    ref: '4.9',
    text: 'Putting plans in place to dispose from Enterprise Vault',
    priority: 'H',
    targetText: 'Ongoing',
    note: 'Disposal schedule agreed with legal.',
  }),
  anAction({
    ref: '4.9a',
    text: 'KIM Champions encouraging staff to follow policy',
    priority: 'M',
    targetText: 'End Mar 2017',
    area: 'HMPPS',
    owners: [],
  }),
  anAction({
    ref: '2.6',
    text: 'Increasing focus on knowledge transfer because of the Voluntary Exit Scheme',
    priority: 'L',
    targetText: '30 Sept 2016',
    status: 'complete',
    note: AWKWARD_NOTE,
    area: 'HMCTS',
  }),
  anAction({
    ref: '10.1',
    text: 'Closing the review',
    priority: 'L',
    targetText: 'Oct 2016',
    status: 'closed',
  }),
];

export const sampleHistory = (): HistoryEntry[] => [
  // Given newest first: the report must order by time, not by position.
  aHistoryEntry({
    ref: '1.1',
    at: '2017-07-01T09:00:00Z',
    field: 'target',
    from: '2017-06-30',
    to: '2017-09-30',
    note: 'Waiting for the Board.',
  }),
  aHistoryEntry({
    ref: '1.1',
    at: '2017-03-20T09:00:00Z',
    field: 'target',
    from: 'End Mar 2017',
    to: '2017-06-30',
  }),
  // Another plan's 1.1: never this plan's history.
  aHistoryEntry({
    planId: 'another-plan',
    ref: '1.1',
    at: '2017-01-01T09:00:00Z',
    field: 'target',
    from: 'Dec 2016',
    to: 'End Mar 2017',
  }),
  // 1.2 was moved and moved back: not a move. Its only note is the reason given for a change.
  aHistoryEntry({
    ref: '1.2',
    at: '2017-02-01T09:00:00Z',
    field: 'target',
    from: 'End Mar 2017',
    to: '2017-04-30',
  }),
  aHistoryEntry({
    ref: '1.2',
    at: '2017-02-02T09:00:00Z',
    field: 'target',
    from: '2017-04-30',
    to: 'End Mar 2017',
  }),
  aHistoryEntry({
    ref: '1.2',
    at: '2017-02-03T09:00:00Z',
    field: 'status',
    from: 'not_started',
    to: 'blocked',
    note: 'Permanent Secretary post vacant.',
  }),
  // A refused proposal does not move the target.
  aHistoryEntry({
    ref: '4.9a',
    at: '2017-02-03T09:00:00Z',
    kind: 'refused',
    field: 'target',
    from: 'End Mar 2017',
    to: '2017-12-31',
  }),
];

/** The sample plan's progress report, labelled LABEL on AS_OF; `input` replaces any part. */
export const sampleReport = (input: Partial<ProgressReportInput> = {}): ProgressReport =>
  buildProgressReport({
    plan: samplePlan(),
    actions: sampleActions(),
    history: sampleHistory(),
    label: LABEL,
    asOf: AS_OF,
    ...input,
  });
