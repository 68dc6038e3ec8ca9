import JSZip from 'jszip';
import { compareRefs } from '../../../../src/domain/action-ref.js';
import { statusLabel } from '../../../../src/domain/status.js';
import { exportDocx } from '../../../../src/documents/export/export-docx.js';
import type { ProgressReport } from '../../../../src/documents/export/progress-report.js';
import { AWKWARD_NOTE, LABEL, sampleActions, samplePlan, sampleReport } from './sample-plan.js';

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const all = (xml: string, re: RegExp): string[] => [...xml.matchAll(re)].map((m) => m[0]);

/** The text of one paragraph: its <w:t> runs joined. */
const paragraphText = (p: string): string =>
  [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1] ?? '')).join('');

/** Top-level paragraphs of the body (outside tables), in order. */
function bodyParagraphs(xml: string): string[] {
  const body = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  return all(body, /<w:p[ >][\s\S]*?<\/w:p>/g).map(paragraphText);
}

/** Every table as rows of cells; a cell's paragraphs are joined with "\n". */
function tables(xml: string): string[][][] {
  return all(xml, /<w:tbl>[\s\S]*?<\/w:tbl>/g).map((tbl) =>
    all(tbl, /<w:tr[ >][\s\S]*?<\/w:tr>/g).map((tr) =>
      all(tr, /<w:tc>[\s\S]*?<\/w:tc>/g).map((tc) =>
        all(tc, /<w:p[ >][\s\S]*?<\/w:p>/g)
          .map(paragraphText)
          .join('\n'),
      ),
    ),
  );
}

async function documentXml(report: ProgressReport): Promise<string> {
  const zip = await JSZip.loadAsync(await exportDocx(report));
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('no word/document.xml');
  return file.async('string');
}

describe('exportDocx', () => {
  const plan = samplePlan();
  const actions = sampleActions();
  const report = sampleReport({ plan, actions });
  let xml: string;
  beforeAll(async () => {
    xml = await documentXml(report);
  });

  it('lays out the title, then per recommendation its heading, text and progress-update line', () => {
    const numbers = [...plan.recommendations].map((r) => r.number).sort((a, b) => +a - +b);
    const expected = [
      plan.title,
      `Generated on 24 November 2026. ${actions.length} actions: 3 not started, 2 in progress, 1 blocked, 1 complete, 1 closed.`,
      ...numbers.flatMap((n) => [
        `Recommendation ${n}`,
        plan.recommendations.find((r) => r.number === n)?.text ?? '',
        `Progress update – ${LABEL}`,
      ]),
    ];
    expect(bodyParagraphs(xml)).toEqual(expected);
  });

  it('puts the title and the recommendation headings in heading styles', () => {
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>[\s\S]*?Ministry of Justice IMA Action Plan/);
    expect(all(xml, /<w:pStyle w:val="Heading2"\/>/g)).toHaveLength(plan.recommendations.length);
  });

  it('gives each recommendation a table of its actions, sorted by ref, with a repeating header', () => {
    const t = tables(xml);
    expect(t).toHaveLength(plan.recommendations.length);
    const header = ['Ref', 'Action', 'Priority', 'Target completion date', 'Status', 'Latest note'];
    for (const table of t) expect(table[0]).toEqual(header);
    expect(all(xml, /<w:tblHeader\/>/g)).toHaveLength(t.length);

    const refsInTables = t.flatMap((table) => table.slice(1).map((row) => row[0]));
    expect(refsInTables).toEqual(actions.map((a) => a.ref).sort(compareRefs));

    for (const table of t) {
      for (const [ref, text, priority, target, status, note] of table.slice(1)) {
        const a = actions.find((x) => x.ref === ref);
        const row = report.recommendations.flatMap((r) => r.rows).find((x) => x.ref === ref);
        expect(a && row).toBeTruthy();
        expect([text, priority, target, status, note]).toEqual([
          a?.text,
          row?.priorityLabel,
          row?.target,
          statusLabel(a?.status ?? 'not_started'),
          row?.note,
        ]);
      }
    }
  });

  it('shows moved targets and multi-line notes as written', () => {
    const rows = tables(xml).flatMap((table) => table.slice(1));
    expect(rows.find((r) => r[0] === '1.1')?.[3]).toBe('End Mar 2017 (moved to 30 September 2017)');
    expect(rows.find((r) => r[0] === '2.6')?.[5]).toBe(AWKWARD_NOTE);
  });

  it('is A4 landscape', () => {
    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
  });

  it('writes a recommendation with no actions without an empty table', async () => {
    const empty = sampleReport({ plan, actions: [], history: [] });
    const x = await documentXml(empty);
    expect(tables(x)).toHaveLength(0);
    expect(bodyParagraphs(x)).toContain('No actions.');
    expect(bodyParagraphs(x).filter((p) => p === `Progress update – ${LABEL}`)).toHaveLength(4);
  });

  it('drops control characters that XML cannot hold', async () => {
    const dirty = sampleReport({
      plan,
      actions: [{ ...actions[0]!, ref: '1.1', note: 'bell\u0007 here' }],
      history: [],
    });
    const x = await documentXml(dirty);
    expect(tables(x)[0]?.[1]?.[5]).toBe('bell here');
  });
});
