import { countsLine, exportPlan, type ExportDeps } from '../../../src/app/export-plan.js';
import { isActionPlanError } from '../../../src/domain/errors.js';
import {
  defaultProgressLabel,
  exportFileName,
  parseExportFormat,
} from '../../../src/domain/export-format.js';
import { countByStatus } from '../../../src/domain/progress.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { Progress } from '../../../src/ports/progress.js';
import type { ProgressUpdateSource } from '../../../src/ports/progress-update-writer.js';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';
import { aHistoryEntry, aPlan, anAction, PLAN_ID } from '../../helpers/builders.js';

/** 31 October 2026, 23:30 UTC: London is back on GMT, so it is still October there. */
const NOW = '2026-10-31T23:30:00Z';

async function setUp() {
  const plans = new InMemoryPlanRepository();
  const actions = [
    anAction({ ref: '1.2', status: 'complete' }),
    anAction({ ref: '1.1', status: 'in_progress' }),
    anAction({ ref: '2.1' }),
  ];
  await plans.save(PLAN_ID, {
    plan: { value: aPlan(), expectedVersion: null },
    actions: actions.map((value) => ({ value, expectedVersion: null })),
    history: [aHistoryEntry({ ref: '1.1' })],
  });
  const written: { source: ProgressUpdateSource; format: string }[] = [];
  const deps: ExportDeps = {
    plans,
    clock: fixedClock(NOW),
    writeProgressUpdate: async (source, format, onRow) => {
      written.push({ source, format });
      source.actions.forEach((_a, i) => onRow?.(i + 1));
      return new TextEncoder().encode(`${format}:${source.label}`);
    },
  };
  return { deps, written };
}

function recording(): Progress & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    stage: (label, total) => events.push(`${label}/${total}`),
    update: (done) => events.push(String(done)),
    stop: () => events.push('stop'),
  };
}

describe('exportPlan', () => {
  it('hands the writer the plan, its actions and its whole history, and names the file', async () => {
    const { deps, written } = await setUp();
    const progress = recording();
    const r = await exportPlan(deps, { format: 'docx', label: ' November   2026 ', progress });
    expect(written).toHaveLength(1);
    expect(written[0]?.format).toBe('docx');
    expect(written[0]?.source.actions.map((a) => a.ref)).toEqual(['1.1', '1.2', '2.1']);
    expect(written[0]?.source.history).toEqual([aHistoryEntry({ ref: '1.1' })]);
    expect(written[0]?.source.asOf).toEqual(new Date(NOW));
    expect(r).toMatchObject({
      label: 'November 2026',
      fileName: `${PLAN_ID}-progress-update-november-2026.docx`,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    expect(new TextDecoder().decode(r.bytes)).toBe('docx:November 2026');
    expect(r.counts).toMatchObject({ total: 3, complete: 1, in_progress: 1, not_started: 1 });
    expect(progress.events).toEqual(['Laying out actions/3', '1', '2', '3']);
  });

  it('labels the update with the month in the plan’s time zone when no label is given', async () => {
    const { deps } = await setUp();
    expect((await exportPlan(deps, { format: 'csv' })).label).toBe('October 2026');
    const r = await exportPlan(deps, { format: 'csv', asOf: new Date('2027-01-05T12:00:00Z') });
    expect(r.label).toBe('January 2027');
    expect(r.fileName).toBe(`${PLAN_ID}-progress-update-january-2027.csv`);
  });

  it.each([
    ['', /label is empty/],
    ['x'.repeat(61), /61 characters/],
  ])('refuses the label %j', async (label, message) => {
    const { deps, written } = await setUp();
    const e = await exportPlan(deps, { format: 'xlsx', label }).catch((x: unknown) => x);
    expect(isActionPlanError(e, 'invalid_input')).toBe(true);
    expect((e as Error).message).toMatch(message);
    expect(written).toHaveLength(0);
  });

  it('says so when there is no such plan', async () => {
    const { deps } = await setUp();
    const e = await exportPlan(deps, { format: 'docx', planId: 'nope' }).catch((x: unknown) => x);
    expect(isActionPlanError(e, 'not_found')).toBe(true);
  });
});

describe('export formats and names', () => {
  it.each([
    ['Word', 'docx'],
    ['.DOCX', 'docx'],
    ['excel', 'xlsx'],
    ['xlsx', 'xlsx'],
    ['CSV', 'csv'],
    ['pdf', undefined],
  ])('reads %j as %j', (text, format) => {
    expect(parseExportFormat(text)).toBe(format);
  });

  it('makes file names that are safe anywhere', () => {
    expect(exportFileName('moj', 'Mai 2027 – Été / final', 'xlsx')).toBe(
      'moj-progress-update-mai-2027-ete-final.xlsx',
    );
    expect(exportFileName('moj', '–', 'csv')).toBe('moj-progress-update.csv');
  });

  it('labels by the month where the plan is, across a month end', () => {
    // 23:30 UTC on 31 March 2027 is 00:30 on 1 April in London (BST).
    expect(defaultProgressLabel(new Date('2027-03-31T23:30:00Z'), 'Europe/London')).toBe(
      'April 2027',
    );
    expect(defaultProgressLabel(new Date('2027-03-31T23:30:00Z'), 'UTC')).toBe('March 2027');
  });

  it('sums up the counts the way the document does', () => {
    expect(countsLine(countByStatus([{ status: 'complete' }, { status: 'not_started' }]))).toBe(
      '2 actions: 1 not started, 1 complete',
    );
    expect(countsLine(countByStatus([]))).toBe('0 actions');
  });
});
