import { compareRefs } from '../../../../src/domain/action-ref.js';
import { STATUSES } from '../../../../src/domain/status.js';
import {
  buildProgressReport,
  type ProgressReport,
  type ProgressReportRow,
  summaryLine,
} from '../../../../src/documents/export/progress-report.js';
import { aHistoryEntry, aPlan, anAction } from '../../../helpers/builders.js';
import {
  AS_OF,
  AWKWARD_NOTE,
  LABEL,
  sampleActions,
  samplePlan,
  sampleReport,
} from './sample-plan.js';

const report = (): ProgressReport => sampleReport();

const rowOf = (r: ProgressReport, ref: string): ProgressReportRow => {
  const row = r.recommendations.flatMap((rec) => rec.rows).find((x) => x.ref === ref);
  if (!row) throw new Error(`no row ${ref}`);
  return row;
};

describe('buildProgressReport', () => {
  it('carries the title, the new label and the day it was made', () => {
    const r = report();
    expect(r.title).toBe('Ministry of Justice IMA Action Plan');
    expect(r.label).toBe('November 2026');
    expect(r.generated).toBe('24 November 2026');
    expect(r.generatedOn).toBe('2026-11-24');
  });

  it('puts every recommendation in number order, each with its own text', () => {
    const r = report();
    expect(r.recommendations.map((x) => x.number)).toEqual(['1', '2', '4', '10']);
    for (const rec of r.recommendations) {
      expect(rec.text).toBe(
        samplePlan().recommendations.find((p) => p.number === rec.number)?.text,
      );
    }
  });

  it('groups actions under their recommendation and sorts them by ref', () => {
    const r = report();
    expect(r.recommendations.map((x) => x.rows.map((row) => row.ref))).toEqual([
      ['1.1', '1.2', '1.10'],
      ['2.6'],
      ['4.9', '4.9a', '4.9b'],
      ['10.1'],
    ]);
    // Nothing lost, nothing doubled: the same refs as the input, in compareRefs order.
    const input = sampleActions()
      .map((a) => a.ref)
      .sort(compareRefs);
    expect(r.recommendations.flatMap((x) => x.rows.map((row) => row.ref))).toEqual(input);
  });

  it('copies each action across with its labels, owners and area', () => {
    const r = report();
    for (const a of sampleActions()) {
      const row = rowOf(r, a.ref);
      expect(row.text).toBe(a.text);
      expect(row.recommendation).toBe(a.recommendation);
      expect(row.priority).toBe(a.priority);
      expect(row.priorityLabel).toBe({ H: 'High', M: 'Medium', L: 'Low' }[a.priority]);
      expect(row.status).toBe(a.status);
      expect(row.owners).toEqual(a.owners);
      expect(row.area).toBe(a.area ?? '');
    }
    expect(rowOf(r, '1.2').statusLabel).toBe('Blocked');
    expect(rowOf(r, '2.6').statusLabel).toBe('Complete');
    expect(rowOf(r, '4.9a').statusLabel).toBe('Not started');
  });

  it('shows a moved target as the original plus the new date', () => {
    const row = rowOf(report(), '1.1');
    expect(row.moved).toBe(true);
    expect(row.originalTarget).toBe('End Mar 2017');
    expect(row.currentTarget).toBe('30 September 2017');
    expect(row.target).toBe('End Mar 2017 (moved to 30 September 2017)');
    // As stored, for the exports an import reads back.
    expect(row.targetText).toBe('2017-09-30');
  });

  it('keeps a target that never moved, or moved back, as written', () => {
    const r = report();
    expect(rowOf(r, '4.9b').target).toBe('Mar 2017');
    expect(rowOf(r, '1.10').target).toBe('Ongoing');
    expect(rowOf(r, '1.2')).toMatchObject({
      target: 'End Mar 2017',
      targetText: 'End Mar 2017',
      moved: false,
    });
  });

  it('ignores refused proposals and other plans’ history', () => {
    const r = report();
    expect(rowOf(r, '4.9a')).toMatchObject({ target: 'End Mar 2017', moved: false });
    // The other plan's entry is the oldest; had it counted, 1.1 would start from "Dec 2016".
    expect(rowOf(r, '1.1').originalTarget).toBe('End Mar 2017');
  });

  it('shows a move to something other than a date as written', () => {
    const r = buildProgressReport({
      plan: aPlan(),
      actions: [anAction({ ref: '1.1', targetText: 'Ongoing' })],
      history: [aHistoryEntry({ ref: '1.1', field: 'target', from: 'Mar2017', to: 'Ongoing' })],
      label: LABEL,
      asOf: AS_OF,
    });
    expect(rowOf(r, '1.1').target).toBe('Mar2017 (moved to Ongoing)');
  });

  it('gives the latest note: the action’s own, else the newest note left with a change', () => {
    const r = report();
    expect(rowOf(r, '4.9').note).toBe('Disposal schedule agreed with legal.');
    expect(rowOf(r, '2.6').note).toBe(AWKWARD_NOTE);
    expect(rowOf(r, '1.2').note).toBe('Permanent Secretary post vacant.');
    expect(rowOf(r, '1.1').note).toBe('Waiting for the Board.');
    expect(rowOf(r, '4.9b').note).toBe('');
  });

  it('counts actions by status', () => {
    const actions = sampleActions();
    const { summary } = report();
    expect(summary.total).toBe(actions.length);
    expect(summary.byStatus.map((s) => s.status)).toEqual([...STATUSES]);
    for (const s of summary.byStatus) {
      expect(s.count).toBe(actions.filter((a) => a.status === s.status).length);
    }
    expect(summary.done).toBe(
      actions.filter((a) => a.status === 'complete' || a.status === 'closed').length,
    );
    expect(summaryLine(summary)).toBe(
      '8 actions: 3 not started, 2 in progress, 1 blocked, 1 complete, 1 closed',
    );
  });

  it('keeps an action whose recommendation the plan lacks, and a recommendation with no actions', () => {
    const r = buildProgressReport({
      plan: aPlan(),
      actions: [anAction({ ref: '7.1' })],
      history: [],
      label: LABEL,
      asOf: AS_OF,
    });
    expect(r.recommendations.map((x) => [x.number, x.rows.length])).toEqual([
      ['1', 0],
      ['2', 0],
      ['7', 1],
    ]);
    expect(r.recommendations[2]?.text).toBe('');
  });

  it('dates the report in the plan’s time zone', () => {
    const lateEvening = new Date('2026-06-30T23:30:00Z');
    const make = (timeZone: string) =>
      buildProgressReport({
        plan: aPlan({ timeZone }),
        actions: [],
        history: [],
        label: LABEL,
        asOf: lateEvening,
      });
    expect(make('Europe/London').generated).toBe('1 July 2026');
    expect(make('UTC').generated).toBe('30 June 2026');
    expect(make('Not/AZone').generated).toBe('1 July 2026');
    expect(summaryLine(make('UTC').summary)).toBe('0 actions');
  });
});
