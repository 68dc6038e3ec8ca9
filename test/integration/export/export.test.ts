import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import JSZip from 'jszip';
import { assignAction } from '../../../src/app/assign-action';
import { changeAction } from '../../../src/app/change-action';
import type { Action } from '../../../src/domain/plan';
import { statusLabel, type Status } from '../../../src/domain/status';
import { parseTarget } from '../../../src/domain/target';
import { fixedClock } from '../../../src/ports/clock';
import { useTestAzurite } from '../../helpers/azurite';
import { cliAgainst } from '../../helpers/cli-driver';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures';

/**
 * `actionplan export` on real storage: the MoJ plan, imported and then updated the way the bot
 * updates it (owners, statuses, a moved target, notes), written as Word, Excel and CSV; the files
 * opened with jszip and exceljs; the Excel and CSV files imported into a new plan and compared.
 */

const PLAN = 'ministry-of-justice-ima-action-plan';
const LABEL = 'November 2026';
const dir = mkdtempSync(join(tmpdir(), 'actionplan-export-'));
const out = (name: string): string => join(dir, name);

const azurite = useTestAzurite();

/** The updates applied after the import, as owners and the KIM team would make them. */
async function applyUpdates(cli: ReturnType<typeof cliAgainst>): Promise<void> {
  expect((await cli.run('area', 'add', 'HMPPS', '--champion', 'champ@justice.gov.uk')).code).toBe(
    0,
  );
  const deps = await cli.deps();
  await assignAction(deps, {
    planId: PLAN,
    ref: '1.1',
    owners: ['kim.lead@justice.gov.uk', 'siro.office@justice.gov.uk'],
    by: 'admin@justice.gov.uk',
  });
  await assignAction(deps, {
    planId: PLAN,
    ref: '4.9a',
    owners: ['jo.bloggs@justice.gov.uk'],
    area: 'HMPPS',
    by: 'admin@justice.gov.uk',
  });
  const status = (ref: string, to: Status, note?: string) =>
    changeAction(deps, {
      planId: PLAN,
      ref,
      by: 'kim.lead@justice.gov.uk',
      ...(note ? { note } : {}),
      apply: (a) => ({ ...a, status: to, ...(note ? { note } : {}) }),
    });
  await status(
    '1.1',
    'in_progress',
    'Draft strategy with the SIRO, "for comment";\nboard in July.',
  );
  await status('1.2', 'blocked', 'Permanent Secretary post vacant.');
  await status('4.9a', 'complete');
  await status('6.1', 'closed');
  // A card's date picker moves 1.1 from "End Mar 2017" to 30 June 2017.
  await changeAction(deps, {
    planId: PLAN,
    ref: '1.1',
    by: 'kim.lead@justice.gov.uk',
    note: 'Waiting for the Board.',
    apply: (a) => ({ ...a, target: parseTarget('2017-06-30') }),
  });
}

let cli: ReturnType<typeof cliAgainst>;
let actions: Action[];
beforeAll(async () => {
  cli = cliAgainst(azurite.connectionString, fixedClock('2026-11-24T10:00:00Z'));
  expect((await cli.run('import', MOJ_PLAN_PATH)).code).toBe(0);
  await applyUpdates(cli);
  actions = (await (await cli.deps()).plans.listActions(PLAN)).map((a) => a.value);
});

describe('actionplan export --format docx', () => {
  let xml: string;
  beforeAll(async () => {
    const r = await cli.run(
      'export',
      '--plan',
      PLAN,
      '--format',
      'docx',
      '--out',
      out('update.docx'),
    );
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('Progress update – November 2026 (Word');
    expect(r.out).toMatch(
      /42 actions: \d+ not started, \d+ in progress, 1 blocked, \d+ complete, \d+ closed/,
    );
    const zip = await JSZip.loadAsync(readFileSync(out('update.docx')));
    xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  });

  const text = (fragment: string): string =>
    [...fragment.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1])
      .join('')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  /** Every table row as cells; a cell's paragraphs joined with line breaks. */
  const rows = (): string[][] =>
    [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((tr) =>
      [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) =>
        [...tc[0].matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => text(p[0])).join('\n'),
      ),
    );

  it('has the title, the six recommendations with their text, and the label under each', () => {
    const body = text(xml);
    expect(body).toContain('Ministry of Justice IMA Action Plan');
    for (let n = 1; n <= 6; n++) expect(body).toContain(`Recommendation ${n}`);
    expect(body).toContain('clear and integrated goals');
    expect(body.split(`Progress update – ${LABEL}`)).toHaveLength(7);
  });

  it('has a row per action with its ref, status and target, the moved one showing both dates', () => {
    const data = rows().filter((r) => r[0] !== 'Ref');
    expect(data.map((r) => r[0])).toEqual(actions.map((a) => a.ref));
    for (const a of actions) {
      const row = data.find((r) => r[0] === a.ref);
      expect(row?.[4]).toBe(statusLabel(a.status));
    }
    const moved = data.find((r) => r[0] === '1.1');
    expect(moved?.[3]).toBe('End Mar 2017 (moved to 30 June 2017)');
    expect(moved?.[5]).toBe('Draft strategy with the SIRO, "for comment";\nboard in July.');
    expect(data.find((r) => r[0] === '1.2')?.[5]).toBe('Permanent Secretary post vacant.');
  });
});

describe('actionplan export --format xlsx', () => {
  it('writes one sheet with the label, a frozen header, and each action with its status', async () => {
    const r = await cli.run(
      'export',
      '--plan',
      PLAN,
      '--format',
      'xlsx',
      '--label',
      LABEL,
      '--out',
      out('u.xlsx'),
    );
    expect(r.code).toBe(0);
    const workbook = new Workbook();
    await workbook.xlsx.readFile(out('u.xlsx'));
    const sheet = workbook.getWorksheet('Progress update');
    expect(sheet?.getCell('A1').value).toBe('Ministry of Justice IMA Action Plan');
    expect(sheet?.getCell('A2').value).toBe(`Progress update – ${LABEL}`);
    const byRef = new Map<string, string[]>();
    sheet?.eachRow((row, n) => {
      if (n > 5)
        byRef.set(
          String(row.getCell(2).value),
          [1, 5, 6, 7, 8].map((c) => String(row.getCell(c).value ?? '')),
        );
    });
    expect([...byRef.keys()]).toEqual(actions.map((a) => a.ref));
    for (const a of actions) {
      expect(byRef.get(a.ref)?.[0]).toBe(a.recommendation);
      expect(byRef.get(a.ref)?.[3]).toBe(statusLabel(a.status));
    }
    expect(byRef.get('1.1')).toEqual([
      '1',
      '2017-06-30',
      'End Mar 2017',
      'In progress',
      'kim.lead@justice.gov.uk; siro.office@justice.gov.uk',
    ]);
  });
});

describe('round trip: export, then import into a new plan', () => {
  it.each(['csv', 'xlsx'])(
    'gives back every action, target, status, owner, area and note from %s',
    async (format) => {
      const file = out(`round-trip.${format}`);
      const exported = await cli.run(
        'export',
        '--plan',
        PLAN,
        '--format',
        format,
        '--label',
        LABEL,
        '--out',
        file,
      );
      expect(exported.code).toBe(0);
      const copy = `copy-${format}`;
      const imported = await cli.run('import', file, '--plan', copy, '--json');
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.out)).toMatchObject({
        warnings: [],
        created: true,
        actionCount: 42,
      });

      const deps = await cli.deps();
      const [original, again] = await Promise.all([
        deps.plans.getPlan(PLAN),
        deps.plans.getPlan(copy),
      ]);
      expect(again?.value).toMatchObject({
        title: original?.value.title,
        recommendations: original?.value.recommendations,
        progressUpdate: LABEL,
      });
      const reread = (await deps.plans.listActions(copy)).map((a) => a.value);
      const essentials = (a: Action) => ({
        ref: a.ref,
        recommendation: a.recommendation,
        text: a.text,
        priority: a.priority,
        target: a.target,
        status: a.status,
        owners: a.owners,
        area: a.area,
        note: a.note,
      });
      expect(reread.map(essentials)).toEqual(actions.map(essentials));
      // The moved target comes back as the date it moved to, not as unresolved text.
      expect(reread.find((a) => a.ref === '1.1')?.target).toEqual({
        kind: 'date',
        text: '2017-06-30',
        date: '2017-06-30',
      });
    },
  );
});

describe('refusals', () => {
  it('needs --format and --out, and a known format', async () => {
    expect((await cli.run('export', '--plan', PLAN, '--out', out('x.docx'))).code).toBe(2);
    expect((await cli.run('export', '--plan', PLAN, '--format', 'docx')).code).toBe(2);
    const r = await cli.run('export', '--plan', PLAN, '--format', 'pdf', '--out', out('x.pdf'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/docx, xlsx, csv/);
  });

  it('refuses a bad --as-of and an empty label with a message', async () => {
    const bad = await cli.run(
      'export',
      '--format',
      'csv',
      '--out',
      out('a.csv'),
      '--as-of',
      '31/11/2026',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/YYYY-MM-DD/);
    const empty = await cli.run(
      'export',
      '--plan',
      PLAN,
      '--format',
      'csv',
      '--out',
      out('b.csv'),
      '--label',
      ' ',
    );
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/label is empty/);
  });

  it('dates the update with --as-of, in the default label too', async () => {
    const r = await cli.run(
      'export',
      '--plan',
      PLAN,
      '--format',
      'csv',
      '--out',
      out('c.csv'),
      '--as-of',
      '2027-01-05',
      '--json',
    );
    // That day at the plan's sending time (09:00 in London), as for every command's --as-of.
    expect(JSON.parse(r.out)).toMatchObject({
      label: 'January 2027',
      asOf: '2027-01-05T09:00:00.000Z',
    });
    expect(readFileSync(out('c.csv'), 'utf8')).toContain('January 2027');
  });

  it('dates the update that day in the plan’s own time zone, however far from Greenwich', async () => {
    const far = cliAgainst(azurite.connectionString, fixedClock('2026-11-24T10:00:00Z'));
    const imported = await far.run(
      'import',
      MOJ_PLAN_PATH,
      '--time-zone',
      'Pacific/Kiritimati',
      '--json',
    );
    const { planId } = JSON.parse(imported.out) as { planId: string };
    const r = await far.run(
      'export',
      '--plan',
      planId,
      '--format',
      'csv',
      '--out',
      out('kiritimati.csv'),
      '--as-of',
      '2026-11-30',
      '--json',
    );
    // 30 November at 09:00 in Kiritimati (UTC+14): the November update, not December's.
    expect(JSON.parse(r.out)).toMatchObject({
      label: 'November 2026',
      asOf: '2026-11-29T19:00:00.000Z',
    });
  });
});
