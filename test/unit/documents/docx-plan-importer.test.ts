import { describeIssue } from '../../../src/app/import-plan';
import { MAX_UNPACKED_BYTES } from '../../../src/documents/docx-plan-importer';
import { parsePlanDocument } from '../../../src/documents/plan-file';
import { parseTextPlan } from '../../../src/documents/text-plan-importer';
import { writeZip } from '../../../src/documents/zip-archive';
import type { ImportResult, ParsedAction } from '../../../src/domain/parsed-plan';
import { mojPlanText, withoutPlace } from '../../helpers/fixtures';
import {
  compoundFile,
  docxFromBody,
  HEADER_ROW,
  p,
  tbl,
  tc,
  tr,
  wordPlanDocx,
} from '../../helpers/word-documents';

const byRef = (actions: ParsedAction[], ref: string): ParsedAction => {
  const a = actions.find((x) => x.ref === ref);
  if (!a) throw new Error(`no action ${ref}`);
  return a;
};
const messages = (r: ImportResult): string[] => r.errors.map(describeIssue);

describe('the MoJ plan as a Word document (a table per recommendation)', () => {
  let result: ImportResult;
  beforeAll(async () => {
    result = await parsePlanDocument(await wordPlanDocx(), 'moj-ima-action-plan.docx');
  });

  it('reads cleanly, with the title, the label and 6 recommendations', () => {
    expect(result.errors).toEqual([]);
    expect(result.plan.warnings).toEqual([]);
    expect(result.plan.title).toBe('Ministry of Justice IMA Action Plan');
    expect(result.plan.progressUpdate).toBe('May 2017');
    expect(result.plan.recommendations.map((r) => r.number)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
  });

  it('gives exactly the plan the text importer gives: 42 actions, 2.6 and 4.4 whole, 4.9a–d', () => {
    const fromText = parseTextPlan(mojPlanText()).plan;
    expect(result.plan.recommendations).toEqual(fromText.recommendations);
    expect(result.plan.actions).toHaveLength(42);
    expect(result.plan.actions.map(withoutPlace)).toEqual(fromText.actions.map(withoutPlace));
    expect(byRef(result.plan.actions, '2.6')).toMatchObject({
      text: 'Increasing focus on knowledge transfer in the coming months because of the Voluntary Exit Scheme',
      targetText: '30 Sept 2016',
      targetDate: '2016-09-30',
      status: 'complete',
    });
    expect(byRef(result.plan.actions, '4.4').text).toMatch(
      /^Examining the experience of the Houses of Parliament in rolling out Microsoft Office 365/,
    );
    expect(result.plan.actions.filter((a) => /^4\.9[a-d]$/.test(a.ref))).toHaveLength(4);
  });

  it('places each action by table and row', () => {
    // Table 2 is recommendation 2's; 2.6 is its sixth action, under the header row.
    expect(byRef(result.plan.actions, '2.6')).toMatchObject({ table: 2, line: 7 });
  });
});

/** One table for the whole plan: merged recommendation rows, a header repeated part-way down. */
const SINGLE_TABLE = [
  p('Information management action plan', 'Title'),
  p('Progress update – November 2026'),
  tbl(
    tr(tc('Recommendation 1: Set clear goals for KIM.', '<w:gridSpan w:val="5"/>')),
    HEADER_ROW,
    tr(tc('1.1'), tc('Write the strategy'), tc('H'), tc('End Mar 2027'), tc('In progress')),
    tr(
      tc('1.2'),
      tc('<w:p><w:r><w:t>Get it</w:t></w:r></w:p><w:p><w:r><w:t>signed off</w:t></w:r></w:p>'),
      tc('M', '<w:vMerge w:val="restart"/>'),
      tc('<w:p><w:r><w:t>30 Sept</w:t><w:br/><w:t>2027</w:t></w:r></w:p>'),
      tc('Complete', '<w:vMerge w:val="restart"/>'),
    ),
    tr(tc('1.3'), tc('Publish it'), tc('', '<w:vMerge/>'), tc('Ongoing'), tc('', '<w:vMerge/>')),
    tr(tc('Recommendation 2', '<w:gridSpan w:val="5"/>')),
    tr(tc('Improve the culture.', '<w:gridSpan w:val="5"/>')),
    HEADER_ROW,
    tr(tc('2.1'), tc('Train champions'), tc('L'), tc('31/12/2027'), tc('')),
    tr(tc(''), tc(''), tc(''), tc(''), tc('')),
    tr(tc(''), tc(''), tc(''), tc(''), tc('')),
  ),
];

describe('a single table for the whole plan', () => {
  let result: ImportResult;
  beforeAll(async () => {
    result = await parsePlanDocument(await docxFromBody(SINGLE_TABLE.join('')), 'plan.docx');
  });

  it('reads merged recommendation rows, skips the repeated header and the empty rows', () => {
    expect(result.errors).toEqual([]);
    expect(result.plan.warnings).toEqual([]);
    expect(result.plan.title).toBe('Information management action plan');
    expect(result.plan.progressUpdate).toBe('November 2026');
    expect(result.plan.recommendations).toEqual([
      { number: '1', text: 'Set clear goals for KIM.' },
      { number: '2', text: 'Improve the culture.' },
    ]);
    expect(result.plan.actions.map((a) => a.ref)).toEqual(['1.1', '1.2', '1.3', '2.1']);
  });

  it('joins a cell of several paragraphs, and a line break in a date', () => {
    expect(byRef(result.plan.actions, '1.2')).toMatchObject({
      text: 'Get it signed off',
      targetText: '30 Sept 2027',
      targetDate: '2027-09-30',
    });
  });

  it('gives a vertically merged priority and status to every row it spans', () => {
    expect(byRef(result.plan.actions, '1.3')).toMatchObject({
      priority: 'M',
      status: 'complete',
      ongoing: true,
    });
  });
});

describe('tracked changes and comments', () => {
  it('keeps inserted text, drops deleted text and deleted rows, and ignores comments', async () => {
    const body = [
      p('Plan with changes'),
      tbl(
        HEADER_ROW,
        tr(
          tc('1.1'),
          tc(
            '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">Write the </w:t></w:r>' +
              '<w:del w:id="1" w:author="Ann"><w:r><w:delText>old </w:delText></w:r></w:del>' +
              '<w:ins w:id="2" w:author="Ann"><w:r><w:t xml:space="preserve">new </w:t></w:r></w:ins>' +
              '<w:r><w:t>strategy</w:t></w:r><w:commentRangeEnd w:id="0"/>' +
              '<w:r><w:commentReference w:id="0"/></w:r></w:p>',
          ),
          tc('H'),
          tc(
            '<w:p><w:del w:id="3" w:author="Ann"><w:r><w:delText>End Mar 2027</w:delText></w:r></w:del>' +
              '<w:ins w:id="4" w:author="Ann"><w:r><w:t>End Jun 2027</w:t></w:r></w:ins></w:p>',
          ),
          tc('In progress'),
        ),
        '<w:tr><w:trPr><w:del w:id="5" w:author="Ann"/></w:trPr>' +
          [
            tc('1.2'),
            tc('A row deleted with changes tracked'),
            tc('L'),
            tc('Ongoing'),
            tc(''),
          ].join('') +
          '</w:tr>',
      ),
    ].join('');
    const extra = {
      'word/comments.xml':
        '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0"><w:p><w:r><w:t>1.9 Not an action</w:t></w:r></w:p></w:comment></w:comments>',
    };
    const result = await parsePlanDocument(await docxFromBody(body, { extra }), 'changes.docx');
    expect(result.errors).toEqual([]);
    expect(result.plan.actions).toEqual([
      expect.objectContaining({
        ref: '1.1',
        text: 'Write the new strategy',
        targetText: 'End Jun 2027',
        targetDate: '2027-06-30',
      }),
    ]);
  });
});

describe('headers as people write them, in Word too', () => {
  it('recognises bracketed hints and punctuation', async () => {
    const header = tr(
      tc('Ref.'),
      tc('Action'),
      tc('Priority'),
      tc('Target date (dd/mm/yyyy)'),
      tc('Status (RAG)'),
      tc('Owner(s)'),
    );
    const row = tr(
      tc('3.1'),
      tc('Do it'),
      tc('Low'),
      tc('31/03/2027'),
      tc('Blocked'),
      tc('ann@justice.gov.uk'),
    );
    const result = await parsePlanDocument(await docxFromBody(tbl(header, row)), 'p.docx');
    expect(result.errors).toEqual([]);
    expect(result.plan.warnings).toEqual([]);
    expect(result.plan.actions[0]).toMatchObject({
      ref: '3.1',
      targetDate: '2027-03-31',
      status: 'blocked',
      owners: ['ann@justice.gov.uk'],
    });
  });
});

/** A .docx whose document part is `size` bytes of XML white space (compresses ~1000:1). */
function bombDocx(size: number): Promise<Buffer> {
  const xml = Buffer.alloc(size, 0x20);
  Buffer.from('<w:document xmlns:w="x">').copy(xml);
  return writeZip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    { name: 'word/document.xml', data: xml },
  ]);
}

/** Makes an archive's entry declare a smaller unpacked size than it has, in both its headers. */
function understate(zip: Buffer, entry: string, declared: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entry);
  for (let at = out.indexOf(name); at >= 0; at = out.indexOf(name, at + 1)) {
    if (out.readUInt32LE(at - 30) === 0x04034b50) out.writeUInt32LE(declared, at - 30 + 22);
    if (out.readUInt32LE(at - 46) === 0x02014b50) out.writeUInt32LE(declared, at - 46 + 24);
  }
  return out;
}

describe('Word files the bot refuses, each with a clear message and nothing read', () => {
  const refuse = async (bytes: Buffer, name: string): Promise<string[]> => {
    const r = await parsePlanDocument(bytes, name);
    expect(r.plan.actions).toEqual([]);
    return messages(r);
  };

  it('an old binary .doc', async () => {
    expect(await refuse(compoundFile('WordDocument', '1Table'), 'plan.doc')).toEqual([
      expect.stringMatching(
        /^This is an old-style Word document \(\.doc, Word 97–2003\).*"Word Document \(\.docx\)"/,
      ),
    ]);
  });

  it('a password-protected .docx', async () => {
    expect(await refuse(compoundFile('EncryptionInfo', 'EncryptedPackage'), 'plan.docx')).toEqual([
      expect.stringMatching(/^This file is protected with a password \(encrypted\)/),
    ]);
  });

  it('a macro-enabled .docm', async () => {
    const bytes = await docxFromBody(tbl(HEADER_ROW), {
      contentType: 'application/vnd.ms-word.document.macroEnabled.main+xml',
    });
    expect(await refuse(bytes, 'plan.docm')).toEqual([
      expect.stringMatching(/^This is a macro-enabled Word document \(\.docm\)/),
    ]);
  });

  it('a PDF named .docx', async () => {
    expect(await refuse(Buffer.from('%PDF-1.7\n1 0 obj\n', 'latin1'), 'plan.docx')).toEqual([
      expect.stringMatching(
        /^This is a PDF, though its name ends in \.docx, which the bot cannot read/,
      ),
    ]);
  });

  it('a document with no table', async () => {
    const bytes = await docxFromBody(p('Our plan') + p('Recommendation 1') + p('Do better.'));
    expect(await refuse(bytes, 'plan.docx')).toEqual([
      expect.stringMatching(/^This Word document has no table/),
    ]);
  });

  it('a table of 200 columns, naming the table and row', async () => {
    const wide = tr(...Array.from({ length: 200 }, (_, i) => tc(`Column ${i + 1}`)));
    const bytes = await docxFromBody(tbl(wide, wide));
    expect(await refuse(bytes, 'plan.docx')).toEqual([
      expect.stringMatching(
        /^Table 1, row 1: This row has 200 columns; a plan's table has at most 50/,
      ),
    ]);
  });

  it('a table inside a table, naming the table, row and column', async () => {
    const nested = tbl(tr(tc('x'), tc('y')));
    const bytes = await docxFromBody(
      tbl(
        HEADER_ROW,
        tr(tc('1.1'), `<w:tc>${nested}${p('')}</w:tc>`, tc('H'), tc('Ongoing'), tc('')),
      ),
    );
    const found = await parsePlanDocument(bytes, 'plan.docx');
    expect(messages(found)[0]).toMatch(
      /^Table 1, row 2: A cell in column 2 holds a table of its own/,
    );
  });

  it('a ZIP bomb: a document part that unpacks past the cap', async () => {
    const bytes = await bombDocx(MAX_UNPACKED_BYTES + 1024);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expect(await refuse(bytes, 'plan.docx')).toEqual([
      expect.stringMatching(/^This Word file unpacks to more than 64 MB/),
    ]);
  });

  it('a ZIP bomb that lies about its size: the bytes actually unpacked are counted', async () => {
    const honest = await bombDocx(MAX_UNPACKED_BYTES + 1024);
    const bytes = understate(honest, 'word/document.xml', 1000);
    expect(bytes.equals(honest)).toBe(false);
    expect(await refuse(bytes, 'plan.docx')).toEqual([
      expect.stringMatching(/^This Word file unpacks to more than 64 MB/),
    ]);
  });

  it('a 50 MB file, before it is unpacked', async () => {
    const big = Buffer.concat([
      await docxFromBody(tbl(HEADER_ROW)),
      Buffer.alloc(50 * 1024 * 1024),
    ]);
    expect(await refuse(big, 'plan.docx')).toEqual([
      expect.stringMatching(/^The file is 50 MB; the largest plan file accepted is 10 MB/),
    ]);
  });

  it('a document part that is not well-formed XML', async () => {
    const bytes = await docxFromBody('<w:tbl><w:tr></w:tbl>');
    expect(await refuse(bytes, 'plan.docx')).toEqual([
      expect.stringMatching(/^This Word document could not be read: its XML is damaged/),
    ]);
  });

  it('a document part declaring entities (a DTD), which Word never writes', async () => {
    const bytes = await docxFromBody('', {
      extra: {
        'word/document.xml':
          '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' +
          '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>',
      },
    });
    expect(await refuse(bytes, 'plan.docx')).toEqual([
      expect.stringMatching(
        /^This Word document could not be read: its XML is damaged \(a document type declaration/,
      ),
    ]);
  });

  it('a damaged ZIP', async () => {
    const zip = await docxFromBody(tbl(HEADER_ROW));
    const cut = zip.subarray(0, zip.length - 30);
    expect(await refuse(cut, 'plan.docx')).toEqual([expect.stringMatching(/damaged/)]);
  });
});
