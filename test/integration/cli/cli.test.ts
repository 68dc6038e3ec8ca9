import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { changeAction } from '../../../src/app/change-action';
import { fixedClock } from '../../../src/ports/clock';
import { useTestAzurite } from '../../helpers/azurite';
import { cliAgainst } from '../../helpers/cli-driver';
import { MOJ_PLAN_PATH, mojPlanText, withoutPlace } from '../../helpers/fixtures';
import {
  compoundFile,
  docxFromBody,
  HEADER_ROW,
  p,
  tbl,
  wordPlanDocx,
} from '../../helpers/word-documents';

const azurite = useTestAzurite();
const dir = mkdtempSync(join(tmpdir(), 'actionplan-cli-'));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const PLAN = 'ministry-of-justice-ima-action-plan';

/** Every entity in the CLI's table: proof that a refused import wrote nothing at all. */
async function entityCount(tableName: string): Promise<number> {
  const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
    allowInsecureConnection: true,
  });
  let n = 0;
  try {
    for await (const _ of client.listEntities()) n++;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return 0;
    throw e;
  }
  return n;
}

describe('actionplan import', () => {
  it('imports the MoJ plan, then lists, shows and re-imports it', async () => {
    const cli = cliAgainst(azurite.connectionString);
    const imported = await cli.run('import', MOJ_PLAN_PATH);
    expect(imported).toMatchObject({ code: 0, err: '' });
    expect(imported.out).toContain('42 actions — 42 new, 0 changed, 0 unchanged');

    const listed = JSON.parse((await cli.run('list', '--json')).out) as { ref: string }[];
    expect(listed).toHaveLength(42);
    expect(listed.slice(27, 31).map((a) => a.ref)).toEqual(['4.9', '4.9a', '4.9b', '4.9c']);

    const closed = await cli.run('list', '--status', 'closed');
    expect(closed.out).toMatch(/^3\.5 /m);
    expect(closed.out).toContain('1 action.');

    const shown = await cli.run('show', '2.6');
    expect(shown.out).toContain('Increasing focus on knowledge transfer');
    expect(shown.out).toContain('30 Sept 2016 (30 September 2016)');
    expect(shown.out).toContain('created');

    const again = await cli.run('import', MOJ_PLAN_PATH);
    expect(again.out).toContain('0 new, 0 changed, 42 unchanged');
    expect(JSON.parse((await cli.run('plans', '--json')).out)).toEqual([
      expect.objectContaining({
        id: PLAN,
        title: 'Ministry of Justice IMA Action Plan',
        actionCount: 42,
      }),
    ]);
  });

  it('lists overdue actions by the plan time zone: none before the first target, not done ones after', async () => {
    const early = cliAgainst(azurite.connectionString, fixedClock('2016-06-01T09:00:00Z'));
    await early.run('import', MOJ_PLAN_PATH);
    expect((await early.run('list', '--overdue')).out).toBe('No actions match.');

    const late = cliAgainst(azurite.connectionString, fixedClock('2017-01-01T00:30:00Z'));
    await late.run('import', MOJ_PLAN_PATH);
    const overdue = JSON.parse((await late.run('list', '--overdue', '--json')).out) as {
      ref: string;
    }[];
    // Targets before 1 January 2017 that are not done: 4.4 (End 2016, in progress), 6.7 (Dec 2016).
    // 2.6 (Sept 2016) is complete and 3.5 (Oct 2016) closed, so they are not overdue.
    expect(overdue.map((a) => a.ref)).toEqual(['4.4', '6.7']);
  });

  it('prints exactly the dry-run JSON shape and never opens storage', async () => {
    const cli = cliAgainst(azurite.connectionString);
    const r = await cli.run('import', MOJ_PLAN_PATH, '--dry-run', '--json');
    expect(r.code).toBe(0);
    expect(cli.state.opened).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      title: 'Ministry of Justice IMA Action Plan',
      progressUpdate: 'May 2017',
      warnings: [],
    });
    expect(json.recommendations).toHaveLength(6);
    expect(json.recommendations[0]).toEqual({
      number: '1',
      text: expect.stringContaining('clear and integrated goals'),
    });
    expect(json.actions).toHaveLength(42);
    expect(json.actions.find((a: { ref: string }) => a.ref === '2.6')).toEqual({
      ref: '2.6',
      recommendation: '2',
      text: 'Increasing focus on knowledge transfer in the coming months because of the Voluntary Exit Scheme',
      priority: 'L',
      targetText: '30 Sept 2016',
      targetDate: '2016-09-30',
      ongoing: false,
      status: 'complete',
      line: 32,
    });
    expect(json.actions.find((a: { ref: string }) => a.ref === '1.3')).toMatchObject({
      targetDate: null,
      ongoing: true,
    });
  });

  it('imports a Word document, and dry-runs it to the JSON shape the text gives', async () => {
    const cli = cliAgainst(azurite.connectionString);
    const docx = file('MoJ plan.docx', await wordPlanDocx());
    const fromWord = JSON.parse((await cli.run('import', docx, '--dry-run', '--json')).out);
    const fromText = JSON.parse(
      (await cli.run('import', MOJ_PLAN_PATH, '--dry-run', '--json')).out,
    );
    expect(Object.keys(fromWord)).toEqual(Object.keys(fromText));
    expect({ ...fromWord, actions: fromWord.actions.map(withoutPlace) }).toEqual({
      ...fromText,
      actions: fromText.actions.map(withoutPlace),
    });
    expect(fromWord.actions.find((a: { ref: string }) => a.ref === '2.6')).toMatchObject({
      table: 2,
      line: 7,
    });
    expect(cli.state.opened).toBe(0);

    const imported = await cli.run('import', docx);
    expect(imported).toMatchObject({ code: 0, err: '' });
    expect(imported.out).toContain(
      'Imported "Ministry of Justice IMA Action Plan" as plan ministry-of-justice-ima-action-plan (progress update May 2017): 42 actions — 42 new',
    );
    expect((await cli.run('history', '2.6')).out).toContain('import:MoJ plan.docx');
  });

  describe('refuses bad input with a clear message, a non-zero exit and storage untouched', () => {
    const header = 'Ref,Action,Priority,Target date,Status';
    const cases: [string, () => string | Promise<string>, RegExp][] = [
      [
        'an old binary .doc',
        () => file('plan.doc', compoundFile('WordDocument')),
        /old-style Word document \(\.doc/,
      ],
      [
        'a password-protected .docx',
        () => file('locked.docx', compoundFile('EncryptionInfo', 'EncryptedPackage')),
        /protected with a password/,
      ],
      [
        'a .docm',
        async () =>
          file(
            'macros.docm',
            await docxFromBody(tbl(HEADER_ROW), {
              contentType: 'application/vnd.ms-word.document.macroEnabled.main+xml',
            }),
          ),
        /macro-enabled Word document/,
      ],
      [
        'a PDF named .docx',
        () => file('pdf.docx', Buffer.from('%PDF-1.7\n1 0 obj\n', 'latin1')),
        /PDF, though its name ends in \.docx/,
      ],
      [
        'a .docx with no table',
        async () => file('notable.docx', await docxFromBody(p('Just a letter.'))),
        /no table/,
      ],
      ['an empty file', () => file('empty.txt', ''), /empty/i],
      [
        'a binary file',
        () => file('random.bin', Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 255, 0, 7, 8])),
        /binary/i,
      ],
      [
        'a CSV missing the Ref column',
        () => file('noref.csv', 'Action,Priority,Target date,Status\nDo it,H,Mar 2017,\n'),
        /Ref/,
      ],
      [
        'a duplicate ref',
        () => file('dup.csv', `${header}\n1.1,One,H,Mar 2017,\n1.1,Two,M,Mar 2017,\n`),
        /1\.1 appears twice.*lines? 2 and 3/,
      ],
      [
        'an unknown priority',
        () => file('prio.csv', `${header}\n1.1,One,Urgent,Mar 2017,\n`),
        /Line 2.*Priority|Priority.*line 2/i,
      ],
      [
        'a file of 50 MB',
        () => file('huge.txt', Buffer.alloc(50 * 1024 * 1024, 'a')),
        /50(\.0)? MB/,
      ],
      [
        'a file that does not exist',
        () => join(dir, 'missing.txt'),
        /missing\.txt|not found|no such/i,
      ],
    ];
    it.each(cases)('%s', async (_name, make, message) => {
      const cli = cliAgainst(azurite.connectionString);
      const r = await cli.run('import', await make());
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
      expect(await entityCount(cli.tableName)).toBe(0);
    });
  });

  it('keeps owners, areas and notes when a newer progress update is imported, and reports what changed', async () => {
    const cli = cliAgainst(azurite.connectionString);
    await cli.run('import', MOJ_PLAN_PATH);
    expect((await cli.run('area', 'add', 'HMPPS', '--champion', 'Champ@Justice.gov.uk')).code).toBe(
      0,
    );
    expect(
      (await cli.run('assign', '1.2', '--owner', 'jo@justice.gov.uk', '--area', 'hmpps')).out,
    ).toBe('1.2 now belongs to jo@justice.gov.uk in HMPPS.');
    const deps = await cli.deps();
    await changeAction(deps, {
      planId: PLAN,
      ref: '1.2',
      by: 'jo@justice.gov.uk',
      apply: (a) => ({ ...a, note: 'Foreword drafted' }),
    });

    const november = mojPlanText()
      .replace(/Progress update – May 2017/g, 'Progress update – November 2017')
      .replace(
        'asking the Permanent Secretary to provide a foreword\tH\tEnd Mar 2017\t',
        'asking the Permanent Secretary to provide a foreword\tH\tEnd Jun 2017\tIn progress',
      );
    const r = await cli.run('import', file('nov.txt', november));
    expect(r.code).toBe(0);
    expect(r.out).toContain('0 new, 1 changed, 41 unchanged');
    expect(r.out).toContain('1.2 target: "End Mar 2017" → "End Jun 2017"');
    expect(r.out).toContain('1.2 status: "Not started" → "In progress"');

    const shown = JSON.parse((await cli.run('show', '1.2', '--json')).out);
    expect(shown.action).toMatchObject({
      owners: ['jo@justice.gov.uk'],
      area: 'HMPPS',
      note: 'Foreword drafted',
      status: 'in_progress',
      target: { kind: 'date', date: '2017-06-30', text: 'End Jun 2017' },
    });
    expect(
      shown.history.map((h: { by: string; field?: string; kind: string }) => [
        h.kind,
        h.field ?? '',
        h.by,
      ]),
    ).toEqual([
      ['created', '', 'import:moj-ima-action-plan-may-2017.txt'],
      ['changed', 'owners', 'cli'],
      ['changed', 'area', 'cli'],
      ['changed', 'note', 'jo@justice.gov.uk'],
      ['changed', 'target', 'import:nov.txt'],
      ['changed', 'status', 'import:nov.txt'],
    ]);

    // Importing the May update again now would undo November's changes: refused unless forced.
    const older = await cli.run('import', MOJ_PLAN_PATH);
    expect(older.code).toBe(1);
    expect(older.err).toContain('older than the plan');
  });

  it('says which plans exist when several are stored and none is named', async () => {
    const cli = cliAgainst(azurite.connectionString);
    await cli.run('import', MOJ_PLAN_PATH);
    await cli.run('import', MOJ_PLAN_PATH, '--plan', 'second-copy');
    const r = await cli.run('list');
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toContain('There are 2 plans');
    expect(r.err).toContain('second-copy');
    expect((await cli.run('list', '--plan', 'second-copy', '--json')).code).toBe(0);
  });

  it('refuses an unknown area, an unknown ref and a bad email, changing nothing', async () => {
    const cli = cliAgainst(azurite.connectionString);
    await cli.run('import', MOJ_PLAN_PATH);
    const before = readFileSync(MOJ_PLAN_PATH).length; // touch nothing on disk either
    expect(
      await cli.run('assign', '1.1', '--owner', 'a@b.gov.uk', '--area', 'Nowhere'),
    ).toMatchObject({
      code: 1,
      err: expect.stringContaining('There is no area "Nowhere"'),
    });
    expect(await cli.run('assign', '9.9', '--owner', 'a@b.gov.uk')).toMatchObject({
      code: 1,
      err: 'There is no action 9.9 in this plan.',
    });
    expect(await cli.run('assign', '1.1', '--owner', 'not-an-email')).toMatchObject({ code: 1 });
    expect(await cli.run('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown command 'frobnicate'"),
    });
    const history = JSON.parse((await cli.run('history', '1.1', '--json')).out);
    expect(history).toHaveLength(1);
    expect(readFileSync(MOJ_PLAN_PATH).length).toBe(before);
  });
});
